import Foundation

/// Accent folding for matching: canonical decomposition, combining marks (Mn) dropped, a few
/// letters without a decomposition spelt out (`œ` → `oe`), then NFC again.
enum Folding {
  private static let spelledOut: [UInt32: String] = [
    0xE6: "ae", 0xC6: "ae", 0x153: "oe", 0x152: "oe", 0xDF: "ss", 0xF8: "o", 0xD8: "o",
    0x142: "l", 0x141: "l", 0x111: "d", 0x110: "d",
  ]

  /// Folded forms of U+0080…U+036F (Latin, IPA, combining marks), computed once.
  private static let latinFolds: [[UInt32]] = (0x80..<0x370).map { value in
    foldUncached(UInt32(value))
  }

  private static func foldUncached(_ value: UInt32) -> [UInt32] {
    guard let scalar = Unicode.Scalar(value) else { return [] }
    if let replacement = spelledOut[value] { return replacement.unicodeScalars.map(\.value) }
    return String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
      .filter { $0.properties.generalCategory != .nonspacingMark }.map(\.value)
  }

  /// The folded scalars of a word.
  static func fold(_ letters: [UInt32]) -> [UInt32] {
    guard letters.contains(where: { $0 >= 0x80 }) else { return letters }
    return foldedString(letters).unicodeScalars.map(\.value)
  }

  /// The folded word as a string.
  static func foldedString(_ letters: [UInt32]) -> String {
    guard letters.contains(where: { $0 >= 0x80 }) else {
      // ASCII: one byte per letter, written in place.
      return String(unsafeUninitializedCapacity: letters.count) { bytes in
        for (index, letter) in letters.enumerated() {
          bytes[index] = UInt8(truncatingIfNeeded: letter)
        }
        return letters.count
      }
    }
    // UTF-8 bytes, made into a string once: appending scalar by scalar to a string cost 270
    // instructions a letter.
    var utf8: [UInt8] = []
    utf8.reserveCapacity(letters.count * 2)
    var onlyLatin = true
    for value in letters {
      if value < 0x80 {
        utf8.append(UInt8(value))
        continue
      }
      let folded = value < 0x370 ? latinFolds[Int(value) - 0x80] : foldUncached(value)
      for part in folded {
        if part >= 0x300 { onlyLatin = false }
        if let scalar = Unicode.Scalar(part), let encoded = UTF8.encode(scalar) {
          utf8.append(contentsOf: encoded)
        }
      }
    }
    let text = String(decoding: utf8, as: UTF8.self)
    // Text below U+0300 is already in NFC.
    return onlyLatin ? text : text.precomposedStringWithCanonicalMapping
  }
}
