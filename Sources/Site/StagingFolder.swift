import Diagnostics
import Foundation
import Parallelism
import Synchronization

/// The folder a build writes into before it is swapped in whole (SPEC "Writes"). Files are
/// written as soon as they are made, from any thread, so a build never holds its pages in
/// memory; a file whose bytes equal the previous output's is hard-linked from it instead,
/// keeping its modification time, and so is a page whose ``PageKey`` equals the previous
/// build's, without being rendered. ``publish()`` swaps the folder in, ``discard()`` removes it.
public final class StagingFolder: Sendable {
  let folder: OutputFolder
  /// `folder`'s two paths, made once: a `URL` builds its path string anew on each call.
  private let stagingPath: String
  private let outputPath: String
  /// What the previous build wrote into the output folder.
  private let previous: OutputFolder.Manifest
  /// What the staging folder held when the build started, read on another thread while the
  /// build loads its sources: every use waits for it. Each call takes it once and passes it
  /// down.
  private let recycledScan: BackgroundTask<RecycledTree>
  private var recycled: RecycledTree { recycledScan.wait().result }
  /// Path → the stamp of the output's file there, when the output is known to be as the last
  /// build recorded it (``OutputFolder/beginStaging(previous:verified:)``).
  private let outputStamps: [String: FileStamp]?
  private let written = Mutex(Written())
  /// Whether a file could not be written. The build fails with that first error: the staging
  /// folder is then discarded, so later files are not written, nor pages rendered for them,
  /// nor reported (a full disk gave one error per page, 26,000 lines at 100,000 cases).
  private let failed = Atomic<Bool>(false)

  /// Whether a file could not be written: nothing more is worth making.
  var hasFailed: Bool { failed.load(ordering: .relaxed) }

  /// What this build wrote so far.
  private struct Written {
    /// Path → signature, and whether the bytes changed.
    var files: [String: (signature: OutputFolder.FileSignature, changed: Bool)] = [:]
    /// The key of each page written or kept.
    var pageKeys: [String: StableHasher.Digest] = [:]
    /// Pages linked over by ``keepPage(_:key:)``, not rendered.
    var keptPages = 0
    /// The key of each folder made as a whole (``keepFiles(under:key:)``).
    var folderKeys: [String: StableHasher.Digest] = [:]
    /// ``OutputFolder/Report/knownStamps``.
    var knownStamps: [String: FileStamp] = [:]

    mutating func carried(_ path: String, _ carried: Carried) {
      if case .untouched(let stamp?) = carried { knownStamps[path] = stamp }
    }
  }

  init(
    folder: OutputFolder, previous: OutputFolder.Manifest,
    recycled: BackgroundTask<RecycledTree>, outputStamps: [String: FileStamp]? = nil
  ) {
    self.folder = folder
    self.stagingPath = folder.staging.path
    self.outputPath = folder.output.path
    self.previous = previous
    self.recycledScan = recycled
    self.outputStamps = outputStamps
  }

  /// Carries the previous build's page at `path` over when it was made from the same `key`
  /// (by default, the key it had: the build knows the page did not change); false when the
  /// page must be rendered.
  func keepPage(_ path: String, key: StableHasher.Digest? = nil) -> Bool {
    guard !hasFailed, let key = key ?? previous.pages[path], previous.pages[path] == key,
      let signature = previous.files[path],
      let carried = carryOver(path, signature: signature, recycled: recycled)
    else { return false }
    written.withLock {
      $0.files[path] = (signature, false)
      $0.carried(path, carried)
      $0.pageKeys[path] = key
      $0.keptPages += 1
    }
    return true
  }

  /// Carries over every file the previous build wrote under `folder` (a prefix ending in `/`)
  /// when it made them from the same `key`, as a language's search index is made from its
  /// documents; false, having carried nothing, when they must be made again.
  func keepFiles(under folder: String, key: StableHasher.Digest) -> Bool {
    guard !hasFailed, previous.folders[folder] == key else { return false }
    let files = previous.files.filter { $0.key.hasPrefix(folder) }.sorted { $0.key < $1.key }
    guard !files.isEmpty else { return false }
    let recycled = recycled
    var carried: [(String, Carried)] = []
    for (path, signature) in files {
      guard let how = carryOver(path, signature: signature, recycled: recycled) else {
        // The files are made again: none of the previous ones may stay in their way.
        for (path, _) in carried { unlink(stagingPath + "/" + path) }
        return false
      }
      carried.append((path, how))
    }
    written.withLock {
      for (path, signature) in files { $0.files[path] = (signature, false) }
      for (path, how) in carried { $0.carried(path, how) }
      $0.folderKeys[folder] = key
    }
    return true
  }

  /// Records that the files just written under `folder` were made from `key` (see
  /// ``keepFiles(under:key:)``).
  func recordKey(_ key: StableHasher.Digest, ofFilesUnder folder: String) {
    written.withLock { $0.folderKeys[folder] = key }
  }

