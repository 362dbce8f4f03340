import Diagnostics
import Foundation
import Testing

@testable import Site

@Suite struct OutputRuleTests {
  @Test func manifestSignaturesTellEveryByteApart() {
    var seen: Set<OutputFolder.FileSignature> = []
    var bytes: [UInt8] = []
    for length in 0..<200 {
      let data = Data(bytes)
      #expect(OutputFolder.signature(of: data) == OutputFolder.signature(of: Data(bytes)))
      #expect(seen.insert(OutputFolder.signature(of: data)).inserted)
      for position in bytes.indices {
        var flipped = bytes
        flipped[position] ^= 1
        #expect(OutputFolder.signature(of: flipped).hash != OutputFolder.signature(of: data).hash)
      }
      bytes.append(UInt8(truncatingIfNeeded: length &* 31 &+ 7))
    }
    // A slice of a larger buffer hashes like the same bytes on their own.
    let whole = Data(0..<100)
    #expect(
      OutputFolder.signature(of: whole[3..<90]) == OutputFolder.signature(of: Data(whole[3..<90])))
  }

  @Test func twoBuildsAreByteIdentical() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let first = try site.tree()
    let report = try site.fullBuild()
    #expect(try site.tree() == first)
    #expect(report.changedFiles == 0)
  }

  @Test func unchangedFilesKeepTheirModificationTime() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let path = site.output.appending(path: "cases/covoiturage/index.html").path
    let before = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
    Thread.sleep(forTimeInterval: 0.05)
    try site.write(
      "content/cases/jardins.md",
      try String(contentsOf: site.root.appending(path: "content/cases/jardins.md"), encoding: .utf8)
        + "\nAjout.\n")
    let report = try site.build()
    let after = try FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as! Date
    #expect(before == after)
    #expect(report.changedFiles > 0 && report.changedFiles < report.files)
    #expect(try site.read("cases/jardins/index.html").contains("Ajout."))
  }

  /// A build renders only the pages whose inputs changed, and its output equals a build from
  /// scratch.
  @Test func aRebuildRendersOnlyWhatAnEditChanged() throws {
    let site = try TemporarySite()
    let first = try site.build()
    #expect(first.renderedPages == first.pageCount)
    #expect(try site.build().renderedPages == 0)
    let path = "content/cases/covoiturage.md"
    try site.write(
      path,
      try String(contentsOf: site.root.appending(path: path), encoding: .utf8)
        .replacingOccurrences(of: "Un essai", with: "Un premier essai"))
    let second = try site.build()
    // Its page and the pages showing its card or summary, not the others.
    #expect(second.renderedPages > 0 && second.renderedPages < second.pageCount / 2)
    #expect(try site.read("cases/covoiturage/index.html").contains("Un premier essai"))
    let incremental = try site.tree()
    #expect(try site.buildFromScratch().renderedPages == second.pageCount)
    #expect(try site.tree() == incremental)
  }

  @Test func aTemplateChangeRendersEveryPage() throws {
    let site = try TemporarySite()
    let first = try site.build()
    let base = site.root.appending(path: "themes/default/templates/base.html")
    try site.write(
      "themes/default/templates/base.html",
      try String(contentsOf: base, encoding: .utf8) + "<!-- changed -->\n")
    #expect(try site.build().renderedPages == first.pageCount)
    #expect(try site.read("index.html").contains("<!-- changed -->"))
  }

  /// A page whose output file was deleted since is rendered again, not linked from nothing.
  @Test func aPageMissingFromThePreviousOutputIsRenderedAgain() throws {
    let site = try TemporarySite()
    _ = try site.build()
    try FileManager.default.removeItem(at: site.output.appending(path: "cases/jardins/index.html"))
    #expect(try site.build().renderedPages == 1)
    #expect(try site.read("cases/jardins/index.html").contains("<h1"))
  }

  /// The site before the last one is kept in `.proximus/` and becomes the next staging folder:
  /// what the new build does not write must not survive in it.
  @Test func aRecycledSiteLeavesNothingBehind() throws {
    let site = try TemporarySite()
    _ = try site.build()
    _ = try site.fullBuild()
    let recycled = OutputFolder(root: site.root, output: site.output).recycledURL
    #expect(FileManager.default.fileExists(atPath: recycled.path))
    try FileManager.default.removeItem(
      at: site.root.appending(path: "content/posts/2017-05-08-proximite.md"))
    try site.write(
      "content/cases/nouveau.md",
      "---\ntitle: Nouveau\noutcome: success\nlocalities: [maroc]\n---\nTexte.\n")
    _ = try site.fullBuild()
    #expect(try site.tree()["posts/proximite/index.html"] == nil)
    #expect(try site.read("cases/nouveau/index.html").contains("Nouveau"))
    let recycledBuild = try site.tree()
    _ = try site.buildFromScratch()
    #expect(try site.tree() == recycledBuild)
    #expect(!FileManager.default.fileExists(atPath: site.output.path + ".staging"))
  }

  /// When the recycled site holds the previous output's very file (one inode), the build
  /// leaves it in place; a file put there instead is replaced.
  @Test func aRecycledSiteKeepsThePreviousFilesAndReplacesStrangers() throws {
    let site = try TemporarySite()
    _ = try site.build()
    _ = try site.fullBuild()
    func inode(_ path: String) throws -> Int {
      try FileManager.default.attributesOfItem(atPath: site.output.appending(path: path).path)[
        .systemFileNumber] as! Int
    }
    let before = try (inode("cases/covoiturage/index.html"), site.tree())
    let recycled = OutputFolder(root: site.root, output: site.output).recycledURL
    let stranger = recycled.appending(path: "cases/jardins/index.html")
    let size = try Data(contentsOf: stranger).count
    try FileManager.default.removeItem(at: stranger)
    try Data(repeating: UInt8(ascii: "x"), count: size).write(to: stranger)
    let report = try site.fullBuild()
    #expect(report.renderedPages == 0 && report.changedFiles == 0)
    #expect(try inode("cases/covoiturage/index.html") == before.0)
    #expect(try site.tree() == before.1)
  }

  @Test func aSymbolicLinkInTheRecycledSiteIsNotFollowed() throws {
    let site = try TemporarySite()
    _ = try site.build()
    _ = try site.fullBuild()
    let precious = site.root.deletingLastPathComponent().appending(
      path: "precious-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: precious, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: precious) }
    try Data("keep".utf8).write(to: precious.appending(path: "index.html"))
    let recycled = OutputFolder(root: site.root, output: site.output).recycledURL
    let cases = recycled.appending(path: "cases/jardins")
    try FileManager.default.removeItem(at: cases)
    try FileManager.default.createSymbolicLink(at: cases, withDestinationURL: precious)
    _ = try site.fullBuild()
    #expect(
      try String(contentsOf: precious.appending(path: "index.html"), encoding: .utf8) == "keep")
    #expect(try site.read("cases/jardins/index.html").contains("<h1"))
  }

  /// Builds of one root into two folders keep one record each of what they wrote: a file of
  /// one folder is never taken for the same-sized file the other folder holds.
  @Test func twoOutputFoldersOfOneRootDoNotMixTheirFiles() throws {
    let site = try TemporarySite()
    let path = "content/cases/covoiturage.md"
    let text = try String(contentsOf: site.root.appending(path: path), encoding: .utf8)
    func build(into folder: String) throws {
      var options = BuildOptions(root: site.root, output: site.root.appending(path: folder))
      options.force = true
      _ = try SiteBuilder(options: options).build()
    }
    func page(in folder: String) throws -> String {
      try String(
        contentsOf: site.root.appending(path: "\(folder)/cases/covoiturage/index.html"),
        encoding: .utf8)
    }
    try build(into: "out-a")
    // The same number of bytes: only a record kept per folder tells the two pages apart.
    try site.write(path, text.replacingOccurrences(of: "arrêté", with: "terminé"))
    try build(into: "out-b")
    try build(into: "out-a")
    #expect(try page(in: "out-a").contains("terminé"))
    #expect(try page(in: "out-b").contains("terminé"))
  }

  @Test func aFailedBuildLeavesThePreviousSiteAsItWas() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let before = try site.tree()
    try site.write("content/cases/casse.md", "---\ntitle: Cassé\nlocalities: [nulle-part]\n---\n")
    #expect(throws: BuildFailure.self) { try site.build() }
    #expect(try site.tree() == before)
    #expect(!FileManager.default.fileExists(atPath: site.output.path + ".staging"))
  }

  /// The first file that cannot be written is reported; later files are neither written nor
  /// reported (a full disk gave one error per page), and the build fails with that one error.
  @Test func theFirstFileThatCannotBeWrittenStopsTheWrites() throws {
    let root = FileManager.default.temporaryDirectory.appending(path: "px-fail-\(UUID())")
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = OutputFolder(root: root, output: root.appending(path: "site"))
    let staging = try folder.beginStaging(previous: OutputFolder.Manifest())
    defer { staging.discard() }
    try staging.write("a", Data("file".utf8))
    #expect(!staging.hasFailed)
    // A folder is needed where a file is: that write fails.
    #expect(throws: Diagnostic.self) { try staging.write("a/b.html", Data("x".utf8)) }
    #expect(staging.hasFailed)
    #expect(try !staging.write("c.html", Data("y".utf8)))
    #expect(try !staging.write("a/d.html", Data("z".utf8)))
    #expect(!FileManager.default.fileExists(atPath: folder.staging.path + "/c.html"))
    // Nor can the half-written site be swapped in; the caller then discards it.
    #expect(throws: Diagnostic.self) { try staging.publish() }
    #expect(!FileManager.default.fileExists(atPath: folder.output.path))
    staging.discard()
    #expect(!FileManager.default.fileExists(atPath: folder.staging.path))
  }

  @Test func staleStagingFolderIsCleaned() throws {
    let site = try TemporarySite()
    try site.write("site.staging/left-over.html", "x")
    _ = try site.build()
    #expect(!FileManager.default.fileExists(atPath: site.output.path + ".staging"))
    #expect(try site.tree()["left-over.html"] == nil)
  }

  @Test func aStagingFolderThatIsASymbolicLinkIsRemovedNotFollowed() throws {
    let site = try TemporarySite()
    let precious = site.root.deletingLastPathComponent().appending(
      path: "precious-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: precious, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: precious) }
    try Data("keep".utf8).write(to: precious.appending(path: "file.txt"))
    try FileManager.default.createSymbolicLink(
      atPath: site.output.path + ".staging", withDestinationPath: precious.path)
    _ = try site.build()
    #expect(try String(contentsOf: precious.appending(path: "file.txt"), encoding: .utf8) == "keep")
    #expect(try site.tree()["index.html"] != nil)
  }

  @Test func dangerousOutputFoldersAreRefused() throws {
    let site = try TemporarySite()
    let home = FileManager.default.homeDirectoryForCurrentUser
    for output in [
      site.root, site.root.deletingLastPathComponent(), site.root.appending(path: "content"),
      site.root.appending(path: "themes/default/x"), URL(fileURLWithPath: "/"), home,
    ] {
      #expect(throws: Diagnostic.self, "\(output.path)") {
        try OutputFolder(root: site.root, output: output).validate(force: true)
      }
    }
    try site.write("other/file.txt", "keep me")
    let other = site.root.appending(path: "other")
    #expect(throws: Diagnostic.self) {
      try OutputFolder(root: site.root, output: other).validate(force: false)
    }
    try OutputFolder(root: site.root, output: other).validate(force: true)
  }

  @Test func outputPathsMustStayInside() {
    for path in [
      "../x", "/etc/passwd", "a/../../b", "a//b", "", "a\\b", ".", "..", "a/.", "a/./b", "a/",
      "a/..", "a\u{0}b",
    ] {
      #expect(!OutputFolder.isSafeRelativePath(path), "\(path)")
    }
    for path in ["cases/x/index.html", "...", "a/.../b", ".well-known/x", "a/..b/c.", "é/ü"] {
      #expect(OutputFolder.isSafeRelativePath(path), "\(path)")
    }
    #expect(OutputFolder.parent(of: "cases/x/index.html") == "cases/x")
    #expect(OutputFolder.parent(of: "index.html") == "")
  }
}

