/// A tiny HTML tokenizer run over a template's literal text, in document order, at compile
/// time. It knows just enough (text, tags, attribute names and values, comments, `<script>`
/// and `<style>` bodies) to tell in which context each `{{ }}` will be written.
///
/// Branches are not followed separately: the literal text of a template is scanned linearly,
/// so `{% if %}<a href="{% else %}<b title="{% endif %}…` gets the context of the last text.
/// Every template (and so every included partial and block body of a child) starts in HTML
/// text context.
struct HTMLScanner: Sendable {
  private enum State: Sendable, Equatable {
    case text
    case tagOpen
    case tagName
    case inTag
    case attributeName
    case afterAttributeName
    case beforeValue
    case value(quote: UInt8)  // 0 when unquoted
    case markupDeclaration(dashes: Int)  // after `<!`
    case comment(dashes: Int)
    case bogusComment
    case rawText  // <script> / <style> body, until the matching end tag
  }

  private var state: State = .text
  private var tagName: [UInt8] = []
  private var isEndTag = false
  private var attributeName: [UInt8] = []
  private var valueHasLiteral = false
  /// `script` or `style` while in a raw text body.
  private var rawElement: [UInt8] = []
  private var rawMatch = 0
  /// Inside `<script>`: the open string quote (`"`, `'` or backtick), 0 outside strings.
  private var jsQuote: UInt8 = 0
  private var jsEscaped = false
  /// Inside `<script>`: 1 in a `//` comment, 2 in a `/* */` comment.
  private var jsComment = 0
  private var jsPrevious: UInt8 = 0

