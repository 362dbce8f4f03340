import Diagnostics
import Foundation
import Parallelism
import Search

/// What a successful build read and wrote, kept in `.proximus/` for the next build into the
/// same output folder.
///
/// The **manifest** (each output file's size and hash, each page's ``PageKey``) lets the next
/// build carry unchanged files over instead of writing them, and keep pages whose key is the
/// same without rendering them.
///
/// The **stamps** of every input and output let it tell in milliseconds that nothing changed
/// and leave the site as it is (make's rule). As in git's index, a stamp holds the inode and
/// the change time besides the size and modification time, which editors and `touch` can set
/// back. The inputs are `proximus.yml` and every file and folder under `content/` and
/// `themes/`: the build reads nothing else but this executable and the cmark-gfm library, which
/// ``settings`` names with the options. The outputs are every file and folder of the output
/// folder, so that a file edited, added or removed there by hand makes the next build a full
/// one, which puts the site back.
struct BuildRecord: Equatable {
  /// The executable, the cmark-gfm library and the options the site was built with.
  var settings: String
  /// Nil when the inputs cannot be checked: a symbolic link among them could lead to a file
  /// that changes unseen, so such a site is built in full every time.
  var inputs: [Entry]?
  var outputs: [Entry]
  var manifest: OutputFolder.Manifest
  /// What the pages showed; nil when the build could not tell.
  var dependencies: PageDependencies?
  /// Source path → the ``MarkdownCache`` key of its document's body: the next build finds the
  /// rendering of an unchanged file's body without reading the file.
  var markdownKeys: [String: StableHasher.Digest] = [:]
  /// Language → what its search index was made from, so that the next build can update it.
  var searchIndexes: [String: SearchIndexRecord] = [:]
  var pageCount: Int
  var fileCount: Int
  /// The build's warnings, reported again by a build that finds nothing changed.
  var diagnostics: [Diagnostic]

  struct Entry: Equatable {
    /// Relative to the site root (inputs) or to the output folder (outputs; "" is the folder).
    var path: String
    var stamp: FileStamp
  }

  /// The executable, the cmark-gfm library, the options and the output folder a build used.
  static func settings(_ options: BuildOptions) -> String {
    [
      SiteBuilder.toolIdentity,
      "root \(options.root.standardizedFileURL.path)",
      "output \(options.outputFolder.standardizedFileURL.path)",
      "base-url \(options.baseURL ?? "")",
      "drafts \(options.includeDrafts)",
    ].joined(separator: "\n")
  }

  /// The stamps of the build's inputs, in a fixed order; nil when one is a symbolic link or
  /// cannot be read. Hidden names are skipped, as the build skips them.
  static func scanInputs(root: URL) -> [Entry]? {
    let rootPath = root.standardizedFileURL.path
    var entries: [Entry] = []
    for top in ["proximus.yml", "content", "themes"] {
      guard let stamp = FileStamp(path: rootPath + "/" + top) else { continue }
      entries.append(Entry(path: top, stamp: stamp))
      guard stamp.kind != .symbolicLink else { return nil }
      if stamp.kind == .folder, !scanFolder(top, in: rootPath, into: &entries) { return nil }
    }
    return entries
  }

  /// The paths of the files (not folders) among `inputs`, as ``scanInputs(root:)`` found them:
  /// it gives up on meeting a symbolic link, so they are the site's files.
  static func files(among inputs: [Entry]) -> [String] {
    inputs.compactMap { $0.stamp.kind == .folder ? nil : $0.path }
  }

  private static func scanFolder(_ relative: String, in root: String, into entries: inout [Entry])
    -> Bool
  {
    let path = root + "/" + relative
    guard let children = OutputFolder.entries(of: path), let folder = OpenFolder(path: path)
    else { return false }
    let names = children.map(\.name).filter { !$0.hasPrefix(".") }.sorted()
    // A folder of thousands of documents is stamped on every core (a tenth of a second for
    // `content/cases` at 100,000 cases, before any other phase can start).
    let stamps = names.count > 256 ? names.parallelMap(folder.stamp) : names.map(folder.stamp)
    for (name, stamp) in zip(names, stamps) {
      let path = relative + "/" + name
      guard let stamp, stamp.kind != .symbolicLink else { return false }
      entries.append(Entry(path: path, stamp: stamp))
      if stamp.kind == .folder, !scanFolder(path, in: root, into: &entries) { return false }
    }
    return true
  }

