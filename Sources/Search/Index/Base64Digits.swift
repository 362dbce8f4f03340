/// The dense integer encoding used inside the index's JSON strings (docs/search-index.md,
/// "Numbers in strings"): 64 digits that need no escaping in JSON or URLs. A number is written
/// big-endian in 5-bit groups; every group but the last is written as digit `32 + group`, the
/// last as digit `group`, so numbers below 32 take one character and need no separator.
enum Base64Digits {
  /// The digits, a constant in the executable: an array in a `static let` is checked for its
  /// first use at each read, and a 1,000-case index writes half a million numbers.
  private static var alphabet: StaticString {
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_"
  }

  /// The byte of digit `value`, 0…63.
  static func digit(_ value: Int) -> UInt8 {
    precondition(value >= 0 && value < 64)
    return alphabet.utf8Start[value]
  }

  /// Byte → its digit value, or 255 for a byte outside the alphabet.
  static let values: [UInt8] = {
    var values = [UInt8](repeating: 255, count: 256)
    for value in 0..<64 { values[Int(digit(value))] = UInt8(value) }
    return values
  }()

  /// Appends `value` (≥ 0) as a variable-length number.
  static func appendNumber(_ value: Int, to bytes: inout [UInt8]) {
    precondition(value >= 0)
    var shift = 0
    while value >> (shift + 5) > 0 { shift += 5 }
    while shift > 0 {
      bytes.append(digit(32 + (value >> shift) & 31))
      shift -= 5
    }
    bytes.append(digit(value & 31))
  }

  /// Appends one digit, 0…63.
  static func appendDigit(_ value: Int, to bytes: inout [UInt8]) {
    bytes.append(digit(value))
  }

  /// Appends one posting as the index's shards hold it: the gap from the `previous` document
  /// (then set to this one), and the impact digit.
  static func appendPosting(
    document: Int, impact: Int, previous: inout Int, to bytes: inout [UInt8]
  ) {
    appendNumber(document - previous, to: &bytes)
    appendDigit(impact, to: &bytes)
    previous = document
  }

  /// Calls `body` with each (document, impact) of a postings string `appendPosting` wrote,
  /// until it returns false. False then, and when the string is not well formed for
  /// `documentCount` documents: digits only, whole pairs, impacts 1…63, documents rising from 0
  /// and below the count.
  static func forEachPosting(
    in encoded: ArraySlice<UInt8>, documentCount: Int,
    _ body: (_ document: Int, _ impact: Int) -> Bool
  ) -> Bool {
    var document = -1
    // The leading groups of the gap being read, when it has any.
    var value: Int?
    var index = encoded.startIndex
    while index < encoded.endIndex {
      let digit = Int(values[Int(encoded[index])])
      index += 1
      guard digit < 64 else { return false }
      if digit >= 32 {
        value = (value ?? 0) << 5 | (digit - 32)
        guard value! < documentCount else { return false }
        continue
      }
      let gap = (value ?? 0) << 5 | digit
      guard gap > 0 || document < 0 else { return false }
      document = max(document, 0) + gap
      value = nil
      guard document < documentCount, index < encoded.endIndex else { return false }
      let impact = Int(values[Int(encoded[index])])
      index += 1
      guard impact > 0, impact < 64, body(document, impact) else { return false }
    }
    return value == nil
  }

  /// Reads the numbers written by `appendNumber` (tests and tools).
  static func numbers(_ text: String) -> [Int] {
    var result: [Int] = []
    var value = 0
    for byte in text.utf8 {
      let digit = Int(values[Int(byte)])
      guard digit < 64 else { continue }
      if digit >= 32 {
        value = value << 5 | (digit - 32)
      } else {
        result.append(value << 5 | digit)
        value = 0
      }
    }
    return result
  }

  /// `count` base-36 digits of a 32-bit FNV-1a hash of `bytes`: a short content hash for file
  /// names (36⁴ ≈ 1.7 million values, enough to tell two versions of one file apart).
  static func shortHash(_ bytes: [UInt8], count: Int = 4) -> String {
    var hash: UInt32 = 0x811C_9DC5
    for byte in bytes {
      hash ^= UInt32(byte)
      hash = hash &* 0x0100_0193
    }
    var value = Int(hash)
    var digits: [UInt8] = []
    for _ in 0..<count {
      digits.append(digit(value % 36))
      value /= 36
    }
    return String(decoding: digits.reversed(), as: UTF8.self)
  }
}
