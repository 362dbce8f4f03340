/// Contextual escaping of values written by `{{ }}`.
///
/// Decisions:
/// - text: `& < > " '` become entities; `Value.html` is written as is.
/// - comment: like text, and `-` is also escaped so `-->` cannot be formed.
/// - attribute values: the same five characters; unquoted values also escape whitespace, `=`
///   and the backtick. `Value.html` is escaped too (its markup is text in an attribute).
/// - tag (outside any attribute value, `<div {{ x }}>`): only `[A-Za-z0-9_-]` values pass,
///   anything else is written as `ZgotmplZ`.
/// - URL attributes: when the value starts the attribute, a scheme other than http(s),
///   mailto, tel, or `data:image/(png|gif|jpeg|webp|avif)` is replaced by `#ZgotmplZ` (the
///   scheme is read after dropping whitespace and control characters and case-folding). Then
///   spaces, controls, quotes, `<`, `>` and backtick are percent-encoded and the result is
///   attribute-escaped.
/// - `<script>` bodies (any type, so JSON-LD too) and `on*` attributes: the value is written
///   as JSON (strings quoted, `<` `>` `&` `'` U+2028 U+2029 as `\u` escapes); in an
///   attribute the JSON is then attribute-escaped. Inside a JavaScript string literal of a
///   `<script>` body (`"name": "{{ page.title }}"`) the value is written as the inside of a
///   JSON string (no added quotes; in a backtick literal also backtick and `$` escaped).
///   String literals inside `on*` attributes are not tracked (the JSON gets its quotes).
/// - `<style>` bodies and `style=` attributes: only a safe CSS value charset passes
///   (letters, digits, space, `# % . , - _ + ( )`, no `expression`/`url(`/`javascript`);
///   anything else becomes `ZgotmplZ`.
enum Escaper {
  static let rejected = "ZgotmplZ"

  private static let entityAmp = Array("&amp;".utf8)
  private static let entityLess = Array("&lt;".utf8)
  private static let entityGreater = Array("&gt;".utf8)
  private static let entityQuote = Array("&#34;".utf8)
  private static let entityApostrophe = Array("&#39;".utf8)

  @inline(__always)
  private static func needsHTMLEscape(_ byte: UInt8) -> Bool {
    byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte == 39
  }

  /// HTML-escapes `string` into `out`.
  static func appendHTML(_ string: String, to out: inout [UInt8]) {
    var string = string
    string.withUTF8 { appendHTML(bytes: $0, to: &out) }
  }

  /// HTML-escapes the UTF-8 `bytes` into `out`: runs without anything to escape are copied
  /// whole.
  static func appendHTML(bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    var runStart = 0
    var index = 0
    while index < bytes.count {
      let byte = bytes[index]
      if needsHTMLEscape(byte) {
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        switch byte {
        case 38: out.append(contentsOf: entityAmp)
        case 60: out.append(contentsOf: entityLess)
        case 62: out.append(contentsOf: entityGreater)
        case 34: out.append(contentsOf: entityQuote)
        default: out.append(contentsOf: entityApostrophe)
        }
        runStart = index + 1
      }
      index += 1
    }
    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
  }