  /// Writes a page made from `key` (see ``keepPage(_:key:)``).
  func writePage(_ path: String, _ contents: [UInt8], key: StableHasher.Digest) throws(Diagnostic) {
    if try write(path, contents) { written.withLock { $0.pageKeys[path] = key } }
  }

  /// Writes one file (or carries it over unchanged). Safe to call from several threads at once.
  /// Once a file could not be written, later calls do nothing and return false (see
  /// ``hasFailed``); only the first failure is thrown.
  @discardableResult
  public func write(_ path: String, _ contents: some ContiguousBytes) throws(Diagnostic) -> Bool {
    guard !hasFailed else { return false }
    let recycled = recycled
    let signature = OutputFolder.signature(of: contents)
    let carried =
      previous.files[path] == signature
      ? carryOver(path, signature: signature, recycled: recycled) : nil
    var stamp: FileStamp?
    if carried == nil {
      do throws(Diagnostic) {
        switch OutputFolder.write(contents, to: try prepare(path, recycled: recycled)) {
        case .success(let written): stamp = written
        case .failure(let problem): throw .error("cannot write \(path): \(problem.message)")
        }
      } catch {
        // Only the first failure is reported.
        if failed.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged {
          throw error
        }
        return false
      }
    }
    written.withLock {
      $0.files[path] = (signature, carried == nil)
      if let carried { $0.carried(path, carried) }
      if let stamp { $0.knownStamps[path] = stamp }
    }
    return true
  }

  /// How a file was carried over from the previous output.
  enum Carried {
    /// The recycled site held that very file (the last build carried it over too, so both are
    /// one inode): nothing was done, and its stamp, when known, is the recorded one.
    case untouched(FileStamp?)
    case linked
  }

  /// Carries the previous output's file at `path` over, when its size is still the one its
  /// `signature` records: with nothing to do when the recycled site holds that very file, else
  /// by a hard link. Nil when it cannot be carried over. When the output is known to be as
  /// recorded, its stamp says the size and inode, and the recycled site's folder listing the
  /// inode there: no system call at all for a file untouched.
  private func carryOver(
    _ path: String, signature: OutputFolder.FileSignature, recycled: RecycledTree
  ) -> Carried? {
    // A path of the recycled tree was found by scanning real folders: it is safe as it is.
    let recycledInode = recycled.files[path]
    // The previous output's path is joined only below: most files of an edit build are left
    // as they are at once.
    if let stamp = outputStamps?[path] {
      guard stamp.kind == .file, stamp.size == signature.size else { return nil }
      if recycledInode == UInt64(bitPattern: stamp.inode) { return .untouched(stamp) }
    } else {
      var oldInfo = stat()
      let old = outputPath + "/" + path
      guard stat(old, &oldInfo) == 0, Int(oldInfo.st_size) == signature.size else { return nil }
      var stagedInfo = stat()
      if recycledInode != nil, lstat(stagingPath + "/" + path, &stagedInfo) == 0,
        stagedInfo.st_ino == oldInfo.st_ino, stagedInfo.st_dev == oldInfo.st_dev
      {
        return .untouched(nil)
      }
    }
    guard let target = try? prepare(path, recycled: recycled),
      link(outputPath + "/" + path, target) == 0
    else { return nil }
    return .linked
  }

  /// Checks that `path` stays inside the folder, makes its parent folders and removes what a
  /// recycled site held there; returns the path to write to.
  private func prepare(_ path: String, recycled: RecycledTree) throws(Diagnostic) -> String {
    guard OutputFolder.isSafeRelativePath(path) else {
      throw .error("refusing to write '\(path)': not a plain path inside the output folder")
    }
    let parent = OutputFolder.parent(of: path)
    if !parent.isEmpty { try makeFolder(parent, recycled: recycled) }
    clearRecycled(path, recycled: recycled)
    return stagingPath + "/" + path
  }

  /// Writes files in parallel; reports the first problem.
  public func write(_ files: [OutputFile]) throws(Diagnostic) {
    let problems = files.parallelMap { file -> Diagnostic? in
      do throws(Diagnostic) {
        try write(file.path, file.contents)
        return nil
      } catch {
        return error
      }
    }
    if let problem = problems.first(where: { $0 != nil }) ?? nil { throw problem }
  }

  /// Marks the folder as Proximus output, swaps it in and tells what it holds. When it throws,
  /// the output is as it was and the caller ``discard()``s the staging folder.
  public func publish() throws(Diagnostic) -> OutputFolder.Report {
    guard !hasFailed else {
      throw .error("the output was left as it was: a file of the new site could not be written")
    }
    let folders = removeLeftovers()
    _ = FileManager.default.createFile(
      atPath: stagingPath + "/" + OutputFolder.markerName, contents: Data())
    let done = written.withLock { $0 }
    try folder.swapIn()
    return OutputFolder.Report(
      files: done.files.count, changed: done.files.values.filter(\.changed).count,
      keptPages: done.keptPages, folders: folders, knownStamps: done.knownStamps,
      manifest: OutputFolder.Manifest(
        output: folder.output.resolvingSymlinksInPath().path,
        files: done.files.mapValues(\.signature), pages: done.pageKeys,
        folders: done.folderKeys))
  }

