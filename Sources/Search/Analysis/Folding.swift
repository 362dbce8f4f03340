import Foundation

/// Accent folding for matching: canonical decomposition, combining marks (Mn) dropped, a few
/// letters without a decomposition spelt out (`œ` → `oe`), then NFC again.
enum Folding {
  private static let spelledOut: [UInt32: String] = [
    0xE6: "ae", 0xC6: "ae", 0x153: "oe", 0x152: "oe", 0xDF: "ss", 0xF8: "o", 0xD8: "o",
    0x142: "l", 0x141: "l", 0x111: "d", 0x110: "d",
  ]

  /// The folded scalars of a word.
  static func fold(_ letters: [UInt32]) -> [UInt32] {
    guard letters.contains(where: { $0 >= 0x80 }) else { return letters }
    return foldedString(letters).unicodeScalars.map(\.value)
  }

  /// The folded word as a string.
  static func foldedString(_ letters: [UInt32]) -> String {
    var text = String.UnicodeScalarView()
    guard letters.contains(where: { $0 >= 0x80 }) else {
      text.append(contentsOf: letters.compactMap(Unicode.Scalar.init))
      return String(text)
    }
    for value in letters {
      guard let scalar = Unicode.Scalar(value) else { continue }
      if value < 0x80 {
        text.append(scalar)
      } else if let replacement = spelledOut[value] {
        text.append(contentsOf: replacement.unicodeScalars)
      } else {
        for part in String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
        where part.properties.generalCategory != .nonspacingMark {
          text.append(part)
        }
      }
    }
    return String(text).precomposedStringWithCanonicalMapping
  }
}
