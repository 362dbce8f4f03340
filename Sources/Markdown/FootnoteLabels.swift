import Glibc

/// cmark-gfm writes its footnote back-links' accessible labels in English; pages in other
/// languages get them in their own.
enum FootnoteLabels {
  private static let backToContent: [String: String] = [
    "fr": "Retour au texte",
    "en": "Back to content",
  ]

  private static let englishLabel = "aria-label=\"Back to content\""

  static func localize(_ html: String, language: String) -> String {
    guard let label = backToContent[language], language != "en" else { return html }
    return replacing(englishLabel, with: "aria-label=\"\(label)\"", in: html)
  }

  /// Replaces every occurrence of the ASCII text `pattern` by `replacement`, found by `strstr`
  /// in the bytes of `text` (HTML from cmark-gfm, a C string, so without NUL bytes):
  /// Foundation's `replacingOccurrences` went through UTF-16 and cost more than cmark-gfm's
  /// parsing of the page. The pattern starts and ends with ASCII, so a match never splits a
  /// character and the result is the same text.
  static func replacing(_ pattern: String, with replacement: String, in text: String) -> String {
    let result: String? = text.withCString { start in
      pattern.withCString { wanted -> String? in
        var out: [UInt8] = []
        var copied = start
        let patternLength = strlen(wanted)
        while let found = strstr(copied, wanted) {
          let match = UnsafePointer(found)
          out.append(contentsOf: UnsafeRawBufferPointer(start: copied, count: match - copied))
          out.append(contentsOf: replacement.utf8)
          copied = match + patternLength
        }
        guard copied != start else { return nil }
        out.append(contentsOf: UnsafeRawBufferPointer(start: copied, count: strlen(copied)))
        return String(decoding: out, as: UTF8.self)
      }
    }
    return result ?? text
  }
}
