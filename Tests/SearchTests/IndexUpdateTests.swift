import Foundation
import Testing

@testable import Search

/// ``SearchIndexBuilder/update(_:previous:reading:)`` must give exactly the files of a build, or
/// nothing.
@Suite struct IndexUpdateTests {
  /// The fixture's five documents and 35 more, so that one edit moves the average length by
  /// little; small shards, so that an edit can move a term to another shard.
  private static let documents: [SearchDocument] =
    IndexFixtureDocuments.french
    + (0..<35).map { number in
      SearchDocument(
        url: "/cas/projet-\(number)/", title: "Projet numéro \(number)",
        description: "Une initiative locale de quartier.",
        body: (0..<(20 + number % 7)).map { "mot\(($0 * 7 + number) % 40) jardin" }
          .joined(separator: " "),
        places: ["Lyon"], labels: ["Alimentation"], summary: "Un projet.",
        facets: ["topic": ["alimentation"], "outcome": ["success"], "lang": ["fr"]])
    }

  private static var builder: SearchIndexBuilder {
    var builder = SearchIndexBuilder(language: "fr")
    builder.targetShardBytes = 400
    return builder
  }

  private static func reader(_ files: [IndexFile]) -> (String) -> Data? {
    let contents = Dictionary(uniqueKeysWithValues: files.map { ($0.path, $0.contents) })
    return { contents[$0] }
  }

  /// Updates the index of `before` to `after` and checks the result against a build of `after`.
  private static func expectUpdateEqualsBuild(
    from before: [SearchDocument], to after: [SearchDocument],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws -> BuiltIndex {
    let previous = builder.build(IndexedDocuments(before))
    let updated = try #require(
      builder.update(
        IndexedDocuments(after), previous: previous.record, reading: reader(previous.files)),
      sourceLocation: sourceLocation)
    let built = builder.build(IndexedDocuments(after))
    #expect(updated.files.map(\.path) == built.files.map(\.path), sourceLocation: sourceLocation)
    for (mine, theirs) in zip(updated.files, built.files) where mine != theirs {
      Issue.record("\(mine.path) differs from a build's", sourceLocation: sourceLocation)
    }
    #expect(updated.record == built.record, sourceLocation: sourceLocation)
    return updated
  }

  private static func editing(
    _ documents: [SearchDocument], at position: Int, _ edit: (inout SearchDocument) -> Void
  ) -> [SearchDocument] {
    var documents = documents
    edit(&documents[position])
    return documents
  }

  @Test func aBodyWithOtherWordsGivesTheFilesOfABuild() throws {
    // Same number of words: "potagers" and "quinoa" are new terms, "légumes" leaves this
    // document (it stays in others), "jardin" gets another frequency.
    let edited = Self.editing(Self.documents, at: 0) {
      $0.body = $0.body.replacingOccurrences(of: "plante des légumes", with: "sème du quinoa")
        .replacingOccurrences(of: "Les habitants", with: "Les potagers")
    }
    let files = try Self.expectUpdateEqualsBuild(from: Self.documents, to: edited)
    #expect(
      files.files.contains {
        $0.path.hasPrefix("shards/")
          && String(decoding: $0.contents, as: UTF8.self)
            .contains("\"quino")
      })
  }

  @Test func aTermNoDocumentHasAnyMoreIsDropped() throws {
    let edited = Self.editing(Self.documents, at: 5) { $0.title = "Projet numéro zéro" }
    let before = Self.editing(Self.documents, at: 5) { $0.title = "Projet numéro unique" }
    _ = try Self.expectUpdateEqualsBuild(from: before, to: edited)
  }

  @Test func severalEditsAndUpdatesInARowGiveTheFilesOfABuild() throws {
    var documents = Self.documents
    var previous = Self.builder.build(IndexedDocuments(documents))
    for round in 0..<4 {
      documents[6 + round].body = documents[6 + round].body.replacingOccurrences(
        of: "jardin", with: "verger\(round)")
      documents[20].description = "Une initiative de quartier, version \(round)."
      previous = try #require(
        Self.builder.update(
          IndexedDocuments(documents), previous: previous.record,
          reading: Self.reader(previous.files)))
    }
    #expect(previous.files.elementsEqual(Self.builder.build(IndexedDocuments(documents)).files))
  }

  @Test func givesNothingWhenNumbersOrImpactsWouldMove() {
    let previous = Self.builder.build(IndexedDocuments(Self.documents))
    func update(_ documents: [SearchDocument], files: [IndexFile]? = nil) -> BuiltIndex? {
      Self.builder.update(
        IndexedDocuments(documents), previous: previous.record,
        reading: Self.reader(files ?? previous.files))
    }
    let unchanged = Self.editing(Self.documents, at: 7) { $0.title += " bis" }
    #expect(update(unchanged) != nil)
    // Another facet value renumbers documents; so does a new document.
    #expect(
      update(Self.editing(Self.documents, at: 7) { $0.facets["outcome"] = ["failure"] }) == nil)
    #expect(
      update(Self.documents + [SearchDocument(url: "/cas/nouveau/", title: "Nouveau")]) == nil)
    // Many more words move the average length, on which every impact depends.
    let longer = Self.editing(Self.documents, at: 7) {
      $0.body += String(repeating: " champ", count: 400)
    }
    #expect(update(longer) == nil)
    // Over a quarter of the documents changed.
    var many = Self.documents
    for position in 0..<11 { many[position].title += " bis" }
    #expect(update(many) == nil)
    // A previous shard or facets file that is not what its name says, or missing.
    let shard = previous.files.firstIndex { $0.path.hasPrefix("shards/") }!
    var damaged = previous.files
    damaged[shard].contents[damaged[shard].contents.count / 2] ^= 1
    #expect(update(unchanged, files: damaged) == nil)
    damaged.remove(at: shard)
    #expect(update(unchanged, files: damaged) == nil)
    #expect(update(unchanged, files: previous.files.filter { $0.path != "manifest.json" }) == nil)
    var facets = previous.files
    let facetsFile = facets.firstIndex { $0.path.hasPrefix("facets.") }!
    facets[facetsFile].contents[facets[facetsFile].contents.count / 2] ^= 1
    #expect(update(unchanged, files: facets) == nil)
  }

  @Test func fingerprintsTellEveryFieldAndNotTheOrderOfInput() {
    let indexed = IndexedDocuments(Self.documents)
    #expect(IndexedDocuments(Self.documents.reversed()).fingerprints == indexed.fingerprints)
    #expect(IndexedDocuments(Self.documents.reversed()).order == indexed.order)
    let edits: [(inout SearchDocument) -> Void] = [
      { $0.title += "!" }, { $0.description += "!" }, { $0.body += "!" },
      { $0.headings.append("Suite") }, { $0.places.append("Rhône") },
      { $0.labels.append("Énergie") }, { $0.date = "2020-01-01" }, { $0.summary += "!" },
    ]
    for edit in edits {
      let edited = IndexedDocuments(Self.editing(Self.documents, at: 10, edit))
      #expect(edited.order == indexed.order)
      #expect(zip(edited.fingerprints, indexed.fingerprints).filter { $0 != $1 }.count == 1)
    }
    let refiled = Self.editing(Self.documents, at: 10) { $0.facets["factor"] = ["benevolat"] }
    #expect(IndexedDocuments(refiled).order != indexed.order)
  }
}
