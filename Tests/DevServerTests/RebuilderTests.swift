import Foundation
import Site
import Testing

@testable import DevServer

/// The rebuild queue of `serve`, on a small site with the default theme: after every change
/// and once the background refresh is done, it serves exactly what a whole build makes.
@Suite struct RebuilderTests {
  let root: URL

  init() throws {
    root = FileManager.default.temporaryDirectory.appending(
      path: "proximus-rebuilder-\(UUID().uuidString)")
    try write("proximus.yml", "title: Essai\nbase_url: https://example.org/\n")
    try write(
      "content/data/localities.csv", "id,name,region,country,lat,lon\nlyon,Lyon,,FR,45.76,4.84\n")
    for (slug, date) in [("alpha", "2020-01-01"), ("beta", "2021-01-01"), ("gamma", "2022-01-01")] {
      try write(
        "content/cases/\(slug).md",
        "---\ntitle: Cas \(slug)\ndate: \(date)\noutcome: success\nlocalities: [lyon]\n---\nTexte de \(slug).\n"
      )
    }
  }

  func write(_ path: String, _ text: String) throws {
    let url = root.appending(path: path)
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
  }

  func wholeBuild() throws -> [String: Data] {
    let site = try SiteBuilder(options: BuildOptions(root: root)).generate()
    return Dictionary(site.files.map { ($0.path, $0.contents) }, uniquingKeysWith: { a, _ in a })
  }

  @Test func servesWhatAWholeBuildMakesAfterEachChange() async throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let outcomes = OutcomeLog()
    let rebuilder = Rebuilder(options: BuildOptions(root: root), quietTime: .milliseconds(20)) {
      outcome, _ in
      await outcomes.append(outcome)
    }
    await rebuilder.rebuild()
    #expect(await rebuilder.settled().files == (try wholeBuild()))

    // A text edit: the pages showing the case are made again, the search index follows.
    try write(
      "content/cases/beta.md",
      "---\ntitle: Cas beta\ndate: 2021-01-01\noutcome: success\nlocalities: [lyon]\n---\nUn autre texte, plus long, pour beta.\n"
    )
    await rebuilder.rebuild(changed: ["content/cases/beta.md"])
    let edited = await rebuilder.settled()
    #expect(edited.errors.isEmpty)
    #expect(edited.files == (try wholeBuild()))
    let page = String(decoding: edited.files["cases/beta/index.html"] ?? Data(), as: UTF8.self)
    #expect(page.contains("Un autre texte, plus long, pour beta."))

    // Broken front matter: the errors are kept and the last good site is still served.
    try write("content/cases/beta.md", "---\ntitle: [\n---\nTexte.\n")
    await rebuilder.rebuild(changed: ["content/cases/beta.md"])
    let broken = await rebuilder.settled()
    #expect(broken.errors.contains { $0.location?.file == "content/cases/beta.md" })
    #expect(broken.files == edited.files)

    // Fixed: the errors go and the site matches a whole build again.
    try write(
      "content/cases/beta.md",
      "---\ntitle: Cas beta\ndate: 2021-01-01\noutcome: success\nlocalities: [lyon]\n---\nTexte corrigé.\n"
    )
    await rebuilder.rebuild(changed: ["content/cases/beta.md"])
    let fixed = await rebuilder.settled()
    #expect(fixed.errors.isEmpty)
    #expect(fixed.files == (try wholeBuild()))
    #expect(fixed.generation > broken.generation)

    // A new case runs every phase; the search index follows in the background.
    try write(
      "content/cases/delta.md",
      "---\ntitle: Cas delta\ndate: 2023-01-01\noutcome: failure\nlocalities: [lyon]\n---\nTexte de delta.\n"
    )
    await rebuilder.rebuild(changed: ["content/cases/delta.md"])
    #expect(await rebuilder.settled().files == (try wholeBuild()))
    let kinds = await outcomes.kinds
    #expect(kinds == ["built", "built", "failed", "built", "built"])
  }
}

actor OutcomeLog {
  private(set) var kinds: [String] = []

  func append(_ outcome: BuildOutcome) {
    switch outcome {
    case .built: kinds.append("built")
    case .failed: kinds.append("failed")
    }
  }
}
