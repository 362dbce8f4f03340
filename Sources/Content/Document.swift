import Diagnostics
import Foundation

/// The three kinds of Markdown source under `content/`.
public enum DocumentKind: String, Sendable, CaseIterable, Hashable {
  case caseStudy = "cases"
  case post = "posts"
  case page = "pages"
}

extension DocumentKind {
  /// Whether the file at `path` (from the site root) is a document the loader reads: Markdown
  /// under `content/<kind>/`.
  public static func isDocumentFile(_ path: String) -> Bool {
    allCases.contains { path.hasPrefix("content/\($0.rawValue)/") } && isMarkdown(path)
  }

  static func isMarkdown(_ path: String) -> Bool {
    path.hasSuffix(".md") || path.hasSuffix(".markdown")
  }
}

/// A source link of a case study.
public struct SourceLink: Sendable, Equatable {
  public var title: String
  public var url: String

  public init(title: String, url: String) {
    self.title = title
    self.url = url
  }
}

/// The structured fields only case studies have.
public struct CaseDetails: Sendable, Equatable {
  public static let statuses = ["active", "ended", "planned"]
  public static let outcomes = ["success", "mixed", "failure", "ongoing"]

  public var started: Int?
  public var ended: Int?
  public var status: String?
  public var outcome: String?
  public var topics: [YAMLStringValue] = []
  public var successFactors: [YAMLStringValue] = []
  public var failureFactors: [YAMLStringValue] = []
  public var localities: [YAMLStringValue] = []
  public var links: [SourceLink] = []

  public init() {}
}

/// A case study, post or page as read from its file, before Markdown is rendered.
public struct Document: Sendable, Equatable {
  public var kind: DocumentKind
  /// Path relative to the site root (`content/cases/x.md`), as diagnostics show it.
  public var sourcePath: String
  public var slug: String
  public var language: String
  public var title: String
  public var description: String?
  public var date: Date?
  public var authors: [String]
  public var image: String?
  /// Slug of the document this one translates.
  public var translationOf: String?
  public var draft: Bool
  public var categories: [String]
  public var tags: [String]
  public var body: String
  public var bodyFirstLine: Int
  public var details: CaseDetails?
  /// Keys the portal does not know, kept for templates.
  public var extra: [YAMLNode.Entry]

  public init(
    kind: DocumentKind, sourcePath: String, slug: String, language: String, title: String,
    description: String?, date: Date?, authors: [String], image: String?,
    translationOf: String?, draft: Bool, categories: [String], tags: [String], body: String,
    bodyFirstLine: Int, details: CaseDetails?, extra: [YAMLNode.Entry]
  ) {
    self.kind = kind
    self.sourcePath = sourcePath
    self.slug = slug
    self.language = language
    self.title = title
    self.description = description
    self.date = date
    self.authors = authors
    self.image = image
    self.translationOf = translationOf
    self.draft = draft
    self.categories = categories
    self.tags = tags
    self.body = body
    self.bodyFirstLine = bodyFirstLine
    self.details = details
    self.extra = extra
  }

  /// Where the front matter starts, for diagnostics about the document as a whole.
  public var location: SourceLocation { SourceLocation(file: sourcePath, line: 1, column: 1) }
}
