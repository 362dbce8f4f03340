import Diagnostics

/// One template after parsing, before names are resolved against the library.
struct ParsedTemplate: Sendable {
  var name: String
  var path: String
  var text: String
  var body: [Node] = []
  var parent: String?
  var blocks: [String: [Node]] = [:]
  var macros: [String: Macro] = [:]
  /// Import alias → template name.
  var imports: [String: String] = [:]
  var references: [TemplateReference] = []
  var macroCalls: [MacroCall] = []
}

private struct ParseError: Error {
  var diagnostic: Diagnostic
}

/// Recursive-descent parser from lexer segments to the AST. It collects every error of the
/// template and keeps going (a bad tag is skipped, an unclosed block closes at the end).
struct Parser {
  private let filters: [String: Filter]
  private let segments: [Segment]
  private var segmentIndex = 0
  private var tokens: [Token] = []
  private var position = 0
  private var tagLine = 1
  private var tagColumn = 1
  private var endLine = 1
  private var endColumn = 1
  private var expressionDepth = 0
  private var blockDepth = 0
  private var nesting = 0
  /// Set when parsing gave up (nesting too deep): no more "unclosed" errors.
  private var aborted = false
  private var scanner = HTMLScanner()
  private(set) var diagnostics: [Diagnostic] = []
  /// The library's variable names, with this template's added.
  private(set) var symbols: SymbolTable
  private(set) var template: ParsedTemplate

  static let maximumExpressionDepth = 64
  static let maximumNesting = 200

  init(
    source: TemplateSource, segments: [Segment], filters: [String: Filter], symbols: SymbolTable
  ) {
    self.filters = filters
    self.segments = segments
    self.symbols = symbols
    self.template = ParsedTemplate(name: source.name, path: source.path, text: source.text)
  }

  mutating func run() {
    let (nodes, _) = parseBody(terminators: [], opener: nil)
    template.body = nodes
  }

  // MARK: - Token cursor

  private func location(_ line: Int, _ column: Int) -> SourceLocation {
    SourceLocation(file: template.path, line: line, column: column)
  }

  private func location(of token: Token) -> SourceLocation {
    location(token.line, token.column)
  }

  private var current: Token? { position < tokens.count ? tokens[position] : nil }

  /// Where the next token is, or the tag itself when there is none left.
  private var currentLocation: SourceLocation {
    if let current { return location(of: current) }
    return location(endLine, endColumn)
  }

  private func failure(_ message: String, at location: SourceLocation) -> ParseError {
    ParseError(diagnostic: Diagnostic.error(message, at: location))
  }

  private func isOperator(_ text: String) -> Bool {
    guard let current else { return false }
    return current.kind == .op && current.text == text
  }

  private func isName(_ text: String) -> Bool {
    guard let current else { return false }
    return current.kind == .name && current.text == text
  }

  private mutating func accept(operator text: String) -> Bool {
    if isOperator(text) {
      position += 1
      return true
    }
    return false
  }

  private mutating func accept(name text: String) -> Bool {
    if isName(text) {
      position += 1
      return true
    }
    return false
  }

  private func describe(_ token: Token?) -> String {
    guard let token else { return "end of tag" }
    return token.kind == .string ? "string \"\(token.text)\"" : "'\(token.text)'"
  }

  private mutating func expect(operator text: String) throws(ParseError) {
    guard accept(operator: text) else {
      throw failure("expected '\(text)', found \(describe(current))", at: currentLocation)
    }
  }

  private mutating func expectName() throws(ParseError) -> Token {
    guard let token = current, token.kind == .name else {
      throw failure("expected a name, found \(describe(current))", at: currentLocation)
    }
    position += 1
    return token
  }

  private mutating func expectString() throws(ParseError) -> Token {
    guard let token = current, token.kind == .string else {
      throw failure(
        "expected a template name in quotes, found \(describe(current))", at: currentLocation)
    }
    position += 1
    return token
  }

  private func expectEnd() throws(ParseError) {
    if let current {
      throw failure("unexpected \(describe(current))", at: location(of: current))
    }
  }

  private mutating func begin(
    _ newTokens: [Token], line: Int, column: Int, end: (line: Int, column: Int)
  ) {
    endLine = end.line
    endColumn = end.column
    tokens = newTokens
    position = 0
    tagLine = line
    tagColumn = column
    expressionDepth = 0
  }

  private mutating func report(_ error: ParseError) {
    diagnostics.append(error.diagnostic)
  }

  // MARK: - Structure

