import Foundation

/// Compiled templates specialized for one render environment.
///
/// An expression made of literals and filters only (`{{ "nav.cases" | t }}`,
/// `{% set label = "case.places" | t %}`, `href="{{ "/search/" | lurl }}"`) reads nothing of
/// the context: filters are pure functions of their input, arguments and the environment (as
/// ``MacroCache`` also relies on). Such expressions are evaluated once per environment and
/// become literals; a `{{ }}` of a literal becomes text, escaped for its context exactly as
/// rendering would, merged with the text around it. An expression whose evaluation fails is
/// kept as it is, so the error is still reported where and when it is rendered. Tags are not
/// removed (a constant `if` keeps its branches), so nesting limits count the same tags.
struct Specializer {
  private var evaluator: Renderer

  init(library: TemplateLibrary, environment: RenderEnvironment) {
    // Constant expressions call no macro, so the macro cache's number is never used.
    evaluator = Renderer(
      library: library, templates: library.templates, environmentNumber: 0, context: [:],
      environment: environment)
  }

  /// Every node list of `templates`, specialized.
  mutating func specialize(_ templates: [CompiledTemplate]) -> [CompiledTemplate] {
    var result = templates
    for index in result.indices {
      result[index].parsed.body = nodes(result[index].parsed.body, template: index)
      result[index].macros = result[index].macros.map { macro in
        var specialized = macro
        specialized.body = nodes(macro.body, template: index)
        specialized.parameters = macro.parameters.map { parameter in
          var parameter = parameter
          parameter.defaultValue = parameter.defaultValue.map { fold($0, template: index) }
          return parameter
        }
        return specialized
      }
      for (name, levels) in result[index].blocks {
        result[index].blocks[name] = levels.map { level in
          .init(template: level.template, body: nodes(level.body, template: level.template))
        }
      }
      result[index].preamble = result[index].preamble.map { level in
        .init(template: level.template, body: nodes(level.body, template: level.template))
      }
    }
    return result
  }

  /// `nodes` with constant expressions folded and adjacent text merged.
  mutating func nodes(_ nodes: [Node], template: Int) -> [Node] {
    var result: [Node] = []
    result.reserveCapacity(nodes.count)
    for node in nodes {
      let specialized = self.node(node, template: template)
      if case .text(let text) = specialized, case .text(let previous)? = result.last {
        result[result.count - 1] = .text(previous + text)
      } else {
        result.append(specialized)
      }
    }
    return result
  }

  private mutating func node(_ node: Node, template: Int) -> Node {
    switch node {
    case .text, .block:
      return node
    case .output(let output):
      let expression = fold(output.expression, template: template)
      guard case .literal(let value) = expression else { return node }
      var text: [UInt8] = []
      Escaper.write(value, context: output.context, mode: output.mode, to: &text)
      return .text(String(decoding: text, as: UTF8.self))
    case .ifChain(let branches, let elseBody):
      return .ifChain(
        branches.map { branch in
          IfBranch(
            condition: fold(branch.condition, template: template),
            body: nodes(branch.body, template: template))
        },
        elseBody: nodes(elseBody, template: template))
    case .forLoop(var loop):
      loop.iterable = fold(loop.iterable, template: template)
      loop.body = nodes(loop.body, template: template)
      loop.elseBody = nodes(loop.elseBody, template: template)
      return .forLoop(loop)
    case .set(let name, let expression, let location):
      return .set(name, fold(expression, template: template), location)
    case .include(var include):
      include.extra = include.extra.map { fold($0, template: template) }
      return .include(include)
    }
  }

  /// `expression` as a literal when it is constant and evaluates without error; otherwise
  /// unchanged.
  private mutating func fold(_ expression: Expr, template: Int) -> Expr {
    if case .literal = expression { return expression }
    guard Self.isConstant(expression),
      let value = try? evaluator.evaluate(expression, template: template, page: template)
    else { return expression }
    return .literal(value)
  }

  /// Whether `expression` reads no variable and calls no macro or `super()`.
  static func isConstant(_ expression: Expr) -> Bool {
    switch expression {
    case .literal: return true
    case .variable, .macroCall, .superCall: return false
    case .list(let items): return items.allSatisfy(isConstant)
    case .object(let members): return members.allSatisfy { isConstant($0.value) }
    case .member(let base, _, _): return isConstant(base)
    case .index(let base, let key, _): return isConstant(base) && isConstant(key)
    case .not(let operand), .negate(let operand, _), .test(let operand, _, _, _):
      return isConstant(operand)
    case .and(let left, let right), .or(let left, let right), .binary(_, let left, let right, _):
      return isConstant(left) && isConstant(right)
    case .conditional(let then, let condition, let otherwise):
      return isConstant(then) && isConstant(condition) && (otherwise.map(isConstant) ?? true)
    case .filter(let call):
      return isConstant(call.input) && call.arguments.allSatisfy(isConstant)
    }
  }
}

/// The library's templates specialized per render environment (by ``MacroCache`` number),
/// made at the first render in each environment, and copied for each thread that renders
/// with them (``ThreadCopy``). (Unchecked `Sendable`: `entries` and `copies` are read and
/// written under `lock` only.)
final class Specializations: @unchecked Sendable {
  private struct CopyKey: Hashable {
    var environment: Int
    var thread: UInt
  }

  private let lock = NSLock()
  private var entries: [Int: [CompiledTemplate]] = [:]
  private var copies: [CopyKey: [CompiledTemplate]] = [:]
  /// Copies kept at most: a thread pool keeps a few threads per core, but a long-running
  /// process may see many come and go. Beyond it, one copy is dropped for each new one.
  private static let maximumCopies = 64 + 16 * ProcessInfo.processInfo.activeProcessorCount

  /// The templates of environment `number` for the calling thread. The copy is made outside
  /// the lock, so a thread making its copy holds up no other render.
  func templates(
    environment number: Int, make: () -> [CompiledTemplate]
  ) -> [CompiledTemplate] {
    let key = CopyKey(
      environment: number, thread: UInt(bitPattern: Int(bitPattern: pthread_self())))
    let (isCopy, templates) = lock.withLock { () -> (Bool, [CompiledTemplate]) in
      if let copy = copies[key] { return (true, copy) }
      if let known = entries[number] { return (false, known) }
      let made = make()
      entries[number] = made
      return (false, made)
    }
    if isCopy { return templates }
    let copy = ThreadCopy.templates(templates)
    lock.withLock {
      if copies.count >= Self.maximumCopies { copies.remove(at: copies.startIndex) }
      copies[key] = copy
    }
    return copy
  }
}
