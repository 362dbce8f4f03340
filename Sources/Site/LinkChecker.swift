import Diagnostics
import Foundation

/// Checks that every internal `href` and `src` of the generated HTML resolves to a file of
/// the site, and every `#anchor` to an `id` on the target page. Runs on the site in memory,
/// so `proximus check` needs to write nothing.
public struct LinkChecker: Sendable {
  /// Absolute base URL of the site (`https://example.org/portail/`).
  public let baseURL: URL

  public init(baseURL: URL) {
    self.baseURL = baseURL
  }

  public struct BrokenLink: Sendable, Equatable {
    /// Output path of the page holding the link (`cases/x/index.html`).
    public var page: String
    public var link: String
    public var reason: String
  }

  /// Broken links as diagnostics: at the line of the source document that writes the link
  /// when the page comes from one, else at the generated page (a theme template's link).
  public func diagnostics(for site: GeneratedSite, root: URL) -> [Diagnostic] {
    let basePath = baseURL.path.hasSuffix("/") ? baseURL.path : baseURL.path + "/"
    return check(site.files).map { broken in
      let message = "broken link '\(broken.link)': \(broken.reason)"
      guard let source = site.sources[broken.page],
        let text = try? String(contentsOf: root.appending(path: source), encoding: .utf8)
      else {
        return .error(message + " (in the generated page /\(broken.page))")
      }
      // Markdown writes root-relative links without the base path the build added.
      let written =
        broken.link.hasPrefix(basePath) ? "/" + broken.link.dropFirst(basePath.count) : broken.link
      for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
        .enumerated()
      {
        if let range = line.range(of: written) {
          let column = line.distance(from: line.startIndex, to: range.lowerBound) + 1
          return Diagnostic(
            .error, message, at: SourceLocation(file: source, line: index + 1, column: column),
            sourceLine: String(line))
        }
      }
      return .error(message, at: SourceLocation(file: source, line: 1, column: 1))
    }
  }

  public func check(_ files: [OutputFile]) -> [BrokenLink] {
    let basePath = baseURL.path.hasSuffix("/") ? baseURL.path : baseURL.path + "/"
    var byPath: [String: OutputFile] = [:]
    for file in files { byPath[file.path] = file }
    var idsCache: [String: Set<String>] = [:]
    func ids(of path: String) -> Set<String> {
      if let cached = idsCache[path] { return cached }
      let found = Set(
        HTMLScanner.attributeValues(in: byPath[path]?.contents ?? Data(), names: ["id"]))
      idsCache[path] = found
      return found
    }
    var broken: [BrokenLink] = []
    for file in files.sorted(by: { $0.path < $1.path }) where file.path.hasSuffix(".html") {
      let pageURL = URL(string: basePath + file.path, relativeTo: baseURL)!
      for link in Set(HTMLScanner.attributeValues(in: file.contents, names: ["href", "src"]))
        .sorted()
      {
        if link.isEmpty { continue }
        guard let resolved = URL(string: link, relativeTo: pageURL)?.absoluteURL else {
          broken.append(BrokenLink(page: file.path, link: link, reason: "not a valid URL"))
          continue
        }
        guard resolved.scheme == baseURL.scheme, resolved.host == baseURL.host,
          resolved.port == baseURL.port
        else { continue }
        let path =
          resolved.path
          + (resolved.absoluteString.hasSuffix("/") && !resolved.path.hasSuffix("/") ? "/" : "")
        guard path.hasPrefix(basePath) || path + "/" == basePath else {
          broken.append(
            BrokenLink(
              page: file.path, link: link, reason: "leaves the site's base path \(basePath)"))
          continue
        }
        var target = String(path.dropFirst(basePath.count))
        if target.isEmpty || target.hasSuffix("/") { target += "index.html" }
        if byPath[target] == nil, byPath[target + "/index.html"] != nil { target += "/index.html" }
        guard byPath[target] != nil else {
          broken.append(
            BrokenLink(page: file.path, link: link, reason: "no file /\(target) in the site"))
          continue
        }
        if let fragment = resolved.fragment, !fragment.isEmpty, target.hasSuffix(".html"),
          !ids(of: target).contains(fragment.removingPercentEncoding ?? fragment)
        {
          broken.append(
            BrokenLink(page: file.path, link: link, reason: "no id '\(fragment)' on /\(target)"))
        }
      }
    }
    return broken
  }
}

/// Just enough HTML tokenising to read attribute values out of start tags.
enum HTMLScanner {
  static func attributeValues(in data: Data, names: Set<String>) -> [String] {
    let bytes = [UInt8](data)
    var values: [String] = []
    var index = 0
    let count = bytes.count
    func isSpace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0C
    }
    while index < count {
      guard bytes[index] == UInt8(ascii: "<") else {
        index += 1
        continue
      }
      // Skip comments and the bodies of script and style elements.
      if bytes[index...].starts(with: Array("<!--".utf8)) {
        index = bytes.firstOffset(of: Array("-->".utf8), from: index).map { $0 + 3 } ?? count
        continue
      }
      index += 1
      let nameStart = index
      while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") { index += 1 }
      let tagName = String(decoding: bytes[nameStart..<index], as: UTF8.self).lowercased()
      // Attributes until '>'.
      while index < count, bytes[index] != UInt8(ascii: ">") {
        while index < count, isSpace(bytes[index]) { index += 1 }
        let attributeStart = index
        while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: "="),
          bytes[index] != UInt8(ascii: ">")
        {
          index += 1
        }
        let attribute = String(decoding: bytes[attributeStart..<index], as: UTF8.self).lowercased()
        while index < count, isSpace(bytes[index]) { index += 1 }
        guard index < count, bytes[index] == UInt8(ascii: "=") else {
          if index == attributeStart { index += 1 }
          continue
        }
        index += 1
        while index < count, isSpace(bytes[index]) { index += 1 }
        var value = ""
        if index < count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
          let quote = bytes[index]
          index += 1
          let valueStart = index
          while index < count, bytes[index] != quote { index += 1 }
          value = String(decoding: bytes[valueStart..<min(index, count)], as: UTF8.self)
          index += 1
        } else {
          let valueStart = index
          while index < count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
            index += 1
          }
          value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
        }
        if names.contains(attribute) { values.append(decodeEntities(value)) }
      }
      if tagName == "script" || tagName == "style" {
        let closing = Array("</\(tagName)".utf8)
        index = bytes.firstOffset(of: closing, from: index).map { $0 + closing.count } ?? count
      }
    }
    return values
  }

  static func decodeEntities(_ text: String) -> String {
    guard text.contains("&") else { return text }
    return text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(
      of: "&#39;", with: "'"
    )
    .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#43;", with: "+")
    .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
  }
}