  /// Parses nodes until one of `terminators`; returns the terminating tag name (the cursor is
  /// then just after it), "" when a wrong end tag closed the block, nil at end of input.
  private mutating func parseBody(
    terminators: Set<String>, opener: (name: String, location: SourceLocation)?
  ) -> ([Node], String?) {
    var nodes: [Node] = []
    nesting += 1
    defer { nesting -= 1 }
    if nesting > Self.maximumNesting, let opener {
      report(
        failure("tags nested more than \(Self.maximumNesting) levels deep", at: opener.location))
      segmentIndex = segments.count
      aborted = true
      return (nodes, "")
    }
    while segmentIndex < segments.count {
      let segment = segments[segmentIndex]
      segmentIndex += 1
      switch segment {
      case .text(let text, _, _):
        scanner.feed(text)
        nodes.append(.text(text))
      case .output(let outputTokens, let line, let column, let end):
        begin(outputTokens, line: line, column: column, end: end)
        do throws(ParseError) {
          guard !outputTokens.isEmpty else {
            throw failure("empty '{{ }}'", at: location(line, column))
          }
          let expression = try parseExpression()
          try expectEnd()
          var mode = OutputMode.normal
          if case .filter(let call) = expression {
            if call.name == "escape" || call.name == "e" { mode = .escaped }
            if call.name == "json" { mode = .json }
          }
          nodes.append(
            .output(
              Output(
                expression: expression, context: scanner.context, mode: mode,
                location: location(line, column))))
          scanner.placeholder()
        } catch {
          report(error)
        }
      case .tag(let tagTokens, let line, let column, let end):
        begin(tagTokens, line: line, column: column, end: end)
        guard let first = tagTokens.first, first.kind == .name else {
          report(failure("expected a tag name", at: location(line, column)))
          continue
        }
        position = 1
        let name = first.text
        if terminators.contains(name) { return (nodes, name) }
        let tagLocation = location(of: first)
        do throws(ParseError) {
          switch name {
          case "if": nodes.append(try parseIf(at: tagLocation))
          case "for": nodes.append(try parseFor(at: tagLocation))
          case "set":
            let variable = try expectName()
            try expect(operator: "=")
            let value = try parseExpression()
            try expectEnd()
            nodes.append(.set(symbols.intern(variable.text), value, location(of: variable)))
          case "extends":
            let parent = try expectString()
            try expectEnd()
            if blockDepth > 0 || opener != nil {
              throw failure("'extends' must be at the top level of a template", at: tagLocation)
            }
            if template.parent != nil {
              throw failure("a template can extend only one template", at: tagLocation)
            }
            template.parent = parent.text
            template.references.append(
              TemplateReference(kind: .extends, name: parent.text, location: location(of: parent)))
          case "block": nodes.append(try parseBlock(at: tagLocation))
          case "include": nodes.append(try parseInclude(at: tagLocation))
          case "import":
            let file = try expectString()
            guard accept(name: "as") else {
              throw failure("expected 'as' after the imported template name", at: currentLocation)
            }
            let alias = try expectName()
            try expectEnd()
            template.imports[alias.text] = file.text
            template.references.append(
              TemplateReference(kind: .import, name: file.text, location: location(of: file)))
          case "macro": try parseMacro(at: tagLocation)
          case "endif", "endfor", "endblock", "endmacro", "else", "elif":
            if let opener {
              report(
                failure(
                  "'\(name)' does not close '\(opener.name)' opened at line \(opener.location.line)",
                  at: tagLocation))
              return (nodes, "")
            }
            throw failure("unexpected '\(name)' without an open block", at: tagLocation)
          case "endraw":
            throw failure("unexpected 'endraw' without 'raw'", at: tagLocation)
          default:
            throw failure("unknown tag '\(name)'", at: tagLocation)
          }
        } catch {
          report(error)
        }
      }
    }
    if let opener, !aborted {
      let expected = terminators.filter { $0.hasPrefix("end") }.sorted().joined(separator: "' or '")
      report(
        failure("unclosed '\(opener.name)' (expected '\(expected)')", at: opener.location))
    }
    return (nodes, nil)
  }

  private mutating func parseIf(at tagLocation: SourceLocation) throws(ParseError) -> Node {
    var branches: [IfBranch] = []
    var condition = Expr.literal(false)
    do throws(ParseError) {
      condition = try parseExpression()
      try expectEnd()
    } catch {
      report(error)
    }
    while true {
      let (body, terminator) = parseBody(
        terminators: ["elif", "else", "endif"], opener: ("if", tagLocation))
      branches.append(IfBranch(condition: condition, body: body))
      switch terminator {
      case "elif":
        do throws(ParseError) {
          condition = try parseExpression()
          try expectEnd()
        } catch {
          report(error)
          condition = .literal(false)
        }
      case "else":
        reportTrailing()
        let (elseBody, end) = parseBody(terminators: ["endif"], opener: ("if", tagLocation))
        if end == "endif" { reportTrailing() }
        return .ifChain(branches, elseBody: elseBody)
      case "endif":
        reportTrailing()
        return .ifChain(branches, elseBody: [])
      default:
        return .ifChain(branches, elseBody: [])
      }
    }
  }

