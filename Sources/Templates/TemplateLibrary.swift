import Diagnostics

/// One template file handed to the library.
public struct TemplateSource: Sendable, Equatable {
  /// The name templates use to refer to it: `"case.html"`, `"partials/card.html"`.
  public var name: String
  /// The path shown in diagnostics, e.g. `"themes/default/templates/case.html"`.
  public var path: String
  public var text: String

  public init(name: String, path: String, text: String) {
    self.name = name
    self.path = path
    self.text = text
  }
}

/// Per-render settings: language, URLs and UI strings.
public struct RenderEnvironment: Sendable {
  /// `"fr"` / `"en"`: month names of `date`, plural rule of `pluralize`, number format.
  public var language: String
  /// Always starts and ends with `/`, e.g. `"/"` or `"/portail/"`; used by `url`.
  public var basePath: String
  /// Absolute, ends with `/`; used by `absolute_url`.
  public var baseURL: String
  /// UI strings of `language`, for the `t` filter.
  public var translations: [String: String]

  public init(
    language: String = "en", basePath: String = "/", baseURL: String = "http://localhost:8000/",
    translations: [String: String] = [:]
  ) {
    self.language = language
    self.basePath = basePath
    self.baseURL = baseURL
    self.translations = translations
  }
}

/// Thrown by a filter; becomes a diagnostic at the filter's position in the template.
public struct FilterError: Error, Sendable {
  public var message: String

  public init(_ message: String) {
    self.message = message
  }
}

public typealias Filter =
  @Sendable (_ input: Value, _ arguments: [Value], _ environment: RenderEnvironment) throws ->
  Value

/// A template after compilation, with its inheritance chain resolved.
struct CompiledTemplate: Sendable {
  /// One level of a block: the template defining it and its body.
  struct BlockLevel: Sendable {
    var template: Int
    var body: [Node]
  }

  var parsed: ParsedTemplate
  /// Import alias → template index.
  var imports: [String: Int] = [:]
  /// The template whose body is rendered (the top of the `extends` chain).
  var root: Int = 0
  /// Block name → definitions from the most derived template to the base.
  var blocks: [String: [BlockLevel]] = [:]
  /// Top-level `set`s of the templates below the root, base-most first, run before the root.
  var preamble: [BlockLevel] = []
  /// Macros of this file whose output depends only on their arguments (see ``MacroCache``)
  /// and that apply a filter, with a number unique in the library.
  var cacheableMacros: [String: Int] = [:]
  /// The macros of this file in name order (``MacroTarget/macro`` numbers them): the ones
  /// rendering uses, specialised (``Specializer``); `parsed.macros` serves compiling only.
  var macros: [Macro] = []
  /// Per macro call of this file (``MacroCall/number``), the macro it calls; nil only when
  /// compiling reported it unknown.
  var callTargets: [MacroTarget?] = []

  var path: String { parsed.path }
}

/// The macro a call renders, found when the library is compiled so that rendering a call
/// looks nothing up by name.
struct MacroTarget: Sendable {
  /// The template defining it, and its position in that template's ``CompiledTemplate/macros``.
  var template: Int
  var macro: Int
  /// Its number in ``MacroCache`` when its output is cached.
  var cacheNumber: Int?
}

