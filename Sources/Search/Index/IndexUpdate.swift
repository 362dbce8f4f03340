import Foundation

/// What an index was made from, which its caller keeps between builds so that the next one can
/// update the index instead of making it again (``SearchIndexBuilder/update(_:previous:reading:)``).
public struct SearchIndexRecord: Sendable, Equatable {
  /// ``IndexedDocuments/order``.
  public var order: UInt64
  /// ``IndexedDocuments/fingerprints``.
  public var fingerprints: [UInt64]
  /// Per document number, its number of terms (all fields).
  public var lengths: [Int32]

  public init(order: UInt64, fingerprints: [UInt64], lengths: [Int32]) {
    self.order = order
    self.fingerprints = fingerprints
    self.lengths = lengths
  }
}

/// An index's files, with the record of what they were made from.
public struct BuiltIndex: Sendable {
  public var files: [IndexFile]
  public var record: SearchIndexRecord
}

extension SearchIndexBuilder {
  /// The files ``build(_:)`` makes of `indexed`, made from the previous index instead: only
  /// the documents whose fingerprints changed are analysed, and the postings of the others are
  /// copied from the previous shards, which `read` gives by their path in the index folder
  /// (`manifest.json`, `shards/ab.x1y2.json`).
  ///
  /// Nil when that would not give the same files: the documents are not numbered as before
  /// (one added, removed, or with other facets), the rounded average length moved (every impact
  /// depends on it), or a previous file is missing, malformed or unlike its name's hash. Also
  /// nil when over a quarter of the documents changed, as building is then about as fast.
  public func update(
    _ indexed: IndexedDocuments, previous: SearchIndexRecord, reading read: (String) -> Data?
  ) -> BuiltIndex? {
    let count = indexed.count
    guard previous.order == indexed.order, previous.fingerprints.count == count,
      previous.lengths.count == count
    else { return nil }
    let changed = (0..<count).filter { previous.fingerprints[$0] != indexed.fingerprints[$0] }
    guard changed.count * 4 <= count else { return nil }

    var isChanged = [Bool](repeating: false, count: count)
    for document in changed { isChanged[document] = true }
    // The changed documents, analysed as a build does; their numbers there are positions in
    // `changed`.
    let partials = analyse(changed.map { indexed.documents[$0] }, Analyzer(language: language))
    let analysis = merge(partials)
    var lengths = previous.lengths
    for (offset, length) in Self.documentLengths(partials).enumerated() {
      lengths[changed[offset]] = length
    }
    let documentLengths = lengths.map(Int.init)
    // The shards' impacts were made with the manifest's average: it must be this one's. Checked
    // before the scoring tables are made, which a full build would make again.
    guard
      let shards = PreviousShards(
        reading: read, language: language, documentCount: count,
        averageLength: Scoring.averageLength(of: documentLengths), changed: isChanged)
    else { return nil }
    let scoring = Scoring(documentLengths: documentLengths)

    // The changed documents' new postings, by term, in document order.
    var added: [String: [(document: Int, impact: Int)]] = [:]
    for term in analysis.terms.indices {
      let triples = analysis.triples(of: term)
      added[analysis.terms[term]] = stride(from: triples.startIndex, to: triples.endIndex, by: 3)
        .map { index in
          let document = changed[Int(triples[index])]
          return (
            document,
            scoring.impact(
              document: document, frequency: triples[index + 1], fieldBits: triples[index + 2])
          )
        }
    }

    var postings = EncodedPostings()
    let previousPostings = shards.postings
    for term in previousPostings.terms.indices {
      let name = previousPostings.terms[term]
      let encoded = previousPostings.encoded(of: term)
      let extra = added.removeValue(forKey: name)
      if extra == nil, !shards.touchesChanged[term] {
        postings.append(name, encoded: encoded, count: previousPostings.counts[term])
      } else {
        let kept = EncodedPostings.pairs(encoded, documentCount: count).filter {
          !isChanged[$0.document]
        }
        postings.append(
          name, pairs: (kept + (extra ?? [])).sorted { $0.document < $1.document })
      }
    }
    for (term, pairs) in added { postings.append(term, pairs: pairs) }

    let shardFiles = makeShards(postings)
    return BuiltIndex(
      files: files(
        indexed.documents, shards: shardFiles, averageLength: scoring.averageLength,
        facets: shards.facets),
      record: SearchIndexRecord(
        order: indexed.order, fingerprints: indexed.fingerprints, lengths: lengths))
  }

  private func makeShards(_ postings: EncodedPostings) -> [(
    key: String, hash: String, file: IndexFile
  )] {
    plan(terms: postings.terms, postingCounts: postings.counts).parallelMap { shard in
      Self.shardFile(shard, terms: postings.terms) { term, bytes in
        bytes.append(contentsOf: postings.encoded(of: term))
      }
    }
  }
}

/// Terms with their postings strings, as the shards hold them: (document gap, impact) pairs in
/// `Base64Digits`, the first gap being the document number.
private struct EncodedPostings: Sendable {
  var terms: [String] = []
  var counts: [Int] = []
  private var bytes: [UInt8] = []
  private var starts: [Int] = [0]

  func encoded(of term: Int) -> ArraySlice<UInt8> { bytes[starts[term]..<starts[term + 1]] }

