import Diagnostics
import Foundation
import Testing

@testable import Content

@Suite struct SourceTreeTests {
  @Test func walksFilesFoldersAndLinksInsideTheRootOnly() throws {
    let fileManager = FileManager.default
    let base = fileManager.temporaryDirectory.appending(path: "proximus-tree-\(UUID().uuidString)")
    defer { try? fileManager.removeItem(at: base) }
    let root = base.appending(path: "site")
    let content = root.appending(path: "content")
    try fileManager.createDirectory(
      at: content.appending(path: "cases/sub"), withIntermediateDirectories: true)
    try fileManager.createDirectory(
      at: base.appending(path: "outside"), withIntermediateDirectories: true)
    func write(_ url: URL) throws { try Data("x".utf8).write(to: url) }
    try write(content.appending(path: "cases/a.md"))
    try write(content.appending(path: "cases/.hidden.md"))
    try write(content.appending(path: "cases/sub/b.md"))
    try write(base.appending(path: "outside/c.md"))
    try fileManager.createSymbolicLink(
      atPath: content.appending(path: "cases/linked").path,
      withDestinationPath: content.appending(path: "cases/sub").path)
    try fileManager.createSymbolicLink(
      atPath: content.appending(path: "cases/z.md").path, withDestinationPath: "a.md")
    try fileManager.createSymbolicLink(
      atPath: content.appending(path: "cases/out").path,
      withDestinationPath: base.appending(path: "outside").path)
    try fileManager.createSymbolicLink(
      atPath: content.appending(path: "cases/broken.md").path, withDestinationPath: "missing.md")

    let tree = SourceTree(root: root)
    let (files, diagnostics) = tree.files(under: "content")
    #expect(
      files.map(\.path) == [
        "content/cases/a.md", "content/cases/linked/b.md", "content/cases/z.md",
      ])
    #expect(files.first { $0.path == "content/cases/z.md" }?.fileName == "a.md")
    #expect(
      diagnostics.map { "\($0.location?.file ?? ""): \($0.message)" }.sorted() == [
        "content/cases/broken.md: broken symbolic link; skipped",
        "content/cases/out: symbolic link leads outside the site root; not followed",
        // The folder was already read through the link (sorted before it).
        "content/cases/sub: symbolic link loop: this folder leads back to one already read",
      ])
  }
}
