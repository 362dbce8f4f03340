import Foundation

/// A minimal JSON writer with a fixed output: keys in the order given (callers sort them), no
/// whitespace, integers only, `/` not escaped. Deterministic by construction and fast enough for
/// megabytes of postings.
struct JSONWriter {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 1024) {
    bytes.reserveCapacity(capacity)
  }

  var data: Data { Data(bytes) }

  mutating func raw(_ text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  mutating func integer(_ value: Int) {
    if value < 0 {
      bytes.append(UInt8(ascii: "-"))
      integer(-value)
      return
    }
    if value >= 10 { integer(value / 10) }
    bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
  }

  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    for byte in value.utf8 {
      switch byte {
      case UInt8(ascii: "\""): raw("\\\"")
      case UInt8(ascii: "\\"): raw("\\\\")
      case 0x0A: raw("\\n")
      case 0x0D: raw("\\r")
      case 0x09: raw("\\t")
      case 0..<0x20:
        raw("\\u00")
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0xF)])
      default: bytes.append(byte)
      }
    }
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

  mutating func strings(_ values: [String]) {
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