  private mutating func reportTrailing() {
    do throws(ParseError) { try expectEnd() } catch { report(error) }
  }

  private mutating func parseFor(at tagLocation: SourceLocation) throws(ParseError) -> Node {
    var keyName: Symbol?
    // A placeholder until the names are read: a tag that fails to parse fails the library.
    var valueName = SymbolTable.loop
    var iterable = Expr.list([])
    do throws(ParseError) {
      let first = try expectName()
      valueName = symbols.intern(first.text)
      if accept(operator: ",") {
        keyName = valueName
        valueName = symbols.intern(try expectName().text)
      }
      guard accept(name: "in") else {
        throw failure("expected 'in', found \(describe(current))", at: currentLocation)
      }
      iterable = try parseExpression()
      try expectEnd()
    } catch {
      report(error)
    }
    let (body, terminator) = parseBody(
      terminators: ["else", "endfor"], opener: ("for", tagLocation))
    var elseBody: [Node] = []
    if terminator == "else" {
      reportTrailing()
      let (nodes, end) = parseBody(terminators: ["endfor"], opener: ("for", tagLocation))
      elseBody = nodes
      if end == "endfor" { reportTrailing() }
    } else if terminator == "endfor" {
      reportTrailing()
    }
    return .forLoop(
      ForLoop(
        keyName: keyName, valueName: valueName, iterable: iterable, body: body,
        elseBody: elseBody, location: tagLocation))
  }

  private mutating func parseBlock(at tagLocation: SourceLocation) throws(ParseError) -> Node {
    let name = try expectName()
    try expectEnd()
    blockDepth += 1
    let (body, terminator) = parseBody(terminators: ["endblock"], opener: ("block", tagLocation))
    blockDepth -= 1
    if terminator == "endblock", let closing = current {
      position += 1
      if closing.kind != .name || closing.text != name.text {
        report(
          failure(
            "'endblock \(closing.text)' does not match 'block \(name.text)'",
            at: location(of: closing)))
      }
      reportTrailing()
    }
    if template.blocks[name.text] != nil {
      report(failure("block '\(name.text)' is defined twice", at: location(of: name)))
    } else {
      template.blocks[name.text] = body
    }
    return .block(name.text, location(of: name))
  }

  private mutating func parseInclude(at tagLocation: SourceLocation) throws(ParseError) -> Node {
    let file = try expectString()
    var extra: Expr?
    var only = false
    if accept(name: "with") { extra = try parseExpression() }
    if accept(name: "only") { only = true }
    try expectEnd()
    template.references.append(
      TemplateReference(kind: .include, name: file.text, location: location(of: file)))
    return .include(Include(name: file.text, extra: extra, only: only, location: tagLocation))
  }

  private mutating func parseMacro(at tagLocation: SourceLocation) throws(ParseError) {
    let name = try expectName()
    try expect(operator: "(")
    var parameters: [MacroParameter] = []
    if !accept(operator: ")") {
      repeat {
        let parameter = try expectName()
        var defaultValue: Expr?
        if accept(operator: "=") { defaultValue = try parseExpression() }
        parameters.append(
          MacroParameter(symbol: symbols.intern(parameter.text), defaultValue: defaultValue))
      } while accept(operator: ",")
      try expect(operator: ")")
    }
    try expectEnd()
    let (body, terminator) = parseBody(terminators: ["endmacro"], opener: ("macro", tagLocation))
    if terminator == "endmacro" {
      _ = accept(name: name.text)
      reportTrailing()
    }
    if template.macros[name.text] != nil {
      report(failure("macro '\(name.text)' is defined twice", at: location(of: name)))
    }
    template.macros[name.text] = Macro(
      name: name.text, parameters: parameters, body: body, location: location(of: name))
  }

  // MARK: - Expressions

  private mutating func parseExpression() throws(ParseError) -> Expr {
    expressionDepth += 1
    defer { expressionDepth -= 1 }
    if expressionDepth > Self.maximumExpressionDepth {
      throw failure("expression is nested too deeply", at: currentLocation)
    }
    let value = try parseOr()
    if accept(name: "if") {
      let condition = try parseOr()
      var otherwise: Expr?
      if accept(name: "else") { otherwise = try parseExpression() }
      return .conditional(then: value, condition: condition, otherwise: otherwise)
    }
    return value
  }

