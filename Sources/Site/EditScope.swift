import Content
import Foundation
import Parallelism
import Templates

/// What a build's pages showed, kept in its ``BuildRecord`` so that the next build can tell which
/// pages an edit reaches without making the context of every page (``EditScope``).
struct PageDependencies: Equatable {
  /// Every page's path (`/en/cases/x/`), in the order ``PageAssembler/batches()`` makes them.
  var pagePaths: [String]
  /// How many pages each batch made.
  var batchSizes: [Int]
  /// Document URL → the pages (indices into `pagePaths`) whose context shows the document,
  /// as a card or as the page itself.
  var shownBy: [String: [Int32]]
  /// Source path → what decided where the document shows and how its cards look.
  var documents: [String: DocumentTrace]
  /// The list order of every case and post group.
  var order: StableHasher.Digest

  /// The URL of the document an object of a context shows: a case or post, as its card or as
  /// the page itself.
  static func shownDocument(_ fields: [String: Value]) -> String? {
    guard case .string(let kind)? = fields["kind"], showsDocument(ofKind: kind),
      case .string(let url)? = fields["url"]
    else { return nil }
    return url
  }

  /// Whether an object of this `kind` shows the document its `url` names.
  static func showsDocument(ofKind kind: String) -> Bool { kind == "case" || kind == "post" }
}

/// One document as the pages of a build saw it.
struct DocumentTrace: Equatable {
  var url: String
  /// ``place(of:)``.
  var place: StableHasher.Digest
  /// Its cards, in every language.
  var cards: StableHasher.Digest

  /// What decides where a document shows: its URL, language, date, draft state, image,
  /// translation and cited ids. Two versions with the same place show on the same pages in the
  /// same order (but for a new title, which ``DocumentTrace/order(of:)`` checks), and every
  /// page showing them shows them through a card, their own page or their other versions'.
  static func place(of document: Document) -> StableHasher.Digest {
    var hasher = StableHasher()
    hasher.combine(document.kind.rawValue)
    hasher.combine(document.slug)
    hasher.combine(document.language)
    hasher.combine(document.date.map { $0.timeIntervalSinceReferenceDate.bitPattern } ?? 1)
    hasher.combine(document.date == nil ? 0 : 1)
    for optional in [document.translationOf, document.image] {
      hasher.combine(optional == nil ? 0 : 1)
      hasher.combine(optional ?? "")
    }
    hasher.combine(document.draft ? 1 : 0)
    let details = document.details ?? CaseDetails()
    hasher.combine(document.details == nil ? 0 : 1)
    for ids in [
      details.topics, details.successFactors, details.failureFactors, details.localities,
    ] {
      hasher.combine(UInt64(ids.count))
      for id in ids { hasher.combine(id.text) }
    }
    hasher.combine(details.outcome ?? "")
    return hasher.finalize()
  }

  /// The list order of the case and post groups: which documents each group holds, in order.
  static func order(of values: ModelValues) -> StableHasher.Digest {
    var hasher = StableHasher()
    for groups in [values.cases.groups, values.posts.groups] {
      hasher.combine(UInt64(groups.count))
      for group in groups {
        hasher.combine(UInt64(group.members.count))
        for member in group.members { hasher.combine(UInt64(member)) }
      }
    }
    return hasher.finalize()
  }

  /// The trace of every document, by source path; `key` holds the digests of the case cards.
  static func traces(of values: ModelValues, key: PageKey) -> [String: DocumentTrace] {
    let traces = values.documents.indices.parallelMap { position in
      trace(of: position, in: values, key: key)
    }
    return Dictionary(
      zip(values.documents.map(\.sourcePath), traces), uniquingKeysWith: { first, _ in first })
  }

  static func trace(of position: Int, in values: ModelValues, key: PageKey) -> DocumentTrace {
    let document = values.documents[position]
    let url = values.routes.document(document)
    var hasher = StableHasher()
    switch document.kind {
    case .caseStudy:
      for language in values.content.config.languages {
        let card = values.caseCard(position, language)
        let digest =
          key.knownDigest(of: card, language: language) ?? StableHasher.digest(of: card)
        hasher.combine(digest.high)
        hasher.combine(digest.low)
      }
    case .post:
      hasher.combine(value: values.postCard(position))
    case .page:
      break
    }
    return DocumentTrace(url: url, place: place(of: document), cards: hasher.finalize())
  }
}

