import CCmarkGFM
import Foundation

/// One pass over a parsed document: collects plain text, headings and links, rewrites
/// root-relative destinations under the base path, and gives headings their anchor ids.
struct DocumentWalker {
  let basePath: String
  private(set) var plainText = ""
  private(set) var headings: [Heading] = []
  private(set) var links: [String] = []
  private(set) var hasFootnotes = false
  private var headingNodes: [(node: OpaquePointer, id: String)] = []
  private var usedIDs: Set<String> = ["main", "top", "content", "footnotes", "search"]
  private var extensionTypeNames: [UInt32: String] = [:]
  /// Text of the heading being walked, if any.
  private var headingText: String?

  init(basePath: String) {
    self.basePath = basePath
  }

  mutating func walk(_ document: OpaquePointer) {
    guard let iterator = cmark_iter_new(document) else { return }
    defer { cmark_iter_free(iterator) }
    while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
      guard let node = cmark_iter_get_node(iterator) else { continue }
      let type = cmark_node_get_type(node)
      if event == CMARK_EVENT_ENTER {
        enter(node, type: type)
      } else {
        exit(node, type: type)
      }
    }
  }

  private mutating func enter(_ node: OpaquePointer, type: cmark_node_type) {
    switch type {
    case CMARK_NODE_TEXT, CMARK_NODE_CODE:
      appendText(literal(of: node))
    case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
      appendText(" ")
    case CMARK_NODE_CODE_BLOCK:
      plainText += literal(of: node)
      plainText += "\n"
    case CMARK_NODE_HEADING:
      headingText = ""
    case CMARK_NODE_FOOTNOTE_DEFINITION:
      hasFootnotes = true
    case CMARK_NODE_LINK, CMARK_NODE_IMAGE:
      var url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
      if basePath != "/", url.hasPrefix("/"), !url.hasPrefix("//") {
        url = basePath + url.dropFirst()
        cmark_node_set_url(node, url)
      }
      links.append(url)
    default:
      break
    }
  }

  private mutating func exit(_ node: OpaquePointer, type: cmark_node_type) {
    switch type {
    case CMARK_NODE_HEADING:
      let text = (headingText ?? "").trimmingCharacters(in: .whitespaces)
      headingText = nil
      let id = uniqueID(for: text)
      headings.append(Heading(level: Int(cmark_node_get_heading_level(node)), text: text, id: id))
      headingNodes.append((node, id))
      plainText += "\n"
    case CMARK_NODE_PARAGRAPH, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE:
      if !plainText.hasSuffix("\n") { plainText += "\n" }
    default:
      switch extensionTypeName(of: node, type: type) {
      case "table_cell": appendText(" ")
      case "table_row", "table_header": plainText += "\n"
      default: break
      }
    }
  }

  /// Node types registered by extensions (tables…) have no constant: name each type once,
  /// from the first node of that type (a table's header and body rows share one type).
  private mutating func extensionTypeName(of node: OpaquePointer, type: cmark_node_type) -> String {
    if let name = extensionTypeNames[type.rawValue] { return name }
    let name = cmark_node_get_type_string(node).map { String(cString: $0) } ?? ""
    extensionTypeNames[type.rawValue] = name
    return name
  }

  private mutating func appendText(_ text: String) {
    plainText += text
    if headingText != nil { headingText! += text }
  }

  private func literal(of node: OpaquePointer) -> String {
    cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
  }

  /// A GitHub-style slug (lower case, diacritics folded, `-` between words), unique in the page.
  private mutating func uniqueID(for text: String) -> String {
    let slug = Self.slug(text)
    let base = slug.isEmpty ? "section" : slug
    var candidate = base
    var counter = 1
    while usedIDs.contains(candidate) {
      candidate = "\(base)-\(counter)"
      counter += 1
    }
    usedIDs.insert(candidate)
    return candidate
  }

  static func slug(_ text: String) -> String {
    // ASCII text folds to its lower case: Foundation's folding (through NSString) was most
    // of the cost of a heading's id.
    let folded =
      text.utf8.allSatisfy { $0 < 0x80 }
      ? text.lowercased()
      : text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    var slug = ""
    var pendingDash = false
    for scalar in folded.unicodeScalars {
      if scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
        if pendingDash, !slug.isEmpty { slug += "-" }
        pendingDash = false
        slug.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    return slug
  }

  /// Swaps every heading for a custom block that prints `<hN id="…">…</hN>`: cmark-gfm has no
  /// heading ids, and a custom block's text is emitted as is, also in safe mode.
  func replaceHeadings(options: Int32, extensions: UnsafeMutablePointer<cmark_llist>?) {
    for (node, id) in headingNodes {
      guard let rendered = cmark_render_html(node, options, extensions) else { continue }
      defer { free(rendered) }
      let html = String(cString: rendered)
      let level = cmark_node_get_heading_level(node)
      let openTag = "<h\(level)>"
      let withID =
        html.hasPrefix(openTag)
        ? "<h\(level) id=\"\(id)\">" + html.dropFirst(openTag.utf8.count) : html
      guard let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK) else { continue }
      cmark_node_set_on_enter(block, withID)
      if cmark_node_replace(node, block) == 1 {
        cmark_node_free(node)
      } else {
        cmark_node_free(block)
      }
    }
  }
}
