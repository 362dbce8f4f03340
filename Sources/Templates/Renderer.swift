import Diagnostics

/// The state of one render: variable scopes, nesting depth and the blocks being rendered.
/// Output goes into one byte array (UTF-8) passed `inout` all the way down.
struct Renderer {
  /// One scope: a for-loop iteration, an include, a macro call or the page's top level (which
  /// starts with the context's variables).
  /// Its variables are `names[start...]`/`values[start...]` up to the next frame's start:
  /// all scopes share two stacks, so entering one allocates nothing. Names are symbol numbers
  /// (``SymbolTable``), so looking a variable up compares integers.
  private struct Frame {
    var start: Int
    var loop: LoopState?
    /// Lookups stop here (macro bodies and `include … only` see nothing of their caller).
    var isolated = false
  }

  private struct LoopState {
    var index0: Int
    var length: Int

    func member(_ name: String) -> Value? {
      switch name {
      case "index": return .int(index0 + 1)
      case "index0": return .int(index0)
      case "first": return .bool(index0 == 0)
      case "last": return .bool(index0 == length - 1)
      case "length": return .int(length)
      case "revindex": return .int(length - index0)
      case "revindex0": return .int(length - index0 - 1)
      default: return nil
      }
    }

    var object: Value {
      .object(
        Dictionary(
          uniqueKeysWithValues: [
            "index", "index0", "first", "last", "length", "revindex", "revindex0",
          ]
          .compactMap { name in member(name).map { (name, $0) } }))
    }
  }

  private struct BlockPosition {
    var page: Int
    var name: String
    var level: Int
  }

  private let templates: [CompiledTemplate]
  private let indices: [String: Int]
  private let macroCache: MacroCache
  private let symbols: SymbolTable
  private let environment: RenderEnvironment
  private var frames: [Frame] = [Frame(start: 0)]
  private var names: [Int] = []
  private var values: [Value] = []
  private var depth = 0
  /// Nested node lists being rendered (tags inside tags across includes and macros).
  private var renderDepth = 0
  private var blockStack: [BlockPosition] = []
  /// This render's environment as ``MacroCache`` numbers it.
  private let environmentNumber: Int

  /// `templates` are the library's, or their specialisation for `environment`.
  init(
    library: TemplateLibrary, templates: [CompiledTemplate], environmentNumber: Int,
    context: [String: Value], environment: RenderEnvironment
  ) {
    self.templates = templates
    self.indices = library.indices
    self.macroCache = library.macroCache
    self.environmentNumber = environmentNumber
    self.symbols = library.symbols
    self.environment = environment
    names.reserveCapacity(context.count + 32)
    values.reserveCapacity(context.count + 32)
    for (name, value) in context {
      guard let number = symbols.number(of: name) else { continue }
      names.append(number)
      values.append(value)
    }
  }

  /// Sets the variable numbered `name` in the innermost scope.
  private mutating func assign(_ name: Int, _ value: Value) {
    let start = frames[frames.count - 1].start
    var index = start
    while index < names.count {
      if names[index] == name {
        values[index] = value
        return
      }
      index += 1
    }
    names.append(name)
    values.append(value)
  }

  private mutating func pushFrame(isolated: Bool = false) {
    frames.append(Frame(start: names.count, isolated: isolated))
  }

  private mutating func popFrame() {
    let start = frames.removeLast().start
    names.removeLast(names.count - start)
    values.removeLast(values.count - start)
  }

  /// Empties the innermost scope (a new loop iteration).
  private mutating func clearTopFrame() {
    let start = frames[frames.count - 1].start
    names.removeLast(names.count - start)
    values.removeLast(values.count - start)
  }

  /// Where the variables of frame `index` end.
  private func end(ofFrame index: Int) -> Int {
    index + 1 < frames.count ? frames[index + 1].start : names.count
  }

  private func error(_ message: String, at location: SourceLocation) -> Diagnostic {
    Diagnostic.error(message, at: location)
  }

