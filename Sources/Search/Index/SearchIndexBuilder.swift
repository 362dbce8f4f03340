import Foundation
import Parallelism

/// Builds the search index of one language as static JSON files; see docs/search-index.md.
///
/// Documents are numbered in URL order, so the same documents give byte-identical files
/// whatever order they come in.
public struct SearchIndexBuilder: Sendable {
  public let language: String
  /// A shard whose JSON would exceed this many bytes is split by a longer term prefix.
  var targetShardBytes = 48_000
  /// Documents per display-data file.
  var displayChunkSize = 100
  /// Body words kept in display data for excerpts.
  var excerptWordCount = 60

  static let formatVersion = 1
  static let maximumPrefixLength = 3

  public init(language: String) {
    self.language = language
  }

  public func build(_ documents: [SearchDocument]) -> [IndexFile] {
    let documents = documents.sorted { $0.url < $1.url }
    let analyzer = Analyzer(language: language)
    let partials = analyse(documents, analyzer)
    let postings = merge(partials)
    let fieldLengths = partials.flatMap(\.fieldLengths)

    var files: [IndexFile] = []
    let shards = ShardPlanner(
      targetBytes: targetShardBytes, maximumPrefixLength: Self.maximumPrefixLength
    )
    .plan(postings)
    let shardFiles = shards.parallelMap { shard in
      Self.shardFile(shard, postings: postings)
    }
    files += shardFiles.map(\.file)
    let chunkStarts = Array(stride(from: 0, to: documents.count, by: displayChunkSize))
    let chunkFiles = chunkStarts.parallelMap { start in
      displayChunkFile(documents[start..<min(start + displayChunkSize, documents.count)], start)
    }
    files += chunkFiles
    let manifest = manifestFile(
      documents, fieldLengths: fieldLengths,
      shards: shardFiles.map { ($0.key, $0.file.path) }, chunks: chunkFiles.map(\.path))
    return [manifest] + files
  }

  /// Document lengths as classes `round(8 · log2(1 + length))`, two base-36 digits each.
  static func lengthClasses(_ lengths: [Int]) -> String {
    lengths.map { length in
      let lengthClass = Int((8 * log2(Double(1 + length))).rounded())
      return FacetColumns.base36(min(lengthClass, 36 * 36 - 1), width: 2)
    }.joined()
  }

  // MARK: Analysis

  private func analyse(_ documents: [SearchDocument], _ analyzer: Analyzer) -> [PartialIndex] {
    let runCount = max(
      1, min(documents.count / 64, ProcessInfo.processInfo.activeProcessorCount * 4))
    let runs = (0..<runCount).map { run in
      (documents.count * run / runCount)..<(documents.count * (run + 1) / runCount)
    }
    return runs.parallelMap { PartialIndex(documents, range: $0, analyzer: analyzer) }
  }

  /// Term → flat (document, frequency, field bits) triples over all documents, in order.
  private func merge(_ partials: [PartialIndex]) -> [String: [Int32]] {
    var postings: [String: [Int32]] = [:]
    for partial in partials {
      for (number, term) in partial.terms.enumerated() {
        postings[term, default: []].append(contentsOf: partial.postings[number])
      }
    }
    return postings
  }

  // MARK: Files

  private static func shardFile(_ shard: ShardPlanner.Shard, postings: [String: [Int32]]) -> (
    key: String, file: IndexFile
  ) {
    var writer = JSONWriter(capacity: shard.estimatedBytes + 64)
    writer.object(shard.terms) { writer, term in
      writer.integers(deltaEncoded(postings[term]!))
    }
    let name = shard.key.isEmpty ? "_" : shard.key
    let path = "shards/\(name).\(contentHash(writer.bytes)).json"
    return (shard.key, IndexFile(path: path, contents: writer.data))
  }

  /// Document numbers of the triples written as differences from the previous one.
  static func deltaEncoded(_ triples: [Int32]) -> [Int32] {
    var encoded = triples
    var previous: Int32 = 0
    for index in stride(from: 0, to: encoded.count, by: 3) {
      let document = encoded[index]
      encoded[index] = document - previous
      previous = document
    }
    return encoded
  }

  private func displayChunkFile(_ documents: ArraySlice<SearchDocument>, _ start: Int)
    -> IndexFile
  {
    var writer = JSONWriter(capacity: documents.count * 600)
    writer.raw("[")
    for (offset, document) in documents.enumerated() {
      if offset > 0 { writer.raw(",") }
      let excerpt = Self.leadingWords(of: document.body, count: excerptWordCount)
      let keys = ["date", "excerpt", "summary", "title", "url"].filter {
        $0 != "date" || document.date != nil
      }
      writer.object(keys) { writer, key in
        switch key {
        case "date": writer.string(document.date ?? "")
        case "excerpt": writer.string(excerpt)
        case "summary": writer.string(document.summary)
        case "title": writer.string(document.title)
        default: writer.string(document.url)
        }
      }
    }
    writer.raw("]")
    let path = "chunks/\(start / displayChunkSize).\(contentHash(writer.bytes)).json"
    return IndexFile(path: path, contents: writer.data)
  }

  /// The first `count` whitespace-separated words, joined by single spaces.
  static func leadingWords(of text: String, count: Int) -> String {
    var words = String.UnicodeScalarView()
    var wordCount = 0
    var inWord = false
    for scalar in text.unicodeScalars {
      if scalar.properties.isWhitespace {
        inWord = false
      } else {
        if !inWord {
          if wordCount == count { break }
          if wordCount > 0 { words.append(" ") }
          wordCount += 1
          inWord = true
        }
        words.append(scalar)
      }
    }
    return String(words)
  }

  private func manifestFile(
    _ documents: [SearchDocument], fieldLengths: [[Int32]], shards: [(String, String)],
    chunks: [String]
  ) -> IndexFile {
    let fields = IndexedField.allCases
    let documentLengths = fieldLengths.map { Int($0.reduce(0, +)) }
    let count = max(1, documents.count)
    let averageFieldLengths = fields.map { field in
      (fieldLengths.reduce(0) { $0 + Int($1[field.rawValue]) } + count / 2) / count
    }
    let shardPaths = Dictionary(uniqueKeysWithValues: shards)
    let facets = FacetColumns(documents)

    var writer = JSONWriter(capacity: 4096 + documents.count * 16)
    let keys = [
      "averageFieldLengths", "averageLength", "boosts", "chunkSize", "chunks", "documentCount",
      "facets", "fields", "format", "language", "lengths", "shards",
    ]
    writer.object(keys) { writer, key in
      switch key {
      case "averageFieldLengths": writer.integers(averageFieldLengths)
      case "averageLength": writer.integer((documentLengths.reduce(0, +) + count / 2) / count)
      case "boosts": writer.integers(fields.map(\.boost))
      case "chunkSize": writer.integer(displayChunkSize)
      case "chunks": writer.strings(chunks)
      case "documentCount": writer.integer(documents.count)
      case "facets": facets.write(to: &writer)
      case "fields": writer.strings(fields.map(\.name))
      case "format": writer.integer(Self.formatVersion)
      case "language": writer.string(language)
      case "lengths": writer.string(Self.lengthClasses(documentLengths))
      default:
        writer.object(shardPaths.keys.sorted()) { writer, shardKey in
          writer.string(shardPaths[shardKey]!)
        }
      }
    }
    return IndexFile(path: "manifest.json", contents: writer.data)
  }
}
