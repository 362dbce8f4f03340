import Foundation
import Testing

@testable import Site

/// A build after documents were edited in place makes only the pages the edits reach
/// (``EditScope``); whatever it makes, its output must be that of a build from scratch.
@Suite struct EditScopeTests {
  let site: TemporarySite

  init() throws {
    site = try TemporarySite()
  }

  func replace(_ path: String, _ old: String, with new: String) throws {
    let text = try String(contentsOf: site.root.appending(path: path), encoding: .utf8)
    #expect(text.contains(old))
    try site.write(path, text.replacingOccurrences(of: old, with: new))
  }

  /// The output equals that of a build from scratch (a new output folder, no record).
  func expectSameAsBuildFromScratch(sourceLocation: SourceLocation = #_sourceLocation) throws {
    let tree = try site.tree()
    _ = try site.buildFromScratch()
    #expect(try site.tree() == tree, sourceLocation: sourceLocation)
  }

  @Test func aBodyEditMakesTheDocumentsOwnPages() throws {
    _ = try site.build()
    // jardins has a description, so its cards do not show its text.
    try replace("content/cases/jardins.md", "## Origines", with: "## Les origines")
    let built = try site.build()
    // Its page and that of its English version, which names it.
    #expect(built.scopedPages == 2)
    #expect(built.renderedPages == 1)
    #expect(try site.read("cases/jardins/index.html").contains("Les origines"))
    try expectSameAsBuildFromScratch()
  }

  /// The search index of the edited document's language is updated from the previous one (its
  /// other documents are not analysed again); the other language's is carried over.
  @Test func aBodyEditUpdatesTheSearchIndexOfItsLanguage() throws {
    let first = try site.build()
    #expect(first.updatedSearchIndexes.isEmpty)
    let folder = OutputFolder(root: site.root, output: site.output)
    let before = try #require(folder.loadRecord()?.searchIndexes["fr"])
    try replace("content/cases/jardins.md", "## Origines", with: "## Débuts")
    let built = try site.build()
    #expect(built.updatedSearchIndexes == ["fr"])
    let record = try #require(folder.loadRecord())
    #expect(Set(record.searchIndexes.keys) == ["fr", "en"])
    let after = try #require(record.searchIndexes["fr"])
    #expect(zip(before.fingerprints, after.fingerprints).filter { $0 != $1 }.count == 1)
    #expect(try site.read("search/index/fr/manifest.json").contains("\"documentCount\""))
    try expectSameAsBuildFromScratch()
  }

  /// Builds with the default theme, whose cards and pages show descriptions and texts.
  func useDefaultTheme() throws {
    try FileManager.default.removeItem(at: site.root.appending(path: "themes"))
  }

  @Test func aNewDescriptionMakesThePagesShowingTheCard() throws {
    try useDefaultTheme()
    let first = try site.build()
    try replace(
      "content/cases/jardins.md", "description: Des potagers ouverts à tous.",
      with: "description: Des potagers ouverts à chacun.")
    let built = try site.build()
    let scoped = try #require(built.scopedPages)
    #expect(scoped > 2 && scoped < first.pageCount)
    #expect(try site.read("cases/index.html").contains("ouverts à chacun"))
    #expect(try site.read("topics/alimentation/index.html").contains("ouverts à chacun"))
    try expectSameAsBuildFromScratch()
  }

  @Test func postsAndPagesEditedInPlace() throws {
    try useDefaultTheme()
    _ = try site.build()
    try replace("content/posts/2017-05-08-proximite.md", "Un réseau", with: "Un grand réseau")
    try replace("content/pages/a-propos.md", "Qui sommes-nous", with: "Qui êtes-vous")
    let built = try site.build()
    #expect(built.scopedPages != nil)
    #expect(try site.read("a-propos/index.html").contains("Qui êtes-vous"))
    try expectSameAsBuildFromScratch()
  }

