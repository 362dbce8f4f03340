import Diagnostics
import Foundation
import Testing

@testable import Site

@Suite struct MultilingualTests {
  @Test func switcherGoesToTheTranslationOrToTheOtherLanguagesHome() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let translated = try site.read("cases/jardins/index.html")
    #expect(
      translated.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/portail/en/cases/gardens/\">"
      ))
    let back = try site.read("en/cases/gardens/index.html")
    #expect(
      back.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://example.org/portail/cases/jardins/\">"
      ))
    let untranslated = try site.read("cases/covoiturage/index.html")
    #expect(
      untranslated.contains(
        "<link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/portail/en/\">"))
    let list = try site.read("en/topics/index.html")
    #expect(list.contains("hreflang=\"fr\" href=\"https://example.org/portail/topics/\""))
  }

  @Test func datesFollowThePageLanguage() throws {
    let site = try TemporarySite()
    _ = try site.build()
    #expect(try site.read("cases/jardins/index.html").contains("1 mars 2020"))
    #expect(try site.read("en/cases/gardens/index.html").contains("1 March 2020"))
  }

  @Test func aMissingUIStringNamesTheKeyTheLanguageAndTheFile() throws {
    let site = try TemporarySite()
    let path = "themes/default/i18n/en.yaml"
    let text = try String(contentsOf: site.root.appending(path: path), encoding: .utf8)
    try site.write(path, text.replacingOccurrences(of: "  posts: \"Articles\"\n", with: ""))
    let error = site.buildFailure()
    #expect(
      error.diagnostics.map(\.formatted) == [
        "themes/default/i18n/en.yaml: error: missing UI string 'pages.posts' for language 'en'"
      ])
  }

  @Test func aMissingKeyUsedByATemplateIsAnErrorAtItsUse() throws {
    let site = try TemporarySite()
    try site.write("themes/default/templates/404.html", "{{ \"nowhere.key\" | t }}")
    let error = site.buildFailure()
    let problem = try #require(error.diagnostics.first)
    #expect(problem.location?.file.hasSuffix("themes/default/templates/404.html") == true)
    #expect(problem.location?.line == 1)
    #expect(problem.message.contains("nowhere.key") && problem.message.contains("fr"))
  }

  @Test func eachLanguageHasItsOwnIndexWithEveryCaseOnce() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let files = try site.outputFiles()
    func chunkURLs(_ language: String) throws -> [String] {
      let chunks = files.filter { $0.path.hasPrefix("search/index/\(language)/chunks/") }
      return try chunks.flatMap { file in
        // Each document is [url, title, date, text] (docs/search-index.md).
        (try JSONSerialization.jsonObject(with: file.contents) as! [[Any]]).map {
          $0[0] as! String
        }
      }.sorted()
    }
    let manifest =
      try JSONSerialization.jsonObject(
        with: try #require(files.first { $0.path == "search/index/en/manifest.json" })
          .contents)
      as! [String: Any]
    #expect(manifest["language"] as? String == "en")
    // English: the English version of "jardins", the French-only case and post; no French page.
    #expect(
      try chunkURLs("en") == ["/cases/covoiturage/", "/en/cases/gardens/", "/posts/proximite/"])
    #expect(
      try chunkURLs("fr") == [
        "/a-propos/", "/cases/covoiturage/", "/cases/jardins/", "/posts/proximite/",
      ])
  }
}
