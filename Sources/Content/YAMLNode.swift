import Diagnostics
import Foundation
import Yams

/// A parsed YAML value that remembers where it was written, so every later check can point
/// at the line and column of the offending value.
public struct YAMLNode: Sendable, Equatable {
  public enum Kind: Sendable, Equatable {
    /// A scalar as written; `quoted` scalars are never read as numbers, booleans or dates.
    case scalar(String, quoted: Bool)
    case sequence([YAMLNode])
    case mapping([Entry])
  }

  public struct Entry: Sendable, Equatable {
    public var key: String
    public var keyLine: Int
    public var keyColumn: Int
    public var value: YAMLNode

    public init(key: String, keyLine: Int, keyColumn: Int, value: YAMLNode) {
      self.key = key
      self.keyLine = keyLine
      self.keyColumn = keyColumn
      self.value = value
    }
  }

  public var kind: Kind
  public var line: Int
  public var column: Int

  public init(kind: Kind, line: Int, column: Int) {
    self.kind = kind
    self.line = line
    self.column = column
  }

  /// Bounds that keep hostile YAML (alias bombs, deep nesting) from exhausting the machine.
  public struct Limits: Sendable {
    public var maximumBytes = 256 * 1024
    public var maximumNodes = 20_000
    public var maximumDepth = 32

    public init() {}
  }

  /// Parses `text`; `lineOffset` is added to every line (front matter starts on line 2).
  public static func parse(_ text: String, lineOffset: Int = 0, limits: Limits = Limits())
    throws(Diagnostic) -> YAMLNode?
  {
    if text.utf8.count > limits.maximumBytes {
      throw Diagnostic.error(
        "YAML is \(text.utf8.count) bytes, more than the limit of \(limits.maximumBytes)",
        at: SourceLocation(file: "", line: lineOffset + 1, column: 1))
    }
    let node: Node?
    do {
      // Tags are never read (scalars stay text with their quoting), so no resolver: the
      // default one matched every plain scalar against ICU regular expressions (bool, int,
      // float, null, timestamp…), 1.5% of a 10k build's CPU. The only effect on parsing is
      // the duplicate-key check, where a plain `1:` and a quoted `"1":` now count as the same
      // key, as they do everywhere after parsing. The encoding is given: Yams's default one
      // reads the process environment on every call (2% of a 10k build's CPU).
      node = try Yams.compose(yaml: text, .basic, .default, .utf8)
    } catch let error as YamlError {
      throw Self.diagnostic(for: error, lineOffset: lineOffset)
    } catch {
      throw Diagnostic.error(
        "invalid YAML: \(error)", at: SourceLocation(file: "", line: lineOffset + 1))
    }
    guard let node else { return nil }
    var budget = limits.maximumNodes
    return try convert(node, depth: 0, budget: &budget, limits: limits, lineOffset: lineOffset)
  }

  private static func convert(
    _ node: Node, depth: Int, budget: inout Int, limits: Limits, lineOffset: Int
  ) throws(Diagnostic) -> YAMLNode {
    let line = (node.mark?.line ?? 1) + lineOffset
    let column = node.mark?.column ?? 1
    budget -= 1
    if budget < 0 {
      throw Diagnostic.error(
        "YAML expands to more than \(limits.maximumNodes) values (aliases repeated too often?)",
        at: SourceLocation(file: "", line: line, column: column))
    }
    if depth > limits.maximumDepth {
      throw Diagnostic.error(
        "YAML nested more than \(limits.maximumDepth) levels deep",
        at: SourceLocation(file: "", line: line, column: column))
    }
    switch node {
    case .scalar(let scalar):
      let quoted =
        scalar.style == .singleQuoted || scalar.style == .doubleQuoted
        || scalar.style == .literal || scalar.style == .folded
      return YAMLNode(kind: .scalar(scalar.string, quoted: quoted), line: line, column: column)
    case .sequence(let sequence):
      var items: [YAMLNode] = []
      for item in sequence {
        items.append(
          try convert(
            item, depth: depth + 1, budget: &budget, limits: limits, lineOffset: lineOffset))
      }
      return YAMLNode(kind: .sequence(items), line: line, column: column)
    case .mapping(let mapping):
      var entries: [Entry] = []
      for (key, value) in mapping {
        let converted = try convert(
          value, depth: depth + 1, budget: &budget, limits: limits, lineOffset: lineOffset)
        entries.append(
          Entry(
            key: key.string ?? "\(key)", keyLine: (key.mark?.line ?? 1) + lineOffset,
            keyColumn: key.mark?.column ?? 1, value: converted))
      }
      return YAMLNode(kind: .mapping(entries), line: line, column: column)
    case .alias:
      throw Diagnostic.error(
        "unsupported YAML alias", at: SourceLocation(file: "", line: line, column: column))
    }
  }

  private static func diagnostic(for error: YamlError, lineOffset: Int) -> Diagnostic {
    switch error {
    case .scanner(let context, let problem, let mark, _),
      .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      let detail = context.map { "\(problem) \($0.text)" } ?? problem
      return Diagnostic.error(
        "invalid YAML: \(detail)",
        at: SourceLocation(file: "", line: mark.line + lineOffset, column: mark.column))
    case .duplicatedKeysInMapping(let duplicates, let context):
      return Diagnostic.error(
        "duplicate key \(duplicates.joined(separator: ", "))",
        at: SourceLocation(
          file: "", line: context.mark.line + lineOffset, column: context.mark.column))
    default:
      return Diagnostic.error(
        "invalid YAML: \(error)", at: SourceLocation(file: "", line: lineOffset + 1))
    }
  }

  public var location: SourceLocation { SourceLocation(file: "", line: line, column: column) }

  /// The value of `key` in a mapping.
  public subscript(key: String) -> YAMLNode? {
    guard case .mapping(let entries) = kind else { return nil }
    return entries.first { $0.key == key }?.value
  }

  public var string: String? {
    if case .scalar(let text, _) = kind { return text }
    return nil
  }

  public var isNull: Bool {
    if case .scalar(let text, let quoted) = kind {
      return !quoted && ["", "~", "null", "Null", "NULL"].contains(text)
    }
    return false
  }
}
