/// cmark-gfm writes its footnote back-links' accessible labels in English; pages in other
/// languages get them in their own.
enum FootnoteLabels {
  private static let backToContent: [String: String] = [
    "fr": "Retour au texte",
    "en": "Back to content",
  ]

  static func localize(_ html: String, language: String) -> String {
    guard let label = backToContent[language], language != "en" else { return html }
    return html.replacingOccurrences(
      of: "aria-label=\"Back to content\"", with: "aria-label=\"\(label)\"")
  }
}