@Suite struct URLCollisionTests {
  @Test func twoSourcesOnOneURLNameBothFiles() throws {
    let site = try TemporarySite()
    try site.write(
      "content/cases/Jardins-bis.md",
      "---\ntitle: Doublon\nslug: Jardins\nlocalities: [cergy]\n---\n")
    let error = site.buildFailure()
    let problem = try #require(error.diagnostics.first { $0.message.contains("map to the URL") })
    #expect(
      problem.message
        == "2 sources map to the URL /cases/jardins/: content/cases/Jardins-bis.md, content/cases/jardins.md"
    )
    #expect(problem.location?.file == "content/cases/Jardins-bis.md")
    #expect(problem.notes.first?.location?.file == "content/cases/jardins.md")
  }

  /// `build` learns its pages' paths only as it writes them: the check comes after, and the
  /// failed build still leaves the previous site as it was.
  @Test func aStaticFileOnAGeneratedPageIsAnErrorAndNothingIsPublished() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let before = try site.tree()
    try site.write("content/static/Cases/index.html", "<p>mine</p>")
    let error = site.buildFailure()
    #expect(
      error.diagnostics.map(\.message) == [
        "static file would overwrite the generated /cases/index.html"
      ]
    )
    #expect(error.diagnostics.first?.location?.file == "content/static/Cases/index.html")
    #expect(try site.tree() == before)
    #expect(!FileManager.default.fileExists(atPath: site.output.path + ".staging"))
  }

  @Test(arguments: ["cases", "en", "search"])
  func pageSlugOnAReservedPathIsAnError(slug: String) throws {
    let site = try TemporarySite()
    try site.write("content/pages/p.md", "---\ntitle: P\nslug: \(slug)\n---\n")
    let error = site.buildFailure()
    #expect(
      error.diagnostics.contains {
        $0.message.contains("page slug '\(slug)'") && $0.location?.file == "content/pages/p.md"
      })
  }

  @Test func unknownReferencesNameFileLineAndColumn() throws {
    let site = try TemporarySite()
    try site.write(
      "content/cases/x.md",
      "---\ntitle: X\ntopics: [inconnu]\nlocalities: [cergy, nulle-part]\n---\n")
    let error = site.buildFailure()
    let messages = error.diagnostics.map(\.formatted)
    #expect(
      messages.contains {
        $0.hasPrefix("content/cases/x.md:3:10: error: unknown topic 'inconnu'")
      })
    #expect(
      messages.contains {
        $0.hasPrefix("content/cases/x.md:4:21: error: unknown locality 'nulle-part'")
      })
  }
}

