import Foundation
import Parallelism

/// Builds the search index of one language as static JSON files; see docs/search-index.md.
/// Documents are numbered as ``IndexedDocuments`` sorts them. ``update(_:previous:reading:)``
/// makes the same files from a previous index when few documents changed.
public struct SearchIndexBuilder: Sendable {
  public let language: String
  /// A shard whose JSON would exceed about this many bytes is split by a longer term prefix.
  var targetShardBytes = 32_000
  /// Documents per display-data file.
  var displayChunkSize = 4
  /// Display chunks that share one hash in their names.
  var chunkHashGroup = 16
  /// Body words kept in display data for excerpts.
  var excerptWordCount = 24

  static let formatVersion = 2
  static let maximumPrefixLength = 5

  public init(language: String) {
    self.language = language
  }

  public func build(_ documents: [SearchDocument]) -> [IndexFile] {
    build(IndexedDocuments(documents)).files
  }

  /// The files, and what the next build needs to update them.
  public func build(_ indexed: IndexedDocuments) -> BuiltIndex {
    let analyzer = Analyzer(language: language)
    let partials = analyse(indexed.documents, analyzer)
    let postings = merge(partials)
    let lengths = Self.documentLengths(partials)
    let scoring = Scoring(documentLengths: lengths.map(Int.init))
    let shards = plan(terms: postings.terms, postingCounts: postings.counts)
    let shardFiles = shards.parallelMap { shard in
      Self.shardFile(shard, terms: postings.terms) { term, bytes in
        Self.encodePostings(postings.triples(of: term), scoring: scoring, to: &bytes)
      }
    }
    return BuiltIndex(
      files: files(indexed.documents, shards: shardFiles, averageLength: scoring.averageLength),
      record: SearchIndexRecord(
        order: indexed.order, fingerprints: indexed.fingerprints, lengths: lengths))
  }

  func plan(terms: [String], postingCounts: [Int]) -> [ShardPlanner.Shard] {
    ShardPlanner(targetBytes: targetShardBytes, maximumPrefixLength: Self.maximumPrefixLength)
      .plan(terms: terms, postingCounts: postingCounts)
  }

  /// The manifest, display chunks and facets beside the shards; `facets`, when given, is the
  /// facets file of documents numbered the same way.
  func files(
    _ documents: [SearchDocument], shards: [(key: String, hash: String, file: IndexFile)],
    averageLength: Int, facets: IndexFile? = nil
  ) -> [IndexFile] {
    var files = shards.map(\.file)
    let chunkStarts = Array(stride(from: 0, to: documents.count, by: displayChunkSize))
    let chunkBytes = chunkStarts.parallelMap { start in
      displayChunk(documents[start..<min(start + displayChunkSize, documents.count)])
    }
    // One hash per group of chunks keeps the manifest small; a changed document renames the
    // chunks of its group only.
    let groupHashes = stride(from: 0, to: chunkBytes.count, by: chunkHashGroup).map { first in
      Base64Digits.shortHash(
        Array(chunkBytes[first..<min(first + chunkHashGroup, chunkBytes.count)].joined()))
    }
    for (number, bytes) in chunkBytes.enumerated() {
      files.append(
        IndexFile(
          path: "chunks/\(number).\(groupHashes[number / chunkHashGroup]).json",
          contents: Data(bytes)))
    }
    let facets = facets ?? Self.facetsFile(documents)
    files.append(facets)
    let manifest = manifestFile(
      documentCount: documents.count, averageLength: averageLength,
      shards: shards.map { ($0.key, $0.hash) }, chunkHashes: groupHashes, facets: facets.path)
    return [manifest] + files
  }

  private static func facetsFile(_ documents: [SearchDocument]) -> IndexFile {
    var writer = JSONWriter(capacity: documents.count * 8)
    FacetColumns(documents).write(to: &writer)
    return IndexFile(
      path: "facets.\(Base64Digits.shortHash(writer.bytes)).json", contents: writer.data)
  }