/// The pages a build makes again when the only sources that changed since the last build are
/// documents edited in place (each keeping its ``DocumentTrace/place(of:)`` and the list order):
/// the edited documents' own pages, their other versions' pages, and, when a card changed, the
/// pages showing that document. Every other page is the previous build's, kept with its key;
/// batches holding none of these pages are not made at all.
///
/// The rule is the dev server's (``IncrementalSite``); here the pages it names are made afresh
/// rather than patched. Should a batch still make other pages than the record says, the new
/// record keeps no dependencies, so that the next build makes every page.
struct EditScope: Sendable {
  /// What the previous build's pages showed, which the scope was found from.
  let previous: PageDependencies
  /// Indices into the previous ``PageDependencies/pagePaths``.
  let pages: Set<Int>
  /// Per batch (``PageAssembler/batches()``), the indices of its pages in the previous build.
  let batchRanges: [Range<Int>]
  /// Batches holding at least one of `pages`.
  let batches: Set<Int>
  /// The edited documents as they are now, by source path.
  private let traces: [String: DocumentTrace]

  /// The previous dependencies with the edited documents' traces: the new record's, once the
  /// build made the pages the scope expected.
  var dependencies: PageDependencies {
    var dependencies = previous
    dependencies.documents.merge(traces) { _, new in new }
    return dependencies
  }

  /// The scope of editing the documents at `edited` (source paths), or nil when the edits may
  /// reach further: a document new, removed or moved, a new list order, or a record without
  /// dependencies.
  init?(
    edited: [String], previous: PageDependencies, values: ModelValues, key: PageKey
  ) {
    guard DocumentTrace.order(of: values) == previous.order else { return nil }
    let positions = Dictionary(
      values.documents.indices.map { (values.documents[$0].sourcePath, $0) },
      uniquingKeysWith: { first, _ in first })
    let pageIndex = Dictionary(
      previous.pagePaths.indices.map { (previous.pagePaths[$0], $0) },
      uniquingKeysWith: { first, _ in first })
    var pages: Set<Int> = []
    var traces: [String: DocumentTrace] = [:]
    for path in edited {
      let before = previous.documents[path]
      guard let position = positions[path] else {
        // A draft left out of the build both times shows nowhere.
        if before == nil { continue }
        return nil
      }
      guard let before else { return nil }
      let now = DocumentTrace.trace(of: position, in: values, key: key)
      guard now.place == before.place, now.url == before.url else { return nil }
      traces[path] = now
      // Its own page and its other versions', which show its title.
      let document = values.documents[position]
      let versions =
        values.content.index.translations[CrossIndex.translationKey(of: document)] ?? [position]
      for version in versions {
        let url = values.routes.document(values.documents[version])
        guard let page = pageIndex[url] else { return nil }
        pages.insert(page)
        if now.cards != before.cards {
          pages.formUnion((previous.shownBy[url] ?? []).map(Int.init))
        }
      }
    }
    var batchRanges: [Range<Int>] = []
    for size in previous.batchSizes {
      let start = batchRanges.last?.upperBound ?? 0
      batchRanges.append(start..<start + size)
    }
    self.previous = previous
    self.pages = pages
    self.batchRanges = batchRanges
    batches = Set(batchRanges.indices.filter { pages.contains(where: batchRanges[$0].contains) })
    self.traces = traces
  }

  /// The document source files among the inputs whose stamps differ between two scans, when
  /// nothing else changed: the same paths, and only documents' files (or the folders holding
  /// them, which an editor's save by renaming touches) with new stamps. Nil otherwise.
  static func editedDocuments(previous: [BuildRecord.Entry], now: [BuildRecord.Entry])
    -> [String]?
  {
    guard previous.count == now.count else { return nil }
    var edited: [String] = []
    for (before, after) in zip(previous, now) {
      guard before.path == after.path, before.stamp.kind == after.stamp.kind else { return nil }
      guard before.stamp != after.stamp else { continue }
      switch after.stamp.kind {
      case .file:
        guard DocumentKind.isDocumentFile(after.path) else { return nil }
        edited.append(after.path)
      case .folder:
        guard
          DocumentKind.allCases.contains(where: { after.path.hasPrefix("content/\($0.rawValue)") })
        else { return nil }
      case .symbolicLink, .other:
        return nil
      }
    }
    return edited
  }

  /// The document files among `inputs` that are not `edited`: unchanged since the record.
  static func unchangedDocuments(_ inputs: [BuildRecord.Entry], edited: [String]) -> Set<String> {
    Set(
      inputs.lazy.filter { $0.stamp.kind == .file && DocumentKind.isDocumentFile($0.path) }
        .map(\.path)
    ).subtracting(edited)
  }
}