  mutating func append(_ term: String, encoded: ArraySlice<UInt8>, count: Int) {
    guard count > 0 else { return }
    terms.append(term)
    counts.append(count)
    bytes.append(contentsOf: encoded)
    starts.append(bytes.count)
  }

  /// Sorted by document; a term left with none is dropped, as a build would not know it.
  mutating func append(_ term: String, pairs: [(document: Int, impact: Int)]) {
    var encoded: [UInt8] = []
    var previous = 0
    for (document, impact) in pairs {
      Base64Digits.appendPosting(
        document: document, impact: impact, previous: &previous, to: &encoded)
    }
    append(term, encoded: encoded[...], count: pairs.count)
  }

  /// The pairs of a postings string already checked (``PreviousShards``).
  static func pairs(_ encoded: ArraySlice<UInt8>, documentCount: Int) -> [(
    document: Int, impact: Int
  )] {
    var pairs: [(document: Int, impact: Int)] = []
    _ = Base64Digits.forEachPosting(in: encoded, documentCount: documentCount) {
      pairs.append(($0, $1))
      return true
    }
    return pairs
  }
}

/// The terms and postings strings of a previous index's shards, and its facets file, read and
/// checked: the manifest must describe this language, document count and average length, each
/// file's bytes must hash to its name, and every postings string must be well formed for that
/// document count.
private struct PreviousShards {
  /// The facets file: with the documents numbered as before, the same bytes.
  private(set) var facets: IndexFile
  private(set) var postings = EncodedPostings()
  /// Per term, whether one of its postings is of a document `changed` marks.
  private(set) var touchesChanged: [Bool] = []

  init?(
    reading read: (String) -> Data?, language: String, documentCount: Int, averageLength: Int,
    changed: [Bool]
  ) {
    guard let data = read("manifest.json"),
      let manifest = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
      manifest["format"] as? Int == SearchIndexBuilder.formatVersion,
      manifest["language"] as? String == language,
      manifest["documentCount"] as? Int == documentCount,
      manifest["averageLength"] as? Int == averageLength,
      let shardList = manifest["shards"] as? String, let facetsPath = manifest["facets"] as? String,
      let facets = read(facetsPath),
      facetsPath == "facets.\(Base64Digits.shortHash([UInt8](facets))).json"
    else { return nil }
    self.facets = IndexFile(path: facetsPath, contents: facets)
    for entry in shardList.split(separator: " ") {
      guard entry.count > 4 else { return nil }
      let name = entry.dropLast(4)
      let hash = String(entry.suffix(4))
      guard let file = read("shards/\(name).\(hash).json") else { return nil }
      let shard = [UInt8](file)
      guard Base64Digits.shortHash(shard) == hash, parse(shard, changed: changed)
      else { return nil }
    }
  }

  /// Appends the terms of one shard, `{"term":"postings",…}` as `JSONWriter` writes it, each
  /// postings string checked and counted in one pass.
  private mutating func parse(_ shard: [UInt8], changed: [Bool]) -> Bool {
    var reader = ShardReader(bytes: shard)
    guard reader.take(UInt8(ascii: "{")) else { return false }
    if reader.take(UInt8(ascii: "}")) { return reader.isAtEnd }
    repeat {
      guard let term = reader.string(), reader.take(UInt8(ascii: ":")),
        let encoded = reader.postingsString()
      else { return false }
      var count = 0
      var touches = false
      guard
        Base64Digits.forEachPosting(
          in: encoded, documentCount: changed.count,
          { document, _ in
            count += 1
            touches = touches || changed[document]
            return true
          }), count > 0
      else { return false }
      postings.append(term, encoded: encoded, count: count)
      touchesChanged.append(touches)
    } while reader.take(UInt8(ascii: ","))
    return reader.take(UInt8(ascii: "}")) && reader.isAtEnd
  }
}

/// Reads the JSON of one shard.
private struct ShardReader {
  let bytes: [UInt8]
  var index = 0

  var isAtEnd: Bool { index == bytes.count }

  mutating func take(_ byte: UInt8) -> Bool {
    guard index < bytes.count, bytes[index] == byte else { return false }
    index += 1
    return true
  }

  /// A JSON string with the escapes `JSONWriter` writes (and any `\u` of the basic plane).
  mutating func string() -> String? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    var text: [UInt8] = []
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      switch byte {
      case UInt8(ascii: "\""):
        return String(validating: text, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard index < bytes.count else { return nil }
        let escape = bytes[index]
        index += 1
        switch escape {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
        case UInt8(ascii: "n"): text.append(0x0A)
        case UInt8(ascii: "r"): text.append(0x0D)
        case UInt8(ascii: "t"): text.append(0x09)
        case UInt8(ascii: "u"):
          guard index + 4 <= bytes.count,
            let value = UInt32(
              String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16),
            let scalar = Unicode.Scalar(value)
          else { return nil }
          index += 4
          text.append(contentsOf: String(Character(scalar)).utf8)
        default: return nil
        }
      case ..<0x20:
        return nil
      default:
        text.append(byte)
      }
    }
    return nil
  }

  /// The bytes of a JSON string that needs no escaping, as postings strings are.
  mutating func postingsString() -> ArraySlice<UInt8>? {
    guard take(UInt8(ascii: "\"")) else { return nil }
    let start = index
    while index < bytes.count, bytes[index] != UInt8(ascii: "\"") { index += 1 }
    guard take(UInt8(ascii: "\"")) else { return nil }
    return bytes[start..<index - 1]
  }
}
