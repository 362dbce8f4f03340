import CCmarkGFM
import Foundation
import TextRules

/// One pass over a parsed document: collects plain text, headings and links, rewrites
/// root-relative destinations under the base path, and gives headings their anchor ids.
struct DocumentWalker {
  let basePath: String
  /// The plain text as UTF-8: literals are copied from cmark's C strings as they are.
  private var plainUTF8: [UInt8] = []
  private(set) var headings: [Heading] = []
  private(set) var links: [String] = []
  private(set) var hasFootnotes = false
  private var headingNodes: [(node: OpaquePointer, id: String)] = []
  private var usedIDs: Set<String> = ["main", "top", "content", "footnotes", "search"]
  private var extensionTypeNames: [UInt32: String] = [:]
  /// Where the text of the heading being walked starts in `plainUTF8`, if any.
  private var headingStart: Int?

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
      appendLiteral(of: node)
    case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
      plainUTF8.append(UInt8(ascii: " "))
    case CMARK_NODE_CODE_BLOCK:
      appendLiteral(of: node)
      plainUTF8.append(UInt8(ascii: "\n"))
    case CMARK_NODE_HEADING:
      headingStart = plainUTF8.count
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
      let text = Self.trimmed(plainUTF8[(headingStart ?? plainUTF8.count)...])
      headingStart = nil
      let id = uniqueID(for: text)
      headings.append(Heading(level: Int(cmark_node_get_heading_level(node)), text: text, id: id))
      headingNodes.append((node, id))
      plainUTF8.append(UInt8(ascii: "\n"))
    case CMARK_NODE_PARAGRAPH, CMARK_NODE_ITEM, CMARK_NODE_BLOCK_QUOTE:
      if plainUTF8.last != UInt8(ascii: "\n") { plainUTF8.append(UInt8(ascii: "\n")) }
    default:
      switch extensionTypeName(of: node, type: type) {
      case "table_cell": plainUTF8.append(UInt8(ascii: " "))
      case "table_row", "table_header": plainUTF8.append(UInt8(ascii: "\n"))
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

  /// The text of headings, paragraphs, list items, table cells and code, a line per block.
  var plainText: String { String(decoding: plainUTF8, as: UTF8.self) }

  private mutating func appendLiteral(of node: OpaquePointer) {
    guard let literal = cmark_node_get_literal(node) else { return }
    plainUTF8.append(
      contentsOf: UnsafeRawBufferPointer(start: literal, count: strlen(literal)))
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

  /// The text of `bytes` without the white space around it (``WhiteSpace``).
  static func trimmed(_ bytes: ArraySlice<UInt8>) -> String {
    WhiteSpace.trimmed(String(decoding: bytes, as: UTF8.self))
  }

  /// The heading id of `text`: its letters and digits, folded to lower case without
  /// diacritics, with `-` between runs.
  static func slug(_ text: String) -> String {
    latinSlug(text) ?? Slug.folded(text)
  }

  /// ``slug(_:)`` on the UTF-8 bytes of text made of ASCII, the accented Latin letters of
  /// ``latinLetters`` and the punctuation of French and English headings outside ASCII
  /// (no-break space, guillemets, curly quotes, dashes, ellipsis); nil for any other text.
  /// Most of the portal's headings are such text; Foundation's folding and Unicode properties
  /// took 20,000 instructions a heading.
  static func latinSlug(_ text: String) -> String? {
    var slug: [UInt8] = []
    slug.reserveCapacity(text.utf8.count)
    var pendingDash = false
    var bytes = text.utf8.makeIterator()
    while let byte = bytes.next() {
      let letter: UInt8
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        letter = byte
      case UInt8(ascii: "A")...UInt8(ascii: "Z"):
        letter = byte | 0x20
      case 0..<0x80:
        pendingDash = true
        continue
      case 0xC3:  // U+00C0…U+00FF
        guard let next = bytes.next(), next >= 0x80, next <= 0xBF,
          latinLetters[Int(next - 0x80)] != 0
        else { return nil }
        letter = latinLetters[Int(next - 0x80)]
      case 0xC2:  // U+00A0, U+00AB, U+00BB
        guard let next = bytes.next(), next == 0xA0 || next == 0xAB || next == 0xBB else {
          return nil
        }
        pendingDash = true
        continue
      case 0xE2:  // U+2013, U+2014, U+2018, U+2019, U+201C, U+201D, U+2026
        guard bytes.next() == 0x80 else { return nil }
        switch bytes.next() {
        case 0x93, 0x94, 0x98, 0x99, 0x9C, 0x9D, 0xA6: pendingDash = true
        default: return nil
        }
        continue
      default:
        return nil
      }
      if pendingDash, !slug.isEmpty { slug.append(UInt8(ascii: "-")) }
      pendingDash = false
      slug.append(letter)
    }
    return String(decoding: slug, as: UTF8.self)
  }

  /// U+00C0…U+00FF → the lower-case base letter of an accented letter, 0 for the others
  /// (Æ, Ð, ×, Ø, Þ, ß, æ, ð, ÷, ø, þ: left to `Slug.folded(_:asciiOnly:)`).
  private static let latinLetters: [UInt8] = Array(
    ("aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0\0" + "aaaaaa\0ceeeeiiii\0nooooo\0\0uuuuy\0y").utf8)

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