  /// The stamps of the output folder itself, its `folders` and its `files`, but for those
  /// `known`; nil when one cannot be read.
  static func stampOutputs(
    files: [String], folders: Set<String>, in output: String, known: [String: FileStamp] = [:]
  ) -> [Entry]? {
    guard let folder = OpenFolder(path: output) else { return nil }
    let paths = [""] + Array(folders) + files
    let stamps = paths.parallelMap {
      known[$0] ?? folder.stamp($0)
    }
    var entries: [Entry] = []
    entries.reserveCapacity(paths.count)
    for (path, stamp) in zip(paths, stamps) {
      guard let stamp else { return nil }
      entries.append(Entry(path: path, stamp: stamp))
    }
    return entries
  }

  /// Whether every output still has the stamp recorded. Additions and removals change the
  /// stamp of the folder that holds them.
  func outputsAreUnchanged(in output: String) -> Bool {
    guard let folder = OpenFolder(path: output) else { return false }
    let entries = outputs
    let chunks = stride(from: 0, to: entries.count, by: 2_048).map {
      $0..<min($0 + 2_048, entries.count)
    }
    return !chunks.parallelMap { chunk in
      chunk.allSatisfy { folder.stamp(entries[$0].path) == entries[$0].stamp }
    }.contains(false)
  }

  // MARK: File format

  private static let magic = Data("proximus build record 5\n".utf8)

  /// ``BinaryWriter``'s format, the diagnostics as JSON: a record of 100,000 cases holds a
  /// million stamps and half a million signatures.
  func encoded() -> Data { writer().data }

  /// Writes ``encoded()`` to `url`, replacing the file whole.
  func write(to url: URL) throws { try writer().write(to: url) }

  private func writer() -> BinaryWriter {
    var writer = BinaryWriter()
    writer.append(raw: Self.magic)
    writer.append(settings)
    writer.append(Int64(pageCount))
    writer.append(Int64(fileCount))
    writer.append((try? JSONEncoder().encode(diagnostics)) ?? Data("[]".utf8))
    writer.append(inputs != nil)
    for list in [inputs ?? [], outputs] {
      writer.append(Int64(list.count))
      for entry in list {
        writer.append(entry.path)
        writer.append(entry.stamp)
      }
    }
    writer.append(manifest.output)
    writer.append(Int64(manifest.files.count))
    for (path, signature) in manifest.files {
      writer.append(path)
      writer.append(Int64(signature.size))
      writer.append(Int64(bitPattern: signature.hash))
    }
    writer.append(keys: manifest.pages)
    writer.append(keys: manifest.folders)
    writer.append(dependencies != nil)
    if let dependencies { writer.append(dependencies) }
    writer.append(keys: markdownKeys)
    writer.append(Int64(searchIndexes.count))
    for (language, index) in searchIndexes.sorted(by: { $0.key < $1.key }) {
      writer.append(language)
      writer.append(index)
    }
    return writer
  }

