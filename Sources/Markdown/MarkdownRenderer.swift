import CCmarkGFM
import Diagnostics
import Foundation

/// A heading found in a document, with the anchor id given to it.
public struct Heading: Sendable, Equatable {
  public var level: Int
  public var text: String
  public var id: String

  public init(level: Int, text: String, id: String) {
    self.level = level
    self.text = text
    self.id = id
  }
}

/// What rendering one Markdown document produces.
public struct RenderedMarkdown: Sendable, Equatable {
  /// The HTML of the body: safe to embed as is.
  public var html: String
  /// The document's text without markup, blocks separated by newlines (summaries, search).
  public var plainText: String
  public var headings: [Heading]
  /// Link and image destinations as written (after base-path rewriting), for link checks.
  public var links: [String]

  public init(html: String, plainText: String, headings: [Heading], links: [String]) {
    self.html = html
    self.plainText = plainText
    self.headings = headings
    self.links = links
  }
}

/// Options shared by every document of a site.
public struct MarkdownOptions: Sendable, Equatable {
  /// Keep raw HTML and dangerous URLs (`unsafe_html: true` in the config).
  public var unsafeHTML: Bool
  /// Root-relative link destinations (`/cases/x/`) get this prefix; `/` leaves them as written.
  public var basePath: String

  public init(unsafeHTML: Bool = false, basePath: String = "/") {
    self.unsafeHTML = unsafeHTML
    self.basePath = basePath
  }
}

/// Renders GitHub-flavoured Markdown with cmark-gfm: tables, strikethrough, autolinks,
/// tag filter, task lists and footnotes; heading anchors; safe mode unless told otherwise.
public struct MarkdownRenderer: Sendable {
  public var options: MarkdownOptions
  /// Documents larger than this are refused rather than risk cmark-gfm's slow paths.
  public static let maximumDocumentSize = 4 * 1024 * 1024

  private static let extensionNames = [
    "table", "strikethrough", "autolink", "tagfilter", "tasklist",
  ]

  public init(options: MarkdownOptions = MarkdownOptions()) {
    self.options = options
    Self.registerExtensions
  }

  /// The version of the cmark-gfm library rendering the documents: a cache of its output is
  /// good for this version only.
  public static var engineVersion: String { String(cString: cmark_version_string()) }

  /// `cmark_gfm_core_extensions_ensure_registered` is idempotent, but call it exactly once.
  private static let registerExtensions: Void = {
    cmark_gfm_core_extensions_ensure_registered()
  }()

  private var cmarkOptions: Int32 {
    var flags =
      CMARK_OPT_FOOTNOTES | CMARK_OPT_GITHUB_PRE_LANG | CMARK_OPT_TABLE_PREFER_STYLE_ATTRIBUTES
    if options.unsafeHTML { flags |= CMARK_OPT_UNSAFE }
    return Int32(flags)
  }

  /// Renders `source`; `language` picks the footnote labels' language.
  ///
  /// Throws a diagnostic (without file: the caller adds it) when the document is refused.
  public func render(_ source: String, language: String = "en") throws(Diagnostic)
    -> RenderedMarkdown
  {
    let size = source.utf8.count
    if size > Self.maximumDocumentSize {
      throw Diagnostic.error(
        "document is \(size) bytes, more than the limit of \(Self.maximumDocumentSize) bytes")
    }
    if let problem = PathologicalInput.scan(source) {
      throw problem
    }

    guard let parser = cmark_parser_new(cmarkOptions) else {
      throw Diagnostic.error("cmark-gfm could not allocate a parser")
    }
    defer { cmark_parser_free(parser) }
    for name in Self.extensionNames {
      if let syntaxExtension = cmark_find_syntax_extension(name) {
        cmark_parser_attach_syntax_extension(parser, syntaxExtension)
      }
    }
    source.withCString { pointer in
      cmark_parser_feed(parser, pointer, size)
    }
    guard let document = cmark_parser_finish(parser) else {
      throw Diagnostic.error("cmark-gfm could not parse the document")
    }
    defer { cmark_node_free(document) }

    var walker = DocumentWalker(basePath: options.basePath)
    walker.walk(document)
    walker.replaceHeadings(
      options: cmarkOptions, extensions: cmark_parser_get_syntax_extensions(parser))

    guard
      let rendered = cmark_render_html(
        document, cmarkOptions, cmark_parser_get_syntax_extensions(parser))
    else {
      throw Diagnostic.error("cmark-gfm could not render the document")
    }
    defer { free(rendered) }
    let html =
      walker.hasFootnotes
      ? FootnoteLabels.localizedHTML(rendered, language: language) : String(cString: rendered)
    return RenderedMarkdown(
      html: html, plainText: walker.plainText, headings: walker.headings, links: walker.links)
  }
}