  init() {}

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12
  }

  private static func isLetter(_ byte: UInt8) -> Bool {
    (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90)
  }

  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= 65 && byte <= 90 ? byte + 32 : byte
  }

  /// The context a value written at the current position lands in.
  var context: EscapeContext {
    switch state {
    case .text, .tagOpen: return .text
    case .markupDeclaration, .comment, .bogusComment: return .comment
    case .rawText:
      guard rawElement == Array("script".utf8) else { return .style }
      return jsQuote == 0 ? .script : .scriptString(quote: jsQuote)
    case .tagName, .inTag, .attributeName, .afterAttributeName: return .tag
    case .beforeValue: return attributeContext(quoted: false, start: true)
    case .value(let quote): return attributeContext(quoted: quote != 0, start: !valueHasLiteral)
    }
  }

  private static let urlAttributes: Set<[UInt8]> = Set(
    [
      "href", "src", "action", "formaction", "poster", "cite", "srcset", "data", "xlink:href",
      "background", "longdesc", "usemap", "manifest", "ping", "icon",
    ].map { Array($0.utf8) })

  private func attributeContext(quoted: Bool, start: Bool) -> EscapeContext {
    if Self.urlAttributes.contains(attributeName) { return .url(quoted: quoted, start: start) }
    if attributeName == Array("style".utf8) { return .styleAttribute(quoted: quoted) }
    if attributeName.count > 2, attributeName[0] == UInt8(ascii: "o"),
      attributeName[1] == UInt8(ascii: "n")
    {
      return .scriptAttribute(quoted: quoted)
    }
    return .attribute(quoted: quoted)
  }

  /// Accounts for a `{{ }}` written at the current position.
  mutating func placeholder() {
    switch state {
    case .beforeValue:
      state = .value(quote: 0)
      valueHasLiteral = true
    case .value:
      valueHasLiteral = true
    case .tagOpen:
      state = .text
    default:
      break
    }
  }

  mutating func feed(_ text: String) {
    for byte in text.utf8 { step(byte) }
  }

  private mutating func finishTag() {
    if !isEndTag, tagName == Array("script".utf8) || tagName == Array("style".utf8) {
      rawElement = tagName
      rawMatch = 0
      jsQuote = 0
      jsEscaped = false
      jsComment = 0
      jsPrevious = 0
      state = .rawText
    } else {
      state = .text
    }
  }

  /// Follows JavaScript strings and comments just enough to know whether a value lands
  /// inside a string literal (regular expression literals are not recognised).
  private mutating func stepScript(_ byte: UInt8) {
    if jsComment == 1 {
      if byte == 10 { jsComment = 0 }
      return
    }
    if jsComment == 2 {
      if jsPrevious == UInt8(ascii: "*"), byte == UInt8(ascii: "/") {
        jsComment = 0
        jsPrevious = 0
      } else {
        jsPrevious = byte
      }
      return
    }
    if jsQuote != 0 {
      if jsEscaped {
        jsEscaped = false
      } else if byte == UInt8(ascii: "\\") {
        jsEscaped = true
      } else if byte == jsQuote {
        jsQuote = 0
      }
      return
    }
    switch byte {
    case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
      jsQuote = byte
      jsPrevious = 0
    case UInt8(ascii: "/") where jsPrevious == UInt8(ascii: "/"):
      jsComment = 1
      jsPrevious = 0
    case UInt8(ascii: "*") where jsPrevious == UInt8(ascii: "/"):
      jsComment = 2
      jsPrevious = 0
    default:
      jsPrevious = byte
    }
  }

  private mutating func step(_ byte: UInt8) {
    switch state {
    case .text:
      if byte == UInt8(ascii: "<") { state = .tagOpen }
    case .tagOpen:
      if Self.isLetter(byte) {
        tagName = [Self.lower(byte)]
        isEndTag = false
        state = .tagName
      } else if byte == UInt8(ascii: "/") {
        tagName = []
        isEndTag = true
        state = .tagName
      } else if byte == UInt8(ascii: "!") {
        state = .markupDeclaration(dashes: 0)
      } else if byte != UInt8(ascii: "<") {
        state = .text
      }
    case .tagName:
      if Self.isSpace(byte) || byte == UInt8(ascii: "/") {
        state = .inTag
      } else if byte == UInt8(ascii: ">") {
        finishTag()
      } else {
        tagName.append(Self.lower(byte))
      }
    case .inTag:
      if byte == UInt8(ascii: ">") {
        finishTag()
      } else if !Self.isSpace(byte), byte != UInt8(ascii: "/") {
        attributeName = [Self.lower(byte)]
        state = .attributeName
      }
    case .attributeName:
      if byte == UInt8(ascii: "=") {
        state = .beforeValue
      } else if Self.isSpace(byte) {
        state = .afterAttributeName
      } else if byte == UInt8(ascii: ">") {
        finishTag()
      } else if byte == UInt8(ascii: "/") {
        state = .inTag
      } else {
        attributeName.append(Self.lower(byte))
      }
    case .afterAttributeName:
      if byte == UInt8(ascii: "=") {
        state = .beforeValue
      } else if byte == UInt8(ascii: ">") {
        finishTag()
      } else if byte == UInt8(ascii: "/") {
        state = .inTag
      } else if !Self.isSpace(byte) {
        attributeName = [Self.lower(byte)]
        state = .attributeName
      }
    case .beforeValue:
      if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        state = .value(quote: byte)
        valueHasLiteral = false
      } else if byte == UInt8(ascii: ">") {
        finishTag()
      } else if !Self.isSpace(byte) {
        state = .value(quote: 0)
        valueHasLiteral = true
      }
    case .value(let quote):
      if quote == 0 {
        if Self.isSpace(byte) {
          state = .inTag
        } else if byte == UInt8(ascii: ">") {
          finishTag()
        } else {
          valueHasLiteral = true
        }
      } else if byte == quote {
        state = .inTag
      } else {
        valueHasLiteral = true
      }
    case .markupDeclaration(let dashes):
      if byte == UInt8(ascii: "-") {
        state = dashes == 1 ? .comment(dashes: 0) : .markupDeclaration(dashes: 1)
      } else {
        state = byte == UInt8(ascii: ">") ? .text : .bogusComment
      }
    case .comment(let dashes):
      if byte == UInt8(ascii: "-") {
        state = .comment(dashes: dashes + 1)
      } else if byte == UInt8(ascii: ">"), dashes >= 2 {
        state = .text
      } else {
        state = .comment(dashes: 0)
      }
    case .bogusComment:
      if byte == UInt8(ascii: ">") { state = .text }
    case .rawText:
      if rawElement.first == UInt8(ascii: "s"), rawElement.count == 6 { stepScript(byte) }
      // Looks for `</` + the element name, case-insensitively.
      if rawMatch == 0 {
        if byte == UInt8(ascii: "<") { rawMatch = 1 }
      } else if rawMatch == 1 {
        rawMatch = byte == UInt8(ascii: "/") ? 2 : (byte == UInt8(ascii: "<") ? 1 : 0)
      } else {
        let index = rawMatch - 2
        if index < rawElement.count, Self.lower(byte) == rawElement[index] {
          rawMatch += 1
          if index + 1 == rawElement.count {
            tagName = rawElement
            isEndTag = true
            rawMatch = 0
            state = .tagName
          }
        } else {
          rawMatch = byte == UInt8(ascii: "<") ? 1 : 0
        }
      }
    }
  }
}