  /// Reads what ``encoded()`` wrote; nil for anything else.
  init?(decoding data: Data) {
    guard data.starts(with: Self.magic) else { return nil }
    let read = data.withUnsafeBytes { raw -> BuildRecord? in
      var reader = BinaryReader(raw: raw, offset: Self.magic.count)
      guard let settings = reader.text(), let pageCount = reader.integer(),
        let fileCount = reader.integer(), let diagnosticsJSON = reader.bytes(),
        let diagnostics = try? JSONDecoder().decode(
          [Diagnostic].self, from: Data(diagnosticsJSON)),
        let hasInputs = reader.integer(), let inputs = reader.entries(),
        let outputs = reader.entries(), let manifest = reader.manifest(),
        let hasDependencies = reader.integer()
      else { return nil }
      var dependencies: PageDependencies?
      if hasDependencies != 0 {
        guard let read = reader.dependencies() else { return nil }
        dependencies = read
      }
      guard let markdownKeys = reader.keys(), let indexCount = reader.count() else { return nil }
      var searchIndexes: [String: SearchIndexRecord] = [:]
      for _ in 0..<indexCount {
        guard let language = reader.text(), let index = reader.searchIndex() else { return nil }
        searchIndexes[language] = index
      }
      guard reader.isAtEnd else { return nil }
      return BuildRecord(
        settings: settings, inputs: hasInputs != 0 ? inputs : nil, outputs: outputs,
        manifest: manifest, dependencies: dependencies, markdownKeys: markdownKeys,
        searchIndexes: searchIndexes,
        pageCount: Int(pageCount), fileCount: Int(fileCount), diagnostics: diagnostics)
    }
    guard let read else { return nil }
    self = read
  }

  init(
    settings: String, inputs: [Entry]?, outputs: [Entry], manifest: OutputFolder.Manifest,
    dependencies: PageDependencies? = nil, markdownKeys: [String: StableHasher.Digest] = [:],
    searchIndexes: [String: SearchIndexRecord] = [:], pageCount: Int, fileCount: Int,
    diagnostics: [Diagnostic]
  ) {
    self.settings = settings
    self.inputs = inputs
    self.outputs = outputs
    self.manifest = manifest
    self.dependencies = dependencies
    self.markdownKeys = markdownKeys
    self.searchIndexes = searchIndexes
    self.pageCount = pageCount
    self.fileCount = fileCount
    self.diagnostics = diagnostics
  }
}

/// A folder held open while many files in it are stamped, each by its path inside it
/// (`fstatat`): no full path is joined for each (570 instructions a file), and the kernel
/// resolves only the part inside the folder.
final class OpenFolder: Sendable {
  private let path: String
  private let descriptor: Int32

  /// Nil when `path` is not a folder that can be opened; a symbolic link to one is followed,
  /// as a path through it would be.
  init?(path: String) {
    let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return nil }
    (self.path, self.descriptor) = (path, descriptor)
  }

  deinit { close(descriptor) }

  /// The stamp of the file at `relative` inside the folder, not following a symbolic link
  /// there; nil when there is none. "" is the folder's own path (a link to the folder stamped
  /// as the link).
  func stamp(_ relative: String) -> FileStamp? {
    if relative.isEmpty { return FileStamp(path: path) }
    var info = stat()
    guard fstatat(descriptor, relative, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
    return FileStamp(info)
  }
}

/// What `lstat` tells of a file that changes when its contents, its kind or its place do.
struct FileStamp: Equatable {
  enum Kind { case file, folder, symbolicLink, other }

  var device: Int64
  var inode: Int64
  var mode: Int64
  var size: Int64
  /// Modification and change times, in nanoseconds since 1970.
  var modified: Int64
  var changed: Int64

  var kind: Kind {
    switch mode_t(truncatingIfNeeded: mode) & S_IFMT {
    case S_IFREG: .file
    case S_IFDIR: .folder
    case S_IFLNK: .symbolicLink
    default: .other
    }
  }

  /// The stamp of the file at `path`, not following a symbolic link; nil when there is none.
  init?(path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    self.init(info)
  }

  init(_ info: stat) {
    func nanoseconds(_ time: timespec) -> Int64 {
      Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }
    device = Int64(info.st_dev)
    inode = Int64(info.st_ino)
    mode = Int64(info.st_mode)
    size = Int64(info.st_size)
    modified = nanoseconds(info.st_mtim)
    changed = nanoseconds(info.st_ctim)
  }

  init(device: Int64, inode: Int64, mode: Int64, size: Int64, modified: Int64, changed: Int64) {
    (self.device, self.inode, self.mode, self.size) = (device, inode, mode, size)
    (self.modified, self.changed) = (modified, changed)
  }

}

