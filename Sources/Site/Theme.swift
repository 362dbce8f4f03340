import Content
import DefaultTheme
import Diagnostics
import Foundation
import Templates
import Yams

/// A visual theme: the embedded default theme, with a site's `themes/<name>/` files laid over
/// it file by file.
struct Theme: Sendable {
  /// Theme-relative path (`templates/base.html`) → bytes, and where each file came from.
  var files: [String: Data]
  var origins: [String: String]

  /// Loads the theme `name` for the site at `root`.
  static func load(name: String, root: URL) -> (Theme, [Diagnostic]) {
    var files = name == "default" ? DefaultTheme.files : [:]
    var origins = Dictionary(uniqueKeysWithValues: files.keys.map { ($0, "themes/default/\($0)") })
    var diagnostics: [Diagnostic] = []
    let tree = SourceTree(root: root)
    let folder = "themes/\(name)"
    let (siteFiles, problems) = tree.files(under: folder)
    diagnostics += problems
    if name != "default", siteFiles.isEmpty {
      diagnostics.append(.error("theme '\(name)' not found: expected a folder \(folder)/"))
    }
    for file in siteFiles {
      let relative = String(file.path.dropFirst(folder.count + 1))
      if let data = FileManager.default.contents(atPath: file.absolutePath) {
        files[relative] = data
        origins[relative] = file.path
      }
    }
    return (Theme(files: files, origins: origins), diagnostics)
  }

  /// Every `templates/…` file, named relative to `templates/`.
  func templateSources() -> ([TemplateSource], [Diagnostic]) {
    var sources: [TemplateSource] = []
    var diagnostics: [Diagnostic] = []
    for (path, data) in files.sorted(by: { $0.key < $1.key }) where path.hasPrefix("templates/") {
      let origin = origins[path] ?? path
      switch SourceTree.decodeUTF8(data, path: origin) {
      case .success(let text):
        sources.append(TemplateSource(name: String(path.dropFirst(10)), path: origin, text: text))
      case .failure(let problem):
        diagnostics.append(problem)
      }
    }
    return (sources, diagnostics)
  }

  /// UI strings of `language` from `i18n/<language>.yaml`, nested keys joined with `.`.
  func translations(_ language: String) -> ([String: String], [Diagnostic]) {
    let path = "i18n/\(language).yaml"
    guard let data = files[path] else {
      return ([:], [.error("the theme has no UI strings for language '\(language)' (\(path))")])
    }
    let origin = origins[path] ?? path
    let text: String
    switch SourceTree.decodeUTF8(data, path: origin) {
    case .success(let decoded): text = decoded
    case .failure(let problem): return ([:], [problem])
    }
    do {
      guard let node = try YAMLNode.parse(text) else { return ([:], []) }
      var strings: [String: String] = [:]
      func flatten(_ node: YAMLNode, prefix: String) {
        switch node.kind {
        case .scalar(let value, _): strings[prefix] = value
        case .mapping(let entries):
          for entry in entries {
            flatten(entry.value, prefix: prefix.isEmpty ? entry.key : "\(prefix).\(entry.key)")
          }
        case .sequence: break
        }
      }
      flatten(node, prefix: "")
      return (strings, [])
    } catch {
      return ([:], [error.inFile(origin, source: text)])
    }
  }

  /// Files of `assets/`, with `.css` and `.js` given content-hashed names for long caching.
  /// JavaScript modules importing each other (`from "./x.js"`) are rewritten to the hashed names.
  func fingerprintedAssets() -> (files: [String: Data], names: [String: String]) {
    var pending = files.filter { $0.key.hasPrefix("assets/") }
    var output: [String: Data] = [:]
    var names: [String: String] = [:]
    // Plain files first, then scripts whose imports are all resolved, until none is left.
    while !pending.isEmpty {
      var progressed = false
      for (path, data) in pending.sorted(by: { $0.key < $1.key }) {
        let name = String(path.dropFirst(7))
        let isFingerprinted = name.hasSuffix(".css") || name.hasSuffix(".js")
        var bytes = data
        if name.hasSuffix(".js"), case var text = [UInt8](data),
          text.withUnsafeBufferPointer({ String(validUTF8: $0) }) != nil
        {
          let imports = Self.relativeImports(in: text, of: name)
          if imports.contains(where: { names[$0] == nil }) { continue }
          for imported in imports {
            let directory = (name as NSString).deletingLastPathComponent
            let hashed = names[imported]!
            let relativeHashed =
              directory.isEmpty ? hashed : String(hashed.dropFirst(directory.count + 1))
            let relativeOriginal =
              directory.isEmpty ? imported : String(imported.dropFirst(directory.count + 1))
            text = Self.replacing(
              Array("\"./\(relativeOriginal)\"".utf8), with: Array("\"./\(relativeHashed)\"".utf8),
              in: text)
          }
          bytes = Data(text)
        }
        let finalName = isFingerprinted ? Self.hashedName(name, bytes) : name
        names[name] = finalName
        output["assets/" + finalName] = bytes
        pending[path] = nil
        progressed = true
      }
      if !progressed {
        // An import cycle or a missing module: publish the rest unhashed rather than loop.
        for (path, data) in pending {
          names[String(path.dropFirst(7))] = String(path.dropFirst(7))
          output[path] = data
        }
        break
      }
    }
    return (output, names)
  }

  /// Theme-relative names (`search/analyzer.js`) of the `./x.js` modules `text` (UTF-8)
  /// imports.
  static func relativeImports(in text: [UInt8], of name: String) -> [String] {
    let directory = (name as NSString).deletingLastPathComponent
    let opening = Array("from \"./".utf8)
    var result: [String] = []
    var start = 0
    while let found = text.firstOffset(of: opening, from: start) {
      let after = found + opening.count
      guard let end = text[after...].firstIndex(of: UInt8(ascii: "\"")) else { break }
      let module = String(decoding: text[after..<end], as: UTF8.self)
      if module.hasSuffix(".js"), !module.utf8.contains(UInt8(ascii: "/")) {
        result.append(directory.isEmpty ? module : "\(directory)/\(module)")
      }
      start = end
    }
    return result
  }

  /// `text` with every occurrence of `pattern` replaced, searched for on the bytes:
  /// Foundation's `range(of:)` and `replacingOccurrences` took a million instructions a
  /// script, in every build.
  static func replacing(_ pattern: [UInt8], with replacement: [UInt8], in text: [UInt8])
    -> [UInt8]
  {
    var result: [UInt8] = []
    var start = 0
    while let found = text.firstOffset(of: pattern, from: start) {
      result.append(contentsOf: text[start..<found])
      result.append(contentsOf: replacement)
      start = found + pattern.count
    }
    guard start > 0 else { return text }
    result.append(contentsOf: text[start...])
    return result
  }

  static func hashedName(_ name: String, _ data: Data) -> String {
    let hash = ContentHash.hex(data, length: 10)
    let dot = name.lastIndex(of: ".")!
    return "\(name[..<dot]).\(hash)\(name[dot...])"
  }
}