/// Every template of a theme, compiled once; renders any of them by name.
///
/// Language notes (the Liquid/Jinja family, as Zola/Tera users know it):
/// - `{% include "partials/card.html" %}` renders the partial with the current variables;
///   `{% include "x.html" with { "case": c } %}` adds variables; adding `only`
///   (`{% include "x.html" with { "case": c } only %}`) shows the partial nothing but them.
///   `set` inside an include stays inside it. Template names are string literals, so every
///   reference is checked at compile time.
/// - Macros: `{% macro card(case, compact=false) %}…{% endmacro %}` anywhere in a file;
///   `{% import "partials/macros.html" as m %}` then `{{ m.card(c) }}` or
///   `{{ m.card(case=c, compact=true) }}`. A macro sees only its arguments (plus macros and
///   imports of its own file, called by bare name) and returns already-escaped `Value.html`.
///   Missing arguments without a default are `none`.
/// - `set` is scoped like Jinja: inside a `for` body it is local to the iteration; inside `if`
///   it writes to the enclosing scope. Top-level `set`s of a child template run before the
///   parent is rendered, so its blocks see them.
/// - `{{ x if cond else y }}` is accepted; `-x | f` is `(-x) | f`; other filters bind tighter
///   than any operator (`a ~ b | upper` is `a ~ (b | upper)`).
/// - Strictness: an unknown variable or member is an error unless read through `default` or
///   the `is defined` / `is not defined` tests.
/// - Limits: 100 nested include/macro/`super()` calls, 200 nested tags, expressions nested 64
///   deep; beyond them a diagnostic, never a crash.
/// - Escaping is contextual, decided at compile time; see ``Escaper`` for each context.
public struct TemplateLibrary: Sendable {
  let templates: [CompiledTemplate]
  let indices: [String: Int]
  let symbols: SymbolTable
  /// Output of cacheable macro calls, shared by every render of this library.
  let macroCache = MacroCache()
  /// ``templates`` specialised for each environment rendered so far (see ``Specializer``).
  let specializations = Specializations()

  /// Nesting limit of include, macro and `super()` calls.
  static let maximumDepth = 100
  /// Nesting limit of tag bodies during one render (keeps the stack bounded in any task).
  static let maximumRenderDepth = 1000

  /// Compiles every source once (lex, parse, resolve extends/includes/imports, detect cycles).
  /// Throws all errors of all sources together.
  public init(sources: [TemplateSource], filters: [String: Filter] = [:]) throws(DiagnosticList) {
    var allFilters = BuiltinFilters.all
    for (name, filter) in filters { allFilters[name] = filter }
    var diagnostics = DiagnosticList()
    var parsed: [ParsedTemplate] = []
    var indices: [String: Int] = [:]
    var texts: [String: String] = [:]
    var symbols = SymbolTable()
    for source in sources {
      var lexer = Lexer(text: source.text, file: source.path)
      lexer.run()
      var parser = Parser(
        source: source, segments: lexer.segments, filters: allFilters, symbols: symbols)
      parser.run()
      symbols = parser.symbols
      texts[source.path] = source.text
      diagnostics.append(contentsOf: lexer.diagnostics)
      diagnostics.append(contentsOf: parser.diagnostics)
      if indices[source.name] != nil {
        diagnostics.append(
          Diagnostic.error(
            "template '\(source.name)' is defined twice",
            at: SourceLocation(file: source.path, line: 1, column: 1)))
        continue
      }
      indices[source.name] = parsed.count
      parsed.append(parser.template)
    }
    var templates = parsed.map { CompiledTemplate(parsed: $0) }
    Self.resolve(&templates, indices: indices, diagnostics: &diagnostics)
    if diagnostics.hasErrors {
      throw DiagnosticList(
        diagnostics.diagnostics.map { diagnostic in
          guard let file = diagnostic.location?.file else { return diagnostic }
          return diagnostic.inFile(file, source: texts[file])
        })
    }
    self.templates = templates
    self.indices = indices
    self.symbols = symbols
  }

