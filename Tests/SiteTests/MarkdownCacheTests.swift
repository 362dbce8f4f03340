import Content
import Foundation
import Markdown
import Testing

@testable import Site

@Suite struct MarkdownCacheTests {
  private func entry(_ body: String) -> MarkdownCache.NewEntry {
    let rendered = RenderedMarkdown(
      html: "<p>\(body)</p>\n", plainText: body,
      headings: [Heading(level: 2, text: "Titre é", id: "titre-e")], links: ["/cases/x/"])
    return MarkdownCache.NewEntry(
      key: MarkdownCache.key(body: body, language: "fr"), markdown: rendered)
  }

  private func temporaryFile() -> URL {
    FileManager.default.temporaryDirectory.appending(path: "markdown-cache-\(UUID().uuidString)")
  }

  /// An entry as read back, its HTML read from the file.
  private func read(_ cache: MarkdownCache, _ key: StableHasher.Digest) -> RenderedMarkdown? {
    guard let entry = cache[key], let html = cache.file?.html(entry.html) else { return nil }
    var rendered = entry.markdown
    rendered.html = html
    return rendered
  }

  @Test func entriesReadBackAsWrittenAndAppendedOnesWin() throws {
    let url = temporaryFile()
    defer { try? FileManager.default.removeItem(at: url) }
    let (first, second) = (entry("Un."), entry("Deux."))
    MarkdownCache.write([first, second], identity: "v1", to: url, mode: .replacing)
    var cache = MarkdownCache(reading: url, identity: "v1")
    #expect(cache.count == 2)
    #expect(read(cache, first.key) == first.markdown && read(cache, second.key) == second.markdown)
    // The HTML is not read with the rest.
    #expect(cache[first.key]?.markdown.html == "")

    var changed = second
    changed.markdown.html = "<p>Autre.</p>\n"
    let third = entry("Trois.")
    MarkdownCache.write([changed, third], identity: "v1", to: url, mode: .appending)
    let before = cache
    cache = MarkdownCache(reading: url, identity: "v1")
    #expect(cache.count == 3)
    #expect(read(cache, second.key) == changed.markdown && read(cache, third.key) == third.markdown)

    // A file written anew takes the HTML of cached entries from the file they were read from,
    // which stays readable after the new one replaces it.
    let kept = try #require(cache[first.key])
    MarkdownCache.write(
      [
        MarkdownCache.NewEntry(key: first.key, markdown: kept.markdown, cached: kept.html), third,
      ], from: cache.file, identity: "v1", to: url, mode: .replacing)
    let rewritten = MarkdownCache(reading: url, identity: "v1")
    #expect(rewritten.count == 2)
    #expect(read(rewritten, first.key) == first.markdown)
    #expect(read(before, first.key) == first.markdown)
  }

  @Test func anotherIdentityOrADamagedFileGivesNothing() throws {
    let url = temporaryFile()
    defer { try? FileManager.default.removeItem(at: url) }
    MarkdownCache.write([entry("Un."), entry("Deux.")], identity: "v1", to: url, mode: .replacing)
    #expect(MarkdownCache(reading: url, identity: "v2").count == 0)
    let bytes = try Data(contentsOf: url)
    try bytes.dropLast(3).write(to: url)
    #expect(MarkdownCache(reading: url, identity: "v1").count == 0)
    #expect(MarkdownCache(reading: temporaryFile(), identity: "v1").count == 0)
  }

  /// The file is read 8 MiB at a time: entries that straddle two reads, and one longer than a
  /// read (its plain text alone is 10 MB), are read back whole.
  @Test func entriesAcrossAndLongerThanOneReadAreReadWhole() throws {
    let url = temporaryFile()
    defer { try? FileManager.default.removeItem(at: url) }
    let paragraph = String(repeating: "Des jardins partagés, des voisins. ", count: 1_000)
    var entries = (0..<300).map { entry("\($0) " + paragraph) }
    entries.insert(entry("long " + String(repeating: paragraph, count: 300)), at: 150)
    MarkdownCache.write(entries, identity: "v1", to: url, mode: .replacing)
    #expect(try Data(contentsOf: url).count > 3 * 8 * 1024 * 1024)
    let cache = MarkdownCache(reading: url, identity: "v1")
    #expect(cache.count == entries.count)
    for written in entries {
      #expect(read(cache, written.key) == written.markdown)
    }
  }

