import CFileSystem
import Diagnostics
import Foundation
import Parallelism

/// A file of the built site, by its path relative to the output folder.
public struct OutputFile: Sendable, Equatable {
  public var path: String
  public var contents: Data

  public init(path: String, contents: Data) {
    self.path = path
    self.contents = contents
  }
}

/// The output rule (SPEC "Writes"): a build writes into `<output>.staging`, then swaps it in
/// whole, so a failed build leaves the previous site as it was. Files whose bytes did not
/// change are hard-linked from the previous output: they keep their modification times.
public struct OutputFolder: Sendable {
  public let root: URL
  public let output: URL
  /// Present in every folder Proximus wrote, so a non-empty folder without it is refused.
  public static let markerName = ".proximus-output"

  public var staging: URL { URL(fileURLWithPath: output.path + ".staging") }
  /// The site before the last one, kept after the swap so that the next build reuses its
  /// folders instead of deleting tens of thousands and making them again (``RecycledTree``).
  var recycledURL: URL {
    root.appending(path: ".proximus/recycled-outputs/\(outputKey)")
  }
  /// What the last build into this output folder read and wrote (``BuildRecord``): one file
  /// per output folder, since builds of one root into two folders must not mistake each
  /// other's files for their own.
  var recordURL: URL {
    root.appending(path: ".proximus/build-records/\(outputKey)")
  }
  private var outputKey: String {
    ContentHash.hex(Data(output.resolvingSymlinksInPath().path.utf8), length: 16)
  }

  public init(root: URL, output: URL) {
    self.root = root.standardizedFileURL
    self.output = output.standardizedFileURL
  }

  /// Refuses output folders a build must never replace: the root or a parent of it, a folder
  /// inside `content/` or `themes/`, the home folder, `/`, or a non-empty folder that no
  /// Proximus build wrote (unless `force`).
  public func validate(force: Bool) throws(Diagnostic) {
    let outputPath = output.resolvingSymlinksInPath().path
    let rootPath = root.resolvingSymlinksInPath().path
    let home = FileManager.default.homeDirectoryForCurrentUser.resolvingSymlinksInPath().path
    func refuse(_ why: String) -> Diagnostic {
      .error("refusing to use '\(output.path)' as the output folder: \(why)")
    }
    if outputPath == "/" { throw refuse("it is the file system root") }
    if outputPath == home { throw refuse("it is your home folder") }
    if outputPath == rootPath || rootPath.hasPrefix(outputPath + "/") {
      throw refuse("it contains the site root")
    }
    for protected in ["content", "themes", ".proximus"] {
      let folder = rootPath + "/" + protected
      if outputPath == folder || outputPath.hasPrefix(folder + "/") {
        throw refuse("it is inside \(protected)/")
      }
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: outputPath, isDirectory: &isDirectory) {
      if !isDirectory.boolValue { throw refuse("it is a file") }
      let entries = (try? FileManager.default.contentsOfDirectory(atPath: outputPath)) ?? []
      if !force, !entries.isEmpty, !entries.contains(Self.markerName) {
        throw refuse(
          "it is not empty and no Proximus build wrote it (use --force to replace it)")
      }
    }
  }

  public struct Report: Sendable {
    public var files: Int
    public var changed: Int
    /// Pages linked over from the previous output without being rendered.
    public var keptPages: Int
    /// The folders of the new output (relative paths, the output folder itself left out).
    var folders: Set<String>
    /// Files of the new output whose stamps the build knows without reading them again: the
    /// very files the previous output held, untouched (the stamps the record gave them), and
    /// the files it wrote (read as each was closed).
    var knownStamps: [String: FileStamp]
    /// What the new output holds.
    var manifest: Manifest
  }

  /// Starts a build's output: the staging folder beside the output folder, into which files
  /// are written as they are made (``StagingFolder``). It starts as the recycled site before
  /// the last one when there is one, else empty. `previous` is what the last build wrote.
  ///
  /// `verified`: the stamps of the output's files and folders as the last build recorded them,
  /// when the check phase found every one unchanged; a file is then carried over without a
  /// system call when the recycled site holds that very file.
  func beginStaging(previous: Manifest, verified: [BuildRecord.Entry]? = nil) throws(Diagnostic)
    -> StagingFolder
  {
    Self.removeTree(staging.path)
    let recycling = rename(recycledURL.path, staging.path) == 0
    if !recycling {
      Self.removeTree(recycledURL.path)
      do {
        try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
      } catch {
        throw .error("cannot create \(staging.path): \(error.localizedDescription)")
      }
    }
    // Reading the recycled site's tens of thousands of folders overlaps the load phase.
    let recycled =
      !recycling
      ? BackgroundTask(finished: RecycledTree())
      : BackgroundTask { [staging] () -> RecycledTree in
        if let tree = RecycledTree(scanning: staging.path) { return tree }
        // Not plain files and folders: the build starts from an empty folder (one that cannot
        // be made shows when the first file is written).
        Self.removeTree(staging.path)
        try? FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
        return RecycledTree()
      }
    // Inode numbers name files only within one file system.
    var outputStamps: [String: FileStamp]?
    if let verified, let root = verified.first(where: { $0.path.isEmpty }),
      FileStamp(path: staging.path)?.device == root.stamp.device
    {
      outputStamps = Dictionary(
        verified.map { ($0.path, $0.stamp) }, uniquingKeysWith: { first, _ in first })
    }
    return StagingFolder(
      folder: self, previous: previous, recycled: recycled, outputStamps: outputStamps)
  }

