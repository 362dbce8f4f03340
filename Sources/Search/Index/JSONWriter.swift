import Foundation

/// A minimal JSON writer with a fixed output: keys in the order given (callers sort them), no
/// whitespace, `/` not escaped. Deterministic by construction and fast enough for
/// megabytes of postings (and for the site's open data, which `Site` writes with it).
public struct JSONWriter {
  private(set) var bytes: [UInt8] = []

  public init(capacity: Int = 1024) {
    bytes.reserveCapacity(capacity)
  }

  public var data: Data { Data(bytes) }

  /// Bytes written as they are: punctuation and keys that need no escaping.
  public mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  public mutating func integer(_ value: Int) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      integer(-value)
      return
    }
    if value >= 10 { integer(value / 10) }
    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
  }

  /// Writes a number as `JSONEncoder` does: the shortest form that reads back the same, without
  /// a trailing `.0`. JSON has no infinities or NaN: they are written as `null`.
  public mutating func number(_ value: Double) {
    guard value.isFinite else { return raw("null") }
    var text = value.description
    if text.hasSuffix(".0") { text.removeLast(2) }
    bytes.append(contentsOf: text.utf8)
  }

  /// Writes a string; runs of bytes that need no escaping are copied at once.
  public mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { utf8 in
      var runStart = 0
      for (index, byte) in utf8.enumerated()
      where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
        escape(byte)
        runStart = index + 1
      }
      bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }
    bytes.append(UInt8(ascii: "\""))
  }

  private mutating func escape(_ byte: UInt8) {
    switch byte {
    case UInt8(ascii: "\""): raw("\\\"")
    case UInt8(ascii: "\\"): raw("\\\\")
    case 0x0A: raw("\\n")
    case 0x0D: raw("\\r")
    case 0x09: raw("\\t")
    default:
      let hex: [UInt8] = Array("0123456789abcdef".utf8)
      raw("\\u00")
      bytes.append(hex[Int(byte >> 4)])
      bytes.append(hex[Int(byte & 0xF)])
    }
  }

  /// Writes a string whose bytes, appended by `body`, need no escaping (`Base64Digits`).
  mutating func unescapedString(_ body: (inout [UInt8]) -> Void) {
    bytes.append(UInt8(ascii: "\""))
    body(&bytes)
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func integers(_ values: [Int32]) {
    bytes.append(UInt8(ascii: "["))
    for (index, value) in values.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      integer(Int(value))
    }
    bytes.append(UInt8(ascii: "]"))
  }

  mutating func integers(_ values: [Int]) {
    bytes.append(UInt8(ascii: "["))
    for (index, value) in values.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      integer(value)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  public mutating func strings(_ values: [String]) {
    bytes.append(UInt8(ascii: "["))
    for (index, value) in values.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      string(value)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// Writes an object; `members` is called once per key, in the given order.
  mutating func object(_ keys: [String], _ member: (inout JSONWriter, String) -> Void) {
    bytes.append(UInt8(ascii: "{"))
    for (index, key) in keys.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      string(key)
      bytes.append(UInt8(ascii: ":"))
      member(&self, key)
    }
    bytes.append(UInt8(ascii: "}"))
  }
}
