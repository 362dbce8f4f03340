/// A position in a source file, 1-based, as editors and compilers print it.
public struct SourceLocation: Sendable, Hashable, Comparable, Codable {
  /// The file as the user should see it (relative to the site root when possible).
  public var file: String
  public var line: Int
  public var column: Int

  public init(file: String, line: Int, column: Int = 1) {
    self.file = file
    self.line = line
    self.column = column
  }

  public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
    (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
  }
}

/// One problem found in user input: content, data, templates or configuration.
///
/// A diagnostic is created where the problem is found, often before the file name is known
/// (a YAML parser sees only text); the code that read the file adds it with ``inFile(_:source:)``.
public struct Diagnostic: Error, Sendable, Hashable, Codable {
  public enum Severity: String, Sendable, Hashable, Codable {
    case error
    case warning
  }

  public var severity: Severity
  public var message: String
  public var location: SourceLocation?
  /// The text of the offending line, shown under the message with a caret.
  public var sourceLine: String?
  /// Further locations involved (e.g. every file that claims one URL).
  public var notes: [Note]

  public struct Note: Sendable, Hashable, Codable {
    public var message: String
    public var location: SourceLocation?

    public init(_ message: String, at location: SourceLocation? = nil) {
      self.message = message
      self.location = location
    }
  }

  public init(
    _ severity: Severity = .error,
    _ message: String,
    at location: SourceLocation? = nil,
    sourceLine: String? = nil,
    notes: [Note] = []
  ) {
    self.severity = severity
    self.message = message
    self.location = location
    self.sourceLine = sourceLine
    self.notes = notes
  }

  public static func error(
    _ message: String, at location: SourceLocation? = nil, notes: [Note] = []
  ) -> Diagnostic {
    Diagnostic(.error, message, at: location, notes: notes)
  }

  public static func warning(
    _ message: String, at location: SourceLocation? = nil, notes: [Note] = []
  ) -> Diagnostic {
    Diagnostic(.warning, message, at: location, notes: notes)
  }

  /// This diagnostic with its location's file set to `file` and the source line filled in
  /// from `source` (the whole text of that file), unless already known.
  public func inFile(_ file: String, source: String? = nil) -> Diagnostic {
    var copy = self
    var location = copy.location ?? SourceLocation(file: file, line: 0, column: 0)
    location.file = file
    copy.location = location
    if copy.sourceLine == nil, let source, location.line > 0 {
      copy.sourceLine = Self.line(location.line, of: source)
    }
    return copy
  }

  /// The 1-based `number`th line of `text`, without its line ending.
  public static func line(_ number: Int, of text: String) -> String? {
    var current = 1
    var start = text.startIndex
    while current < number {
      guard let newline = text[start...].firstIndex(of: "\n") else { return nil }
      start = text.index(after: newline)
      current += 1
    }
    let end = text[start...].firstIndex(where: { $0 == "\n" || $0 == "\r\n" }) ?? text.endIndex
    return String(text[start..<end])
  }

  /// `path:line:col: error: message`, then the source line and a caret under the column.
  public var formatted: String {
    var out = ""
    if let location {
      out += location.file
      if location.line > 0 {
        out += ":\(location.line)"
        if location.column > 0 { out += ":\(location.column)" }
      }
      out += ": "
    }
    out += "\(severity.rawValue): \(message)"
    if let sourceLine, let column = location?.column, column > 0 {
      let shown = sourceLine.replacingTabs()
      let prefix = String(sourceLine.prefix(column - 1)).replacingTabs()
      out += "\n    \(shown)\n    \(String(repeating: " ", count: prefix.count))^"
    }
    for note in notes {
      out += "\n"
      if let location = note.location {
        out += "\(location.file):\(location.line):\(location.column): "
      }
      out += "note: \(note.message)"
    }
    return out
  }
}

extension String {
  fileprivate func replacingTabs() -> String {
    var result = ""
    for character in self {
      result += character == "\t" ? "    " : String(character)
    }
    return result
  }
}

/// Every problem of a run, thrown at once so the user sees them together.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
  public var diagnostics: [Diagnostic]

  public init(_ diagnostics: [Diagnostic] = []) {
    self.diagnostics = diagnostics
  }

  public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
  public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
  public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

  public mutating func append(_ diagnostic: Diagnostic) {
    diagnostics.append(diagnostic)
  }

  public mutating func append(contentsOf other: DiagnosticList) {
    diagnostics.append(contentsOf: other.diagnostics)
  }

  public mutating func append(contentsOf other: [Diagnostic]) {
    diagnostics.append(contentsOf: other)
  }

  /// Diagnostics in a stable order (by file, line, column, message), without repeats.
  public var sorted: [Diagnostic] {
    var seen = Set<Diagnostic>()
    return diagnostics.filter { seen.insert($0).inserted }.sorted { lhs, rhs in
      let left = lhs.location ?? SourceLocation(file: "", line: 0)
      let right = rhs.location ?? SourceLocation(file: "", line: 0)
      return left == right ? lhs.message < rhs.message : left < right
    }
  }

  public var description: String {
    sorted.map(\.formatted).joined(separator: "\n")
  }
}