  private mutating func enter(at location: SourceLocation) throws {
    depth += 1
    if depth > TemplateLibrary.maximumDepth {
      throw error(
        "nesting deeper than \(TemplateLibrary.maximumDepth) levels of include, macro or super()",
        at: location)
    }
  }

  /// Renders template `page`: the top-level sets of its chain, then the root's body.
  mutating func renderPage(_ page: Int, into out: inout [UInt8]) throws {
    // Not the whole template copied out: each of its parts would count a reference.
    for level in templates[page].preamble {
      try render(level.body, template: level.template, page: page, into: &out)
    }
    let root = templates[page].root
    try render(templates[root].parsed.body, template: root, page: page, into: &out)
  }

  /// `template` is where the nodes are written (imports, macros, file for errors); `page` is
  /// the template being rendered (whose resolved blocks apply).
  private mutating func render(
    _ nodes: [Node], template: Int, page: Int, into out: inout [UInt8]
  ) throws {
    renderDepth += 1
    defer { renderDepth -= 1 }
    if renderDepth > TemplateLibrary.maximumRenderDepth, let first = nodes.first {
      throw error(
        "templates nested deeper than \(TemplateLibrary.maximumRenderDepth) tags while rendering",
        at: Self.location(of: first) ?? SourceLocation(file: templates[template].path, line: 0))
    }
    for node in nodes {
      switch node {
      case .text(let text):
        out.appendUTF8(text)
      case .output(let output):
        if output.context == .text {
          // Macros and super() give html, written as is in text: render them in place.
          switch output.expression {
          case .macroCall(let call):
            try callMacro(call, template: template, page: page, into: &out)
            continue
          case .superCall(let location):
            try renderSuper(at: location, into: &out)
            continue
          default: break
          }
        }
        let value = try evaluate(output.expression, template: template, page: page)
        Escaper.write(value, context: output.context, mode: output.mode, to: &out)
      case .ifChain(let branches, let elseBody):
        var done = false
        for branch in branches
        where try evaluate(branch.condition, template: template, page: page).isTruthy {
          try render(branch.body, template: template, page: page, into: &out)
          done = true
          break
        }
        if !done { try render(elseBody, template: template, page: page, into: &out) }
      case .forLoop(let loop):
        try renderFor(loop, template: template, page: page, into: &out)
      case .set(let name, let expression, _):
        let value = try evaluate(expression, template: template, page: page)
        assign(name.number, value)
      case .block(let name, let location):
        try renderBlock(name, level: 0, page: page, at: location, into: &out)
      case .include(let include):
        try renderInclude(include, template: template, page: page, into: &out)
      }
    }
  }

  private mutating func renderBlock(
    _ name: String, level: Int, page: Int, at location: SourceLocation, into out: inout [UInt8]
  ) throws {
    guard let levels = templates[page].blocks[name], level < levels.count else { return }
    blockStack.append(BlockPosition(page: page, name: name, level: level))
    defer { blockStack.removeLast() }
    let definition = levels[level]
    try render(definition.body, template: definition.template, page: page, into: &out)
  }

  private mutating func renderInclude(
    _ include: Include, template: Int, page: Int, into out: inout [UInt8]
  ) throws {
    guard let target = indices[include.name] else {
      throw error("unknown template '\(include.name)'", at: include.location)
    }
    try enter(at: include.location)
    defer { depth -= 1 }
    var extraMembers: [String: Value] = [:]
    if let extra = include.extra {
      let value = try evaluate(extra, template: template, page: page)
      guard case .object(let members) = value else {
        throw error(
          "'include … with' expects an object like { \"key\": value }, got \(value.typeName)",
          at: include.location)
      }
      extraMembers = members
    }
    pushFrame(isolated: include.only)
    defer { popFrame() }
    for (name, value) in extraMembers {
      guard let number = symbols.number(of: name) else { continue }
      assign(number, value)
    }
    try renderPage(target, into: &out)
  }

