import Foundation
import Markdown

/// The Markdown a build rendered, by body, kept in `.proximus/markdown-cache` so that the next
/// build renders only the bodies that changed: the Markdown phase is most of what a rebuild
/// after one edit repeated for every unchanged document.
///
/// Rendering is a function of the body and its language (the key of each entry, a 128-bit
/// hash) and of the Markdown options, this executable and the cmark-gfm library (the file's
/// identity: a file of another identity is not read).
struct MarkdownCache: Sendable {
  private var entries: [StableHasher.Digest: RenderedMarkdown] = [:]

  static func url(root: URL) -> URL {
    root.appending(path: ".proximus/markdown-cache")
  }

  static func key(body: String, language: String) -> StableHasher.Digest {
    var hasher = StableHasher()
    hasher.combine(language)
    hasher.combine(body)
    return hasher.finalize()
  }

  static func identity(_ options: MarkdownOptions) -> String {
    [
      SiteBuilder.toolIdentity,
      "unsafe-html \(options.unsafeHTML)",
      "base-path \(options.basePath)",
    ].joined(separator: "\n")
  }

  init() {}

  /// The entries of the file at `url`; none when it is missing, of another identity or
  /// damaged. Read a chunk at a time, so that a site's worth of HTML is never held twice.
  init(reading url: URL, identity: String) {
    guard let file = try? FileHandle(forReadingFrom: url) else { return }
    defer { try? file.close() }
    // Another build of the same root may be appending: its entries are read whole or not at all.
    flock(file.fileDescriptor, LOCK_SH)
    let header = Self.header(identity)
    guard let first = try? file.read(upToCount: header.count), first == header else { return }
    var pending = Data()
    while let chunk = try? file.read(upToCount: Self.chunkSize), !chunk.isEmpty {
      pending.append(chunk)
      // Whole entries only; the rest waits for the next chunk.
      let consumed = pending.withUnsafeBytes { raw -> Int? in
        var reader = BinaryReader(raw: raw, offset: 0)
        while let length = reader.integer() {
          guard length >= 0 else { return nil }
          guard length <= raw.count - reader.offset else { return reader.offset - 8 }
          let end = reader.offset + Int(length)
          var entry = BinaryReader(
            raw: UnsafeRawBufferPointer(rebasing: raw[reader.offset..<end]), offset: 0)
          guard let (key, rendered) = entry.markdownEntry(), entry.isAtEnd else { return nil }
          entries[key] = rendered
          reader.offset = end
        }
        return reader.offset
      }
      guard let consumed else {
        entries = [:]
        return
      }
      pending.removeSubrange(pending.startIndex..<pending.startIndex + consumed)
    }
    // A file cut short loses only its last entry, but may be the sign of worse.
    if !pending.isEmpty { entries = [:] }
  }

  /// The magic line and the identity, which the file starts with.
  private static func header(_ identity: String) -> Data {
    var writer = BinaryWriter()
    writer.data.append(magic)
    writer.append(identity)
    return writer.data
  }

  var count: Int { entries.count }

  subscript(key: StableHasher.Digest) -> RenderedMarkdown? { entries[key] }

  /// How ``write(_:identity:to:appending:)`` keeps the entries of a build.
  enum WriteMode {
    /// A new file with these entries only, through a temporary file renamed over the old one.
    case replacing
    /// These entries after the file's: a later entry wins over an earlier one of the same key.
    case appending
  }

  /// Writes `entries` for the next build.
  static func write(
    _ entries: [(key: StableHasher.Digest, rendered: RenderedMarkdown)], identity: String,
    to url: URL, mode: WriteMode
  ) {
    let target: URL
    var writer = BinaryWriter()
    switch mode {
    case .replacing:
      target = url.deletingLastPathComponent().appending(
        path: ".\(url.lastPathComponent).\(getpid())")
      try? FileManager.default.createDirectory(
        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      guard FileManager.default.createFile(atPath: target.path, contents: nil) else { return }
      writer.data = header(identity)
    case .appending:
      target = url
    }
    guard let file = try? FileHandle(forWritingTo: target) else { return }
    // Builds of one root into two folders may append at once; the lock keeps entries whole.
    flock(file.fileDescriptor, LOCK_EX)
    var written = (try? file.seekToEnd()) != nil
    var entry = BinaryWriter()
    for (key, rendered) in entries {
      entry.data.removeAll(keepingCapacity: true)
      entry.append(Int64(bitPattern: key.high))
      entry.append(Int64(bitPattern: key.low))
      entry.append(rendered.html)
      entry.append(rendered.plainText)
      entry.append(Int64(rendered.headings.count))
      for heading in rendered.headings {
        entry.append(Int64(heading.level))
        entry.append(heading.text)
        entry.append(heading.id)
      }
      entry.append(Int64(rendered.links.count))
      for link in rendered.links { entry.append(link) }
      writer.append(entry.data)
      if writer.data.count >= chunkSize {
        written = written && (try? file.write(contentsOf: writer.data)) != nil
        writer.data.removeAll(keepingCapacity: true)
      }
    }
    written = written && (try? file.write(contentsOf: writer.data)) != nil
    try? file.close()
    switch mode {
    case .replacing:
      if !written || rename(target.path, url.path) != 0 { unlink(target.path) }
    case .appending:
      // A file cut short is not read again.
      if !written { unlink(url.path) }
    }
  }

  private static let magic = Data("proximus markdown cache 1\n".utf8)
  private static let chunkSize = 8 * 1024 * 1024
}

extension BinaryReader {
  fileprivate mutating func markdownEntry() -> (StableHasher.Digest, RenderedMarkdown)? {
    guard let high = integer(), let low = integer(), let html = text(), let plainText = text(),
      let headingCount = count()
    else { return nil }
    var headings: [Heading] = []
    headings.reserveCapacity(headingCount)
    for _ in 0..<headingCount {
      guard let level = integer(), let title = text(), let id = text() else { return nil }
      headings.append(Heading(level: Int(level), text: title, id: id))
    }
    guard let linkCount = count() else { return nil }
    var links: [String] = []
    links.reserveCapacity(linkCount)
    for _ in 0..<linkCount {
      guard let link = text() else { return nil }
      links.append(link)
    }
    let key = StableHasher.Digest(high: UInt64(bitPattern: high), low: UInt64(bitPattern: low))
    return (
      key, RenderedMarkdown(html: html, plainText: plainText, headings: headings, links: links)
    )
  }
}
