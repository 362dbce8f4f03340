import Diagnostics
import Foundation
import TextRules

/// Reads typed fields out of a YAML mapping, recording a diagnostic for each value of the
/// wrong type instead of stopping at the first.
struct FieldReader {
  let node: YAMLNode
  var diagnostics: [Diagnostic] = []

  init(_ node: YAMLNode) {
    self.node = node
  }

  mutating func problem(_ message: String, at value: YAMLNode) {
    diagnostics.append(.error(message, at: value.location))
  }

  /// A string (numbers and dates written unquoted are accepted as their text).
  mutating func string(_ key: String) -> String? {
    guard let value = node[key], !value.isNull else { return nil }
    guard let text = value.string else {
      problem("'\(key)' must be a text, not a list or a mapping", at: value)
      return nil
    }
    return text
  }

  mutating func required(_ key: String, at fallback: SourceLocation) -> String? {
    guard let text = string(key) else {
      if node[key] == nil || node[key]?.isNull == true {
        diagnostics.append(.error("'\(key)' is required", at: fallback))
      }
      return nil
    }
    if WhiteSpace.isBlank(text) {
      diagnostics.append(.error("'\(key)' must not be empty", at: node[key]?.location ?? fallback))
      return nil
    }
    return text
  }

  /// A list of strings; a single string is read as a one-element list.
  mutating func strings(_ key: String) -> [YAMLStringValue] {
    guard let value = node[key], !value.isNull else { return [] }
    return stringList(value, key: key)
  }

  mutating func stringList(_ value: YAMLNode, key: String) -> [YAMLStringValue] {
    switch value.kind {
    case .scalar(let text, _):
      return [YAMLStringValue(text: text, node: value)]
    case .sequence(let items):
      return items.compactMap { item in
        guard let text = item.string else {
          problem("'\(key)' must be a list of texts", at: item)
          return nil
        }
        return YAMLStringValue(text: text, node: item)
      }
    case .mapping:
      problem("'\(key)' must be a list of texts, not a mapping", at: value)
      return []
    }
  }

  mutating func integer(_ key: String) -> Int? {
    guard let text = string(key) else { return nil }
    guard let number = Int(WhiteSpace.trimmed(text)) else {
      problem(
        "'\(key)' must be a whole number (a year such as 2008), not '\(text)'", at: node[key]!)
      return nil
    }
    return number
  }

  mutating func bool(_ key: String) -> Bool? {
    guard let text = string(key) else { return nil }
    switch text.lowercased() {
    case "true", "yes", "on": return true
    case "false", "no", "off": return false
    default:
      problem("'\(key)' must be true or false, not '\(text)'", at: node[key]!)
      return nil
    }
  }

  mutating func date(_ key: String) -> Date? {
    guard let text = string(key) else { return nil }
    guard let date = DateParser.parse(text) else {
      problem(
        "'\(key)' is not a date I can read: '\(text)' (write it as YYYY-MM-DD)", at: node[key]!)
      return nil
    }
    return date
  }

  /// One of a fixed set of words.
  mutating func choice(_ key: String, among allowed: [String]) -> String? {
    guard let text = string(key) else { return nil }
    guard allowed.contains(text) else {
      problem(
        "'\(key)' must be one of \(allowed.joined(separator: ", ")), not '\(text)'", at: node[key]!)
      return nil
    }
    return text
  }
}

/// A string read from YAML, with the node it came from (for later reference checks).
public struct YAMLStringValue: Sendable, Equatable {
  public var text: String
  public var line: Int
  public var column: Int

  init(text: String, node: YAMLNode) {
    self.init(text: text, line: node.line, column: node.column)
  }

  public init(text: String, line: Int, column: Int) {
    self.text = text
    self.line = line
    self.column = column
  }
}