extension BinaryWriter {
  fileprivate mutating func append(_ dependencies: PageDependencies) {
    append(texts: dependencies.pagePaths)
    append(Int64(dependencies.batchSizes.count))
    for size in dependencies.batchSizes { append(Int64(size)) }
    append(Int64(dependencies.shownBy.count))
    for (url, pages) in dependencies.shownBy {
      append(url)
      append(packed: pages)
    }
    append(Int64(dependencies.documents.count))
    for (path, trace) in dependencies.documents {
      append(path)
      append(trace.url)
      append(trace.place)
      append(trace.cards)
    }
    append(dependencies.order)
  }

  fileprivate mutating func append(_ index: SearchIndexRecord) {
    append(Int64(bitPattern: index.order))
    append(packed: index.fingerprints)
    append(packed: index.lengths)
  }

  /// Six integers in one append: a 100,000-case record holds a million stamps.
  fileprivate mutating func append(_ stamp: FileStamp) {
    let fields = (
      stamp.device.littleEndian, stamp.inode.littleEndian, stamp.mode.littleEndian,
      stamp.size.littleEndian, stamp.modified.littleEndian, stamp.changed.littleEndian
    )
    withUnsafeBytes(of: fields) { append(raw: $0) }
  }
}

extension BinaryReader {
  mutating func entries() -> [BuildRecord.Entry]? {
    guard let count = count() else { return nil }
    var entries: [BuildRecord.Entry] = []
    entries.reserveCapacity(count)
    for _ in 0..<count {
      guard let path = text(), let device = integer(), let inode = integer(),
        let mode = integer(), let size = integer(), let modified = integer(),
        let changed = integer()
      else { return nil }
      let stamp = FileStamp(
        device: device, inode: inode, mode: mode, size: size, modified: modified,
        changed: changed)
      entries.append(BuildRecord.Entry(path: path, stamp: stamp))
    }
    return entries
  }

  mutating func manifest() -> OutputFolder.Manifest? {
    guard let output = text(), let fileCount = count() else { return nil }
    var manifest = OutputFolder.Manifest(output: output)
    manifest.files.reserveCapacity(fileCount)
    for _ in 0..<fileCount {
      guard let path = text(), let size = integer(), let hash = integer() else { return nil }
      manifest.files[path] = OutputFolder.FileSignature(
        size: Int(size), hash: UInt64(bitPattern: hash))
    }
    guard let pages = keys(), let folders = keys() else { return nil }
    (manifest.pages, manifest.folders) = (pages, folders)
    return manifest
  }

  mutating func searchIndex() -> SearchIndexRecord? {
    guard let order = integer(), let fingerprints = packed(UInt64.self),
      let lengths = packed(Int32.self), lengths.count == fingerprints.count
    else { return nil }
    return SearchIndexRecord(
      order: UInt64(bitPattern: order), fingerprints: fingerprints, lengths: lengths)
  }

  mutating func dependencies() -> PageDependencies? {
    guard let pagePaths = texts(), let batchCount = count() else { return nil }
    let pageCount = pagePaths.count
    var batchSizes: [Int] = []
    for _ in 0..<batchCount {
      guard let size = integer(), size >= 0 else { return nil }
      batchSizes.append(Int(size))
    }
    guard batchSizes.reduce(0, +) == pageCount, let urlCount = count() else { return nil }
    var shownBy: [String: [Int32]] = [:]
    shownBy.reserveCapacity(urlCount)
    for _ in 0..<urlCount {
      guard let url = text(), let pages = packed(Int32.self),
        pages.allSatisfy({ $0 >= 0 && $0 < pageCount })
      else { return nil }
      shownBy[url] = pages
    }
    guard let documentCount = count() else { return nil }
    var documents: [String: DocumentTrace] = [:]
    documents.reserveCapacity(documentCount)
    for _ in 0..<documentCount {
      guard let path = text(), let url = text(), let place = digest(), let cards = digest()
      else { return nil }
      documents[path] = DocumentTrace(url: url, place: place, cards: cards)
    }
    guard let order = digest() else { return nil }
    return PageDependencies(
      pagePaths: pagePaths, batchSizes: batchSizes, shownBy: shownBy, documents: documents,
      order: order)
  }
}
