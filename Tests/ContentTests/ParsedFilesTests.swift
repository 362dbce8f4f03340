import Diagnostics
import Foundation
import Testing

@testable import Content

/// A load given what the previous one parsed parses again only the files whose front matter
/// changed, and gives what a load from nothing gives.
@Suite struct ParsedFilesTests {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appending(
      path: "proximus-parsed-\(UUID().uuidString)")
    try write(
      "content/cases/a.md",
      "---\ntitle: A\noutcome: success\nlocalities: []\nextra_key: [1, {b: c}]\n---\nText A.\n")
    try write("content/cases/b.md", "---\ntitle: B\ndescripton: typo\n---\nText B.\n")
    try write("content/posts/2020-01-02-p.md", "---\ntitle: P\n---\nPost.\n")
  }

  func write(_ path: String, _ text: String) throws {
    let url = root.appending(path: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func load(reusing previous: ContentLoader.ParsedFiles?, unread: Set<String> = []) -> (
    SiteContent, [Diagnostic], ContentLoader.ParsedFiles?
  ) {
    let (content, problems, parsed, _) = ContentLoader(
      tree: SourceTree(root: root), config: SiteConfig()
    ).load(reusing: previous, unread: unread)
    return (content, problems, parsed)
  }

  @Test func onlyChangedFrontMatterIsParsedAgain() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let first = try #require(load(reusing: .init()).2)
    #expect(first.parsedCount == 3)
    // Kept documents hold no body: the file gives it.
    #expect(first.files.values.allSatisfy { $0.document?.body == "" })

    try write(
      "content/cases/a.md",
      "---\ntitle: A\noutcome: success\nlocalities: []\nextra_key: [1, {b: c}]\n---\nNew text.\n")
    let (content, problems, second) = load(reusing: first)
    #expect(second?.parsedCount == 0)
    let (fresh, freshProblems, _) = load(reusing: nil)
    #expect(content.documents == fresh.documents)
    #expect(content.documents.first { $0.slug == "a" }?.body == "New text.\n")
    #expect(problems == freshProblems)
    #expect(
      problems.map(\.message).contains("unknown key 'descripton'; did you mean 'description'?"))

    try write("content/cases/b.md", "---\ntitle: B2\n---\nText B.\n")
    let (changed, _, third) = load(reusing: second)
    #expect(third?.parsedCount == 1)
    #expect(changed.documents.first { $0.slug == "b" }?.title == "B2")
  }

  /// A file whose front matter cannot be told (never closed) leaves nothing to reuse: once
  /// fixed, it is parsed, whatever its front matter.
  @Test func aFileThatCouldNotBeSplitIsParsedOnceFixed() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try write("content/cases/b.md", "---\ntitle: B\nText B.\n")
    let (_, problems, first) = load(reusing: .init())
    #expect(problems.contains { $0.message.hasPrefix("front matter opened with '---'") })
    #expect(first?.files["content/cases/b.md"] == nil)
    try write("content/cases/b.md", "Text B, without front matter.\n")
    let (_, fixedProblems, _) = load(reusing: first)
    let (_, freshProblems, _) = load(reusing: nil)
    #expect(fixedProblems == freshProblems)
    #expect(!fixedProblems.contains { $0.message.hasPrefix("front matter opened with '---'") })
  }

  /// Files the caller knows unchanged are not read when the previous load kept their
  /// document: it comes without its body. Those with problems, whose lines the report quotes,
  /// and those the previous load did not keep, are read.
  @Test func unchangedFilesAreNotRead() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let first = try #require(load(reusing: .init()).2)
    // Changed without the loader being told: what it gives shows whether it read the file.
    try write("content/posts/2020-01-02-p.md", "---\ntitle: P\n---\nPost, edited.\n")
    try write("content/cases/b.md", "---\ntitle: B\ndescripton: typo\n---\nText B, edited.\n")
    let paths: Set = ["content/posts/2020-01-02-p.md", "content/cases/b.md", "content/cases/c.md"]
    let (content, problems, parsed, unread) = ContentLoader(
      tree: SourceTree(root: root), config: SiteConfig()
    ).load(reusing: first, unread: paths)
    #expect(unread == ["content/posts/2020-01-02-p.md"])
    #expect(content.documents.first { $0.slug == "p" }?.body == "")
    #expect(content.documents.first { $0.slug == "p" }?.title == "P")
    #expect(content.documents.first { $0.slug == "b" }?.body == "Text B, edited.\n")
    #expect(problems.map(\.message).contains { $0.hasPrefix("unknown key 'descripton'") })
    #expect(parsed?.files == first.files)
  }
}