  /// BM25 with field boosts, computed at build time: each posting stores its `impact`, the
  /// document's score for the term before the term's idf, as one digit on a log scale.
  struct Scoring: Sendable {
    static let k1 = 1.2
    static let b = 0.75
    let documentLengths: [Int]
    let averageLength: Int
    /// Impacts of the common postings, computed once per document rather than per posting:
    /// for each document, frequency 1…`tabulatedFrequencies` and index in `boosts`.
    private let commonImpacts: [UInt8]
    /// `boosts.count` and `boostIndices`, read for every posting: a static is checked for its
    /// first use at each read.
    private let boostCount = Self.boosts.count
    private let boostIndexOfBits = Self.boostIndices

    static let tabulatedFrequencies = 4
    /// The boosts a posting can have: 1 and every field's.
    private static let boosts = Array(Set(IndexedField.allCases.map(\.boost) + [1])).sorted()
    /// Field bits → the index in `boosts` of the highest boost of those fields.
    private static let boostIndices: [Int] = (0..<1 << IndexedField.allCases.count).map {
      boosts.firstIndex(of: boost(fieldBits: Int32($0)))!
    }

    init(documentLengths: [Int]) {
      self.documentLengths = documentLengths
      averageLength = Self.averageLength(of: documentLengths)
      var commonImpacts: [UInt8] = []
      commonImpacts.reserveCapacity(
        documentLengths.count * Self.tabulatedFrequencies * Self.boosts.count)
      for document in documentLengths.indices {
        for frequency in 1...Self.tabulatedFrequencies {
          for boost in Self.boosts {
            commonImpacts.append(
              UInt8(
                Self.impact(
                  length: documentLengths[document], averageLength: averageLength,
                  frequency: Int32(frequency), boost: boost)))
          }
        }
      }
      self.commonImpacts = commonImpacts
    }

    /// The mean length, rounded: every impact depends on it.
    static func averageLength(of documentLengths: [Int]) -> Int {
      let count = max(1, documentLengths.count)
      return max(1, (documentLengths.reduce(0, +) + count / 2) / count)
    }

    /// `round(8 · log2(1 + 4 · boost · saturation))`, 1…63; the reader's score is
    /// `(2^(impact/8) − 1) / 4`.
    func impact(document: Int, frequency: Int32, fieldBits: Int32) -> Int {
      if frequency <= Self.tabulatedFrequencies {
        let row = document * Self.tabulatedFrequencies + Int(frequency) - 1
        return Int(commonImpacts[row * boostCount + boostIndexOfBits[Int(fieldBits)]])
      }
      return Self.impact(
        length: documentLengths[document], averageLength: averageLength, frequency: frequency,
        boost: Self.boost(fieldBits: fieldBits))
    }

    private static func boost(fieldBits: Int32) -> Int {
      var boost = 1
      for field in IndexedField.allCases where fieldBits & field.bit != 0 {
        boost = max(boost, field.boost)
      }
      return boost
    }

    private static func impact(length: Int, averageLength: Int, frequency: Int32, boost: Int)
      -> Int
    {
      let ratio = Double(length) / Double(averageLength)
      let tf = Double(frequency)
      let saturation = tf * (Self.k1 + 1) / (tf + Self.k1 * (1 - Self.b + Self.b * ratio))
      let score = Double(boost) * saturation
      return min(63, max(1, Int((8 * log2(1 + 4 * score)).rounded())))
    }
  }

  // MARK: Analysis

  func analyse(_ documents: [SearchDocument], _ analyzer: Analyzer) -> [PartialIndex] {
    let runCount = max(
      1, min(documents.count / 64, ProcessInfo.processInfo.activeProcessorCount))
    let runs = (0..<runCount).map { run in
      (documents.count * run / runCount)..<(documents.count * (run + 1) / runCount)
    }
    let stems = StemCache()
    return runs.parallelMap {
      PartialIndex(documents, range: $0, analyzer: analyzer, stems: stems)
    }
  }

