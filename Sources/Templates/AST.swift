import Diagnostics

enum BinaryOperator: String, Sendable {
  case add = "+"
  case subtract = "-"
  case multiply = "*"
  case divide = "/"
  case modulo = "%"
  case concat = "~"
  case equal = "=="
  case notEqual = "!="
  case less = "<"
  case greater = ">"
  case lessOrEqual = "<="
  case greaterOrEqual = ">="
  case contains = "in"
  case notContains = "not in"
}

enum TestKind: String, Sendable {
  case defined
  case undefined
  case none
  case odd
  case even
  case empty
  case string
  case number
  case iterable
}

/// A filter application; keyword arguments are already mapped to positions at compile time
/// (a gap is `none`). A class, so rendering passes it around with one reference count.
final class FilterCall: Sendable {
  let input: Expr
  let name: String
  let function: Filter
  let arguments: [Expr]
  let location: SourceLocation
  /// `default`, which reads its input without failing on undefined variables.
  let isDefault: Bool

  init(
    input: Expr, name: String, function: @escaping Filter, arguments: [Expr],
    location: SourceLocation
  ) {
    self.input = input
    self.name = name
    self.function = function
    self.arguments = arguments
    self.location = location
    self.isDefault = name == "default"
  }
}

/// A macro call `m.card(c)` (`namespace` is the import alias) or `card(c)` (same file).
final class MacroCall: Sendable {
  /// Its position among the macro calls of its file, where ``CompiledTemplate/callTargets``
  /// holds the macro it calls.
  let number: Int
  let namespace: String?
  let name: String
  let arguments: [Expr]
  let keywords: [(name: String, value: Expr)]
  let location: SourceLocation

  init(
    number: Int, namespace: String?, name: String, arguments: [Expr],
    keywords: [(name: String, value: Expr)], location: SourceLocation
  ) {
    self.number = number
    self.namespace = namespace
    self.name = name
    self.arguments = arguments
    self.keywords = keywords
    self.location = location
  }
}

/// A variable name and its number in the library's ``SymbolTable``: scopes hold and compare
/// numbers, and the name is kept for messages.
struct Symbol: Sendable {
  let number: Int
  let name: String
}

/// Every variable name the library's templates use, numbered. A name no template uses cannot
/// be read, so a context or `include … with` member without a number is left out.
struct SymbolTable: Sendable {
  /// `loop`, which the renderer answers itself inside a `for`.
  static let loop = Symbol(number: 0, name: "loop")

  private var numbers: [String: Int] = [loop.name: loop.number]

  /// The symbol of `name`, numbered now if it is new.
  mutating func intern(_ name: String) -> Symbol {
    if let number = numbers[name] { return Symbol(number: number, name: name) }
    let number = numbers.count
    numbers[name] = number
    return Symbol(number: number, name: name)
  }

  func number(of name: String) -> Int? { numbers[name] }
}

indirect enum Expr: Sendable {
  case literal(Value)
  case list([Expr])
  case object([(key: String, value: Expr)])
  case variable(Symbol, SourceLocation)
  case member(Expr, String, SourceLocation)
  case index(Expr, Expr, SourceLocation)
  case not(Expr)
  case negate(Expr, SourceLocation)
  case and(Expr, Expr)
  case or(Expr, Expr)
  case binary(BinaryOperator, Expr, Expr, SourceLocation)
  case test(Expr, TestKind, negated: Bool, SourceLocation)
  case conditional(then: Expr, condition: Expr, otherwise: Expr?)
  case filter(FilterCall)
  case macroCall(MacroCall)
  case superCall(SourceLocation)
}

/// The HTML position of a `{{ }}`, decided at compile time from the surrounding literal text.
enum EscapeContext: Sendable, Equatable {
  case text
  case comment
  /// Inside a tag but not in an attribute value (`<div {{ x }}>`).
  case tag
  case attribute(quoted: Bool)
  /// A URL attribute; `start` when nothing literal precedes the value in the attribute.
  case url(quoted: Bool, start: Bool)
  /// An `on*` event handler attribute.
  case scriptAttribute(quoted: Bool)
  case styleAttribute(quoted: Bool)
  case script
  /// Inside a JavaScript string literal of a `<script>` body, opened by `quote`.
  case scriptString(quote: UInt8)
  case style
}

/// What the last filter of an output already did, so escaping is not applied twice.
enum OutputMode: Sendable {
  case normal
  /// `| escape` last: already HTML-escaped.
  case escaped
  /// `| json` last: already JSON with `<`, `>`, `&` as `\u` escapes.
  case json
}

/// A `{{ }}`. A class, so rendering passes it around with one reference count.
final class Output: Sendable {
  let expression: Expr
  let context: EscapeContext
  let mode: OutputMode
  let location: SourceLocation

  init(expression: Expr, context: EscapeContext, mode: OutputMode, location: SourceLocation) {
    self.expression = expression
    self.context = context
    self.mode = mode
    self.location = location
  }
}

struct IfBranch: Sendable {
  var condition: Expr
  var body: [Node]
}

struct ForLoop: Sendable {
  var keyName: Symbol?
  var valueName: Symbol
  var iterable: Expr
  var body: [Node]
  var elseBody: [Node]
  var location: SourceLocation
}

struct Include: Sendable {
  var name: String
  var extra: Expr?
  var only: Bool
  var location: SourceLocation
}

indirect enum Node: Sendable {
  case text(String)
  case output(Output)
  case ifChain([IfBranch], elseBody: [Node])
  case forLoop(ForLoop)
  case set(Symbol, Expr, SourceLocation)
  case block(String, SourceLocation)
  case include(Include)
}

struct MacroParameter: Sendable {
  var symbol: Symbol
  var defaultValue: Expr?
}

struct Macro: Sendable {
  var name: String
  var parameters: [MacroParameter]
  var body: [Node]
  var location: SourceLocation
}

/// A template name used by `extends`, `include` or `import`, checked once all are parsed.
struct TemplateReference: Sendable {
  enum Kind: String, Sendable {
    case extends
    case include
    case `import`
  }

  var kind: Kind
  var name: String
  var location: SourceLocation
}
