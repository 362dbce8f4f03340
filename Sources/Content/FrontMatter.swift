import Diagnostics
import Foundation

/// A Markdown file split into its YAML front matter and its body.
public struct FrontMatter: Sendable {
  /// The YAML between the `---` fences (empty when the file has none).
  public var yaml: String
  /// Line number (1-based) of the first YAML line in the file.
  public var yamlFirstLine: Int
  public var body: String
  /// Line number (1-based) of the first body line in the file.
  public var bodyFirstLine: Int

  /// Splits `text`; a UTF-8 byte-order mark and CRLF line endings are accepted.
  public static func split(_ text: String) throws(Diagnostic) -> FrontMatter {
    var text = text
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    let hasCarriageReturn = text.withUTF8 { bytes in
      bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\r")), bytes.count) != nil } ?? false
    }
    if hasCarriageReturn {
      text = text.replacingCRLF()
    }
    guard text.utf8.starts(with: "---\n".utf8) || text == "---" else {
      return FrontMatter(yaml: "", yamlFirstLine: 1, body: text, bodyFirstLine: 1)
    }
    var lineNumber = 1
    var yamlLines: [Substring] = []
    var remainder = text.dropFirst(4)
    while !remainder.isEmpty {
      lineNumber += 1
      let end = remainder.firstIndex(of: "\n") ?? remainder.endIndex
      let line = remainder[..<end]
      remainder = end == remainder.endIndex ? "" : remainder[remainder.index(after: end)...]
      if line == "---" || line == "..." {
        return FrontMatter(
          yaml: yamlLines.joined(separator: "\n"), yamlFirstLine: 2, body: String(remainder),
          bodyFirstLine: lineNumber + 1)
      }
      yamlLines.append(line)
    }
    throw Diagnostic.error(
      "front matter opened with '---' is never closed (add a line with '---' after it)",
      at: SourceLocation(file: "", line: 1, column: 1))
  }
}

extension String {
  fileprivate func replacingCRLF() -> String {
    var result = ""
    result.reserveCapacity(utf8.count)
    var previousWasCR = false
    for scalar in unicodeScalars {
      if scalar == "\r" {
        result.unicodeScalars.append("\n")
        previousWasCR = true
        continue
      }
      if !(scalar == "\n" && previousWasCR) { result.unicodeScalars.append(scalar) }
      previousWasCR = false
    }
    return result
  }
}