  /// Every term's postings over all documents.
  struct Postings: Sendable {
    /// Term number → term.
    var terms: [String] = []
    /// Term number → start of its triples in `triples`; one more at the end.
    var starts: [Int] = []
    /// Flat (document, frequency, field bits) triples, by term then document.
    var triples: [Int32] = []

    var counts: [Int] { terms.indices.map { (starts[$0 + 1] - starts[$0]) / 3 } }

    func triples(of term: Int) -> ArraySlice<Int32> {
      triples[starts[term]..<starts[term + 1]]
    }
  }

  /// Each analysed document's length: its words in all fields, in document order.
  static func documentLengths(_ partials: [PartialIndex]) -> [Int32] {
    partials.flatMap(\.fieldLengths).map { $0.reduce(0, +) }
  }

  /// The runs' postings, numbered by term (counting sort, so documents stay in order).
  func merge(_ partials: [PartialIndex]) -> Postings {
    var result = Postings()
    // The first run's numbers are kept, so its dictionary serves as the merged one; the last
    // run's new terms need not be added to it.
    var termNumbers = partials.first?.termNumbers ?? [:]
    result.terms = partials.first?.terms ?? []
    var globalTerms = [partials.first.map { Array(Int32(0)..<Int32($0.terms.count)) } ?? []]
    for (run, partial) in partials.enumerated().dropFirst() {
      globalTerms.append(
        partial.terms.map { term in
          if let known = termNumbers[term] { return known }
          let new = Int32(result.terms.count)
          if run < partials.count - 1 { termNumbers[term] = new }
          result.terms.append(term)
          return new
        })
    }
    // Counted, then scattered, over buffers: writing through `result.triples` checked the
    // array's uniqueness at each of millions of writes.
    var ends = [Int](repeating: 0, count: result.terms.count + 1)
    ends.withUnsafeMutableBufferPointer { ends in
      for (run, partial) in partials.enumerated() {
        globalTerms[run].withUnsafeBufferPointer { global in
          partial.postings.withUnsafeBufferPointer { postings in
            for index in stride(from: 0, to: postings.count, by: 4) {
              ends[Int(global[Int(postings[index])]) + 1] += 3
            }
          }
        }
      }
    }
    for term in result.terms.indices { ends[term + 1] += ends[term] }
    result.starts = ends
    var triples = [Int32](repeating: 0, count: ends[result.terms.count])
    triples.withUnsafeMutableBufferPointer { triples in
      ends.withUnsafeMutableBufferPointer { ends in
        for (run, partial) in partials.enumerated() {
          globalTerms[run].withUnsafeBufferPointer { global in
            partial.postings.withUnsafeBufferPointer { postings in
              for index in stride(from: 0, to: postings.count, by: 4) {
                let term = Int(global[Int(postings[index])])
                let end = ends[term]
                triples[end] = postings[index + 1]
                triples[end + 1] = postings[index + 2]
                triples[end + 2] = postings[index + 3]
                ends[term] = end + 3
              }
            }
          }
        }
      }
    }
    result.triples = triples
    return result
  }

  // MARK: Files

  /// A shard: its terms, each with the postings string `writePostings` appends.
  static func shardFile(
    _ shard: ShardPlanner.Shard, terms: [String],
    writePostings: (_ term: Int, _ bytes: inout [UInt8]) -> Void
  ) -> (key: String, hash: String, file: IndexFile) {
    var writer = JSONWriter(capacity: shard.estimatedBytes + 64)
    writer.raw("{")
    for (index, term) in shard.terms.enumerated() {
      if index > 0 { writer.raw(",") }
      writer.string(terms[Int(term)])
      writer.raw(":")
      writer.unescapedString { writePostings(Int(term), &$0) }
    }
    writer.raw("}")
    let name = shard.key.isEmpty ? "_" : shard.key
    let hash = Base64Digits.shortHash(writer.bytes)
    return (shard.key, hash, IndexFile(path: "shards/\(name).\(hash).json", contents: writer.data))
  }

