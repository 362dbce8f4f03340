import Content

/// The portal's URL scheme (SPEC "URLs"): site-relative paths starting and ending with `/`.
///
/// A page in the default language lives at its plain path; in another language under
/// `/<lang>/`. Paths here never carry the base path: templates add it with `| url`.
struct Routes: Sendable {
  let defaultLanguage: String

  /// `/en` for English when French is the default, `` for the default language.
  func prefix(_ language: String) -> String {
    language == defaultLanguage ? "" : "/\(language)"
  }

  func home(_ language: String) -> String { prefix(language) + "/" }

  func document(_ document: Document) -> String {
    switch document.kind {
    case .caseStudy: prefix(document.language) + "/cases/\(document.slug)/"
    case .post: prefix(document.language) + "/posts/\(document.slug)/"
    case .page: prefix(document.language) + "/\(document.slug)/"
    }
  }

  func list(_ section: String, _ language: String, page: Int = 1) -> String {
    prefix(language) + "/\(section)/" + (page > 1 ? "page/\(page)/" : "")
  }

  func locality(_ id: String, _ language: String) -> String {
    prefix(language) + "/localities/\(id)/"
  }

  func country(_ code: String, _ language: String) -> String {
    prefix(language) + "/countries/\(code.lowercased())/"
  }

  func topic(_ id: String, _ language: String) -> String { prefix(language) + "/topics/\(id)/" }

  func factor(_ id: String, _ language: String) -> String { prefix(language) + "/factors/\(id)/" }

  func outcome(_ outcome: String, _ language: String, page: Int = 1) -> String {
    list("outcomes/\(outcome)", language, page: page)
  }

  /// First path segments owned by generated pages: a page slug may not take them.
  static let reservedSegments: Set<String> = [
    "cases", "posts", "localities", "places", "countries", "topics", "factors", "outcomes", "map",
    "search", "data", "assets", "feed.xml", "sitemap.xml", "robots.txt", "404.html", "page",
  ]

  /// The output file of a site-relative path: pretty URLs are folders with `index.html`.
  static func outputFile(for path: String) -> String {
    let trimmed = String(path.dropFirst())
    if trimmed.isEmpty { return "index.html" }
    return trimmed.hasSuffix("/") ? trimmed + "index.html" : trimmed
  }
}
