import Foundation
import Testing

@testable import Search

@Suite struct SearchIndexBuilderTests {
  private static let roundTripFolder = TestPaths.sourceFixtures.appendingPathComponent(
    "index-roundtrip")

  /// With `UPDATE_FIXTURES=1` the committed index is rewritten; otherwise a fresh build must
  /// match it byte for byte. Tests/js/index-reader.test.mjs reads the same files.
  @Test func roundTripFixtureIsUpToDate() throws {
    let files = SearchIndexBuilder(language: "fr").build(IndexFixtureDocuments.french)
    let folder = Self.roundTripFolder
    if ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1" {
      try? FileManager.default.removeItem(at: folder)
      for file in files {
        let url = folder.appendingPathComponent(file.path)
        try FileManager.default.createDirectory(
          at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try file.contents.write(to: url)
      }
      return
    }
    let committed = try Self.filesUnder(folder)
    #expect(committed.keys.sorted() == files.map(\.path).sorted())
    for file in files {
      #expect(committed[file.path] == file.contents, "\(file.path) differs")
    }
  }

  @Test func outputIsDeterministicAndIndependentOfInputOrder() {
    let builder = SearchIndexBuilder(language: "fr")
    let documents = IndexFixtureDocuments.french
    #expect(builder.build(documents) == builder.build(documents.reversed()))
  }

  @Test func postingsAreDeltaEncodedTriples() throws {
    let files = SearchIndexBuilder(language: "fr").build(IndexFixtureDocuments.french)
    let shards = try files.filter { $0.path.hasPrefix("shards/") }.map {
      try JSONDecoder().decode([String: [Int]].self, from: $0.contents)
    }
    let dictionary = shards.reduce(into: [String: [Int]]()) { $0.merge($1) { a, _ in a } }
    // Documents are numbered by URL: cooperative-energie 0, incroyables-comestibles 1,
    // monnaie-locale 2, repair-cafe 3, reseau-amap 4. "jardin" is in bodies of 0 and 3
    // (bit 32) and in the labels of 1 (bit 2).
    #expect(dictionary["jardin"] == [0, 1, 32, 1, 1, 2, 2, 1, 32])
    // Accented words also index the stem of their unaccented spelling when it differs.
    #expect(dictionary["activ"]?.count == 6)
    #expect(dictionary["activit"]?.count == 6)
  }

  @Test func shardsSplitByLongerPrefixesWhenLarge() {
    var builder = SearchIndexBuilder(language: "fr")
    builder.targetShardBytes = 200
    let files = builder.build(IndexFixtureDocuments.french)
    let shardNames = files.map(\.path).filter { $0.hasPrefix("shards/") }
    #expect(shardNames.count > 5)
    #expect(shardNames.contains { $0.split(separator: ".")[0].count > "shards/a".count })
  }

  @Test func facetColumnsEncodeRuns() {
    #expect(FacetColumns.runLengthEncoded(["0", "0", "0", "1", "", ""]) == "0*3,1,*2")
  }

  private static func filesUnder(_ folder: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let prefix = folder.standardizedFileURL.path + "/"
    let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)
    while let url = enumerator?.nextObject() as? URL {
      var isDirectory: ObjCBool = false
      FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
      if !isDirectory.boolValue {
        result[String(url.standardizedFileURL.path.dropFirst(prefix.count))] = try Data(
          contentsOf: url)
      }
    }
    return result
  }
}
