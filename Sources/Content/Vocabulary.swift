import Diagnostics

/// Words in each of the portal's languages (`{fr: "...", en: "..."}`).
public struct LocalizedText: Sendable, Equatable {
  public var values: [String: String]

  public init(_ values: [String: String]) {
    self.values = values
  }

  /// The text in `language`, else the first available by the site's language order.
  public func text(in language: String, fallback: [String] = ["fr", "en"]) -> String {
    if let text = values[language] { return text }
    for other in fallback { if let text = values[other] { return text } }
    return values.values.sorted().first ?? ""
  }
}

/// A subject area of case studies (`topics.yaml`).
public struct Topic: Sendable, Equatable {
  public var id: String
  public var label: LocalizedText
  public var description: LocalizedText
}

/// Whether a factor helped or hindered a project.
public enum FactorPolarity: String, Sendable, CaseIterable {
  case success
  case failure
}

/// A success or failure factor (`factors.yaml`).
public struct Factor: Sendable, Equatable {
  public var id: String
  public var polarity: FactorPolarity
  public var label: LocalizedText
  public var description: LocalizedText
}

/// Reads `topics.yaml` and `factors.yaml`.
enum VocabularyLoader {
  /// `[{id, label: {fr, en}, description: {fr, en}}]`, with duplicate and id checks.
  static func entries(
    _ node: YAMLNode, what: String, seen: inout [String: Int], diagnostics: inout [Diagnostic]
  ) -> [(id: String, label: LocalizedText, description: LocalizedText)] {
    guard case .sequence(let items) = node.kind else {
      diagnostics.append(.error("\(what) must be a list of {id, label}", at: node.location))
      return []
    }
    var result: [(String, LocalizedText, LocalizedText)] = []
    for item in items {
      guard let id = item["id"]?.string, !id.isEmpty else {
        diagnostics.append(.error("each \(what) entry needs an 'id'", at: item.location))
        continue
      }
      if let problem = SlugRules.problem(with: id) {
        diagnostics.append(.error("\(what) id '\(id)' \(problem)", at: item["id"]!.location))
        continue
      }
      if let first = seen[id] {
        diagnostics.append(
          .error(
            "duplicate \(what) id '\(id)' (first defined on line \(first))",
            at: item["id"]!.location))
        continue
      }
      seen[id] = item["id"]!.line
      let label =
        localized(item["label"], what: "label", diagnostics: &diagnostics)
        ?? LocalizedText(["en": id])
      let description =
        localized(item["description"], what: "description", diagnostics: &diagnostics)
        ?? LocalizedText([:])
      result.append((id, label, description))
    }
    return result
  }

  private static func localized(_ node: YAMLNode?, what: String, diagnostics: inout [Diagnostic])
    -> LocalizedText?
  {
    guard let node, !node.isNull else { return nil }
    switch node.kind {
    case .scalar(let text, _):
      return LocalizedText(["fr": text, "en": text])
    case .mapping(let entries):
      var values: [String: String] = [:]
      for entry in entries {
        guard let text = entry.value.string else {
          diagnostics.append(
            .error("\(what).\(entry.key) must be a text", at: entry.value.location))
          continue
        }
        values[entry.key] = text
      }
      return LocalizedText(values)
    case .sequence:
      diagnostics.append(.error("\(what) must be a text or {fr: ..., en: ...}", at: node.location))
      return nil
    }
  }

  static func topics(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> [Topic] {
    var seen: [String: Int] = [:]
    return entries(node, what: "topic", seen: &seen, diagnostics: &diagnostics).map {
      Topic(id: $0.id, label: $0.label, description: $0.description)
    }
  }

  static func factors(_ node: YAMLNode, diagnostics: inout [Diagnostic]) -> [Factor] {
    guard case .mapping(let groups) = node.kind else {
      diagnostics.append(
        .error("factors.yaml must have 'success:' and 'failure:' lists", at: node.location))
      return []
    }
    var seen: [String: Int] = [:]
    var factors: [Factor] = []
    for group in groups {
      guard let polarity = FactorPolarity(rawValue: group.key) else {
        diagnostics.append(
          .error(
            "factors are grouped under 'success' or 'failure', not '\(group.key)'",
            at: SourceLocation(file: "", line: group.keyLine, column: group.keyColumn)))
        continue
      }
      factors += entries(group.value, what: "factor", seen: &seen, diagnostics: &diagnostics).map {
        Factor(id: $0.id, polarity: polarity, label: $0.label, description: $0.description)
      }
    }
    return factors
  }
}
