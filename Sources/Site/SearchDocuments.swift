import Content
import Dispatch
import Parallelism
import Search

/// The site model as the search index reads it, with place names and topic and factor labels
/// in the index's language.
///
/// The index of a language holds every case and post once: its version in that language when
/// there is one, else the original (without its body). So an English reader finds French-only
/// cases by their places, English topic and factor labels and title words; pages only in their
/// language.
struct SearchDocuments: Sendable {
  let values: ModelValues

  /// A key of what the index of `language` is made from: its documents, with this executable,
  /// which makes it. Equal keys give equal index files, so a build whose key is the previous
  /// one's carries that index over instead of making it again.
  static func key(_ indexed: IndexedDocuments, language: String) -> StableHasher.Digest {
    var hasher = StableHasher()
    hasher.combine(PageKey.executableIdentity)
    hasher.combine(language)
    hasher.combine(indexed.order)
    hasher.combine(UInt64(indexed.fingerprints.count))
    for fingerprint in indexed.fingerprints { hasher.combine(fingerprint) }
    return hasher.finalize()
  }

  func positions(for language: String) -> [Int] {
    let documents = values.documents
    var positions: [Int] = []
    for groups in [values.cases, values.posts] {
      positions += groups.groups.indices.map {
        groups.preferred($0, language: language, documents: documents)
      }
    }
    positions += documents.indices.filter {
      documents[$0].kind == .page && documents[$0].language == language
    }
    return positions.sorted()
  }

  func documents(for language: String) -> [SearchDocument] {
    let content = values.content
    return positions(for: language).parallelMap { position in
      let document = content.documents[position]
      let details = document.details ?? CaseDetails()
      let localities = details.localities.compactMap { content.index.localityByID[$0.text] }
      var places: [String] = []
      var countries: [String] = []
      for locality in localities {
        places += [locality.name, locality.region].filter { !$0.isEmpty }
        if let country = Country.named(code: locality.country) {
          places.append(country.name(in: language))
          if !countries.contains(country.code.lowercased()) {
            countries.append(country.code.lowercased())
          }
        }
      }
      let factors = details.successFactors + details.failureFactors
      var labels = details.topics.map {
        content.index.topicByID[$0.text]?.label.text(in: language) ?? $0.text
      }
      labels += factors.map {
        content.index.factorByID[$0.text]?.label.text(in: language) ?? $0.text
      }
      var facets: [String: [String]] = ["lang": [document.language]]
      if document.kind == .caseStudy {
        facets["topic"] = details.topics.map(\.text)
        facets["factor"] = Array(Set(factors.map(\.text))).sorted()
        facets["outcome"] = details.outcome.map { [$0] } ?? []
        facets["country"] = countries
      }
      // A document in another language is found by its title, description, places and labels;
      // its body is searched in its own language's index, with the analyzer made for it.
      let rendered = document.language == language ? values.rendered[position] : nil
      return SearchDocument(
        url: values.routes.document(document), title: document.title,
        description: document.description ?? "",
        headings: rendered?.headings.map(\.text) ?? [], body: rendered?.plainText ?? "",
        places: places, labels: labels, date: document.date.map(DateParser.isoDay),
        summary: values.summary(position), facets: facets)
    }
  }
}