  /// The key is the body and its language: the same text in another language is another entry.
  @Test func theLanguageIsPartOfTheKey() {
    #expect(
      MarkdownCache.key(body: "Texte", language: "fr")
        != MarkdownCache.key(body: "Texte", language: "en"))
    #expect(
      MarkdownCache.key(body: "Texte", language: "fr")
        == MarkdownCache.key(body: "Texte", language: "fr"))
  }

  /// A build takes a body's HTML from the cache (shown here by a cache entry that says
  /// otherwise) and adds what it rendered.
  @Test func aBuildUsesTheCacheAndAddsWhatItRendered() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let url = MarkdownCache.url(root: site.root.standardizedFileURL)
    let identity = MarkdownCache.identity(MarkdownOptions(basePath: "/portail/"))
    let cache = MarkdownCache(reading: url, identity: identity)
    #expect(cache.count > 0)

    let source = try String(
      contentsOf: site.root.appending(path: "content/cases/jardins.md"), encoding: .utf8)
    let key = MarkdownCache.key(body: try FrontMatter.split(source).body, language: "fr")
    var rendered = try #require(cache[key]).markdown
    rendered.html = "<p>Depuis le cache.</p>\n"
    MarkdownCache.write(
      [MarkdownCache.NewEntry(key: key, markdown: rendered)], identity: identity, to: url,
      mode: .appending)
    try site.write(
      "content/cases/covoiturage.md",
      try String(
        contentsOf: site.root.appending(path: "content/cases/covoiturage.md"), encoding: .utf8)
        + "\nAjout.\n")
    _ = try site.build()
    #expect(try site.read("cases/jardins/index.html").contains("<p>Depuis le cache.</p>"))
    #expect(try site.read("cases/covoiturage/index.html").contains("<p>Ajout.</p>"))
    #expect(MarkdownCache(reading: url, identity: identity).count == cache.count + 1)
  }
}

extension MarkdownCacheTests {
  /// A body whose HTML cannot be read back from the cache fails the build, which deletes the
  /// cache: the build after it renders the body again.
  @Test func aDamagedBodyFailsTheBuildOnce() throws {
    let site = try TemporarySite()
    let expected = try site.build()
    let url = MarkdownCache.url(root: site.root.standardizedFileURL)
    let identity = MarkdownCache.identity(MarkdownOptions(basePath: "/portail/"))
    let source = try String(
      contentsOf: site.root.appending(path: "content/cases/jardins.md"), encoding: .utf8)
    let key = MarkdownCache.key(body: try FrontMatter.split(source).body, language: "fr")
    let location = try #require(MarkdownCache(reading: url, identity: identity)[key]).html
    let handle = try FileHandle(forWritingTo: url)
    try handle.seek(toOffset: UInt64(location.offset))
    try handle.write(contentsOf: Data([0xFF]))
    try handle.close()

    // Every page is keyed, so the page of jardins reads its body.
    let failure: BuildFailure
    do {
      _ = try site.fullBuild()
      Issue.record("the build should fail")
      return
    } catch {
      failure = error
    }
    #expect(
      failure.diagnostics.map(\.message).contains { $0.hasPrefix("a body could not be read") })
    #expect(!FileManager.default.fileExists(atPath: url.path))
    let rebuilt = try site.fullBuild()
    #expect(rebuilt.diagnostics == expected.diagnostics)
    #expect(try site.read("cases/jardins/index.html").contains("Origines"))
  }
}