  /// (document, frequency, field bits) triples as a string of (document gap, impact) pairs:
  /// the gap a `Base64Digits` number (the first is the document number), the impact one digit.
  static func encodePostings(
    _ triples: ArraySlice<Int32>, scoring: Scoring, to bytes: inout [UInt8]
  ) {
    var previous = 0
    for index in stride(from: triples.startIndex, to: triples.endIndex, by: 3) {
      let document = Int(triples[index])
      Base64Digits.appendPosting(
        document: document,
        impact: scoring.impact(
          document: document, frequency: triples[index + 1], fieldBits: triples[index + 2]),
        previous: &previous, to: &bytes)
    }
  }

  /// Display data: one `[url, title, date, text]` array per document (`date` "" when unknown;
  /// `text` the leading words of the body, or the summary when there is no body).
  private func displayChunk(_ documents: ArraySlice<SearchDocument>) -> [UInt8] {
    var writer = JSONWriter(capacity: documents.count * 400)
    writer.raw("[")
    for (offset, document) in documents.enumerated() {
      if offset > 0 { writer.raw(",") }
      let excerpt = Self.leadingWords(of: document.body, count: excerptWordCount)
      writer.strings([
        document.url, document.title, document.date ?? "",
        excerpt.isEmpty ? document.summary : excerpt,
      ])
    }
    writer.raw("]")
    return writer.bytes
  }

  /// The first `count` whitespace-separated words, joined by single spaces; words are copied
  /// as UTF-8 bytes.
  static func leadingWords(of text: String, count: Int) -> String {
    var text = text
    return text.withUTF8 { bytes in
      var words: [UInt8] = []
      var wordCount = 0
      var inWord = false
      var index = 0
      while index < bytes.count {
        let start = index
        let value = UTF8Decoding.scalar(in: bytes, at: &index)
        let isWhitespace =
          value < 0x80
          ? value == 0x20 || value >= 0x09 && value <= 0x0D
          : Unicode.Scalar(value)!.properties.isWhitespace
        if isWhitespace {
          inWord = false
        } else {
          if !inWord {
            if wordCount == count { break }
            if wordCount > 0 { words.append(UInt8(ascii: " ")) }
            wordCount += 1
            inWord = true
          }
          words.append(contentsOf: bytes[start..<index])
        }
      }
      return String(decoding: words, as: UTF8.self)
    }
  }

  private func manifestFile(
    documentCount: Int, averageLength: Int, shards: [(key: String, hash: String)],
    chunkHashes: [String], facets: String
  ) -> IndexFile {
    let fields = IndexedField.allCases
    var writer = JSONWriter(capacity: 4096 + shards.count * 10 + chunkHashes.count * 4)
    let keys = [
      "averageLength", "boosts", "chunkHashGroup", "chunkSize", "chunks", "documentCount", "facets",
      "fields",
      "format", "language", "shards",
    ]
    writer.object(keys) { writer, key in
      switch key {
      case "averageLength": writer.integer(averageLength)
      case "boosts": writer.integers(fields.map(\.boost))
      case "chunkHashGroup": writer.integer(chunkHashGroup)
      case "chunkSize": writer.integer(displayChunkSize)
      case "chunks": writer.string(chunkHashes.joined())
      case "documentCount": writer.integer(documentCount)
      case "facets": writer.string(facets)
      case "fields": writer.strings(fields.map(\.name))
      case "format": writer.integer(Self.formatVersion)
      case "language": writer.string(language)
      default:
        writer.string(
          shards.sorted { $0.key < $1.key }.map { ($0.key.isEmpty ? "_" : $0.key) + $0.hash }
            .joined(separator: " "))
      }
    }
    return IndexFile(path: "manifest.json", contents: writer.data)
  }
}
