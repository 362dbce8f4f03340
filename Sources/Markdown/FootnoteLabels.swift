import Glibc

/// cmark-gfm writes its footnote back-links' accessible labels in English; pages in other
/// languages get them in their own.
enum FootnoteLabels {
  private static let backToContent: [String: String] = [
    "fr": "Retour au texte",
    "en": "Back to content",
  ]

  private static let englishLabel = "aria-label=\"Back to content\""

  /// The HTML cmark-gfm rendered (`html`, a C string), with the labels in `language`.
  static func localizedHTML(_ html: UnsafePointer<CChar>, language: String) -> String {
    guard let label = backToContent[language], language != "en" else {
      return String(cString: html)
    }
    return replacing(englishLabel, with: "aria-label=\"\(label)\"", in: html)
  }

  /// `text` with every occurrence of the ASCII text `pattern` replaced by `replacement`, found
  /// by `strstr` (Foundation's `replacingOccurrences` went through UTF-16 and cost more than
  /// cmark-gfm's parsing of the page), and decoded once.
  static func replacing(
    _ pattern: String, with replacement: String, in text: UnsafePointer<CChar>
  ) -> String {
    pattern.withCString { wanted in
      let patternLength = strlen(wanted)
      // An empty pattern matches everywhere without advancing.
      guard patternLength > 0 else { return String(cString: text) }
      var out: [UInt8] = []
      var copied = text
      while let found = strstr(copied, wanted) {
        let match = UnsafePointer(found)
        if out.isEmpty { out.reserveCapacity(strlen(text) + 64) }
        out.append(contentsOf: UnsafeRawBufferPointer(start: copied, count: match - copied))
        out.append(contentsOf: replacement.utf8)
        copied = match + patternLength
      }
      guard copied != text else { return String(cString: text) }
      out.append(contentsOf: UnsafeRawBufferPointer(start: copied, count: strlen(copied)))
      return String(decoding: out, as: UTF8.self)
    }
  }
}
