import Content
import Foundation
import Markdown
import Testing

@testable import Site

@Suite struct MarkdownCacheTests {
  private func entry(_ body: String) -> (key: StableHasher.Digest, rendered: RenderedMarkdown) {
    let rendered = RenderedMarkdown(
      html: "<p>\(body)</p>\n", plainText: body,
      headings: [Heading(level: 2, text: "Titre é", id: "titre-e")], links: ["/cases/x/"])
    return (MarkdownCache.key(body: body, language: "fr"), rendered)
  }

  private func temporaryFile() -> URL {
    FileManager.default.temporaryDirectory.appending(path: "markdown-cache-\(UUID().uuidString)")
  }

  @Test func entriesReadBackAsWrittenAndAppendedOnesWin() throws {
    let url = temporaryFile()
    defer { try? FileManager.default.removeItem(at: url) }
    let (first, second) = (entry("Un."), entry("Deux."))
    MarkdownCache.write([first, second], identity: "v1", to: url, mode: .replacing)
    var cache = MarkdownCache(reading: url, identity: "v1")
    #expect(cache.count == 2)
    #expect(cache[first.key] == first.rendered && cache[second.key] == second.rendered)

    var changed = second.rendered
    changed.html = "<p>Autre.</p>\n"
    let third = entry("Trois.")
    MarkdownCache.write([(second.key, changed), third], identity: "v1", to: url, mode: .appending)
    cache = MarkdownCache(reading: url, identity: "v1")
    #expect(cache.count == 3)
    #expect(cache[second.key] == changed && cache[third.key] == third.rendered)

    MarkdownCache.write([third], identity: "v1", to: url, mode: .replacing)
    #expect(MarkdownCache(reading: url, identity: "v1").count == 1)
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
    var rendered = try #require(cache[key])
    rendered.html = "<p>Depuis le cache.</p>\n"
    MarkdownCache.write([(key, rendered)], identity: identity, to: url, mode: .appending)
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
