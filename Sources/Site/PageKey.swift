import Foundation
import Parallelism
import Synchronization
import Templates

/// What a page's output depends on, as a key a later build can compare: the render inputs
/// (templates, translations, asset names, Markdown options, base URL, this executable), the
/// template, the language and the context. `build` renders a page again only when its key
/// differs from the previous build's; otherwise it links the previous output over.
struct PageKey: Sendable {
  /// The key of everything besides the page's own job, made once per build.
  let inputs: StableHasher.Digest
  /// Language → the values shown on many of that language's pages, with their digests.
  private let known: [String: StableHasher.KnownValues]

  /// `known`: language → the values many pages of that language show
  /// (``ModelValues/sharedValues()``), digested here once. The case cards are most of what list,
  /// place and related-case contexts hold (two thirds of the values that keys walked); the
  /// references to places and factors much of a case page's.
  ///
  /// `lazily`: each known value is digested when a page first shows it, not all at once, for a
  /// build that keys only the few pages some edits reach.
  init(_ inputs: RenderInputs, known: [String: [Value]] = [:], lazily: Bool = false) {
    self.known = known.mapValues { StableHasher.KnownValues($0, lazily: lazily) }
    var hasher = StableHasher()
    hasher.combine(Self.executableIdentity)
    hasher.combine(UInt64(inputs.templates.count))
    for template in inputs.templates {
      hasher.combine(template.name)
      hasher.combine(template.path)
      hasher.combine(template.text)
    }
    hasher.combine(
      value: .object(inputs.translations.mapValues { .object($0.mapValues(Value.string)) }))
    hasher.combine(value: .object(inputs.assetNames.mapValues(Value.string)))
    hasher.combine(inputs.markdown.unsafeHTML ? 1 : 0)
    hasher.combine(inputs.markdown.basePath)
    hasher.combine(inputs.basePath)
    hasher.combine(inputs.baseURL)
    self.inputs = hasher.finalize()
  }

  /// The digest of `value` on the pages of `language`, if it is one of the values given at
  /// ``init(_:known:)``.
  func knownDigest(of value: Value, language: String) -> StableHasher.Digest? {
    known[language]?.digest(of: value)
  }

  /// The page's key; with `shown`, also collects the URLs of the documents its context shows
  /// (``StableHasher/digest(of:known:shown:)``).
  func key(of job: PageJob, shown: inout [String]?) -> StableHasher.Digest {
    var hasher = StableHasher()
    hasher.combine(inputs.high)
    hasher.combine(inputs.low)
    hasher.combine(job.template)
    hasher.combine(job.language)
    let digest = StableHasher.digest(
      of: .object(job.context), known: known[job.language], shown: &shown)
    hasher.combine(digest.high)
    hasher.combine(digest.low)
    return hasher.finalize()
  }

  /// Size and modification time of the running executable: a new build of Proximus may render
  /// the same context differently, so its pages are never taken from an older one's.
  static let executableIdentity: String = {
    guard
      let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
      let attributes = try? FileManager.default.attributesOfItem(atPath: path),
      let size = attributes[.size] as? Int,
      let modified = attributes[.modificationDate] as? Date
    else { return UUID().uuidString }
    return "\(path):\(size):\(modified.timeIntervalSince1970)"
  }()
}

/// A 128-bit hash that is the same in every process (Swift's `Hasher` is seeded anew in each),
/// for keys that a later build reads back. Two independent 64-bit lanes; not for security.
struct StableHasher {
  /// 128 bits.
  struct Digest: Hashable, Sendable {
    var high: UInt64
    var low: UInt64
  }

  private var first: UInt64 = 0x9E37_79B1_85EB_CA87
  private var second: UInt64 = 0xC2B2_AE3D_27D4_EB4F

  mutating func combine(_ word: UInt64) {
    first = Self.rotate((first ^ word) &* 0x8757_3A1D_4A35_A1C5, 29) &+ 0x1656_67B1_9E37_79F9
    second = Self.rotate((second &+ word) &* 0xFF51_AFD7_ED55_8CCD, 31) ^ 0x85EB_CA77_C2B2_AE63
  }

  /// A text, by the 64-bit hash the build record uses for file contents (its length included).
  mutating func combine(_ text: String) {
    combine(Self.hash(text))
  }

  /// A value and everything in it, by ``digest(of:)``.
  mutating func combine(value: Value) {
    let digest = Self.digest(of: value)
    combine(digest.high)
    combine(digest.low)
  }

  /// Values whose digests are known, found by their storage (``Value/storageIdentity``): a
  /// value that shares a known value's storage is that value, so its digest is taken without
  /// walking it, in one integer lookup. The values are held, which keeps their storage, and so
  /// their identities, taken.
  struct KnownValues: Sendable {
    typealias Entry = (digest: Digest, shown: String?)

    private let values: [Value]
    private let storage: Storage

    private enum Storage {
      /// Storage identity → digest, and the document the value shows.
      case made([UInt: Entry])
      /// Storage identity → position in `values`, and the entries made so far, by position.
      case lazy(positions: [UInt: Int], made: MadeEntries)
    }

    private final class MadeEntries: Sendable {
      let entries = Mutex<[Int: Entry]>([:])
    }

    /// With `lazily`, a value's entry is made at its first use (behind a lock), else all are
    /// made at once, on every core.
    init(_ values: [Value], lazily: Bool = false) {
      self.values = values
      if lazily {
        var positions: [UInt: Int] = [:]
        for (position, value) in values.enumerated() {
          if let identity = value.storageIdentity, positions[identity] == nil {
            positions[identity] = position
          }
        }
        storage = .lazy(positions: positions, made: MadeEntries())
        return
      }
      let entries = values.parallelMap { value -> (UInt, Entry)? in
        value.storageIdentity.map { ($0, Self.entry(value)) }
      }
      storage = .made(
        Dictionary(entries.compactMap { $0 }, uniquingKeysWith: { first, _ in first }))
    }

