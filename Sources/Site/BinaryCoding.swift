import Foundation

/// Little-endian integers and length-prefixed byte strings, for the files a build keeps in
/// `.proximus/` (``BuildRecord``, ``MarkdownCache``, ``FrontMatterCache``): they hold up to
/// millions of values, which JSON took seconds to write and read.
struct BinaryWriter {
  /// What was written. An array rather than `Data`: `Data.append` costs several times more per
  /// call, and a build record is a million small values.
  private(set) var bytes: [UInt8] = []

  var data: Data { Data(bytes) }

  /// Writes the bytes to `url` as `Data.write(to:options: .atomic)` does (a temporary file
  /// renamed over it), without first copying them into a `Data`: a 100,000-case build record is
  /// 135 MB, written after the site, on one core.
  func write(to url: URL) throws {
    try bytes.withUnsafeBytes { raw in
      guard let base = raw.baseAddress else { return try Data().write(to: url, options: .atomic) }
      let view = Data(
        bytesNoCopy: UnsafeMutableRawPointer(mutating: base), count: raw.count, deallocator: .none)
      try view.write(to: url, options: .atomic)
    }
  }

  /// Bytes as they are, without a length.
  mutating func append(raw: some Collection<UInt8>) {
    bytes.append(contentsOf: raw)
  }

  mutating func removeAll() {
    bytes.removeAll(keepingCapacity: true)
  }

  mutating func append(_ integer: Int64) {
    withUnsafeBytes(of: integer.littleEndian) { bytes.append(contentsOf: $0) }
  }

  /// A length-prefixed run of bytes.
  mutating func append(_ run: some Collection<UInt8>) {
    append(Int64(run.count))
    bytes.append(contentsOf: run)
  }

  mutating func append(_ text: String) {
    var text = text
    text.withUTF8 { utf8 in
      append(Int64(utf8.count))
      bytes.append(contentsOf: utf8)
    }
  }

  mutating func append(_ flag: Bool) {
    append(Int64(flag ? 1 : 0))
  }

  mutating func append(texts: [String]) {
    append(Int64(texts.count))
    for text in texts { append(text) }
  }

  mutating func append(_ digest: StableHasher.Digest) {
    append(Int64(bitPattern: digest.high))
    append(Int64(bitPattern: digest.low))
  }

  /// Path → digest, as ``BinaryReader/keys()`` reads them.
  mutating func append(keys: [String: StableHasher.Digest]) {
    append(Int64(keys.count))
    for (path, key) in keys {
      append(path)
      append(key)
    }
  }

  /// Integers packed little-endian in one length-prefixed run, as
  /// ``BinaryReader/packed(_:)`` reads them: a list of a hundred thousand numbers is one string
  /// of bytes.
  mutating func append<Integer: FixedWidthInteger>(packed integers: [Integer]) {
    append(Int64(integers.count * MemoryLayout<Integer>.size))
    #if _endian(little)
      integers.withUnsafeBytes { bytes.append(contentsOf: $0) }
    #else
      for integer in integers {
        withUnsafeBytes(of: integer.littleEndian) { bytes.append(contentsOf: $0) }
      }
    #endif
  }
}

/// Reads what a ``BinaryWriter`` wrote, in place; every read checks the bounds and gives nil
/// past them.
struct BinaryReader {
  let raw: UnsafeRawBufferPointer
  var offset: Int

  var isAtEnd: Bool { offset == raw.count }

  mutating func integer() -> Int64? {
    guard offset + 8 <= raw.count else { return nil }
    defer { offset += 8 }
    return Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
  }

  mutating func bytes() -> UnsafeRawBufferPointer? {
    guard let count = integer(), count >= 0, count <= raw.count - offset else { return nil }
    defer { offset += Int(count) }
    return UnsafeRawBufferPointer(rebasing: raw[offset..<offset + Int(count)])
  }

  /// Valid UTF-8 only.
  mutating func text() -> String? {
    bytes().flatMap { String(validUTF8: $0.bindMemory(to: UInt8.self)) }
  }

  /// A count of items that take at least a byte each: nil when the bytes left cannot hold it.
  mutating func count() -> Int? {
    guard let count = integer(), count >= 0, count <= raw.count - offset else { return nil }
    return Int(count)
  }

  /// What ``BinaryWriter/append(texts:)`` wrote.
  mutating func texts() -> [String]? {
    guard let count = count() else { return nil }
    var texts: [String] = []
    texts.reserveCapacity(count)
    for _ in 0..<count {
      guard let text = text() else { return nil }
      texts.append(text)
    }
    return texts
  }

  mutating func digest() -> StableHasher.Digest? {
    guard let high = integer(), let low = integer() else { return nil }
    return StableHasher.Digest(high: UInt64(bitPattern: high), low: UInt64(bitPattern: low))
  }

  /// What ``BinaryWriter/append(keys:)`` wrote.
  mutating func keys() -> [String: StableHasher.Digest]? {
    guard let count = count() else { return nil }
    var keys: [String: StableHasher.Digest] = [:]
    keys.reserveCapacity(count)
    for _ in 0..<count {
      guard let path = text(), let key = digest() else { return nil }
      keys[path] = key
    }
    return keys
  }

  /// What ``BinaryWriter/append(packed:)`` wrote; nil when the run is not whole integers.
  mutating func packed<Integer: FixedWidthInteger>(_ type: Integer.Type) -> [Integer]? {
    let size = MemoryLayout<Integer>.size
    guard let run = bytes(), run.count % size == 0 else { return nil }
    return (0..<run.count / size).map {
      Integer(littleEndian: run.loadUnaligned(fromByteOffset: $0 * size, as: Integer.self))
    }
  }
}

extension String {
  /// The text of `bytes` when they are valid UTF-8, else nil. `String(validating:as:)` is generic
  /// and not specialised for UTF-8: it looked up two types' metadata on every call, 650
  /// instructions, and a build reads hundreds of thousands of short texts from its caches.
  /// Decoding replaces invalid bytes, so the bytes are valid when the text holds them as they
  /// are.
  init?(validUTF8 bytes: UnsafeBufferPointer<UInt8>) {
    var text = String(decoding: bytes, as: UTF8.self)
    let unchanged = text.withUTF8 { decoded in
      decoded.count == bytes.count
        && (bytes.isEmpty || memcmp(decoded.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
    }
    guard unchanged else { return nil }
    self = text
  }
}

extension [UInt8] {
  /// Where `pattern` (not empty) first occurs at or after `start`: a search over bytes, for
  /// HTML and scripts, where Foundation's `range(of:)` went through UTF-16.
  func firstOffset(of pattern: [UInt8], from start: Int = 0) -> Int? {
    guard let first = pattern.first else { return nil }
    var index = start
    while index + pattern.count <= count {
      if self[index] == first, self[index..<index + pattern.count].elementsEqual(pattern) {
        return index
      }
      index += 1
    }
    return nil
  }
}