  private mutating func renderFor(
    _ loop: ForLoop, template: Int, page: Int, into out: inout [UInt8]
  ) throws {
    let iterable = try evaluate(loop.iterable, template: template, page: page)
    switch iterable {
    case .array(let items):
      if items.isEmpty {
        return try render(loop.elseBody, template: template, page: page, into: &out)
      }
      pushFrame()
      defer { popFrame() }
      let top = frames.count - 1
      for (index, item) in items.enumerated() {
        clearTopFrame()
        if let keyName = loop.keyName {
          names.append(keyName.number)
          values.append(.int(index))
        }
        names.append(loop.valueName.number)
        values.append(item)
        frames[top].loop = LoopState(index0: index, length: items.count)
        try render(loop.body, template: template, page: page, into: &out)
      }
    case .object(let members):
      if members.isEmpty {
        return try render(loop.elseBody, template: template, page: page, into: &out)
      }
      pushFrame()
      defer { popFrame() }
      let top = frames.count - 1
      // Sorted once as pairs: no lookup of each key afterwards.
      let sorted = members.sorted { $0.key < $1.key }
      for (index, member) in sorted.enumerated() {
        clearTopFrame()
        if let keyName = loop.keyName {
          names.append(keyName.number)
          values.append(.string(member.key))
          names.append(loop.valueName.number)
          values.append(member.value)
        } else {
          names.append(loop.valueName.number)
          values.append(.string(member.key))
        }
        frames[top].loop = LoopState(index0: index, length: sorted.count)
        try render(loop.body, template: template, page: page, into: &out)
      }
    default:
      throw error(
        "cannot iterate over \(iterable.typeName) '\(Self.describe(loop.iterable))' (expected a list)",
        at: Self.location(of: loop.iterable) ?? loop.location)
    }
  }

  // MARK: - Expressions

  /// `page.author.name` for messages.
  private static func describe(_ expression: Expr) -> String {
    switch expression {
    case .variable(let symbol, _): return symbol.name
    case .member(let base, let name, _): return describe(base) + "." + name
    case .index(let base, _, _): return describe(base) + "[…]"
    case .filter(let call): return describe(call.input) + " | " + call.name
    default: return "expression"
    }
  }

  private static func location(of node: Node) -> SourceLocation? {
    switch node {
    case .output(let output): return output.location
    case .forLoop(let loop): return loop.location
    case .set(_, _, let location), .block(_, let location): return location
    case .include(let include): return include.location
    case .ifChain(let branches, _): return branches.first.flatMap { location(of: $0.condition) }
    case .text: return nil
    }
  }

  private static func location(of expression: Expr) -> SourceLocation? {
    switch expression {
    case .variable(_, let location), .member(_, _, let location), .index(_, _, let location),
      .negate(_, let location), .binary(_, _, _, let location), .test(_, _, _, let location),
      .superCall(let location):
      return location
    case .filter(let call): return call.location
    case .macroCall(let call): return call.location
    default: return nil
    }
  }

  private func lookup(_ name: Int) -> Value? {
    var index = frames.count - 1
    var end = names.count
    while index >= 0 {
      let start = frames[index].start
      var slot = start
      while slot < end {
        if names[slot] == name { return values[slot] }
        slot += 1
      }
      end = start
      if name == SymbolTable.loop.number, let loop = frames[index].loop { return loop.object }
      if frames[index].isolated { return nil }
      index -= 1
    }
    return nil
  }

  private func currentLoop() -> LoopState? {
    var index = frames.count - 1
    while index >= 0 {
      if names[frames[index].start..<end(ofFrame: index)].contains(SymbolTable.loop.number) {
        return nil
      }
      if let loop = frames[index].loop { return loop }
      if frames[index].isolated { return nil }
      index -= 1
    }
    return nil
  }

