import Diagnostics
import Foundation
import Testing

@testable import Site

@Suite struct BuildRecordTests {
  private func inode(_ url: URL) throws -> Int {
    try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as! Int
  }

  @Test func aBuildWithNothingChangedLeavesTheSiteAsItIs() throws {
    let site = try TemporarySite()
    let first = try site.build()
    #expect(!first.upToDate)
    let tree = try site.tree()
    let page = site.output.appending(path: "cases/jardins/index.html")
    let pageInode = try inode(page)
    let second = try site.build()
    #expect(second.upToDate)
    #expect(second.renderedPages == 0 && second.changedFiles == 0)
    #expect(second.pageCount == first.pageCount && second.files == first.files)
    #expect(second.diagnostics == first.diagnostics)
    #expect(second.timings.map(\.phase) == ["check"])
    #expect(try site.tree() == tree)
    #expect(try inode(page) == pageInode)
  }

  /// The record keeps the build's warnings, with their source lines, to report them again.
  @Test func warningsAreReportedAgain() throws {
    let site = try TemporarySite()
    try site.write(
      "content/cases/faute.md",
      "---\ntitle: Faute\noutcome: success\nlocalities: [maroc]\ndescripton: x\n---\n")
    let first = try site.build()
    #expect(
      first.diagnostics.map(\.message) == ["unknown key 'descripton'; did you mean 'description'?"])
    #expect(first.diagnostics.first?.sourceLine == "descripton: x")
    let second = try site.build()
    #expect(second.upToDate)
    #expect(second.diagnostics == first.diagnostics)
  }

  enum Change: String, CaseIterable {
    case editedText, sameSizeEditWithOldTimes, addedFile, removedFile, editedTemplate,
      addedThemeFile, editedConfig, drafts, baseURL, removedOutputFile, addedOutputFile
  }

  @Test(arguments: Change.allCases)
  func anyChangeMakesAFullBuild(_ change: Change) throws {
    let site = try TemporarySite()
    _ = try site.build()
    let fileManager = FileManager.default
    let jardins = site.root.appending(path: "content/cases/jardins.md")
    var drafts = false
    var baseURL: String?
    switch change {
    case .editedText:
      try site.write("content/cases/jardins.md", try String(contentsOf: jardins) + "\nAjout.\n")
    case .sameSizeEditWithOldTimes:
      // Rewritten in place with as many bytes, its modification time set back to the
      // nanosecond: only the change time tells.
      var before = stat()
      #expect(stat(jardins.path, &before) == 0)
      var text = Array(try String(contentsOf: jardins, encoding: .utf8).utf8)
      let last = text.lastIndex { $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "y") }!
      text[last] += 1
      let handle = try FileHandle(forWritingTo: jardins)
      try handle.write(contentsOf: Data(text))
      try handle.close()
      let times = [before.st_atim, before.st_mtim]
      #expect(utimensat(AT_FDCWD, jardins.path, times, 0) == 0)
      var after = stat()
      #expect(stat(jardins.path, &after) == 0)
      #expect(after.st_ino == before.st_ino && after.st_size == before.st_size)
      #expect(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
    case .addedFile:
      try site.write(
        "content/cases/nouveau.md",
        "---\ntitle: Nouveau\noutcome: success\nlocalities: [maroc]\n---\nTexte.\n")
    case .removedFile:
      try fileManager.removeItem(
        at: site.root.appending(path: "content/posts/2017-05-08-proximite.md"))
    case .editedTemplate:
      let base = site.root.appending(path: "themes/default/templates/base.html")
      try site.write(
        "themes/default/templates/base.html", try String(contentsOf: base) + "<!-- changed -->\n")
    case .addedThemeFile:
      try site.write("themes/default/assets/extra.css", "body { margin: 0 }\n")
    case .editedConfig:
      let config = site.root.appending(path: "proximus.yml")
      try site.write("proximus.yml", try String(contentsOf: config) + "\n")
    case .drafts:
      drafts = true
    case .baseURL:
      baseURL = "https://example.org/"
    case .removedOutputFile:
      try fileManager.removeItem(at: site.output.appending(path: "cases/jardins/index.html"))
    case .addedOutputFile:
      try Data("stray".utf8).write(to: site.output.appending(path: "cases/stray.html"))
    }
    let rebuilt = try site.build(drafts: drafts, baseURL: baseURL)
    #expect(!rebuilt.upToDate)
    #expect(rebuilt.timings.map(\.phase).contains("render"))
    // The full build puts the output back: what a build from scratch writes.
    let tree = try site.tree()
    _ = try site.buildFromScratch(drafts: drafts, baseURL: baseURL)
    #expect(try site.tree() == tree)
  }

  /// A failed build leaves the record as it was: the build after the fix still renders and
  /// writes only what changed.
  @Test func aFailedBuildKeepsTheRecord() throws {
    let site = try TemporarySite()
    let first = try site.build()
    try site.write("content/cases/casse.md", "---\ntitle: [\n---\n")
    _ = site.buildFailure()
    try FileManager.default.removeItem(at: site.root.appending(path: "content/cases/casse.md"))
    let jardins = site.root.appending(path: "content/cases/jardins.md")
    try site.write("content/cases/jardins.md", try String(contentsOf: jardins) + "\nAjout.\n")
    let fixed = try site.build()
    #expect(fixed.renderedPages > 0 && fixed.renderedPages < first.pageCount / 2)
    #expect(fixed.changedFiles < first.files / 2)
  }

  /// A language's search index made from the same documents as the last build's is carried
  /// over whole, as the record lists it; made from other documents, it is made again.
  @Test func anUnchangedSearchIndexIsCarriedOver() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let folder = OutputFolder(root: site.root, output: site.output)
    var record = try #require(folder.loadRecord())
    #expect(Set(record.manifest.folders.keys) == ["search/index/fr/", "search/index/en/"])
    // A record that forgets one file of the French index shows which index was carried over.
    let forgotten = "search/index/fr/manifest.json"
    record.manifest.files[forgotten] = nil
    record.inputs = nil
    folder.saveRecord(record)
    _ = try site.build()
    var tree = try site.tree()
    #expect(tree[forgotten] == nil)
    #expect(tree["search/index/en/manifest.json"] != nil)

    record = try #require(folder.loadRecord())
    record.manifest.folders["search/index/fr/"] = StableHasher.Digest(high: 1, low: 2)
    record.inputs = nil
    folder.saveRecord(record)
    _ = try site.build()
    tree = try site.tree()
    #expect(tree[forgotten] != nil)
  }

  /// When one file of a kept index is missing from the output, none is carried over and the
  /// index is made again in full.
  @Test func anIndexWithAMissingFileIsMadeAgain() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let expected = try site.tree()
    try FileManager.default.removeItem(
      at: site.output.appending(path: "search/index/fr/manifest.json"))
    let rebuilt = try site.build()
    #expect(!rebuilt.upToDate && rebuilt.diagnostics.isEmpty)
    #expect(try site.tree() == expected)
  }

  /// A symbolic link's target can change without its stamp changing: a site holding one is
  /// built in full every time.
  @Test func aSiteWithASymbolicLinkIsAlwaysBuiltInFull() throws {
    let site = try TemporarySite()
    try site.write("content/static/files/notes.txt", "Notes.\n")
    try FileManager.default.createSymbolicLink(
      atPath: site.root.appending(path: "content/static/notes.txt").path,
      withDestinationPath: "files/notes.txt")
    _ = try site.build()
    let second = try site.build()
    #expect(!second.upToDate)
    // Its record still lets the next build keep what did not change.
    #expect(second.renderedPages == 0 && second.changedFiles == 0)
    let folder = OutputFolder(root: site.root, output: site.output)
    #expect(try #require(folder.loadRecord()).inputs == nil)
  }

  @Test func aRecordReadsBackAsWritten() throws {
    let site = try TemporarySite()
    _ = try site.build()
    let folder = OutputFolder(root: site.root, output: site.output)
    let record = try #require(folder.loadRecord())
    #expect(record.inputs?.contains { $0.path == "content/cases/jardins.md" } == true)
    #expect(record.outputs.first?.path == "")
    #expect(record.outputs.contains { $0.path == "cases/jardins/index.html" })
    let page = try Data(contentsOf: site.output.appending(path: "cases/jardins/index.html"))
    #expect(record.manifest.files["cases/jardins/index.html"] == OutputFolder.signature(of: page))
    #expect(record.manifest.pages["cases/jardins/index.html"] != nil)
    #expect(record.manifest.pages["data/cases.json"] == nil)
    #expect(record.manifest.output == site.output.resolvingSymlinksInPath().path)
    #expect(BuildRecord(decoding: record.encoded()) == record)
    var withoutInputs = record
    withoutInputs.inputs = nil
    #expect(BuildRecord(decoding: withoutInputs.encoded()) == withoutInputs)
    let bytes = record.encoded()
    #expect(BuildRecord(decoding: bytes.dropLast()) == nil)
    #expect(BuildRecord(decoding: Data("proximus build record 1\n".utf8)) == nil)
    #expect(BuildRecord(decoding: Data()) == nil)
  }
}
