import Diagnostics
import Foundation
import Testing

@testable import Site

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct FixtureSiteTests {
  @Test func everyPageKindIsWritten() throws {
    let site = try TemporarySite()
    let built = try site.build()
    let files = try site.tree()
    for path in [
      "index.html", "en/index.html", "cases/index.html", "en/cases/index.html",
      "cases/jardins/index.html", "en/cases/gardens/index.html", "cases/covoiturage/index.html",
      "posts/index.html", "posts/proximite/index.html", "a-propos/index.html",
      "localities/todmorden/index.html", "en/localities/maroc/index.html", "places/index.html",
      "countries/gb/index.html", "countries/ma/index.html", "topics/index.html",
      "topics/alimentation/index.html", "factors/index.html", "factors/epuisement/index.html",
      "outcomes/success/index.html", "outcomes/failure/index.html", "map/index.html",
      "search/index.html", "en/search/index.html", "404.html", "data/cases.json",
      "data/cases.csv", "data/localities.geojson", "feed.xml", "sitemap.xml", "robots.txt",
      "img/logo.png", "cases/covoiturage/covoiturage.png", "search/index/fr/manifest.json",
      "search/index/en/manifest.json",
      ".proximus-output",
    ] {
      #expect(files[path] != nil, "missing \(path)")
    }
    #expect(files["cases/brouillon/index.html"] == nil)
    #expect(built.pageCount == 50)
    #expect(built.files == files.count - 1)
    #expect(built.changedFiles == built.files)
    #expect(built.diagnostics.isEmpty)
  }

  @Test func casePageHasExactContent() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let html = try site.read("cases/jardins/index.html")
    let css = try #require(try site.tree().keys.first { $0.hasPrefix("assets/style.") })
    #expect(
      html == """
        <!doctype html>
        <html lang="fr"><title>Jardins partagés | Fixture</title>
        <link rel="stylesheet" href="/portail/\(css)">
        <link rel="alternate" hreflang="fr" href="https://example.org/portail/cases/jardins/"><link rel="alternate" hreflang="en" href="https://example.org/portail/en/cases/gardens/">
        <nav><a href="/portail/cases/">Études de cas</a></nav>
        <main><h1>Jardins partagés</h1>
        <p>1 mars 2020 · Réussite · Todmorden (Royaume-Uni), Cergy (France)</p>
        <h2 id="origines">Origines</h2>
        <p>Voir <a href="/portail/cases/covoiturage/">la page</a> et le <a href="/portail/localities/maroc/">Maroc</a>.<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" data-footnote-ref>1</a></sup></p>
        <section class="footnotes" data-footnotes>
        <ol>
        <li id="fn-1">
        <p>Une note. <a href="#fnref-1" class="footnote-backref" data-footnote-backref aria-label="Retour au texte">↩</a></p>
        </li>
        </ol>
        </section>

        +Ancrage local -Épuisement des bénévoles 
        ~Covoiturage rural 
        </main>

        """)
  }

  @Test func englishPagesUseEnglishLabelsAndPaths() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let html = try site.read("en/cases/gardens/index.html")
    #expect(html.contains("<html lang=\"en\">"))
    #expect(html.contains("<p>1 March 2020 · Success · Todmorden (United Kingdom)</p>"))
    #expect(html.contains("<a href=\"/portail/en/cases/\">Case studies</a>"))
    #expect(html.contains("+Local roots"))
  }

  @Test func factorPageCountsOutcomesOfTheCasesCitingIt() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let html = try site.read("factors/epuisement/index.html")
    // Cited by "jardins" (success, as a failure factor) and "covoiturage" (failure); the
    // English translation of "jardins" counts once.
    #expect(
      html.contains("cited=2 success:1/50%/50% mixed:0/0%/0% failure:1/50%/50% ongoing:0/0%/0%"))
    #expect(html.contains("<svg class=\"factor-chart\""))
    let local = try site.read("factors/ancrage-local/index.html")
    #expect(local.contains("cited=1 success:1/100%/50%"))
  }

  @Test func homeListsCasesOncePerTranslationNewestFirst() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let french = try site.read("index.html")
    #expect(
      french.contains(
        "<a href=\"/portail/cases/jardins/\">Jardins partagés</a> <a href=\"/portail/cases/covoiturage/\">Covoiturage rural</a>"
      ))
    #expect(french.contains("success=1 mixed=0 failure=1 ongoing=0"))
    let english = try site.read("en/index.html")
    #expect(
      english.contains(
        "<a href=\"/portail/en/cases/gardens/\">Shared gardens</a> <a href=\"/portail/cases/covoiturage/\">Covoiturage rural</a>"
      ))
  }

  @Test func imagesFromStaticOrBesideTheDocument() throws {
    let site = try TemporarySite()
    _ = try site.build()
    #expect(try site.tree()["cases/covoiturage/covoiturage.png"] == Data("PNG".utf8))
    let broken = LinkChecker(baseURL: URL(string: "https://example.org/portail/")!).check(
      try site.outputFiles())
    #expect(broken == [])
    try site.write(
      "content/cases/covoiturage.md",
      try String(
        contentsOf: site.root.appending(path: "content/cases/covoiturage.md"), encoding: .utf8
      ).replacingOccurrences(of: "covoiturage.png", with: "absente.png"))
    let error = site.buildFailure()
    #expect(
      error.diagnostics.map(\.formatted) == [
        "content/cases/covoiturage.md:1:1: error: image 'absente.png' is neither in content/static/ nor beside this file"
      ])
  }

  @Test func draftsOnlyWithTheFlag() throws {
    let site = try TemporarySite()
    _ = try site.build(drafts: true)
    #expect(try site.read("cases/brouillon/index.html").contains("Brouillon"))
  }

  @Test func exportsAgreeWithTheContent() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let json =
      try JSONSerialization.jsonObject(with: Data(try site.read("data/cases.json").utf8))
      as! [String: Any]
    let cases = json["cases"] as! [[String: Any]]
    #expect(json["count"] as? Int == 3)
    #expect(cases.map { $0["slug"] as! String } == ["covoiturage", "gardens", "jardins"])
    #expect(json["license"] as? String == "CC-BY-SA-4.0")
    let jardins = cases[2]
    #expect(jardins["localities"] as? [String] == ["todmorden", "cergy"])
    #expect(jardins["countries"] as? [String] == ["GB", "FR"])
    #expect(jardins["url"] as? String == "https://example.org/portail/cases/jardins/")

    let csv = try site.read("data/cases.csv").split(separator: "\n")
    #expect(csv.count == 5)
    #expect(
      csv[3].hasPrefix("jardins,fr,Jardins partagés,https://example.org/portail/cases/jardins/,"))
    #expect(csv[3].contains(",todmorden;cergy,GB;FR,"))

    let geoText = try site.read("data/localities.geojson")
    #expect(geoText.hasPrefix(#"{"features":[{"geometry":{"coordinates":[-2.097,53.7135],"#))
    #expect(
      geoText.contains(
        #""id":"todmorden","properties":{"case_count":1,"country":"GB","name":"Todmorden","#
          + #""region":"England","url":"https://example.org/portail/localities/todmorden/"},"#
          + #""type":"Feature"}"#))
    #expect(geoText.hasSuffix(#"],"license":"CC-BY-SA-4.0","type":"FeatureCollection"}"#))
    let geo =
      try JSONSerialization.jsonObject(with: Data(geoText.utf8)) as! [String: Any]
    let features = geo["features"] as! [[String: Any]]
    #expect(geo["type"] as? String == "FeatureCollection")
    #expect(features.count == 3)
    let todmorden = features.first { $0["id"] as? String == "todmorden" }!
    #expect((todmorden["properties"] as! [String: Any])["case_count"] as? Int == 1)
    #expect(
      (todmorden["geometry"] as! [String: Any])["coordinates"] as? [Double] == [-2.097, 53.7135])
  }

  @Test func feedAndSitemapAreWellFormedAndComplete() throws {
    let site = try TemporarySite()
    let built = try site.build()
    let feed = try site.read("feed.xml")
    #expect(XMLParser(data: Data(feed.utf8)).parse())
    #expect(feed.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""))
    #expect(feed.components(separatedBy: "<entry").count - 1 == 4)
    let sitemap = try site.read("sitemap.xml")
    #expect(XMLParser(data: Data(sitemap.utf8)).parse())
    #expect(sitemap.components(separatedBy: "<loc>").count - 1 == built.pageCount - 1)
    #expect(sitemap.contains("<loc>https://example.org/portail/en/cases/gardens/</loc>"))
    #expect(
      try site.read("robots.txt").contains("Sitemap: https://example.org/portail/sitemap.xml"))
  }

  @Test func everyInternalLinkResolvesUnderTheSubPath() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let broken = LinkChecker(baseURL: URL(string: "https://example.org/portail/")!).check(
      try site.outputFiles())
    #expect(broken == [])
  }

  @Test func linkCheckerReportsMissingPagesAndAnchors() {
    let files = [
      OutputFile(
        path: "index.html",
        contents: Data(
          "<a href=\"/p/x/\">x</a><a href='a/#nope'>a</a><a id=\"top\" href=\"#top\">t</a>".utf8)),
      OutputFile(path: "a/index.html", contents: Data("<h1 id=\"here\">".utf8)),
    ]
    let broken = LinkChecker(baseURL: URL(string: "https://e.org/p/")!).check(files)
    #expect(broken.map(\.link) == ["/p/x/", "a/#nope"])
  }
}