  private mutating func parseOr() throws(ParseError) -> Expr {
    var left = try parseAnd()
    while accept(name: "or") { left = .or(left, try parseAnd()) }
    return left
  }

  private mutating func parseAnd() throws(ParseError) -> Expr {
    var left = try parseNot()
    while accept(name: "and") { left = .and(left, try parseNot()) }
    return left
  }

  private mutating func parseNot() throws(ParseError) -> Expr {
    if isName("not") {
      position += 1
      expressionDepth += 1
      defer { expressionDepth -= 1 }
      if expressionDepth > Self.maximumExpressionDepth {
        throw failure("expression is nested too deeply", at: currentLocation)
      }
      return .not(try parseNot())
    }
    return try parseComparison()
  }

  private static let comparisons: [String: BinaryOperator] = [
    "==": .equal, "!=": .notEqual, "<": .less, ">": .greater, "<=": .lessOrEqual,
    ">=": .greaterOrEqual,
  ]

  private mutating func parseComparison() throws(ParseError) -> Expr {
    var left = try parseConcat()
    while let token = current {
      let tokenLocation = location(of: token)
      if token.kind == .op, let op = Self.comparisons[token.text] {
        position += 1
        left = .binary(op, left, try parseConcat(), tokenLocation)
      } else if isName("in") {
        position += 1
        left = .binary(.contains, left, try parseConcat(), tokenLocation)
      } else if isName("not"), position + 1 < tokens.count, tokens[position + 1].kind == .name,
        tokens[position + 1].text == "in"
      {
        position += 2
        left = .binary(.notContains, left, try parseConcat(), tokenLocation)
      } else if isName("is") {
        position += 1
        let negated = accept(name: "not")
        let testToken = try expectName()
        let testName =
          testToken.text == "none" || testToken.text == "None" ? "none" : testToken.text
        guard let test = TestKind(rawValue: testName) else {
          throw failure("unknown test '\(testToken.text)'", at: location(of: testToken))
        }
        left = .test(left, test, negated: negated, tokenLocation)
      } else {
        break
      }
    }
    return left
  }

  private mutating func parseConcat() throws(ParseError) -> Expr {
    var left = try parseAdditive()
    while let token = current, token.kind == .op, token.text == "~" {
      position += 1
      left = .binary(.concat, left, try parseAdditive(), location(of: token))
    }
    return left
  }

  private mutating func parseAdditive() throws(ParseError) -> Expr {
    var left = try parseMultiplicative()
    while let token = current, token.kind == .op, token.text == "+" || token.text == "-" {
      position += 1
      let right = try parseMultiplicative()
      left = .binary(token.text == "+" ? .add : .subtract, left, right, location(of: token))
    }
    return left
  }

  private mutating func parseMultiplicative() throws(ParseError) -> Expr {
    var left = try parseUnary()
    while let token = current, token.kind == .op,
      let op = BinaryOperator(rawValue: token.text),
      op == .multiply || op == .divide || op == .modulo
    {
      position += 1
      left = .binary(op, left, try parseUnary(), location(of: token))
    }
    return left
  }

  /// Unary minus binds tighter than filters, as in Jinja: `-3 | abs` is `(-3) | abs`.
  private mutating func parseUnary(withFilters: Bool = true) throws(ParseError) -> Expr {
    var value: Expr
    if let token = current, token.kind == .op, token.text == "-" || token.text == "+" {
      position += 1
      expressionDepth += 1
      defer { expressionDepth -= 1 }
      if expressionDepth > Self.maximumExpressionDepth {
        throw failure("expression is nested too deeply", at: currentLocation)
      }
      let operand = try parseUnary(withFilters: false)
      value = token.text == "-" ? .negate(operand, location(of: token)) : operand
    } else {
      value = try parsePostfix()
    }
    return withFilters ? try parseFilters(on: value) : value
  }

  private mutating func parseFilters(on base: Expr) throws(ParseError) -> Expr {
    var value = base
    while accept(operator: "|") {
      let nameToken = try expectName()
      let name = nameToken.text
      var positional: [Expr] = []
      var keywords: [(name: String, value: Expr)] = []
      if accept(operator: "(") { (positional, keywords) = try parseArguments() }
      guard let function = filters[name] else {
        throw failure("unknown filter '\(name)'", at: location(of: nameToken))
      }
      var arguments = positional
      if !keywords.isEmpty {
        if let names = BuiltinFilters.parameterNames[name], filters[name] != nil {
          for (keyword, argument) in keywords {
            guard let slot = names.firstIndex(of: keyword) else {
              throw failure(
                "filter '\(name)' has no argument named '\(keyword)'", at: location(of: nameToken))
            }
            while arguments.count <= slot { arguments.append(.literal(.null)) }
            arguments[slot] = argument
          }
        } else {
          arguments += keywords.map(\.value)
        }
      }
      value = .filter(
        FilterCall(
          input: value, name: name, function: function, arguments: arguments,
          location: location(of: nameToken)))
    }
    return value
  }