  /// Variables, members and indexes: nil when undefined and not `strict`, an error otherwise.
  private mutating func access(
    _ expression: Expr, strict: Bool, template: Int, page: Int
  ) throws -> Value? {
    switch expression {
    case .variable(let symbol, let location):
      if let value = lookup(symbol.number) { return value }
      if strict { throw error("unknown variable '\(symbol.name)'", at: location) }
      return nil
    case .member(let base, let name, let location):
      if case .variable(let symbol, _) = base, symbol.number == SymbolTable.loop.number,
        let loop = currentLoop()
      {
        if let value = loop.member(name) { return value }
        if strict { throw error("'loop' has no member '\(name)'", at: location) }
        return nil
      }
      guard let container = try access(base, strict: strict, template: template, page: page) else {
        return nil
      }
      if case .object(let members) = container, let value = members[name] { return value }
      guard strict else { return nil }
      if case .object = container {
        throw error("'\(Self.describe(base))' has no member '\(name)'", at: location)
      }
      throw error(
        "cannot read member '\(name)' of \(container.typeName) '\(Self.describe(base))'",
        at: location)
    case .index(let base, let key, let location):
      guard let container = try access(base, strict: strict, template: template, page: page) else {
        return nil
      }
      let index = try evaluate(key, template: template, page: page)
      switch (container, index) {
      case (.array(let items), .int(let position)):
        let resolved = position < 0 ? items.count + position : position
        if resolved >= 0, resolved < items.count { return items[resolved] }
        if strict {
          throw error(
            "index \(position) is out of range for '\(Self.describe(base))' (\(items.count) items)",
            at: location)
        }
        return nil
      case (.object(let members), .string(let name)):
        if let value = members[name] { return value }
        if strict { throw error("'\(Self.describe(base))' has no member '\(name)'", at: location) }
        return nil
      default:
        if strict {
          throw error(
            "cannot index \(container.typeName) '\(Self.describe(base))' with \(index.typeName)",
            at: location)
        }
        return nil
      }
    default:
      return try evaluate(expression, template: template, page: page)
    }
  }

  mutating func evaluate(_ expression: Expr, template: Int, page: Int) throws -> Value {
    switch expression {
    case .literal(let value):
      return value
    case .variable, .member, .index:
      guard let value = try access(expression, strict: true, template: template, page: page) else {
        return .null
      }
      return value
    case .list(let items):
      var values: [Value] = []
      values.reserveCapacity(items.count)
      for item in items { values.append(try evaluate(item, template: template, page: page)) }
      return .array(values)
    case .object(let members):
      var values: [String: Value] = [:]
      for (key, item) in members {
        values[key] = try evaluate(item, template: template, page: page)
      }
      return .object(values)
    case .not(let operand):
      return .bool(!(try evaluate(operand, template: template, page: page).isTruthy))
    case .negate(let operand, let location):
      switch try evaluate(operand, template: template, page: page) {
      case .int(let number) where number != Int.min: return .int(-number)
      case .double(let number): return .double(-number)
      case let other: throw error("cannot negate \(other.typeName)", at: location)
      }
    case .and(let left, let right):
      guard try evaluate(left, template: template, page: page).isTruthy else { return false }
      return .bool(try evaluate(right, template: template, page: page).isTruthy)
    case .or(let left, let right):
      if try evaluate(left, template: template, page: page).isTruthy { return true }
      return .bool(try evaluate(right, template: template, page: page).isTruthy)
    case .binary(let op, let left, let right, let location):
      let lhs = try evaluate(left, template: template, page: page)
      let rhs = try evaluate(right, template: template, page: page)
      return try binary(op, lhs, rhs, at: location)
    case .test(let operand, let kind, let negated, _):
      let result: Bool
      switch kind {
      case .defined, .undefined:
        let defined =
          try access(operand, strict: false, template: template, page: page) != nil
        result = kind == .defined ? defined : !defined
      default:
        let value = try evaluate(operand, template: template, page: page)
        switch kind {
        case .none: result = value == .null
        case .odd, .even:
          guard case .int(let number) = value else {
            throw error(
              "'is \(kind.rawValue)' expects an int, got \(value.typeName)",
              at: Self.location(of: operand) ?? Self.location(of: expression)
                ?? SourceLocation(file: templates[template].path, line: 0))
          }
          result = (number % 2 == 0) == (kind == .even)
        case .empty: result = !value.isTruthy && value != .bool(false) && value != .int(0)
        case .string:
          if case .string = value { result = true } else { result = false }
        case .number: result = value.number != nil
        case .iterable:
          switch value {
          case .array, .object: result = true
          default: result = false
          }
        default: result = false
        }
      }
      return .bool(result != negated)
    case .conditional(let then, let condition, let otherwise):
      if try evaluate(condition, template: template, page: page).isTruthy {
        return try evaluate(then, template: template, page: page)
      }
      guard let otherwise else { return .null }
      return try evaluate(otherwise, template: template, page: page)
    case .filter(let call):
      let input: Value
      if call.isDefault {
        input = try access(call.input, strict: false, template: template, page: page) ?? .null
      } else {
        input = try evaluate(call.input, template: template, page: page)
      }
      // Most filters take no argument, and reserving room in an empty array allocates.
      var arguments: [Value] = []
      if !call.arguments.isEmpty {
        arguments.reserveCapacity(call.arguments.count)
        for argument in call.arguments {
          arguments.append(try evaluate(argument, template: template, page: page))
        }
      }
      do {
        return try call.function(input, arguments, environment)
      } catch let failure as FilterError {
        throw error("filter '\(call.name)': \(failure.message)", at: call.location)
      } catch let diagnostic as Diagnostic {
        throw diagnostic
      } catch let other {
        throw error("filter '\(call.name)': \(other)", at: call.location)
      }
    case .macroCall(let call):
      return try callMacro(call, template: template, page: page)
    case .superCall(let location):
      var buffer: [UInt8] = []
      try renderSuper(at: location, into: &buffer)
      return .html(String(decoding: buffer, as: UTF8.self))
    }
  }

