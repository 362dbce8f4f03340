/// The white space texts are trimmed of (front matter fields, table cells, heading text):
/// Foundation's `CharacterSet.whitespaces`, checked without Foundation, whose
/// `trimmingCharacters(in:)` cost 10,000 to 18,000 instructions a call, and was called for
/// several fields of every document and every heading.
public enum WhiteSpace {
  /// Tab, the space separators (U+0020, U+00A0, U+2000…U+200A, U+3000…) and, as Foundation
  /// has it on Linux, the zero width space U+200B.
  public static func contains(_ scalar: Unicode.Scalar) -> Bool {
    scalar.isASCII
      ? scalar == " " || scalar == "\t"
      : scalar == "\u{200B}" || scalar.properties.generalCategory == .spaceSeparator
  }

  /// Whether `text` is empty or white space only.
  public static func isBlank(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy(contains)
  }

  /// `text` without white space at either end: `text` itself when it has none there.
  public static func trimmed(_ text: String) -> String {
    let scalars = text.unicodeScalars
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, contains(scalars[start]) { start = scalars.index(after: start) }
    while start < end, contains(scalars[scalars.index(before: end)]) {
      end = scalars.index(before: end)
    }
    return start == scalars.startIndex && end == scalars.endIndex
      ? text : String(scalars[start..<end])
  }
}
