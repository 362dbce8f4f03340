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

  /// (document, impact) pairs of a postings string.
  private static func pairs(_ text: String) -> [(document: Int, impact: Int)] {
    let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_".utf8)
    var result: [(document: Int, impact: Int)] = []
    var bytes = Array(text.utf8)[...]
    var document = 0
    var value = 0
    while let byte = bytes.popFirst() {
      let digit = alphabet.firstIndex(of: byte)!
      if digit >= 32 {
        value = value << 5 | (digit - 32)
        continue
      }
      document += value << 5 | digit
      value = 0
      result.append((document, alphabet.firstIndex(of: bytes.popFirst()!)!))
    }
    return result
  }

  @Test func postingsAreDocumentGapsAndImpacts() throws {
    let files = SearchIndexBuilder(language: "fr").build(IndexFixtureDocuments.french)
    let shards = try files.filter { $0.path.hasPrefix("shards/") }.map {
      try JSONDecoder().decode([String: String].self, from: $0.contents)
    }
    let dictionary = shards.reduce(into: [String: String]()) { $0.merge($1) { a, _ in a } }
    // Documents are numbered by facets (outcome, then topics), then URL: monnaie-locale 0
    // (failure), cooperative-energie 1 (mixed), incroyables-comestibles 2, reseau-amap 3,
    // repair-cafe 4. "jardin" is in the bodies of 1 and 4 and the labels (boost 5) of 2.
    let jardin = Self.pairs(dictionary["jardin"]!)
    #expect(jardin.map(\.document) == [1, 2, 4])
    #expect(jardin[1].impact > jardin[0].impact)
    #expect(jardin[1].impact > jardin[2].impact)
    // Accented words also index the stem of their unaccented spelling when it differs.
    #expect(Self.pairs(dictionary["activ"]!).count == 2)
    #expect(Self.pairs(dictionary["activit"]!).count == 2)
  }

  @Test func numbersInStringsRoundTrip() {
    var bytes: [UInt8] = []
    let numbers = [0, 1, 31, 32, 33, 1023, 1024, 99_999]
    for number in numbers { Base64Digits.appendNumber(number, to: &bytes) }
    #expect(Base64Digits.numbers(String(decoding: bytes, as: UTF8.self)) == numbers)
    #expect(FacetColumns.gapList([3, 4, 5, 40]) == "311x3")
  }

  /// Postings read back as written; a string that is not well formed for the document count is
  /// refused.
  @Test func postingsReadBackAndMalformedOnesAreRefused() {
    let written = [(0, 5), (1, 63), (40, 1), (1_100, 9)]
    var bytes: [UInt8] = []
    var previous = 0
    for (document, impact) in written {
      Base64Digits.appendPosting(
        document: document, impact: impact, previous: &previous, to: &bytes)
    }
    func read(_ text: [UInt8], documentCount: Int = 2_000) -> [[Int]]? {
      var pairs: [[Int]] = []
      let wellFormed = Base64Digits.forEachPosting(in: text[...], documentCount: documentCount) {
        pairs.append([$0, $1])
        return true
      }
      return wellFormed ? pairs : nil
    }
    #expect(read(bytes) == written.map { [$0.0, $0.1] })
    #expect(read(bytes, documentCount: 1_100) == nil)
    #expect(read(Array(bytes.dropLast())) == nil)
    // Impact 0, a second posting of the same document, half a pair, a byte outside the
    // digits, a gap cut short.
    for text in ["00", "5505", "5", "5!", "w"] {
      #expect(read(Array(text.utf8)) == nil, "\(text)")
    }
  }

  @Test func shardsSplitByLongerPrefixesWhenLarge() {
    var builder = SearchIndexBuilder(language: "fr")
    builder.targetShardBytes = 200
    let files = builder.build(IndexFixtureDocuments.french)
    let shardNames = files.map(\.path).filter { $0.hasPrefix("shards/") }
    #expect(shardNames.count > 5)
    #expect(shardNames.contains { $0.split(separator: ".")[0].count > "shards/a".count })
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

@Suite struct LeadingWordsTests {
  @Test func keepsTheFirstWordsJoinedBySingleSpaces() {
    let text = "  Les\u{A0}jardins\tpartagés\u{2003}de  Cergy\n— été 2017 "
    #expect(SearchIndexBuilder.leadingWords(of: text, count: 5) == "Les jardins partagés de Cergy")
    #expect(
      SearchIndexBuilder.leadingWords(of: text, count: 7) == "Les jardins partagés de Cergy — été")
    #expect(SearchIndexBuilder.leadingWords(of: text, count: 0) == "")
    #expect(SearchIndexBuilder.leadingWords(of: "\u{1F331} ok", count: 3) == "\u{1F331} ok")
  }
}

@Suite struct WordTableTests {
  @Test func findsEveryInsertedWordThroughGrowth() {
    var table = WordTable<Int>()
    let words = (0..<20_000).map { number in
      Array(String(number, radix: 7).unicodeScalars.map(\.value))
    }
    for (index, word) in words.enumerated() {
      word.withUnsafeBufferPointer { table.insert(index, for: $0) }
    }
    #expect(
      words.indices.allSatisfy { index in
        words[index].withUnsafeBufferPointer { table[$0] == index }
      })
    #expect([UInt32]([0x7A, 0x7A]).withUnsafeBufferPointer { table[$0] } == nil)
    words[5].withUnsafeBufferPointer { table.insert(-1, for: $0) }
    #expect(words[5].withUnsafeBufferPointer { table[$0] } == -1)
  }
}

@Suite struct JSONWriterTests {
  @Test func escapesOnlyWhatJSONNeeds() {
    var writer = JSONWriter()
    writer.strings(["plain", "a\"b\\c\nd\re\tf\u{1}g", "", "été/\u{1F331}", "end\""])
    writer.unescapedString { $0 += Array("0aZ-_".utf8) }
    #expect(
      String(decoding: writer.bytes, as: UTF8.self)
        == #"["plain","a\"b\\c\nd\re\tf\u0001g","","été/🌱","end\""]"0aZ-_""#)
  }

  /// As `JSONEncoder` writes them: shortest round-trip digits, no trailing `.0`.
  @Test func numbersAreWrittenInTheirShortestForm() {
    var writer = JSONWriter()
    for (index, number) in [-2.097, 53.7135, 5, -180, 0.1, 1e-7, 1e22, .nan, .infinity].enumerated()
    {
      if index > 0 { writer.raw(",") }
      writer.number(number)
    }
    #expect(
      String(decoding: writer.bytes, as: UTF8.self)
        == "-2.097,53.7135,5,-180,0.1,1e-07,1e+22,null,null")
  }
}