  private mutating func renderSuper(at location: SourceLocation, into out: inout [UInt8]) throws {
    guard let position = blockStack.last else {
      throw error("super() used outside a block", at: location)
    }
    guard let levels = templates[position.page].blocks[position.name],
      position.level + 1 < levels.count
    else {
      throw error("block '\(position.name)' has no parent block for super()", at: location)
    }
    try enter(at: location)
    defer { depth -= 1 }
    try renderBlock(
      position.name, level: position.level + 1, page: position.page, at: location,
      into: &out)
  }

  private mutating func callMacro(_ call: MacroCall, template: Int, page: Int) throws -> Value {
    var buffer: [UInt8] = []
    try callMacro(call, template: template, page: page, into: &buffer)
    return .html(String(decoding: buffer, as: UTF8.self))
  }

  private mutating func callMacro(
    _ call: MacroCall, template: Int, page: Int, into out: inout [UInt8]
  ) throws {
    guard let linked = templates[template].callTargets[call.number] else {
      throw error("unknown macro '\(call.name)'", at: call.location)
    }
    let target = linked.template
    let macro = templates[target].macros[linked.macro]
    if call.arguments.count > macro.parameters.count {
      throw error(
        "macro '\(call.name)' takes \(macro.parameters.count) arguments, got \(call.arguments.count)",
        at: call.location)
    }
    // The positional arguments, then the value of each parameter they leave out.
    var parameterValues: [Value] = []
    if !macro.parameters.isEmpty { parameterValues.reserveCapacity(macro.parameters.count) }
    for argument in call.arguments {
      parameterValues.append(try evaluate(argument, template: template, page: page))
    }
    var keywords: [String: Value] = [:]
    for (name, argument) in call.keywords {
      guard macro.parameters.contains(where: { $0.symbol.name == name }) else {
        throw error("macro '\(call.name)' has no parameter '\(name)'", at: call.location)
      }
      keywords[name] = try evaluate(argument, template: template, page: page)
    }
    try enter(at: call.location)
    defer { depth -= 1 }
    pushFrame(isolated: true)
    defer { popFrame() }
    for (index, parameter) in macro.parameters.enumerated() {
      if index == parameterValues.count {
        // A default sees the parameters before it.
        if let keyword = keywords[parameter.symbol.name] {
          parameterValues.append(keyword)
        } else if let defaultValue = parameter.defaultValue {
          parameterValues.append(try evaluate(defaultValue, template: target, page: target))
        } else {
          parameterValues.append(.null)
        }
      }
      assign(parameter.symbol.number, parameterValues[index])
    }
    guard let number = linked.cacheNumber else {
      return try render(macro.body, template: target, page: target, into: &out)
    }
    let key = MacroCache.Key(
      macro: number, environment: environmentNumber, arguments: parameterValues)
    switch macroCache.lookup(key) {
    case .hit(let cached):
      out.append(contentsOf: cached)
    case .skip:
      try render(macro.body, template: target, page: target, into: &out)
    case .miss(let hashedKey):
      let start = out.count
      try render(macro.body, template: target, page: target, into: &out)
      macroCache.store(Array(out[start...]), for: hashedKey)
    }
  }

