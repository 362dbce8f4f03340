import Foundation
import Testing

@testable import DevServer

@Suite struct InotifyTests {
  func temporaryFolder() throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appending(
      path: "inotify-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder
  }

  /// Events until one matches or two seconds pass.
  func events(_ inotify: Inotify, until match: (Inotify.Event) -> Bool) -> [Inotify.Event] {
    var seen: [Inotify.Event] = []
    let deadline = Date().addingTimeInterval(2)
    while Date() < deadline {
      seen += inotify.read(timeout: 100)
      if seen.contains(where: match) { break }
    }
    return seen
  }

  @Test func seesACreatedFile() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let inotify = try Inotify()
    let watch = try inotify.addWatch(folder.path)
    try Data("hello".utf8).write(to: folder.appending(path: "new.md"))
    let seen = events(inotify) { $0.name == "new.md" && $0.mask & Inotify.closeWrite != 0 }
    #expect(
      seen.contains { $0.watch == watch && $0.name == "new.md" && $0.mask & Inotify.create != 0 })
    #expect(seen.contains { $0.name == "new.md" && $0.mask & Inotify.closeWrite != 0 })
  }

  @Test func seesARenameOverWrite() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let target = folder.appending(path: "page.md")
    try Data("old".utf8).write(to: target)
    let inotify = try Inotify()
    _ = try inotify.addWatch(folder.path)
    let temporary = folder.appending(path: ".page.md.swp")
    try Data("new".utf8).write(to: temporary)
    #expect(rename(temporary.path, target.path) == 0)
    let seen = events(inotify) { $0.name == "page.md" && $0.mask & Inotify.movedTo != 0 }
    #expect(seen.contains { $0.name == "page.md" && $0.mask & Inotify.movedTo != 0 })
    #expect(seen.contains { $0.name == ".page.md.swp" && $0.mask & Inotify.movedFrom != 0 })
  }

  @Test func watcherReportsChangesInNewSubfoldersAndIgnoresNoise() async throws {
    let root = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(
      at: root.appending(path: "content"), withIntermediateDirectories: true)
    let watcher = try SourceWatcher(root: root, debounceMilliseconds: 30)
    let (stream, continuation) = AsyncStream<[String]>.makeStream()
    let thread = Thread { watcher.run { continuation.yield($0) } }
    thread.start()
    defer { watcher.stop() }
    try await Task.sleep(for: .milliseconds(100))
    let folder = root.appending(path: "content/cases")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try await Task.sleep(for: .milliseconds(100))
    try Data("x".utf8).write(to: folder.appending(path: "a.md"))
    try Data("x".utf8).write(to: folder.appending(path: "a.md~"))
    // `sed -i`: a temporary file, renamed over the document in the same burst.
    try Data("x".utf8).write(to: folder.appending(path: "sedAbC123"))
    #expect(
      rename(folder.appending(path: "sedAbC123").path, folder.appending(path: "a.md").path) == 0)
    try Data("x".utf8).write(to: root.appending(path: "unrelated.txt"))
    let timeout = Task {
      try await Task.sleep(for: .seconds(3))
      continuation.finish()
    }
    defer { timeout.cancel() }
    var changed: Set<String> = []
    for await paths in stream {
      changed.formUnion(paths)
      if changed.contains("content/cases/a.md") { break }
    }
    #expect(changed.contains("content/cases/a.md"))
    #expect(!changed.contains("content/cases/a.md~"))
    #expect(!changed.contains("content/cases/sedAbC123"))
    #expect(!changed.contains { $0.contains("unrelated") })
  }

  @Test func ignoredNames() {
    for name in [".proximus", ".git", ".a.md.swp", "a.md~", "4913", "#a.md#", "x.swx"] {
      #expect(SourceWatcher.isIgnored(name), "\(name)")
    }
    for name in ["a.md", "proximus.yml", "style.css"] {
      #expect(!SourceWatcher.isIgnored(name), "\(name)")
    }
  }
}
