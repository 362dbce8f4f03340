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

  /// Whether the file opens with a `---` fence (else all of it is the body).
  public var isFenced: Bool { yamlFirstLine == 2 }

  /// Splits `text`; a UTF-8 byte-order mark is dropped, and CRLF and lone CR end lines as LF
  /// does (``Swift/String/withPlainLineEndings()``).
  public static func split(_ text: String) throws(Diagnostic) -> FrontMatter {
    var text = text.withPlainLineEndings()
    let yamlStart = 4
    guard text.utf8.starts(with: "---\n".utf8) || text == "---" else {
      return FrontMatter(yaml: "", yamlFirstLine: 1, body: text, bodyFirstLine: 1)
    }
    // Line by line over the UTF-8 bytes: the fences are ASCII lines, so the parts are cut at
    // character boundaries and copied from the text without decoding it again.
    let fences = text.withUTF8 { bytes -> (yamlEnd: Int, bodyStart: Int, bodyLine: Int)? in
      var lineStart = yamlStart
      var lineNumber = 1
      while lineStart < bytes.count {
        lineNumber += 1
        var end = bytes.count
        let start = UnsafeRawPointer(bytes.baseAddress! + lineStart)
        if let newline = memchr(start, Int32(UInt8(ascii: "\n")), bytes.count - lineStart) {
          end = lineStart + (UnsafeRawPointer(newline) - start)
        }
        let line = UnsafeBufferPointer(rebasing: bytes[lineStart..<end])
        if line.elementsEqual("---".utf8) || line.elementsEqual("...".utf8) {
          return (max(yamlStart, lineStart - 1), min(end + 1, bytes.count), lineNumber + 1)
        }
        lineStart = end + 1
      }
      return nil
    }
    guard let fences else {
      throw Diagnostic.error(
        "front matter opened with '---' is never closed (add a line with '---' after it)",
        at: SourceLocation(file: "", line: 1, column: 1))
    }
    let utf8 = text.utf8
    func index(_ offset: Int) -> String.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
    return FrontMatter(
      yaml: String(text[index(yamlStart)..<index(fences.yamlEnd)]), yamlFirstLine: 2,
      body: String(text[index(fences.bodyStart)...]), bodyFirstLine: fences.bodyLine)
  }
}

extension String {
  /// The text without a leading byte-order mark, with CRLF and lone CR line endings as LF;
  /// itself, uncopied, when it has neither (a `memchr` finds no CR).
  func withPlainLineEndings() -> String {
    var text = self
    if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
    let hasCarriageReturn = text.withUTF8 { bytes in
      bytes.baseAddress.map { memchr($0, Int32(UInt8(ascii: "\r")), bytes.count) != nil } ?? false
    }
    return hasCarriageReturn ? text.replacingCRLF() : text
  }

  private func replacingCRLF() -> String {
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

extension FrontMatter {
  /// A document file's text and its front matter, split; the problem located in the file when
  /// it cannot be read or split.
  static func read(_ file: SourceTree.File) -> Result<
    (text: String, split: FrontMatter), Diagnostic
  > {
    switch SourceTree.readText(file) {
    case .success(let text):
      do throws(Diagnostic) {
        return .success((text, try split(text)))
      } catch {
        return .failure(error.inFile(file.path, source: text))
      }
    case .failure(let problem):
      return .failure(problem)
    }
  }

  /// The body of the document file at `path` (from `root`), for a build that took the document
  /// without reading its file (``ContentLoader/load(reusing:unread:)``).
  public static func body(ofFileAt path: String, root: URL) -> Result<String, Diagnostic> {
    read(SourceTree.File(path: path, absolutePath: root.path + "/" + path)).map(\.split.body)
  }
}