  static func html(_ string: String) -> String {
    var out: [UInt8] = []
    appendHTML(string, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// Attribute escaping; `unquoted` adds whitespace, `=` and backtick. `alreadyEscaped`
  /// (the value went through `| escape`) skips the entity part.
  static func appendAttribute(
    _ string: String, unquoted: Bool, alreadyEscaped: Bool = false, to out: inout [UInt8]
  ) {
    var string = string
    string.withUTF8 {
      appendAttribute(bytes: $0, unquoted: unquoted, alreadyEscaped: alreadyEscaped, to: &out)
    }
  }

  /// ``appendAttribute(_:unquoted:alreadyEscaped:to:)`` of UTF-8 `bytes`.
  static func appendAttribute(
    bytes: UnsafeBufferPointer<UInt8>, unquoted: Bool, alreadyEscaped: Bool = false,
    to out: inout [UInt8]
  ) {
    if !unquoted {
      if alreadyEscaped {
        out.append(contentsOf: bytes)
      } else {
        appendHTML(bytes: bytes, to: &out)
      }
      return
    }
    // Every character escaped here is ASCII, so the bytes of others pass as they are.
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "&") where !alreadyEscaped: out.append(contentsOf: entityAmp)
      case UInt8(ascii: "<"): out.append(contentsOf: entityLess)
      case UInt8(ascii: ">"): out.append(contentsOf: entityGreater)
      case UInt8(ascii: "\""): out.append(contentsOf: entityQuote)
      case UInt8(ascii: "'"): out.append(contentsOf: entityApostrophe)
      case UInt8(ascii: " "): out.appendUTF8("&#32;")
      case UInt8(ascii: "\t"): out.appendUTF8("&#9;")
      case UInt8(ascii: "\n"): out.appendUTF8("&#10;")
      case UInt8(ascii: "\r"): out.appendUTF8("&#13;")
      case 0x0C: out.appendUTF8("&#12;")
      case UInt8(ascii: "="): out.appendUTF8("&#61;")
      case UInt8(ascii: "`"): out.appendUTF8("&#96;")
      default: out.append(byte)
      }
    }
  }

  /// True when a URL's scheme is one we let through. The scheme is what comes before a `:`
  /// with no `/`, `?` or `#` before it, read without whitespace and control characters and
  /// case-folded; it is read as bytes (every character that matters is ASCII), packed in one
  /// word, so the many absolute links of a page cost no string.
  static func isSafeURL(_ url: String) -> Bool {
    var scheme: UInt64 = 0
    var length = 0
    for byte in url.utf8 {
      switch byte {
      case UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"): return true
      case UInt8(ascii: ":"):
        if length > 8 { return false }
        if allowedSchemes.contains(scheme) { return true }
        return scheme == dataScheme && isSafeDataURL(url)
      case 0...0x20, 0x7F: continue
      default:
        if length < 8 {
          let folded = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
          scheme |= UInt64(folded) << (8 * length)
        }
        length += 1
      }
    }
    return true  // relative: no scheme
  }

  /// A scheme of up to 8 bytes, as ``isSafeURL(_:)`` packs it.
  private static func packedScheme(_ name: String) -> UInt64 {
    name.utf8.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * $1.offset) }
  }

  private static let allowedSchemes = ["http", "https", "mailto", "tel"].map(packedScheme)
  private static let dataScheme = packedScheme("data")

  /// A `data:` URL is let through when it is an image of a common format.
  private static func isSafeDataURL(_ url: String) -> Bool {
    var compact = ""
    for scalar in url.unicodeScalars where scalar.value > 0x20 && scalar.value != 0x7F {
      compact.unicodeScalars.append(scalar)
    }
    compact = compact.lowercased()
    return ["png", "gif", "jpeg", "jpg", "webp", "avif"].contains {
      compact.hasPrefix("data:image/\($0);") || compact.hasPrefix("data:image/\($0),")
    }
  }

  static func appendURL(
    _ string: String, quoted: Bool, start: Bool, alreadyEscaped: Bool, to out: inout [UInt8]
  ) {
    if start, !isSafeURL(string) {
      out.appendUTF8("#" + rejected)
      return
    }
    func needsEncoding(_ byte: UInt8) -> Bool {
      byte <= 0x20 || byte == 0x7F || byte == 34 || byte == 39 || byte == 60 || byte == 62
        || byte == 96
    }
    var string = string
    string.withUTF8 { bytes in
      guard bytes.contains(where: needsEncoding) else {
        return appendAttribute(
          bytes: bytes, unquoted: !quoted, alreadyEscaped: alreadyEscaped, to: &out)
      }
      var encoded: [UInt8] = []
      encoded.reserveCapacity(bytes.count + 16)
      let hexDigits = Array("0123456789ABCDEF".utf8)
      for byte in bytes {
        if needsEncoding(byte) {
          encoded.append(37)
          encoded.append(hexDigits[Int(byte >> 4)])
          encoded.append(hexDigits[Int(byte & 15)])
        } else {
          encoded.append(byte)
        }
      }
      encoded.withUnsafeBufferPointer {
        appendAttribute(bytes: $0, unquoted: !quoted, alreadyEscaped: alreadyEscaped, to: &out)
      }
    }
  }

  static func isSafeCSS(_ string: String) -> Bool {
    for byte in string.utf8 {
      switch byte {
      case 48...57, 65...90, 97...122, 32, 35, 37, 46, 44, 45, 95, 43, 40, 41: continue
      default: return false
      }
    }
    let lowered = string.lowercased()
    return !lowered.contains("expression") && !lowered.contains("url(")
      && !lowered.contains("javascript")
  }

  static func isSafeTagContent(_ string: String) -> Bool {
    string.utf8.allSatisfy {
      ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45
        || $0 == 95
    }
  }

  /// Writes `value` for `context`; `mode` says what the final filter already did.
  static func write(
    _ value: Value, context: EscapeContext, mode: OutputMode, to out: inout [UInt8]
  ) {
    switch context {
    case .text:
      switch value {
      case .html(let markup): out.appendUTF8(markup)
      case .string(let string): appendHTML(string, to: &out)
      case .int(let number): out.appendUTF8(String(number))
      case .null: break
      default: appendHTML(value.text, to: &out)
      }
    case .comment:
      var escaped: [UInt8] = []
      appendHTML(value.text, to: &escaped)
      for byte in escaped {
        if byte == UInt8(ascii: "-") { out.appendUTF8("&#45;") } else { out.append(byte) }
      }
    case .tag:
      let text = value.text
      out.appendUTF8(isSafeTagContent(text) ? text : rejected)
    case .attribute(let quoted):
      appendAttribute(value.text, unquoted: !quoted, alreadyEscaped: mode == .escaped, to: &out)
    case .url(let quoted, let start):
      appendURL(
        value.text, quoted: quoted, start: start, alreadyEscaped: mode == .escaped, to: &out)
    case .scriptAttribute(let quoted):
      guard mode != .json else { return appendAttribute(value.text, unquoted: !quoted, to: &out) }
      var json: [UInt8] = []
      value.appendJSON(to: &json)
      json.withUnsafeBufferPointer { appendAttribute(bytes: $0, unquoted: !quoted, to: &out) }
    case .script:
      if mode == .json { out.appendUTF8(value.text) } else { value.appendJSON(to: &out) }
    case .scriptString(let quote):
      var json: [UInt8] = []
      Value.appendJSONString(value.text, to: &json)
      // The inside of the literal: the JSON string without its quotes.
      for byte in json.dropFirst().dropLast() {
        // Template literals: no `${` and no closing backtick.
        if quote == UInt8(ascii: "`"), byte == UInt8(ascii: "`") {
          out.appendUTF8("\\u0060")
        } else if quote == UInt8(ascii: "`"), byte == UInt8(ascii: "$") {
          out.appendUTF8("\\u0024")
        } else {
          out.append(byte)
        }
      }
    case .style:
      let text = value.text
      out.appendUTF8(isSafeCSS(text) ? text : rejected)
    case .styleAttribute(let quoted):
      let text = value.text
      appendAttribute(isSafeCSS(text) ? text : rejected, unquoted: !quoted, to: &out)
    }
  }
}