  /// The record a scoped build leaves lets the next edit be scoped too, from the documents as
  /// they are now.
  @Test func editsOneAfterAnother() throws {
    _ = try site.build()
    for (number, description) in ["Premier.", "Deuxième.", "Des potagers ouverts à tous."]
      .enumerated()
    {
      let text = try String(
        contentsOf: site.root.appending(path: "content/cases/jardins.md"), encoding: .utf8)
      let line = text.split(separator: "\n").first { $0.hasPrefix("description:") }!
      try replace("content/cases/jardins.md", String(line), with: "description: \(description)")
      let built = try site.build()
      #expect(built.scopedPages != nil, "edit \(number)")
      #expect(built.renderedPages > 1, "edit \(number)")
    }
    try expectSameAsBuildFromScratch()
  }

  enum Move: String, CaseIterable {
    case newTitleThatReorders, newDate, newTopic, newLocality, madeDraft, newTranslationOf,
      newFile, newSlug
  }

  /// Edits that may move a document make every page, then key each one as usual.
  @Test(arguments: Move.allCases)
  func editsThatMoveADocumentMakeEveryPage(_ move: Move) throws {
    let path = "content/cases/covoiturage.md"
    if move == .newTitleThatReorders {
      // The day of jardins: lists then order the two by title.
      try replace(path, "date: 2019-06-01", with: "date: 2020-03-01")
    }
    _ = try site.build()
    switch move {
    case .newTitleThatReorders:
      try replace(path, "title: Covoiturage rural", with: "title: Yourte")
    case .newDate:
      try replace(path, "date: 2019-06-01", with: "date: 2019-06-02")
    case .newTopic:
      try replace(path, "topics: [mobilite]", with: "topics: [alimentation]")
    case .newLocality:
      try replace(path, "localities: [maroc]", with: "localities: [maroc, cergy]")
    case .madeDraft:
      try replace(path, "outcome: failure", with: "outcome: failure\ndraft: true")
    case .newTranslationOf:
      try replace("content/cases/gardens.en.md", "translation_of: jardins\n", with: "")
    case .newFile:
      try site.write(
        "content/cases/marche.md",
        "---\ntitle: Marché\ndate: 2019-06-01\noutcome: mixed\nlocalities: [cergy]\n---\nUn marché.\n"
      )
    case .newSlug:
      try replace(path, "title: Covoiturage rural", with: "title: Covoiturage rural\nslug: autre")
    }
    let built = try site.build()
    #expect(built.scopedPages == nil)
    try expectSameAsBuildFromScratch()
  }

  /// A title that keeps the list order changes only the pages showing the case.
  @Test func aNewTitleInPlace() throws {
    _ = try site.build()
    try replace("content/cases/covoiturage.md", "title: Covoiturage rural", with: "title: Covoit")
    let built = try site.build()
    #expect(built.scopedPages != nil)
    #expect(try site.read("cases/index.html").contains("Covoit<"))
    try expectSameAsBuildFromScratch()
  }

  /// An edit made while a page of the output was changed by hand: the output is no longer as the
  /// record says, so every page is made (and the hand-made change undone).
  @Test func anEditBesideAChangedOutputMakesEveryPage() throws {
    _ = try site.build()
    try Data("changed".utf8).write(to: site.output.appending(path: "a-propos/index.html"))
    try replace("content/cases/jardins.md", "## Origines", with: "## Les origines")
    let built = try site.build()
    #expect(built.scopedPages == nil)
    try expectSameAsBuildFromScratch()
  }