  /// Removes the staging folder: the previous output stays as it was.
  public func discard() {
    _ = recycledScan.wait()
    OutputFolder.removeTree(stagingPath)
  }

  /// Removes what the recycled site held at `path` before this build writes there.
  private func clearRecycled(_ path: String, recycled: RecycledTree) {
    if recycled.files[path] != nil {
      unlink(stagingPath + "/" + path)
    } else if recycled.folders.contains(path) {
      OutputFolder.removeTree(stagingPath + "/" + path)
    }
  }

  /// Deletes the files and folders of the recycled site that this build did not write;
  /// returns the folders holding what it wrote.
  private func removeLeftovers() -> Set<String> {
    let kept = written.withLock { Set($0.files.keys) }
    let recycled = recycled
    var folders: Set<String> = []
    for path in kept {
      var parent = OutputFolder.parent(of: path)
      while !parent.isEmpty, folders.insert(parent).inserted {
        parent = OutputFolder.parent(of: parent)
      }
    }
    for file in recycled.files.keys where !kept.contains(file) {
      unlink(stagingPath + "/" + file)
    }
    // Parents first: removing one removes what it holds, and its children are then gone.
    for unused in recycled.folders.subtracting(folders).sorted() {
      OutputFolder.removeTree(stagingPath + "/" + unused)
    }
    return folders
  }

  /// Makes `relative` and its parents inside the staging folder, each a real folder: nothing a
  /// build writes can land elsewhere. A folder this call made is one; a folder found there
  /// (another thread made it first, or a file of this build took its name) is checked. Folders
  /// of the recycled site were checked when the build started.
  private func makeFolder(_ relative: String, recycled: RecycledTree) throws(Diagnostic) {
    if recycled.folders.contains(relative) { return }
    let path = stagingPath + "/" + relative
    if recycled.files[relative] != nil { unlink(path) }
    if mkdir(path, 0o755) == 0 { return }
    if errno == ENOENT {
      let parent = OutputFolder.parent(of: relative)
      if !parent.isEmpty { try makeFolder(parent, recycled: recycled) }
      if mkdir(path, 0o755) == 0 { return }
    }
    guard errno == EEXIST else {
      throw .error("cannot create folder \(relative): \(String(cString: strerror(errno)))")
    }
    var info = stat()
    guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
      throw .error("refusing to write into \(relative): it resolves outside the output folder")
    }
  }
}

/// The site before the last one, moved back in as the staging folder when a build starts:
/// writing into its folders costs a link or a write per file, where making 20,000 folders anew
/// after deleting as many cost more than rendering the pages (ext4 looks for free inodes among
/// the ones just deleted).
struct RecycledTree: Sendable {
  /// Relative paths of its files, with their inode numbers, and of its folders.
  var files: [String: UInt64] = [:]
  var folders: Set<String> = []

  init() {}

  /// Reads the tree at `root`; nil when it holds anything but plain files and folders (a
  /// symbolic link could lead writes elsewhere), so that the build starts from an empty folder.
  init?(scanning root: String) {
    var info = stat()
    guard lstat(root, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return nil }
    // Two levels here, then each folder found there on its own, in parallel: most of a site's
    // folders are pages two levels down (`cases/<slug>/`, `en/cases/`).
    var level = [""]
    for _ in 0..<2 {
      var next: [String] = []
      for relative in level {
        guard add(relative, root: root, subfolders: &next) else { return nil }
      }
      level = next
    }
    for subtree in level.parallelMap({ RecycledTree(subtree: $0, root: root) }) {
      guard let subtree else { return nil }
      files.merge(subtree.files) { first, _ in first }
      folders.formUnion(subtree.folders)
    }
  }

  /// The tree below the folder `relative` (which is not included).
  private init?(subtree relative: String, root: String) {
    var pending = [relative]
    while let relative = pending.popLast() {
      guard add(relative, root: root, subfolders: &pending) else { return nil }
    }
  }

  /// Adds the entries of the folder `relative`, its subfolders to `subfolders` too; false when
  /// it cannot be read or holds something but files and folders.
  private mutating func add(_ relative: String, root: String, subfolders: inout [String]) -> Bool {
    guard let entries = OutputFolder.entries(of: relative.isEmpty ? root : root + "/" + relative)
    else { return false }
    for entry in entries {
      let path = relative.isEmpty ? entry.name : relative + "/" + entry.name
      switch entry.type {
      case Int32(DT_DIR):
        folders.insert(path)
        subfolders.append(path)
      case Int32(DT_REG): files[path] = entry.inode
      default: return false
      }
    }
    return true
  }
}