  private static func resolve(
    _ templates: inout [CompiledTemplate], indices: [String: Int],
    diagnostics: inout DiagnosticList
  ) {
    // References: every named template must exist.
    for template in templates {
      for reference in template.parsed.references where indices[reference.name] == nil {
        diagnostics.append(
          Diagnostic.error(
            "unknown template '\(reference.name)' in '\(reference.kind.rawValue)'",
            at: reference.location))
      }
    }
    for index in templates.indices {
      var imports: [String: Int] = [:]
      for (alias, name) in templates[index].parsed.imports {
        if let target = indices[name] { imports[alias] = target }
      }
      templates[index].imports = imports
    }
    // Macro calls must name an existing macro.
    for (index, template) in templates.enumerated() {
      for call in template.parsed.macroCalls
      where macroHolder(of: call, calledFrom: index, in: templates) == nil {
        guard let namespace = call.namespace else {
          diagnostics.append(
            Diagnostic.error("unknown macro or function '\(call.name)'", at: call.location))
          continue
        }
        if let target = template.imports[namespace] {
          diagnostics.append(
            Diagnostic.error(
              "unknown macro '\(call.name)' in '\(templates[target].parsed.name)'",
              at: call.location))
        } else if template.parsed.imports[namespace] == nil {
          // An import of an unknown template is reported with the references.
          diagnostics.append(
            Diagnostic.error(
              "unknown namespace '\(namespace)' (no '{% import … as \(namespace) %}')",
              at: call.location))
        }
      }
    }
    // Cycles through extends and include.
    var state = [UInt8](repeating: 0, count: templates.count)  // 0 new, 1 on stack, 2 done
    func visit(_ node: Int, _ stack: inout [Int]) {
      state[node] = 1
      stack.append(node)
      for reference in templates[node].parsed.references where reference.kind != .import {
        guard let target = indices[reference.name] else { continue }
        if state[target] == 1 {
          let cycleStart = stack.firstIndex(of: target) ?? 0
          let names =
            (stack[cycleStart...].map { templates[$0].parsed.name })
            + [templates[target].parsed.name]
          diagnostics.append(
            Diagnostic.error(
              "\(reference.kind.rawValue) cycle: \(names.joined(separator: " → "))",
              at: reference.location))
        } else if state[target] == 0 {
          visit(target, &stack)
        }
      }
      stack.removeLast()
      state[node] = 2
    }
    for index in templates.indices where state[index] == 0 {
      var stack: [Int] = []
      visit(index, &stack)
    }
    markCacheableMacros(&templates)
    linkMacroCalls(&templates)
    // Inheritance chains.
    for index in templates.indices {
      var chain = [index]
      var current = index
      while let parent = templates[current].parsed.parent, let next = indices[parent],
        !chain.contains(next)
      {
        chain.append(next)
        current = next
      }
      templates[index].root = chain.last ?? index
      var blocks: [String: [CompiledTemplate.BlockLevel]] = [:]
      for member in chain {
        for (name, body) in templates[member].parsed.blocks {
          blocks[name, default: []].append(.init(template: member, body: body))
        }
      }
      templates[index].blocks = blocks
      templates[index].preamble = chain.dropLast().reversed().map { member in
        let sets = templates[member].parsed.body.filter {
          if case .set = $0 { return true }
          return false
        }
        return .init(template: member, body: sets)
      }
    }
  }

  /// A macro is cacheable when its body has no `include`, `block` or `super()` and every macro
  /// it calls is cacheable too (a fixed point over all macros), and it or a macro it calls
  /// applies a filter: without filters, rendering again costs less than a cache lookup.
  private static func markCacheableMacros(_ templates: inout [CompiledTemplate]) {
    struct MacroID: Hashable {
      var template: Int
      var name: String
    }
    var callees: [MacroID: [MacroID?]] = [:]
    var filtered: Set<MacroID> = []
    for index in templates.indices {
      for (name, macro) in templates[index].parsed.macros {
        var scan = PurityScan()
        scan.nodes(macro.body)
        guard scan.pure else { continue }
        if scan.appliesFilter { filtered.insert(MacroID(template: index, name: name)) }
        callees[MacroID(template: index, name: name)] = scan.calls.map { call in
          macroHolder(of: call, calledFrom: index, in: templates).map {
            MacroID(template: $0, name: call.name)
          }
        }
      }
    }
    var changed = true
    while changed {
      changed = false
      for (id, calls) in callees
      where calls.contains(where: { $0.map { callees[$0] == nil } ?? true }) {
        callees[id] = nil
        changed = true
      }
    }
    changed = true
    while changed {
      changed = false
      for (id, calls) in callees
      where !filtered.contains(id) && calls.contains(where: { $0.map(filtered.contains) ?? false })
      {
        filtered.insert(id)
        changed = true
      }
    }
    let numbered = callees.keys.filter(filtered.contains).sorted {
      ($0.template, $0.name) < ($1.template, $1.name)
    }
    for (number, id) in numbered.enumerated() {
      templates[id.template].cacheableMacros[id.name] = number
    }
  }

  /// The template that holds the macro `call` names, from the template at `caller`: the one
  /// imported as the call's namespace, else the caller; nil when there is no such macro.
  private static func macroHolder(
    of call: MacroCall, calledFrom caller: Int, in templates: [CompiledTemplate]
  ) -> Int? {
    guard let holder = call.namespace.map({ templates[caller].imports[$0] }) ?? caller,
      templates[holder].parsed.macros[call.name] != nil
    else { return nil }
    return holder
  }

