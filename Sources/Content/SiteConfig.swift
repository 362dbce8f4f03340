import Diagnostics
import Foundation
import TextRules

/// `proximus.yml`: every key optional.
public struct SiteConfig: Sendable {
  public static let defaultBaseURL = "http://localhost:8000/"

  public var title = "Proximus"
  /// Absolute, ending with `/`.
  public var baseURL = SiteConfig.defaultBaseURL {
    didSet { basePath = Self.path(of: baseURL) }
  }
  /// The path part of the base URL: `/` or `/portail/`. Kept beside it: pages ask for it
  /// thousands of times, and parsing the URL each time cost 1,700 instructions.
  public private(set) var basePath = SiteConfig.path(of: SiteConfig.defaultBaseURL)
  /// Whether `base_url` (or `--base-url`) was given; without it one warning is printed.
  public var hasExplicitBaseURL = false
  /// The first is the default language.
  public var languages = ["fr", "en"]
  public var theme = "default"
  public var license = "CC-BY-SA-4.0"
  public var editURL: String?
  public var unsafeHTML = false
  public var paginate = 50
  /// Keys the generator does not know, for templates (`site.extra.key`).
  public var extra: [YAMLNode.Entry] = []

  public init() {}

  public var defaultLanguage: String { languages[0] }

  private static func path(of baseURL: String) -> String {
    guard let url = URL(string: baseURL), !url.path.isEmpty else { return "/" }
    return url.path.hasSuffix("/") ? url.path : url.path + "/"
  }

  static let knownKeys: Set<String> = [
    "title", "base_url", "languages", "theme", "license", "edit_url", "unsafe_html", "paginate",
  ]

  /// Reads `text` (the content of `path`); problems are returned, defaults fill the gaps.
  public static func load(_ text: String, path: String) -> (SiteConfig, [Diagnostic]) {
    var config = SiteConfig()
    let node: YAMLNode
    do {
      guard let parsed = try YAMLNode.parse(text) else { return (config, []) }
      node = parsed
    } catch {
      return (config, [error.inFile(path, source: text)])
    }
    guard case .mapping(let entries) = node.kind else {
      return (
        config,
        [
          Diagnostic.error("proximus.yml must be a set of 'key: value' lines", at: node.location)
            .inFile(path, source: text)
        ]
      )
    }
    var reader = FieldReader(node)
    if let title = reader.string("title") { config.title = title }
    if let url = reader.string("base_url") {
      do {
        config.baseURL = try normalizedBaseURL(url)
        config.hasExplicitBaseURL = true
      } catch {
        reader.diagnostics.append(Diagnostic.error(error.message, at: node["base_url"]!.location))
      }
    }
    let languages = reader.strings("languages").map(\.text)
    if !languages.isEmpty {
      if let bad = languages.first(where: { !isLanguageCode($0) }) {
        reader.problem("'\(bad)' is not a language code such as fr or en", at: node["languages"]!)
      } else if Set(languages).count != languages.count {
        reader.problem("a language is listed twice", at: node["languages"]!)
      } else {
        config.languages = languages
      }
    }
    if let theme = reader.string("theme") {
      if let problem = SlugRules.problem(with: theme) {
        reader.problem("theme name '\(theme)' \(problem)", at: node["theme"]!)
      } else {
        config.theme = theme
      }
    }
    if let license = reader.string("license") { config.license = license }
    config.editURL = reader.string("edit_url")
    if let unsafe = reader.bool("unsafe_html") { config.unsafeHTML = unsafe }
    if let paginate = reader.integer("paginate") {
      if paginate < 1 {
        reader.problem("'paginate' must be at least 1", at: node["paginate"]!)
      } else {
        config.paginate = paginate
      }
    }
    for entry in entries where !knownKeys.contains(entry.key) {
      config.extra.append(entry)
      if let suggestion = KeySpelling.suggestion(for: entry.key, among: knownKeys) {
        reader.diagnostics.append(
          .warning(
            "unknown key '\(entry.key)'; did you mean '\(suggestion)'?",
            at: SourceLocation(file: "", line: entry.keyLine, column: entry.keyColumn)))
      }
    }
    return (config, reader.diagnostics.map { $0.inFile(path, source: text) })
  }

  /// `https://host/portail` → `https://host/portail/`; anything not absolute http(s) is refused.
  public static func normalizedBaseURL(_ text: String) throws(Diagnostic) -> String {
    let trimmed = WhiteSpace.trimmed(text)
    guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(),
      scheme == "http" || scheme == "https", url.host?.isEmpty == false,
      url.query == nil, url.fragment == nil
    else {
      throw Diagnostic.error(
        "base URL '\(text)' must be an absolute http(s) URL such as https://example.org/portail/")
    }
    return trimmed.hasSuffix("/") ? trimmed : trimmed + "/"
  }

  private static func isLanguageCode(_ code: String) -> Bool {
    (2...3).contains(code.count) && code.allSatisfy { $0.isASCII && $0.isLowercase }
  }
}