  /// Keeps the site a swap replaced for the next build, or deletes it where it cannot be kept
  /// (another file system than the site root's).
  private func recycle(_ path: String) {
    let folder = recycledURL.deletingLastPathComponent()
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    Self.removeTree(recycledURL.path)
    if rename(path, recycledURL.path) != 0 { Self.removeTree(path) }
  }

  /// Exchanges staging and output in one step where the file system allows it.
  func swapIn() throws(Diagnostic) {
    let fileManager = FileManager.default
    if !fileManager.fileExists(atPath: output.path) {
      guard rename(staging.path, output.path) == 0 else {
        throw .error(
          "cannot move the new site into \(output.path): \(String(cString: strerror(errno)))")
      }
      return
    }
    if proximus_exchange_paths(staging.path, output.path) == 0 {
      recycle(staging.path)
      return
    }
    // No atomic exchange here: move the old site aside, then the new one in.
    let previous = URL(fileURLWithPath: staging.path + "-previous")
    Self.removeTree(previous.path)
    guard rename(output.path, previous.path) == 0 else {
      throw .error("cannot replace \(output.path): \(String(cString: strerror(errno)))")
    }
    guard rename(staging.path, output.path) == 0 else {
      _ = rename(previous.path, output.path)
      throw .error(
        "cannot move the new site into \(output.path): \(String(cString: strerror(errno)))")
    }
    recycle(previous.path)
  }

