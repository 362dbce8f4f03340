import Foundation
import Markdown
import Parallelism

/// The Markdown a build rendered, by body, kept in `.proximus/markdown-cache` so that the next
/// build renders only the bodies that changed: the Markdown phase is most of what a rebuild
/// after one edit repeated for every unchanged document.
///
/// Rendering is a function of the body and its language (the key of each entry, a 128-bit
/// hash) and of the Markdown options, this executable and the cmark-gfm library (the file's
/// identity: a file of another identity is not read).
///
/// An entry's HTML is not read with the rest: the entry says where it lies in the file, which
/// stays open (``MarkdownCacheFile``), and a page reads it when it is made. A build that makes
/// a few pages reads a few bodies, and no build holds every body at once.
struct MarkdownCache: Sendable {
  /// An entry: its plain text, headings and links (its `html` empty), and where its HTML is.
  struct Entry: Sendable {
    var markdown: RenderedMarkdown
    var html: CachedHTML
  }

  private var entries: [StableHasher.Digest: Entry] = [:]
  /// The file the entries were read from, open for their HTML.
  private(set) var file: MarkdownCacheFile?

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
  /// damaged. Read a chunk at a time, without the HTML.
  init(reading url: URL, identity: String) {
    guard let file = try? FileHandle(forReadingFrom: url) else { return }
    let open = MarkdownCacheFile(file)
    // Another build of the same root may be appending: its entries are read whole or not at
    // all. Later appends leave the bytes read here as they are; a new file is a new inode.
    flock(file.fileDescriptor, LOCK_SH)
    defer { flock(file.fileDescriptor, LOCK_UN) }
    let header = Self.header(identity)
    guard let first = try? file.read(upToCount: header.count), first == header else { return }
    // One buffer, read into in place and grown only for an entry longer than it: a new chunk
    // for every read cost a fresh allocation, two copies, and, since freed memory goes back
    // to the system at once (`Allocator`), its pages faulted in and zeroed again.
    var pending = [UInt8](repeating: 0, count: Self.chunkSize)
    var filled = 0
    // The file offset of `pending`'s first byte.
    var pendingStart = Int64(header.count)
    while true {
      if filled == pending.count { pending += repeatElement(0, count: pending.count) }
      let read = pending.withUnsafeMutableBytes { buffer in
        readOnce(
          file.fileDescriptor, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
      }
      guard let read else {
        entries = [:]
        return
      }
      if read == 0 { break }
      filled += read
      // Whole entries only; the rest waits for the next read. Their bounds first, then the
      // entries themselves decoded in parallel (their texts are most of the time).
      let bounds = pending.withUnsafeBytes { whole -> (entries: [Range<Int>], end: Int)? in
        let raw = UnsafeRawBufferPointer(rebasing: whole[..<filled])
        var reader = BinaryReader(raw: raw, offset: 0)
        var entries: [Range<Int>] = []
        while let length = reader.integer() {
          guard length >= 0 else { return nil }
          guard length <= raw.count - reader.offset else { return (entries, reader.offset - 8) }
          entries.append(reader.offset..<reader.offset + Int(length))
          reader.offset += Int(length)
        }
        return (entries, reader.offset)
      }
      let start = pendingStart
      let decoded = bounds?.entries.parallelMap { [pending] bounds in
        pending.withUnsafeBytes { raw -> (StableHasher.Digest, Entry)? in
          var entry = BinaryReader(
            raw: UnsafeRawBufferPointer(rebasing: raw[bounds]), offset: 0)
          let read = entry.markdownEntry(at: start + Int64(bounds.lowerBound))
          return entry.isAtEnd ? read : nil
        }
      }
      guard let bounds, let decoded, !decoded.contains(where: { $0 == nil }) else {
        entries = [:]
        return
      }
      for case (let key, let read)? in decoded { entries[key] = read }
      let consumed = bounds.end
      pending.withUnsafeMutableBytes { buffer in
        _ = memmove(buffer.baseAddress!, buffer.baseAddress! + consumed, filled - consumed)
      }
      filled -= consumed
      pendingStart += Int64(consumed)
    }
    // A file cut short loses only its last entry, but may be the sign of worse.
    if filled > 0 { entries = [:] }
    if !entries.isEmpty { self.file = open }
  }

  /// The magic line and the identity, which the file starts with.
  private static func header(_ identity: String) -> Data {
    var writer = BinaryWriter()
    writer.append(raw: magic)
    writer.append(identity)
    return writer.data
  }

  var count: Int { entries.count }

  subscript(key: StableHasher.Digest) -> Entry? { entries[key] }

  /// How ``write(_:identity:to:mode:)`` keeps the entries of a build.
  enum WriteMode {
    /// A new file with these entries only, through a temporary file renamed over the old one.
    case replacing
    /// These entries after the file's: a later entry wins over an earlier one of the same key.
    case appending
  }

  /// An entry to write: rendered by this build, or read from the cache (its HTML then read
  /// from `file`).
  struct NewEntry: Sendable {
    var key: StableHasher.Digest
    var markdown: RenderedMarkdown
    var cached: CachedHTML? = nil
  }

  /// Writes `entries` for the next build; an entry whose HTML cannot be read from `file` is
  /// left out.
  static func write(
    _ entries: [NewEntry], from file: MarkdownCacheFile? = nil, identity: String, to url: URL,
    mode: WriteMode
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
      writer.append(raw: header(identity))
    case .appending:
      target = url
    }
    guard let handle = try? FileHandle(forWritingTo: target) else { return }
    // Builds of one root into two folders may append at once; the lock keeps entries whole.
    flock(handle.fileDescriptor, LOCK_EX)
    var written = (try? handle.seekToEnd()) != nil
    var entry = BinaryWriter()
    for new in entries {
      var rendered = new.markdown
      if let cached = new.cached {
        guard let html = file?.html(cached) else { continue }
        rendered.html = html
      }
      entry.removeAll()
      entry.append(new.key)
      entry.append(rendered.html)
      entry.append(rendered.plainText)
      entry.append(Int64(rendered.headings.count))
      for heading in rendered.headings {
        entry.append(Int64(heading.level))
        entry.append(heading.text)
        entry.append(heading.id)
      }
      entry.append(texts: rendered.links)
      writer.append(entry.bytes)
      if writer.bytes.count >= chunkSize {
        written = written && (try? handle.write(contentsOf: writer.bytes)) != nil
        writer.removeAll()
      }
    }
    written = written && (try? handle.write(contentsOf: writer.bytes)) != nil
    try? handle.close()
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

/// Where an entry's HTML lies in the cache file: the UTF-8 bytes at `offset`.
struct CachedHTML: Sendable, Equatable {
  var offset: Int64
  var length: Int
}

/// The Markdown cache file a build read, open until the build no longer needs its HTML.
final class MarkdownCacheFile: Sendable {
  private let handle: FileHandle

  init(_ handle: FileHandle) {
    self.handle = handle
  }

  deinit {
    try? handle.close()
  }

  /// The HTML at `location`; nil when it cannot be read whole or is not UTF-8.
  func html(_ location: CachedHTML) -> String? {
    let bytes = [UInt8](unsafeUninitializedCapacity: location.length) { buffer, count in
      var done = 0
      while done < location.length,
        let read = readOnce(
          handle.fileDescriptor,
          into: UnsafeMutableRawBufferPointer(
            start: buffer.baseAddress! + done, count: location.length - done),
          at: off_t(location.offset) + off_t(done)),
        read > 0
      {
        done += read
      }
      count = done
    }
    guard bytes.count == location.length else { return nil }
    return bytes.withUnsafeBufferPointer { String(validUTF8: $0) }
  }
}

extension BinaryReader {
  /// An entry, which starts at file offset `start`.
  fileprivate mutating func markdownEntry(at start: Int64)
    -> (StableHasher.Digest, MarkdownCache.Entry)?
  {
    guard let key = digest(), let htmlLength = integer(),
      htmlLength >= 0, htmlLength <= raw.count - offset
    else { return nil }
    let html = CachedHTML(offset: start + Int64(offset), length: Int(htmlLength))
    offset += Int(htmlLength)
    guard let plainText = text(), let headingCount = count() else { return nil }
    var headings: [Heading] = []
    headings.reserveCapacity(headingCount)
    for _ in 0..<headingCount {
      guard let level = integer(), let title = text(), let id = text() else { return nil }
      headings.append(Heading(level: Int(level), text: title, id: id))
    }
    guard let links = texts() else { return nil }
    let markdown = RenderedMarkdown(
      html: "", plainText: plainText, headings: headings, links: links)
    return (key, MarkdownCache.Entry(markdown: markdown, html: html))
  }
}

/// One `read(2)`, or `pread(2)` at `offset`, into `buffer`, again when a signal interrupted it:
/// the count read, 0 at the end of the file, nil on an error.
private func readOnce(
  _ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer, at offset: off_t? = nil
) -> Int? {
  while true {
    let count =
      offset.map { pread(descriptor, buffer.baseAddress, buffer.count, $0) }
      ?? read(descriptor, buffer.baseAddress, buffer.count)
    if count >= 0 { return count }
    if errno != EINTR { return nil }
  }
}
