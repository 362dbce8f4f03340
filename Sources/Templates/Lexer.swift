import Diagnostics

/// One token inside `{{ }}` or `{% %}`.
struct Token: Sendable {
  enum Kind: Sendable, Equatable {
    case name
    case string
    case int
    case float
    case op
  }

  var kind: Kind
  /// Identifier, operator, or the decoded contents of a string literal.
  var text: String
  var intValue: Int = 0
  var doubleValue: Double = 0
  var line: Int
  var column: Int
}

/// The lexer's output: literal text, `{{ }}` outputs and `{% %}` tags. Comments are dropped,
/// `{% raw %}` bodies become text, whitespace control is already applied.
enum Segment: Sendable {
  case text(String, line: Int, column: Int)
  /// `end` is where the closing delimiter starts (for "end of tag" errors).
  case output([Token], line: Int, column: Int, end: (line: Int, column: Int))
  case tag([Token], line: Int, column: Int, end: (line: Int, column: Int))
}

/// Splits a template into segments, tokenizing the inside of every delimiter pair.
struct Lexer {
  private let bytes: [UInt8]
  private let file: String
  private var pos = 0
  private var line = 1
  private var column = 1
  private var trimNext = false
  private var closeLine = 1
  private var closeColumn = 1
  private(set) var segments: [Segment] = []
  private(set) var diagnostics: [Diagnostic] = []

  init(text: String, file: String) {
    self.bytes = Array(text.utf8)
    self.file = file
  }

  private func location(_ line: Int, _ column: Int) -> SourceLocation {
    SourceLocation(file: file, line: line, column: column)
  }

  private mutating func error(_ message: String, line: Int, column: Int) {
    diagnostics.append(Diagnostic.error(message, at: location(line, column)))
  }

  private mutating func advance() {
    let byte = bytes[pos]
    if byte == 10 {
      line += 1
      column = 1
    } else if byte & 0xC0 != 0x80 {
      column += 1
    }
    pos += 1
  }

  private mutating func advance(_ count: Int) {
    for _ in 0..<count where pos < bytes.count { advance() }
  }

  private func peek(_ offset: Int = 0) -> UInt8? {
    let index = pos + offset
    return index < bytes.count ? bytes[index] : nil
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 12
  }

  /// Appends the text `bytes[start..<end]`, honouring pending `-}}` and the given `{{-`.
  private mutating func flushText(
    from start: Int, to end: Int, line: Int, column: Int, trimTrailing: Bool
  ) {
    var lower = start
    var upper = end
    if trimNext {
      while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
    }
    if trimTrailing {
      while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
    }
    trimNext = false
    if lower < upper {
      let text = String(decoding: bytes[lower..<upper], as: UTF8.self)
      segments.append(.text(text, line: line, column: column))
    }
  }

  mutating func run() {
    var textStart = pos
    var textLine = line
    var textColumn = column
    while pos < bytes.count {
      guard bytes[pos] == UInt8(ascii: "{"), let next = peek(1),
        next == UInt8(ascii: "{") || next == UInt8(ascii: "%") || next == UInt8(ascii: "#")
      else {
        advance()
        continue
      }
      let trimPrevious = peek(2) == UInt8(ascii: "-")
      flushText(
        from: textStart, to: pos, line: textLine, column: textColumn, trimTrailing: trimPrevious)
      let startLine = line
      let startColumn = column
      advance(trimPrevious ? 3 : 2)
      switch next {
      case UInt8(ascii: "#"):
        if !skipComment() {
          error("unclosed comment '{#'", line: startLine, column: startColumn)
          return
        }
      case UInt8(ascii: "{"):
        guard let tokens = lexTokens(closing: UInt8(ascii: "}")) else {
          error("unclosed '{{' (expected '}}')", line: startLine, column: startColumn)
          return
        }
        segments.append(
          .output(
            tokens, line: startLine, column: startColumn, end: (closeLine, closeColumn)))
      default:
        guard let tokens = lexTokens(closing: UInt8(ascii: "%")) else {
          error("unclosed '{%' (expected '%}')", line: startLine, column: startColumn)
          return
        }
        if tokens.count == 1, tokens[0].kind == .name, tokens[0].text == "raw" {
          if !lexRaw(line: startLine, column: startColumn) { return }
        } else {
          segments.append(
            .tag(tokens, line: startLine, column: startColumn, end: (closeLine, closeColumn)))
        }
      }
      textStart = pos
      textLine = line
      textColumn = column
    }
    flushText(
      from: textStart, to: pos, line: textLine, column: textColumn, trimTrailing: false)
  }

  /// Skips to after `#}`; false at end of input.
  private mutating func skipComment() -> Bool {
    while pos + 1 < bytes.count {
      if bytes[pos] == UInt8(ascii: "#"), bytes[pos + 1] == UInt8(ascii: "}") {
        trimNext = pos > 0 && bytes[pos - 1] == UInt8(ascii: "-")
        advance(2)
        return true
      }
      advance()
    }
    return false
  }