  /// Names of a folder's entries with their `d_type` and inode number, or nil when it cannot be
  /// read.
  static func entries(of path: String) -> [(name: String, type: Int32, inode: UInt64)]? {
    guard let directory = opendir(path) else { return nil }
    defer { closedir(directory) }
    var entries: [(name: String, type: Int32, inode: UInt64)] = []
    while let entry = readdir(directory) {
      let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
      }
      if name != "." && name != ".." {
        entries.append((name, Int32(entry.pointee.d_type), UInt64(entry.pointee.d_ino)))
      }
    }
    return entries
  }

  /// Writes `data` into a new file at `path` with plain POSIX calls (Foundation's `Data.write`
  /// syncs every file to disk, which made writing a site many times slower than copying it).
  /// Returns the file's stamp, read from the open file once written (no second lookup of the
  /// path), or the system's message.
  static func write(_ data: some ContiguousBytes, to path: String) -> Result<
    FileStamp, WriteProblem
  > {
    // A new file only, never through a symbolic link: the staging folder starts empty, or as
    // a recycled site whose file at this path the caller removed first.
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return .failure(WriteProblem()) }
    let result = data.withUnsafeBytes { buffer -> Result<FileStamp, WriteProblem> in
      var offset = 0
      while offset < buffer.count {
        let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
        if written < 0 {
          if errno == EINTR { continue }
          return .failure(WriteProblem())
        }
        offset += written
      }
      var info = stat()
      guard fstat(descriptor, &info) == 0 else { return .failure(WriteProblem()) }
      return .success(FileStamp(info))
    }
    // Closing may report a write the file system had deferred (a full disk, a network file
    // system): the file is then not whole. (EINTR still closes the file on Linux.)
    if close(descriptor) != 0, errno != EINTR, case .success = result {
      return .failure(WriteProblem())
    }
    return result
  }

  /// The system's message for the `errno` of a failed call.
  struct WriteProblem: Error {
    let message = String(cString: strerror(errno))
  }

  /// Deletes a folder and everything in it without following symbolic links: Foundation's
  /// `removeItem` took seconds for a site's few thousand files.
  static func removeTree(_ path: String) {
    // The top-level entries in parallel: unlinking an old site's tens of thousands of files is
    // system calls all the way, and folders of different parents do not contend much.
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    guard info.st_mode & S_IFMT == S_IFDIR, let children = entries(of: path) else {
      unlink(path)
      return
    }
    _ = children.map { path + "/" + $0.name }.parallelMap { child in removeSubtree(child) }
    rmdir(path)
  }

  private static func removeSubtree(_ path: String) {
    var info = stat()
    guard lstat(path, &info) == 0 else { return }
    // A symbolic link (even to a folder) is removed itself, never followed.
    guard info.st_mode & S_IFMT == S_IFDIR, let children = entries(of: path) else {
      unlink(path)
      return
    }
    for child in children {
      if child.type == Int32(DT_DIR) {
        removeSubtree(path + "/" + child.name)
      } else {
        unlink(path + "/" + child.name)
      }
    }
    rmdir(path)
  }

  static func isSafeRelativePath(_ path: String) -> Bool {
    // One pass over the bytes (every file of a build goes through here): no NUL or backslash,
    // and no component that is empty, `.` or `..` (so no leading or trailing slash either).
    var componentLength = 0
    var componentIsDots = true
    for byte in path.utf8 {
      switch byte {
      case 0, UInt8(ascii: "\\"): return false
      case UInt8(ascii: "/"):
        if componentLength == 0 || (componentIsDots && componentLength <= 2) { return false }
        (componentLength, componentIsDots) = (0, true)
      default:
        componentLength += 1
        componentIsDots = componentIsDots && byte == UInt8(ascii: ".")
      }
    }
    return componentLength > 0 && !(componentIsDots && componentLength <= 2)
  }

  /// The folder part of a relative path: "" for a file at the top.
  static func parent(of path: String) -> String {
    guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
    return String(path[..<slash])
  }

  /// Size and a 64-bit hash of a file's bytes, as the manifest records them.
  struct FileSignature: Hashable, Sendable {
    var size: Int
    var hash: UInt64
  }

  /// The hash reads eight bytes at a time in four independent lanes (XXH64's rounds and final
  /// mixing), about ten times faster than a byte-wise FNV-1a over the hundreds of megabytes of
  /// a large site.
  static func signature(of data: some ContiguousBytes) -> FileSignature {
    data.withUnsafeBytes { FileSignature(size: $0.count, hash: hash(bytes: $0)) }
  }

  static func hash(bytes raw: UnsafeRawBufferPointer) -> UInt64 {
    let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    let prime5: UInt64 = 0x27D4_EB2F_1656_67C5
    func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
      let mixed = accumulator &+ input &* prime2
      return ((mixed << 31) | (mixed >> 33)) &* prime1
    }
    func merge(_ accumulator: UInt64, _ lane: UInt64) -> UInt64 {
      (accumulator ^ round(0, lane)) &* prime1 &+ prime4
    }
    func rotate(_ value: UInt64, _ bits: UInt64) -> UInt64 {
      (value << bits) | (value >> (64 - bits))
    }
    let count = raw.count
    var offset = 0
    var hash: UInt64
    func word(_ at: Int) -> UInt64 {
      UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
    if count >= 32 {
      var lane1 = prime1 &+ prime2
      var lane2 = prime2
      var lane3: UInt64 = 0
      var lane4: UInt64 = 0 &- prime1
      while offset + 32 <= count {
        lane1 = round(lane1, word(offset))
        lane2 = round(lane2, word(offset + 8))
        lane3 = round(lane3, word(offset + 16))
        lane4 = round(lane4, word(offset + 24))
        offset += 32
      }
      hash = rotate(lane1, 1) &+ rotate(lane2, 7) &+ rotate(lane3, 12) &+ rotate(lane4, 18)
      hash = merge(hash, lane1)
      hash = merge(hash, lane2)
      hash = merge(hash, lane3)
      hash = merge(hash, lane4)
    } else {
      hash = prime5
    }
    hash = hash &+ UInt64(count)
    while offset + 8 <= count {
      hash ^= round(0, word(offset))
      hash = rotate(hash, 27) &* prime1 &+ prime4
      offset += 8
    }
    if offset + 4 <= count {
      let half = UInt64(
        UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
      hash ^= half &* prime1
      hash = rotate(hash, 23) &* prime2 &+ prime3
      offset += 4
    }
    while offset < count {
      hash ^= UInt64(raw[offset]) &* prime5
      hash = rotate(hash, 11) &* prime1
      offset += 1
    }
    hash ^= hash >> 33
    hash = hash &* prime2
    hash ^= hash >> 29
    hash = hash &* prime3
    hash ^= hash >> 32
    return hash
  }

  /// What a build wrote into its output folder: the folder, its files (path → signature),
  /// the key of each page (path → ``PageKey``) and of each folder made as a whole, by which the
  /// next build knows what it can keep.
  struct Manifest: Equatable, Sendable {
    var output: String = ""
    var files: [String: FileSignature] = [:]
    var pages: [String: StableHasher.Digest] = [:]
    /// Folder → the key of what its files were made from together (a language's search index,
    /// ``StagingFolder/keepFiles(under:key:)``).
    var folders: [String: StableHasher.Digest] = [:]
  }

  /// The record of the last build into this folder, if it left a readable one about this very
  /// folder, which still holds a build's output.
  func loadRecord() -> BuildRecord? {
    guard let data = FileManager.default.contents(atPath: recordURL.path),
      let record = BuildRecord(decoding: data),
      record.manifest.output == output.resolvingSymlinksInPath().path,
      FileManager.default.fileExists(atPath: output.path + "/" + Self.markerName)
    else { return nil }
    return record
  }

  func saveRecord(_ record: BuildRecord) {
    try? FileManager.default.createDirectory(
      at: recordURL.deletingLastPathComponent(), withIntermediateDirectories: true)
    try? record.write(to: recordURL)
  }
}
