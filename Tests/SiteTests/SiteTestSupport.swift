import Foundation
import Testing

@testable import Site

/// A copy of a fixture site in a fresh temporary folder, removed when the test ends.
final class TemporarySite {
  let root: URL

  init(fixture: String = "basic") throws {
    root = FileManager.default.temporaryDirectory.appending(
      path: "proximus-test-\(UUID().uuidString)")
    let source = Bundle.module.resourceURL!.appending(path: "Fixtures/\(fixture)")
    try FileManager.default.copyItem(at: source, to: root)
  }

  deinit {
    try? FileManager.default.removeItem(at: root)
  }

  var output: URL { root.appending(path: "site") }

  func write(_ path: String, _ text: String) throws {
    let url = root.appending(path: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func read(_ path: String) throws -> String {
    try String(contentsOf: output.appending(path: path), encoding: .utf8)
  }

  func build(drafts: Bool = false, baseURL: String? = nil) throws(BuildFailure) -> BuiltSite {
    var options = BuildOptions(root: root, baseURL: baseURL)
    options.includeDrafts = drafts
    return try SiteBuilder(options: options).build()
  }

  /// Builds every phase even when nothing changed since the last build (which would otherwise
  /// leave the output as it is), with that build's manifest: for tests of what a rebuild does
  /// with the previous output.
  func fullBuild() throws(BuildFailure) -> BuiltSite {
    let folder = OutputFolder(root: root, output: output)
    if var record = folder.loadRecord() {
      record.inputs = nil
      folder.saveRecord(record)
    }
    return try build()
  }

  /// Builds into a new output folder with no `.proximus/` (the previous output and caches
  /// removed): what the output of any other build must equal.
  func buildFromScratch(drafts: Bool = false, baseURL: String? = nil) throws -> BuiltSite {
    try FileManager.default.removeItem(at: output)
    try FileManager.default.removeItem(at: root.appending(path: ".proximus"))
    return try build(drafts: drafts, baseURL: baseURL)
  }

  /// Builds a site that must fail, returning the failure (and recording an issue if it built).
  func buildFailure(sourceLocation: SourceLocation = #_sourceLocation) -> BuildFailure {
    do {
      _ = try build()
      Issue.record("the build should fail", sourceLocation: sourceLocation)
      return BuildFailure(diagnostics: [], timings: [])
    } catch {
      return error
    }
  }

  /// Every file the build wrote into the output folder, as the link checker reads them.
  func outputFiles() throws -> [OutputFile] {
    try tree().filter { $0.key != OutputFolder.markerName }.sorted { $0.key < $1.key }.map {
      OutputFile(path: $0.key, contents: $0.value)
    }
  }

  /// Every file of the output folder, path → bytes.
  func tree() throws -> [String: Data] {
    var files: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(at: output, includingPropertiesForKeys: nil)!
    for case let url as URL in enumerator where !url.hasDirectoryPath {
      let relative = String(
        url.standardizedFileURL.path.dropFirst(output.standardizedFileURL.path.count + 1))
      files[relative] = try Data(contentsOf: url)
    }
    return files
  }

  /// The shared folder beside the repository (`../shared`), when present.
  static var sharedFolder: URL? {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    let shared = repository.deletingLastPathComponent().appending(path: "shared")
    return FileManager.default.fileExists(atPath: shared.appending(path: "SPEC.md").path)
      ? shared : nil
  }

  static var repositoryRoot: URL {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
  }
}