  /// Orders each template's macros and finds the macro of each of its calls.
  private static func linkMacroCalls(_ templates: inout [CompiledTemplate]) {
    for index in templates.indices {
      templates[index].macros = templates[index].parsed.macros.sorted { $0.key < $1.key }
        .map(\.value)
    }
    for index in templates.indices {
      templates[index].callTargets = templates[index].parsed.macroCalls.map { call in
        guard let target = macroHolder(of: call, calledFrom: index, in: templates),
          let position = templates[target].macros.firstIndex(where: { $0.name == call.name })
        else { return nil }
        return MacroTarget(
          template: target, macro: position,
          cacheNumber: templates[target].cacheableMacros[call.name])
      }
    }
  }

  public func contains(_ name: String) -> Bool { indices[name] != nil }

  public var names: [String] { indices.keys.sorted() }

  /// Renders the template `name` as UTF-8 bytes. Thread-safe: each call has its own renderer
  /// state; calls share the macro cache (striped behind locks) and the specialised templates
  /// (``Specializations``, behind a lock, a copy per thread).
  public func render(
    _ name: String, context: [String: Value], environment: RenderEnvironment
  ) throws(DiagnosticList) -> [UInt8] {
    guard let index = indices[name] else {
      throw DiagnosticList([Diagnostic.error("unknown template '\(name)'")])
    }
    let number = macroCache.environmentNumber(environment)
    let specialized = specializations.templates(environment: number) {
      var specializer = Specializer(library: self, environment: environment)
      return specializer.specialize(templates)
    }
    var renderer = Renderer(
      library: self, templates: specialized, environmentNumber: number, context: context,
      environment: environment)
    var out: [UInt8] = []
    out.reserveCapacity(16_384)
    do {
      try renderer.renderPage(index, into: &out)
    } catch let error as Diagnostic {
      let text = error.location.flatMap { location in
        templates.first { $0.path == location.file }?.parsed.text
      }
      if let file = error.location?.file {
        throw DiagnosticList([error.inFile(file, source: text)])
      }
      throw DiagnosticList([error])
    } catch {
      throw DiagnosticList([Diagnostic.error("\(error)")])
    }
    return out
  }
}

/// Walks a macro body for what makes its output depend on more than its arguments.
private struct PurityScan {
  var pure = true
  var appliesFilter = false
  var calls: [MacroCall] = []

  mutating func nodes(_ nodes: [Node]) {
    for node in nodes where pure {
      switch node {
      case .text: break
      case .output(let output): expression(output.expression)
      case .ifChain(let branches, let elseBody):
        for branch in branches {
          expression(branch.condition)
          self.nodes(branch.body)
        }
        self.nodes(elseBody)
      case .forLoop(let loop):
        expression(loop.iterable)
        self.nodes(loop.body)
        self.nodes(loop.elseBody)
      case .set(_, let value, _): expression(value)
      case .block, .include: pure = false
      }
    }
  }

  mutating func expression(_ expression: Expr) {
    switch expression {
    case .literal, .variable: break
    case .list(let items): for item in items { self.expression(item) }
    case .object(let members): for member in members { self.expression(member.value) }
    case .member(let base, _, _): self.expression(base)
    case .index(let base, let key, _):
      self.expression(base)
      self.expression(key)
    case .not(let operand), .negate(let operand, _), .test(let operand, _, _, _):
      self.expression(operand)
    case .and(let left, let right), .or(let left, let right), .binary(_, let left, let right, _):
      self.expression(left)
      self.expression(right)
    case .conditional(let then, let condition, let otherwise):
      self.expression(then)
      self.expression(condition)
      if let otherwise { self.expression(otherwise) }
    case .filter(let call):
      appliesFilter = true
      self.expression(call.input)
      for argument in call.arguments { self.expression(argument) }
    case .macroCall(let call):
      calls.append(call)
      for argument in call.arguments { self.expression(argument) }
      for keyword in call.keywords { self.expression(keyword.value) }
    case .superCall: pure = false
    }
  }
}