    private static func entry(_ value: Value) -> Entry {
      var document: String?
      if case .object(let fields) = value { document = PageDependencies.shownDocument(fields) }
      return (StableHasher.digest(of: value), document)
    }

    func digest(of value: Value) -> Digest? {
      entry(of: value)?.digest
    }

    fileprivate func entry(of value: Value) -> Entry? {
      guard let identity = value.storageIdentity else { return nil }
      switch storage {
      case .made(let entries):
        return entries[identity]
      case .lazy(let positions, let made):
        guard let position = positions[identity] else { return nil }
        if let entry = made.entries.withLock({ $0[position] }) { return entry }
        // Made outside the lock: two threads may both make it, alike.
        let entry = Self.entry(values[position])
        made.entries.withLock { $0[position] = entry }
        return entry
      }
    }
  }

  /// The digest of a value. Object members are summed (each one's key and value mixed), so
  /// equal objects digest equally whatever their dictionaries' order. A page's context is
  /// hundreds of values, so this avoids a hasher per member and copies of texts. A value among
  /// `known` takes the digest found there.
  static func digest(of value: Value, known: KnownValues? = nil) -> Digest {
    var shown: [String]? = nil
    return digest(of: value, known: known, shown: &shown)
  }

  /// ``digest(of:known:)``, appending to `shown` (unless nil) the URL of every document the
  /// value shows (``PageDependencies/shownDocument(_:)``).
  static func digest(of value: Value, known: KnownValues?, shown: inout [String]?)
    -> Digest
  {
    switch value {
    case .null: return leaf(0, 0)
    case .bool(let flag): return leaf(1, flag ? 1 : 0)
    case .int(let number): return leaf(2, UInt64(bitPattern: Int64(number)))
    case .double(let number): return leaf(3, number.bitPattern)
    case .string(let text): return leaf(4, hash(text))
    case .html(let text): return leaf(5, hash(text))
    case .date(let date): return leaf(6, date.timeIntervalSinceReferenceDate.bitPattern)
    case .array(let items):
      var hasher = StableHasher()
      hasher.combine(7)
      hasher.combine(UInt64(items.count))
      for item in items {
        let digest = digest(of: item, known: known, shown: &shown)
        hasher.combine(digest.high)
        hasher.combine(digest.low)
      }
      return hasher.finalize()
    case .object(let members):
      if let entry = known?.entry(of: value) {
        if let document = entry.shown { shown?.append(document) }
        return entry.digest
      }
      var sum = Digest(high: 0, low: 0)
      var kind: String?
      var url: String?
      for (key, member) in members {
        if shown != nil, case .string(let text) = member {
          if key == "kind" { kind = text } else if key == "url" { url = text }
        }
        let name = hash(key)
        let digest = digest(of: member, known: known, shown: &shown)
        sum.high &+= mix(name ^ digest.high)
        sum.low &+= mix(rotate(name, 32) &+ digest.low)
      }
      // The rule of ``PageDependencies/shownDocument(_:)``, from the members just read.
      if let kind, let url, PageDependencies.showsDocument(ofKind: kind) { shown?.append(url) }
      var hasher = StableHasher()
      hasher.combine(8)
      hasher.combine(UInt64(members.count))
      hasher.combine(sum.high)
      hasher.combine(sum.low)
      return hasher.finalize()
    }
  }

  private static func leaf(_ kind: UInt64, _ word: UInt64) -> Digest {
    Digest(high: mix(word ^ (kind &* 0x9E37_79B1_85EB_CA87)), low: mix(rotate(word, 29) &+ kind))
  }

  /// A hash of the text's UTF-8 bytes, read in place.
  private static func hash(_ text: String) -> UInt64 {
    if let hash = text.utf8.withContiguousStorageIfAvailable({ hash(bytes: $0) }) {
      return hash
    }
    var text = text
    return text.withUTF8 { hash(bytes: $0) }
  }

  /// Up to 16 bytes (member names, most short values: most of the texts a page key reads) are
  /// mixed from two overlapping words that cover them all, with their count; longer texts are
  /// XXH64.
  private static func hash(bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let count = bytes.count
    let raw = UnsafeRawBufferPointer(bytes)
    let first: UInt64
    let second: UInt64
    switch count {
    case 8...16:
      first = raw.loadUnaligned(as: UInt64.self)
      second = raw.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    case 4..<8:
      first = UInt64(raw.loadUnaligned(as: UInt32.self))
      second = UInt64(raw.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
    case 1..<4:
      first = UInt64(bytes[0]) << 16 | UInt64(bytes[count >> 1]) << 8 | UInt64(bytes[count - 1])
      second = 0
    case 0:
      first = 0
      second = 0
    default:
      return OutputFolder.hash(bytes: raw)
    }
    return mix(first ^ UInt64(count) &* 0x9E37_79B1_85EB_CA87)
      ^ rotate(mix(second &+ 0xC2B2_AE3D_27D4_EB4F), 23)
  }

  func finalize() -> Digest {
    Digest(
      high: Self.mix(first ^ Self.rotate(second, 17)),
      low: Self.mix(second ^ Self.rotate(first, 41)))
  }

  private static func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
    (value << bits) | (value >> (64 - bits))
  }

  /// The final avalanche of MurmurHash3 (fmix64).
  private static func mix(_ value: UInt64) -> UInt64 {
    var value = value
    value ^= value >> 33
    value &*= 0xFF51_AFD7_ED55_8CCD
    value ^= value >> 33
    value &*= 0xC4CE_B9FE_1A85_EC53
    value ^= value >> 33
    return value
  }
}
