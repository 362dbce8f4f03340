/// cmark-gfm writes its footnote back-links' accessible labels in English; pages in other
/// languages get them in their own.
enum FootnoteLabels {
  private static let backToContent: [String: String] = [
    "fr": "Retour au texte",
    "en": "Back to content",
  ]

  private static let englishLabel = Array("aria-label=\"Back to content\"".utf8)

  static func localize(_ html: String, language: String) -> String {
    guard let label = backToContent[language], language != "en" else { return html }
    return replacing(englishLabel, with: "aria-label=\"\(label)\"", in: html)
  }

  /// Replaces every occurrence of the ASCII bytes `pattern` by `replacement`, on UTF-8 bytes:
  /// Foundation's `replacingOccurrences` went through UTF-16 and cost more than cmark-gfm's
  /// parsing of the page. The pattern starts and ends with ASCII, so a match never splits a
  /// character and the result is the same text.
  static func replacing(_ pattern: [UInt8], with replacement: String, in text: String) -> String {
    var text = text
    let result: String? = text.withUTF8 { bytes -> String? in
      guard let first = pattern.first, bytes.count >= pattern.count else { return nil }
      var out: [UInt8] = []
      var copied = 0
      var index = 0
      let last = bytes.count - pattern.count
      while index <= last {
        if bytes[index] == first,
          UnsafeBufferPointer(rebasing: bytes[index..<index + pattern.count])
            .elementsEqual(pattern)
        {
          if out.isEmpty { out.reserveCapacity(bytes.count + 64) }
          out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied..<index]))
          out.append(contentsOf: replacement.utf8)
          index += pattern.count
          copied = index
        } else {
          index += 1
        }
      }
      guard copied > 0 else { return nil }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[copied...]))
      return String(decoding: out, as: UTF8.self)
    }
    return result ?? text
  }
}
