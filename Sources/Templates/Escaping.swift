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

  /// HTML-escapes `string` into `out`: one scan, and when something must be escaped, one
  /// byte buffer turned into one string.
  static func appendHTML(_ string: String, to out: inout String) {
    let handled: Bool? = string.utf8.withContiguousStorageIfAvailable { bytes in
      guard let first = bytes.firstIndex(where: needsHTMLEscape) else { return false }
      var scratch: [UInt8] = []
      scratch.reserveCapacity(bytes.count + 24)
      var runStart = 0
      var index = first
      while index < bytes.count {
        let byte = bytes[index]
        if needsHTMLEscape(byte) {
          scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
          switch byte {
          case 38: scratch.append(contentsOf: entityAmp)
          case 60: scratch.append(contentsOf: entityLess)
          case 62: scratch.append(contentsOf: entityGreater)
          case 34: scratch.append(contentsOf: entityQuote)
          default: scratch.append(contentsOf: entityApostrophe)
          }
          runStart = index + 1
        }
        index += 1
      }
      scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
      out += String(decoding: scratch, as: UTF8.self)
      return true
    }
    switch handled {
    case true?: return
    case false?: out += string
    case nil:
      for scalar in string.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&#34;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(scalar)
        }
      }
    }
  }

  static func html(_ string: String) -> String {
    var out = ""
    appendHTML(string, to: &out)
    return out
  }

  /// Attribute escaping; `unquoted` adds whitespace, `=` and backtick. `alreadyEscaped`
  /// (the value went through `| escape`) skips the entity part.
  static func appendAttribute(
    _ string: String, unquoted: Bool, alreadyEscaped: Bool = false, to out: inout String
  ) {
    if !unquoted {
      if alreadyEscaped { out += string } else { appendHTML(string, to: &out) }
      return
    }
    for scalar in string.unicodeScalars {
      switch scalar {
      case "&" where !alreadyEscaped: out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&#34;"
      case "'": out += "&#39;"
      case " ": out += "&#32;"
      case "\t": out += "&#9;"
      case "\n": out += "&#10;"
      case "\r": out += "&#13;"
      case "\u{0C}": out += "&#12;"
      case "=": out += "&#61;"
      case "`": out += "&#96;"
      default: out.unicodeScalars.append(scalar)
      }
    }
  }

  /// True when a URL's scheme is one we let through.
  static func isSafeURL(_ url: String) -> Bool {
    // No scheme (a relative URL) when a `/`, `?` or `#` comes before any `:`.
    for byte in url.utf8 {
      if byte == UInt8(ascii: ":") { break }
      if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
        return true
      }
    }
    var normalized = ""
    for scalar in url.unicodeScalars {
      if scalar.value <= 0x20 || scalar.value == 0x7F { continue }
      if scalar == ":" || scalar == "/" || scalar == "?" || scalar == "#" {
        normalized.unicodeScalars.append(scalar)
        break
      }
      normalized.unicodeScalars.append(scalar)
    }
    guard normalized.hasSuffix(":") else { return true }  // relative URL, no scheme
    let scheme = normalized.lowercased()
    switch scheme {
    case "http:", "https:", "mailto:", "tel:": return true
    case "data:":
      var compact = ""
      for scalar in url.unicodeScalars where scalar.value > 0x20 && scalar.value != 0x7F {
        compact.unicodeScalars.append(scalar)
      }
      compact = compact.lowercased()
      return ["png", "gif", "jpeg", "jpg", "webp", "avif"].contains {
        compact.hasPrefix("data:image/\($0);") || compact.hasPrefix("data:image/\($0),")
      }
    default: return false
    }
  }

  static func appendURL(
    _ string: String, quoted: Bool, start: Bool, alreadyEscaped: Bool, to out: inout String
  ) {
    if start, !isSafeURL(string) {
      out += "#" + rejected
      return
    }
    func needsEncoding(_ byte: UInt8) -> Bool {
      byte <= 0x20 || byte == 0x7F || byte == 34 || byte == 39 || byte == 60 || byte == 62
        || byte == 96
    }
    var encoded = string
    let clean =
      string.utf8.withContiguousStorageIfAvailable { !$0.contains(where: needsEncoding) }
      ?? !string.utf8.contains(where: needsEncoding)
    if !clean {
      var bytes: [UInt8] = []
      bytes.reserveCapacity(string.utf8.count + 16)
      let hexDigits = Array("0123456789ABCDEF".utf8)
      for byte in string.utf8 {
        if needsEncoding(byte) {
          bytes.append(37)
          bytes.append(hexDigits[Int(byte >> 4)])
          bytes.append(hexDigits[Int(byte & 15)])
        } else {
          bytes.append(byte)
        }
      }
      encoded = String(decoding: bytes, as: UTF8.self)
    }
    appendAttribute(encoded, unquoted: !quoted, alreadyEscaped: alreadyEscaped, to: &out)
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
    _ value: Value, context: EscapeContext, mode: OutputMode, to out: inout String
  ) {
    switch context {
    case .text:
      switch value {
      case .html(let markup): out += markup
      case .string(let string): appendHTML(string, to: &out)
      case .int(let number): out += String(number)
      case .null: break
      default: appendHTML(value.text, to: &out)
      }
    case .comment:
      var escaped = ""
      appendHTML(value.text, to: &escaped)
      out += escaped.replacingOccurrences(of: "-", with: "&#45;")
    case .tag:
      let text = value.text
      out += isSafeTagContent(text) ? text : rejected
    case .attribute(let quoted):
      appendAttribute(value.text, unquoted: !quoted, alreadyEscaped: mode == .escaped, to: &out)
    case .url(let quoted, let start):
      appendURL(
        value.text, quoted: quoted, start: start, alreadyEscaped: mode == .escaped, to: &out)
    case .scriptAttribute(let quoted):
      var json = ""
      if mode == .json { json = value.text } else { value.appendJSON(to: &json) }
      appendAttribute(json, unquoted: !quoted, to: &out)
    case .script:
      if mode == .json { out += value.text } else { value.appendJSON(to: &out) }
    case .scriptString(let quote):
      var json = ""
      Value.appendJSONString(value.text, to: &json)
      var content = json.dropFirst().dropLast()[...]
      if quote == UInt8(ascii: "`") {
        // Template literals: no `${` and no closing backtick.
        let escaped = content.replacingOccurrences(of: "`", with: "\\u0060")
          .replacingOccurrences(of: "$", with: "\\u0024")
        content = escaped[...]
      }
      out += content
    case .style:
      let text = value.text
      out += isSafeCSS(text) ? text : rejected
    case .styleAttribute(let quoted):
      let text = value.text
      appendAttribute(isSafeCSS(text) ? text : rejected, unquoted: !quoted, to: &out)
    }
  }
}