  private func binary(
    _ op: BinaryOperator, _ lhs: Value, _ rhs: Value, at location: SourceLocation
  ) throws -> Value {
    func numbers() throws -> (Double, Double) {
      guard let a = lhs.number, let b = rhs.number else {
        throw error(
          "cannot apply '\(op.rawValue)' to \(lhs.typeName) and \(rhs.typeName)", at: location)
      }
      return (a, b)
    }
    switch op {
    case .add:
      switch (lhs, rhs) {
      case (.int(let a), .int(let b)):
        let (sum, overflow) = a.addingReportingOverflow(b)
        if overflow { throw error("integer overflow in '+'", at: location) }
        return .int(sum)
      case (.string(let a), .string(let b)): return .string(a + b)
      case (.array(let a), .array(let b)): return .array(a + b)
      default:
        let (a, b) = try numbers()
        return .double(a + b)
      }
    case .subtract:
      if case .int(let a) = lhs, case .int(let b) = rhs {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if overflow { throw error("integer overflow in '-'", at: location) }
        return .int(difference)
      }
      let (a, b) = try numbers()
      return .double(a - b)
    case .multiply:
      if case .int(let a) = lhs, case .int(let b) = rhs {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if overflow { throw error("integer overflow in '*'", at: location) }
        return .int(product)
      }
      let (a, b) = try numbers()
      return .double(a * b)
    case .divide:
      let (a, b) = try numbers()
      if b == 0 { throw error("division by zero", at: location) }
      return .double(a / b)
    case .modulo:
      guard case .int(let a) = lhs, case .int(let b) = rhs else {
        throw error("'%' expects two ints, got \(lhs.typeName) and \(rhs.typeName)", at: location)
      }
      if b == 0 { throw error("modulo by zero", at: location) }
      if b == -1 { return .int(0) }
      return .int(a % b)
    case .concat:
      return .string(lhs.text + rhs.text)
    case .equal:
      return .bool(lhs.looselyEquals(rhs))
    case .notEqual:
      return .bool(!lhs.looselyEquals(rhs))
    case .less, .greater, .lessOrEqual, .greaterOrEqual:
      guard let order = lhs.compare(rhs) else {
        throw error("cannot compare \(lhs.typeName) with \(rhs.typeName)", at: location)
      }
      switch op {
      case .less: return .bool(order == .orderedAscending)
      case .greater: return .bool(order == .orderedDescending)
      case .lessOrEqual: return .bool(order != .orderedDescending)
      default: return .bool(order != .orderedAscending)
      }
    case .contains, .notContains:
      let found: Bool
      switch rhs {
      case .string(let text), .html(let text): found = text.contains(lhs.text)
      case .array(let items): found = items.contains { $0.looselyEquals(lhs) }
      case .object(let members): found = members[lhs.text] != nil
      default:
        throw error("'in' expects a list, string or object, got \(rhs.typeName)", at: location)
      }
      return .bool(found != (op == .notContains))
    }
  }
}