@Suite struct SeedArticleTests {
  @Test(.enabled(if: TemporarySite.sharedFolder != nil, "../shared is absent"))
  func seedArticleBuildsUnchanged() throws {
    let site = try TemporarySite()
    let seed = TemporarySite.sharedFolder!.appending(path: "seed/2017-05-08-proximite.md")
    try FileManager.default.removeItem(
      at: site.root.appending(path: "content/posts/2017-05-08-proximite.md"))
    try FileManager.default.copyItem(
      at: seed, to: site.root.appending(path: "content/posts/2017-05-08-proximite.md"))
    // The embedded default theme renders it, as on the real portal.
    try FileManager.default.removeItem(at: site.root.appending(path: "themes"))
    _ = try site.build()
    let html = try site.read("posts/proximite/index.html")
    #expect(html.contains("<title>Proximus"))
    #expect(
      html.contains(
        "name=\"description\" content=\"Proximus est un réseau participatif qui vise à identifier des projets collaboratifs dans le monde"
      ))
    #expect(html.contains("Olivier Lebel"))
    #expect(html.contains("Troisième révolution industrielle"))
    #expect(html.contains("<section class=\"footnotes\" data-footnotes>"))
    #expect(html.contains("Originaire d’Angleterre, les Incroyables Comestibles"))
    #expect(html.contains("data-footnote-ref>1</a></sup>"))
  }
}

@Suite struct WordCountTests {
  @Test func countAgreesWithForEach() {
    let texts = [
      "", " ", "un", " un  deux\ttrois\n", "été à\r\nParis ", "a\u{A0}b c", "x  ",
      "a\u{1}b \u{0B}c!",
    ]
    // Eight bytes are counted at a time: words and spaces across those eights, at every offset.
    let sentence = "Les jardins  partagés\tde Todmorden,\r\nun réseau d'habitants qui  sème "
    let shifted = (0..<16).map { String(repeating: " ", count: $0) + sentence + sentence }
    let prefixes = (0..<sentence.utf8.count).map {
      String(decoding: sentence.utf8.prefix($0), as: UTF8.self)
    }
    for text in texts + shifted + prefixes {
      var seen = 0
      _ = Words.forEach(in: text) { _ in
        seen += 1
        return true
      }
      #expect(Words.count(in: text) == seen, "\(text.debugDescription)")
    }
  }
}
