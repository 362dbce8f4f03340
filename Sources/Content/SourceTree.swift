import Diagnostics
import Foundation

/// The files of a site root, found without ever leaving it: symbolic links are followed only
/// when they resolve inside the root, and a link loop is reported instead of walked forever.
public struct SourceTree: Sendable {
  public let root: URL
  /// The paths, relative to the root, of every file under it, when the caller listed them
  /// already and met no symbolic link; `files(under:)` then reads no folder.
  private let listing: [String]?

  public init(root: URL) {
    self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    listing = nil
  }

  /// A tree whose files are `listing`: paths relative to the root, found by a walk that met no
  /// symbolic link (the build's check phase lists and stamps every source).
  public init(root: URL, listing: [String]) {
    self.root = root.standardizedFileURL.resolvingSymlinksInPath()
    self.listing = listing
  }

  /// A regular file under the root.
  public struct File: Sendable, Hashable {
    /// Path relative to the root, with `/` separators: `content/cases/x.md`.
    public var path: String
    /// Where the file is read: under the root, the target of a symbolic link for a linked file.
    /// A path rather than a `URL`: making one per file and reading its path back took 20,000
    /// instructions a document.
    public var absolutePath: String

    public init(path: String, absolutePath: String) {
      self.path = path
      self.absolutePath = absolutePath
    }

    public init(path: String, url: URL) {
      self.init(path: path, absolutePath: url.path)
    }

    /// The last component of ``absolutePath``.
    public var fileName: Substring {
      absolutePath[
        (absolutePath.lastIndex(of: "/").map(absolutePath.index(after:)) ?? absolutePath.startIndex)...
      ]
    }
  }

  /// Every regular file below `folder` (relative to the root), sorted by path.
  public func files(under folder: String) -> ([File], [Diagnostic]) {
    if let listing {
      let prefix = folder + "/"
      let paths = listing.filter { $0.hasPrefix(prefix) }.sorted()
      let rootPath = root.path
      return (paths.map { File(path: $0, absolutePath: rootPath + "/" + $0) }, [])
    }
    var files: [File] = []
    var diagnostics: [Diagnostic] = []
    var visited: Set<String> = []
    walk(
      root.appending(path: folder), relative: folder, files: &files, diagnostics: &diagnostics,
      visited: &visited)
    return (files.sorted { $0.path < $1.path }, diagnostics)
  }

  private func walk(
    _ directory: URL, relative: String, files: inout [File], diagnostics: inout [Diagnostic],
    visited: inout Set<String>
  ) {
    let real = directory.resolvingSymlinksInPath().path
    guard visited.insert(real).inserted else {
      diagnostics.append(
        .error(
          "symbolic link loop: this folder leads back to one already read",
          at: SourceLocation(file: relative, line: 0)))
      return
    }
    guard
      let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path)
    else { return }
    let directoryPath = directory.path
    for name in names.sorted() where !name.hasPrefix(".") {
      let path = "\(relative)/\(name)"
      // One lstat tells links, folders and files apart: URL resource values and a second
      // stat per entry made this serial walk a third of the load phase at 10k files.
      var info = stat()
      guard lstat(directoryPath + "/" + name, &info) == 0 else { continue }
      switch info.st_mode & S_IFMT {
      case S_IFDIR:
        walk(
          directory.appending(path: name), relative: path, files: &files,
          diagnostics: &diagnostics, visited: &visited)
        continue
      case S_IFLNK:
        break
      default:
        files.append(File(path: path, absolutePath: directoryPath + "/" + name))
        continue
      }
      let target = directory.appending(path: name).resolvingSymlinksInPath()
      guard isInsideRoot(target) else {
        diagnostics.append(
          .warning(
            "symbolic link leads outside the site root; not followed",
            at: SourceLocation(file: path, line: 0)))
        continue
      }
      var isDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: target.path, isDirectory: &isDirectory) else {
        diagnostics.append(
          .warning("broken symbolic link; skipped", at: SourceLocation(file: path, line: 0)))
        continue
      }
      if isDirectory.boolValue {
        walk(target, relative: path, files: &files, diagnostics: &diagnostics, visited: &visited)
      } else {
        files.append(File(path: path, url: target))
      }
    }
  }

  private func isInsideRoot(_ url: URL) -> Bool {
    let path = url.standardizedFileURL.path
    return path == root.path || path.hasPrefix(root.path + "/")
  }

  /// Reads a text file as UTF-8: invalid bytes and NUL are errors naming the byte offset.
  public static func readText(_ file: File) -> Result<String, Diagnostic> {
    guard let data = FileManager.default.contents(atPath: file.absolutePath) else {
      return .failure(.error("cannot read this file", at: SourceLocation(file: file.path, line: 0)))
    }
    return decodeUTF8(data, path: file.path)
  }

  public static func decodeUTF8(_ data: Data, path: String) -> Result<String, Diagnostic> {
    // memchr over the bytes: `Data.firstIndex(of:)` went a byte at a time, each with an
    // exclusivity check.
    let nulOffset = data.withUnsafeBytes { raw -> Int? in
      guard let base = raw.baseAddress, let found = memchr(base, 0, raw.count) else { return nil }
      return base.distance(to: UnsafeRawPointer(found))
    }
    if let nulOffset {
      return .failure(
        .error(
          "contains a NUL byte at byte offset \(nulOffset) (is this a text file?)",
          at: location(in: data, offset: nulOffset, path: path)))
    }
    if let text = String(validatingUTF8: data) { return .success(text) }
    var offset = 0
    var iterator = data.makeIterator()
    var decoder = UTF8()
    var consumed = 0
    loop: while true {
      switch decoder.decode(&iterator) {
      case .scalarValue(let scalar):
        consumed += UTF8.width(scalar)
        offset = consumed
      case .emptyInput:
        break loop
      case .error:
        break loop
      }
    }
    return .failure(
      .error(
        "invalid UTF-8 at byte offset \(offset); save the file as UTF-8",
        at: location(in: data, offset: offset, path: path)))
  }

  private static func location(in data: Data, offset: Int, path: String) -> SourceLocation {
    let prefix = data.prefix(offset)
    let line = prefix.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    let lastNewline = prefix.lastIndex(of: UInt8(ascii: "\n")).map { $0 - data.startIndex + 1 } ?? 0
    return SourceLocation(file: path, line: line, column: offset - lastNewline + 1)
  }
}

extension String {
  /// Strict UTF-8 decoding that keeps a byte-order mark (the front matter splitter drops it).
  fileprivate init?(validatingUTF8 data: Data) {
    // From the contiguous bytes: validating `Data` as a generic collection went through the
    // standard library's slow path, a byte at a time.
    let text = data.withUnsafeBytes { raw in
      String(validating: raw.bindMemory(to: UInt8.self), as: UTF8.self)
    }
    guard let text else { return nil }
    self = text
  }
}