  private mutating func parseArguments() throws(ParseError) -> (
    [Expr], [(name: String, value: Expr)]
  ) {
    var positional: [Expr] = []
    var keywords: [(name: String, value: Expr)] = []
    if accept(operator: ")") { return (positional, keywords) }
    repeat {
      if let token = current, token.kind == .name, position + 1 < tokens.count,
        tokens[position + 1].kind == .op, tokens[position + 1].text == "="
      {
        position += 2
        keywords.append((token.text, try parseExpression()))
      } else {
        if !keywords.isEmpty {
          throw failure("positional argument after keyword arguments", at: currentLocation)
        }
        positional.append(try parseExpression())
      }
    } while accept(operator: ",")
    try expect(operator: ")")
    return (positional, keywords)
  }

  private mutating func parsePostfix() throws(ParseError) -> Expr {
    var value = try parsePrimary()
    while let token = current, token.kind == .op {
      switch token.text {
      case ".":
        position += 1
        guard let member = current, member.kind == .name || member.kind == .int else {
          throw failure("expected a member name after '.'", at: currentLocation)
        }
        position += 1
        if member.kind == .int {
          value = .index(value, .literal(.int(member.intValue)), location(of: member))
        } else {
          value = .member(value, member.text, location(of: member))
        }
      case "[":
        position += 1
        let index = try parseExpression()
        try expect(operator: "]")
        value = .index(value, index, location(of: token))
      case "(":
        position += 1
        let (positional, keywords) = try parseArguments()
        switch value {
        case .variable(let symbol, let superLocation) where symbol.name == "super":
          guard positional.isEmpty, keywords.isEmpty else {
            throw failure("super() takes no arguments", at: superLocation)
          }
          value = .superCall(superLocation)
        case .variable(let symbol, let nameLocation):
          let call = MacroCall(
            number: template.macroCalls.count, namespace: nil, name: symbol.name,
            arguments: positional, keywords: keywords,
            location: nameLocation)
          template.macroCalls.append(call)
          value = .macroCall(call)
        case .member(.variable(let namespace, _), let name, let nameLocation):
          let call = MacroCall(
            number: template.macroCalls.count, namespace: namespace.name, name: name,
            arguments: positional, keywords: keywords,
            location: nameLocation)
          template.macroCalls.append(call)
          value = .macroCall(call)
        default:
          throw failure("only macros and super() can be called", at: location(of: token))
        }
      default:
        return value
      }
    }
    return value
  }

  private mutating func parsePrimary() throws(ParseError) -> Expr {
    guard let token = current else {
      throw failure("expected an expression, found end of tag", at: currentLocation)
    }
    position += 1
    switch token.kind {
    case .int: return .literal(.int(token.intValue))
    case .float: return .literal(.double(token.doubleValue))
    case .string: return .literal(.string(token.text))
    case .name:
      switch token.text {
      case "true", "True": return .literal(true)
      case "false", "False": return .literal(false)
      case "none", "None", "null": return .literal(.null)
      case "and", "or", "not", "in", "is", "if", "else":
        throw failure("expected an expression, found '\(token.text)'", at: location(of: token))
      default: return .variable(symbols.intern(token.text), location(of: token))
      }
    case .op:
      switch token.text {
      case "(":
        let inner = try parseExpression()
        try expect(operator: ")")
        return inner
      case "[":
        var items: [Expr] = []
        if !accept(operator: "]") {
          repeat {
            if isOperator("]") { break }
            items.append(try parseExpression())
          } while accept(operator: ",")
          try expect(operator: "]")
        }
        return .list(items)
      case "{":
        var members: [(key: String, value: Expr)] = []
        if !accept(operator: "}") {
          repeat {
            if isOperator("}") { break }
            guard let key = current, key.kind == .string || key.kind == .name else {
              throw failure("expected a key in quotes", at: currentLocation)
            }
            position += 1
            try expect(operator: ":")
            members.append((key.text, try parseExpression()))
          } while accept(operator: ",")
          try expect(operator: "}")
        }
        return .object(members)
      default:
        throw failure("expected an expression, found '\(token.text)'", at: location(of: token))
      }
    }
  }
}