  /// From the third build on, the staging folder is the site before the last one, which holds
  /// the very files of the output for the pages no edit reached: they are carried over without
  /// a system call, and keep the stamps the record gave them. Those stamps must be their real
  /// ones, so that the next build still finds the output as recorded, and a page changed by hand
  /// is still seen.
  @Test func filesLeftUntouchedKeepTrueStamps() throws {
    _ = try site.build()
    // Every file was written, its stamp read from the open file: the same as read from its path.
    let folder = OutputFolder(root: site.root, output: site.output)
    #expect(try #require(folder.loadRecord()).outputsAreUnchanged(in: site.output.path))
    for heading in ["## Débuts", "## Premiers pas"] {
      let text = try String(
        contentsOf: site.root.appending(path: "content/cases/jardins.md"), encoding: .utf8)
      let line = text.split(separator: "\n").first { $0.hasPrefix("## ") && $0 != "## Essaimage" }
      try replace("content/cases/jardins.md", String(line!), with: heading)
      #expect(try site.build().scopedPages != nil)
    }
    #expect(try #require(folder.loadRecord()).outputsAreUnchanged(in: site.output.path))
    try Data("changed".utf8).write(to: site.output.appending(path: "a-propos/index.html"))
    try replace("content/cases/jardins.md", "## Premiers pas", with: "## Origines")
    #expect(try site.build().scopedPages == nil)
    try expectSameAsBuildFromScratch()
  }

  /// An edit build reads no unchanged document file: their bodies' rendering comes from the
  /// Markdown cache by the key the record gives, or, when the cache lost it, from the file.
  @Test func unchangedBodiesComeFromTheCacheOrTheirFiles() throws {
    try useDefaultTheme()
    _ = try site.build()
    let folder = OutputFolder(root: site.root, output: site.output)
    #expect(try #require(folder.loadRecord()).markdownKeys["content/cases/jardins.md"] != nil)
    try replace("content/pages/a-propos.md", "Qui sommes-nous", with: "Qui êtes-vous")
    #expect(try site.build().scopedPages != nil)
    try expectSameAsBuildFromScratch()
    _ = try site.build()
    try FileManager.default.removeItem(at: MarkdownCache.url(root: site.root))
    try replace("content/pages/a-propos.md", "Qui êtes-vous", with: "Qui sommes-nous")
    #expect(try site.build().scopedPages != nil)
    #expect(try site.read("cases/jardins/index.html").contains("Origines"))
    try expectSameAsBuildFromScratch()
  }

  /// A record whose first batch lists a page the build no longer makes: that batch is made in
  /// full, and the pages of a later batch are still matched with the scope by their index in
  /// the record, not in this build.
  @Test func aBatchUnlikeTheRecordLeavesTheOthersMatched() throws {
    try useDefaultTheme()
    _ = try site.build()
    let folder = OutputFolder(root: site.root, output: site.output)
    var record = try #require(folder.loadRecord())
    var dependencies = try #require(record.dependencies)
    dependencies.pagePaths.insert("/cases/ancienne/", at: 0)
    dependencies.batchSizes[0] += 1
    dependencies.shownBy = dependencies.shownBy.mapValues { $0.map { $0 + 1 } }
    record.dependencies = dependencies
    folder.saveRecord(record)
    try replace("content/pages/a-propos.md", "Qui sommes-nous", with: "Qui êtes-vous")
    let built = try site.build()
    // The first batch did not make the pages the record lists: no scope is reported.
    #expect(built.scopedPages == nil)
    #expect(try site.read("a-propos/index.html").contains("Qui êtes-vous"))
    try expectSameAsBuildFromScratch()
  }

  @Test func aRecordKeepsWhatThePagesShowed() throws {
    _ = try site.build()
    let folder = OutputFolder(root: site.root, output: site.output)
    let record = try #require(folder.loadRecord())
    let dependencies = try #require(record.dependencies)
    #expect(dependencies.batchSizes.reduce(0, +) == dependencies.pagePaths.count)
    let shown = Set(
      (dependencies.shownBy["/cases/covoiturage/"] ?? []).map { dependencies.pagePaths[Int($0)] })
    #expect(shown.isSuperset(of: ["/cases/covoiturage/", "/cases/", "/topics/mobilite/"]))
    #expect(!shown.contains("/a-propos/"))
    // Each page once under each document it shows, in page order.
    for pages in dependencies.shownBy.values {
      #expect(zip(pages, pages.dropFirst()).allSatisfy { $0 < $1 })
    }
    #expect(dependencies.documents["content/cases/covoiturage.md"]?.url == "/cases/covoiturage/")
  }
}
