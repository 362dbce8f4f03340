import Foundation
import Testing

@testable import Site

/// `serve` keeps an ``IncrementalSite``: after any change, its files must be exactly those of a
/// whole new build of the same sources.
@Suite struct IncrementalSiteTests {
  let site: TemporarySite
  var options: BuildOptions { BuildOptions(root: site.root) }

  init() throws {
    site = try TemporarySite()
  }

  /// Path → bytes of every file of a whole new generation.
  func wholeBuild() throws -> [String: Data] {
    Self.fileMap(try SiteBuilder(options: options).generate().files)
  }

  /// Brings the search index and exports up to date, then compares with a whole build.
  func expectSameAsWholeBuild(
    _ incremental: inout IncrementalSite, sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    incremental.replaceDerivedFiles(incremental.derivedFiles() ?? [])
    #expect(
      Self.fileMap(incremental.site.files) == (try wholeBuild()), sourceLocation: sourceLocation)
  }

  /// The paths of the pages an update re-rendered, or nil when it ran every phase.
  func pagesOnly(_ update: IncrementalSite.Update) -> Set<String>? {
    guard case .pages(let pages) = update else { return nil }
    return Set(pages.map(\.path))
  }

  /// The site an update made by running every phase, or nil when it only re-rendered pages.
  func everyPhase(_ update: IncrementalSite.Update) -> GeneratedSite? {
    guard case .site(let generated) = update else { return nil }
    return generated
  }

  static func fileMap(_ files: [OutputFile]) -> [String: Data] {
    Dictionary(files.map { ($0.path, $0.contents) }, uniquingKeysWith: { first, _ in first })
  }

  func replace(_ path: String, _ old: String, with new: String) throws {
    let text = try String(contentsOf: site.root.appending(path: path), encoding: .utf8)
    #expect(text.contains(old))
    try site.write(path, text.replacingOccurrences(of: old, with: new))
  }

  @Test func aTextEditReRendersOnlyThePagesShowingTheDocument() throws {
    // The default theme, whose cards show the first words of a case without a description.
    try FileManager.default.removeItem(at: site.root.appending(path: "themes"))
    var incremental = try IncrementalSite(options: options)
    try replace(
      "content/cases/covoiturage.md", "Un essai qui s'est arrêté.",
      with: "Un essai de trois ans, arrêté faute de bénévoles.")
    let paths = try #require(
      pagesOnly(try incremental.update(changed: ["content/cases/covoiturage.md"])))
    // The case has no description: its card shows its first words, so lists change too.
    #expect(paths.contains("cases/covoiturage/index.html"))
    #expect(paths.contains("cases/index.html"))
    #expect(paths.contains("topics/mobilite/index.html"))
    // jardins shows it as previous or next: its page changes too; a page showing no case does not.
    #expect(paths.contains("cases/jardins/index.html"))
    #expect(!paths.contains("a-propos/index.html"))

    try expectSameAsWholeBuild(&incremental)
  }

  @Test func aTextEditOfACaseWithADescriptionLeavesItsCardsAlone() throws {
    var incremental = try IncrementalSite(options: options)
    try replace("content/cases/jardins.md", "## Origines", with: "## Les origines")
    let paths = try #require(
      pagesOnly(try incremental.update(changed: ["content/cases/jardins.md"])))
    #expect(paths == ["cases/jardins/index.html"])
    try expectSameAsWholeBuild(&incremental)
  }

  @Test func aNewTitleReRendersThePagesShowingTheCaseAndItsOtherVersions() throws {
    var incremental = try IncrementalSite(options: options)
    try replace("content/cases/gardens.en.md", "title: Shared gardens", with: "title: Open gardens")
    let paths = try #require(
      pagesOnly(try incremental.update(changed: ["content/cases/gardens.en.md"])))
    #expect(paths.contains("en/cases/gardens/index.html"))
    #expect(paths.contains("en/cases/index.html"))
    try expectSameAsWholeBuild(&incremental)
  }

  @Test func editsThatMoveADocumentRunEveryPhase() throws {
    var incremental = try IncrementalSite(options: options)
    // Another case of the same day: a new title reorders the two.
    try site.write(
      "content/cases/marche.md",
      "---\ntitle: Marché local\ndate: 2019-06-01\noutcome: mixed\nlocalities: [cergy]\n---\nUn marché.\n"
    )
    try #require(everyPhase(try incremental.update(changed: ["content/cases/marche.md"])))
    try replace("content/cases/covoiturage.md", "title: Covoiturage rural", with: "title: Vélos")
    // A title that changes the order of lists.
    try #require(everyPhase(try incremental.update(changed: ["content/cases/covoiturage.md"])))
    try expectSameAsWholeBuild(&incremental)
    try replace(
      "content/cases/covoiturage.md", "topics: [mobilite]", with: "topics: [alimentation]")
    let generated = try #require(
      everyPhase(try incremental.update(changed: ["content/cases/covoiturage.md"])))
    #expect(generated.pageCount == incremental.pageCount)
    try expectSameAsWholeBuild(&incremental)
  }

  @Test func createdAndDeletedFilesRunEveryPhase() throws {
    var incremental = try IncrementalSite(options: options)
    try site.write(
      "content/posts/2021-01-02-nouvelles.md", "---\ntitle: Nouvelles\n---\nDu nouveau.\n")
    try #require(
      everyPhase(try incremental.update(changed: ["content/posts/2021-01-02-nouvelles.md"])))
    try expectSameAsWholeBuild(&incremental)
    try FileManager.default.removeItem(
      at: site.root.appending(path: "content/cases/covoiturage.md"))
    _ = try incremental.update(changed: ["content/cases/covoiturage.md"])
    try expectSameAsWholeBuild(&incremental)
  }

  @Test func aFailedUpdateKeepsTheLastGoodSite() throws {
    var incremental = try IncrementalSite(options: options)
    let before = Self.fileMap(incremental.site.files)
    try replace("content/cases/covoiturage.md", "title: Covoiturage rural", with: "title: [")
    #expect(throws: BuildFailure.self) {
      try incremental.update(changed: ["content/cases/covoiturage.md"])
    }
    #expect(Self.fileMap(incremental.site.files) == before)
    // Fixed, with a new text: the update starts from the last good generation.
    try replace("content/cases/covoiturage.md", "title: [", with: "title: Covoiturage rural")
    try replace("content/cases/covoiturage.md", "s'est arrêté", with: "a cessé")
    _ = try incremental.update(changed: ["content/cases/covoiturage.md"])
    try expectSameAsWholeBuild(&incremental)
  }

  @Test func aPostTextEditUpdatesTheListsShowingIt() throws {
    var incremental = try IncrementalSite(options: options)
    let path = "content/posts/2017-05-08-proximite.md"
    let text = try String(contentsOf: site.root.appending(path: path), encoding: .utf8)
    try site.write(path, text + "\nUn paragraphe de plus.\n")
    _ = try incremental.update(changed: [path])
    try expectSameAsWholeBuild(&incremental)
  }
}
