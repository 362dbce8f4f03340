import Content
import Foundation
import Testing

@testable import Site

@Suite struct FrontMatterCacheTests {
  @Test func theCacheFileReadsBackAsWritten() throws {
    let site = try TemporarySite()
    try site.write(
      "content/cases/etrange.md",
      """
      ---
      title: Étrange
      date: 2021-02-03
      description: "Avec des « guillemets »"
      outcome: mixed
      localities: [cergy]
      factors: {success: [ancrage-local]}
      links: [{title: T, url: "https://example.org/"}]
      notes: {deep: [1, "deux", {trois: 3}], empty: ~}
      descripton: faute
      ---
      Texte.
      """)
    let config = SiteConfig.load(
      try String(contentsOf: site.root.appending(path: "proximus.yml"), encoding: .utf8),
      path: "proximus.yml"
    ).0
    let (_, _, parsed, _) = ContentLoader(tree: SourceTree(root: site.root), config: config).load(
      reusing: .init())
    let files = try #require(parsed).files
    #expect(files["content/cases/etrange.md"]?.problems.isEmpty == false)
    let url = site.root.appending(path: "cache")
    FrontMatterCache.write(try #require(parsed), identity: "one", to: url)
    #expect(FrontMatterCache.read(url, identity: "one").files == files)
    // Another identity, or a file cut short, gives nothing.
    #expect(FrontMatterCache.read(url, identity: "two").files.isEmpty)
    let data = try Data(contentsOf: url)
    try data.prefix(data.count - 3).write(to: url)
    #expect(FrontMatterCache.read(url, identity: "one").files.isEmpty)
  }

  /// A build fills the cache; the next one, after an edit of a text, gives what a build from
  /// scratch gives.
  @Test func buildsUseTheCache() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let url = FrontMatterCache.url(root: site.root)
    let cached = FrontMatterCache.read(
      url, identity: FrontMatterCache.identity(languages: ["fr", "en"]))
    #expect(cached.files["content/cases/jardins.md"]?.document?.title == "Jardins partagés")
    // An entry is taken as it is when its front matter is the file's: a title changed in the
    // cache alone shows that the next build read it.
    var altered = cached
    altered.files["content/cases/jardins.md"]?.document?.title = "Du cache"
    FrontMatterCache.write(
      altered, identity: FrontMatterCache.identity(languages: ["fr", "en"]), to: url)
    _ = try site.fullBuild()
    #expect(try site.read("cases/jardins/index.html").contains("Du cache"))
    FrontMatterCache.write(
      cached, identity: FrontMatterCache.identity(languages: ["fr", "en"]), to: url)
    let jardins = site.root.appending(path: "content/cases/jardins.md")
    try site.write(
      "content/cases/jardins.md",
      try String(contentsOf: jardins, encoding: .utf8).replacingOccurrences(
        of: "## Origines", with: "## Débuts"))
    _ = try site.build()
    #expect(try site.read("cases/jardins/index.html").contains("Débuts"))
    let tree = try site.tree()
    _ = try site.buildFromScratch()
    #expect(try site.tree() == tree)
  }
}