  /// After `{% raw %}`: everything up to `{% endraw %}` becomes one text segment.
  private mutating func lexRaw(line startLine: Int, column startColumn: Int) -> Bool {
    let bodyStart = pos
    let bodyLine = line
    let bodyColumn = column
    while pos + 1 < bytes.count {
      if bytes[pos] == UInt8(ascii: "{"), bytes[pos + 1] == UInt8(ascii: "%") {
        var probe = pos + 2
        let trimBefore = probe < bytes.count && bytes[probe] == UInt8(ascii: "-")
        if trimBefore { probe += 1 }
        while probe < bytes.count, Self.isSpace(bytes[probe]) { probe += 1 }
        let keyword = Array("endraw".utf8)
        if probe + keyword.count <= bytes.count,
          Array(bytes[probe..<probe + keyword.count]) == keyword
        {
          probe += keyword.count
          while probe < bytes.count, Self.isSpace(bytes[probe]) { probe += 1 }
          var trimAfter = false
          if probe < bytes.count, bytes[probe] == UInt8(ascii: "-") {
            trimAfter = true
            probe += 1
          }
          if probe + 1 < bytes.count, bytes[probe] == UInt8(ascii: "%"),
            bytes[probe + 1] == UInt8(ascii: "}")
          {
            flushText(
              from: bodyStart, to: pos, line: bodyLine, column: bodyColumn,
              trimTrailing: trimBefore)
            advance(probe + 2 - pos)
            trimNext = trimAfter
            return true
          }
        }
      }
      advance()
    }
    error("unclosed 'raw' tag (expected '{% endraw %}')", line: startLine, column: startColumn)
    return false
  }

  /// Tokens up to the closing `}}` (closing `}`) or `%}` (closing `%`); nil at end of input.
  private mutating func lexTokens(closing: UInt8) -> [Token]? {
    var tokens: [Token] = []
    var braceDepth = 0
    while pos < bytes.count {
      let byte = bytes[pos]
      if Self.isSpace(byte) {
        advance()
        continue
      }
      if byte == UInt8(ascii: "-"), peek(1) == closing, peek(2) == UInt8(ascii: "}"),
        braceDepth == 0 || closing == UInt8(ascii: "%")
      {
        closeLine = line
        closeColumn = column
        advance(3)
        trimNext = true
        return tokens
      }
      if byte == closing, peek(1) == UInt8(ascii: "}"),
        braceDepth == 0 || closing == UInt8(ascii: "%")
      {
        closeLine = line
        closeColumn = column
        advance(2)
        trimNext = false
        return tokens
      }
      let tokenLine = line
      let tokenColumn = column
      if Self.isIdentifierStart(byte) {
        let start = pos
        while pos < bytes.count, Self.isIdentifierStart(bytes[pos]) || Self.isDigit(bytes[pos]) {
          advance()
        }
        let text = String(decoding: bytes[start..<pos], as: UTF8.self)
        tokens.append(Token(kind: .name, text: text, line: tokenLine, column: tokenColumn))
      } else if Self.isDigit(byte) {
        tokens.append(lexNumber(line: tokenLine, column: tokenColumn))
      } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
        guard let token = lexString(quote: byte, line: tokenLine, column: tokenColumn) else {
          return nil
        }
        tokens.append(token)
      } else {
        let two: String? =
          if let next = peek(1), next == UInt8(ascii: "="),
            [UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">")]
              .contains(byte)
          {
            String(decoding: [byte, next], as: UTF8.self)
          } else { nil }
        if let two {
          advance(2)
          tokens.append(Token(kind: .op, text: two, line: tokenLine, column: tokenColumn))
          continue
        }
        if Self.singleOperators.contains(byte) {
          if byte == UInt8(ascii: "{") { braceDepth += 1 }
          if byte == UInt8(ascii: "}") { braceDepth = max(0, braceDepth - 1) }
          advance()
          let text = String(decoding: [byte], as: UTF8.self)
          tokens.append(Token(kind: .op, text: text, line: tokenLine, column: tokenColumn))
        } else {
          let start = pos
          advance()
          while pos < bytes.count, bytes[pos] & 0xC0 == 0x80 { advance() }
          let text = String(decoding: bytes[start..<pos], as: UTF8.self)
          error("unexpected character '\(text)'", line: tokenLine, column: tokenColumn)
        }
      }
    }
    return nil
  }

  private static let singleOperators: Set<UInt8> = Set("+-*/%~|.,:()[]{}=<>!".utf8)

  private static func isIdentifierStart(_ byte: UInt8) -> Bool {
    (byte >= 97 && byte <= 122) || (byte >= 65 && byte <= 90) || byte == 95
  }

  private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

  private mutating func lexNumber(line: Int, column: Int) -> Token {
    let start = pos
    while pos < bytes.count, Self.isDigit(bytes[pos]) { advance() }
    var isFloat = false
    if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "."), Self.isDigit(bytes[pos + 1]) {
      isFloat = true
      advance()
      while pos < bytes.count, Self.isDigit(bytes[pos]) { advance() }
    }
    let text = String(decoding: bytes[start..<pos], as: UTF8.self)
    if isFloat {
      var token = Token(kind: .float, text: text, line: line, column: column)
      token.doubleValue = Double(text) ?? 0
      return token
    }
    guard let value = Int(text) else {
      error("integer literal '\(text)' is too large", line: line, column: column)
      return Token(kind: .int, text: text, line: line, column: column)
    }
    var token = Token(kind: .int, text: text, line: line, column: column)
    token.intValue = value
    return token
  }

  private mutating func lexString(quote: UInt8, line: Int, column: Int) -> Token? {
    advance()
    var decoded: [UInt8] = []
    while pos < bytes.count {
      let byte = bytes[pos]
      if byte == quote {
        advance()
        let text = String(decoding: decoded, as: UTF8.self)
        return Token(kind: .string, text: text, line: line, column: column)
      }
      if byte == UInt8(ascii: "\\"), let next = peek(1) {
        switch next {
        case UInt8(ascii: "n"): decoded.append(10)
        case UInt8(ascii: "t"): decoded.append(9)
        case UInt8(ascii: "r"): decoded.append(13)
        default: decoded.append(next)
        }
        advance(2)
        continue
      }
      decoded.append(byte)
      advance()
    }
    error("unterminated string literal", line: line, column: column)
    return nil
  }
}
