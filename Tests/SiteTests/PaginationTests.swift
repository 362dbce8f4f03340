import Foundation
import Testing

@testable import Site

@Suite struct PaginationTests {
  @Test func aShortListLinksEveryPage() {
    #expect(PageAssembler.paginationWindow(current: 1, total: 1) == [1])
    #expect(PageAssembler.paginationWindow(current: 3, total: 5) == [1, 2, 3, 4, 5])
  }

  @Test func aLongListLinksTheEndsAndTwoPagesEachSide() {
    #expect(PageAssembler.paginationWindow(current: 1, total: 5000) == [1, 2, 3, nil, 5000])
    #expect(
      PageAssembler.paginationWindow(current: 2500, total: 5000)
        == [1, nil, 2498, 2499, 2500, 2501, 2502, nil, 5000])
    #expect(
      PageAssembler.paginationWindow(current: 4999, total: 5000)
        == [1, nil, 4997, 4998, 4999, 5000])
  }

  /// Leaving out a single page would show an ellipsis as wide as the number it hides.
  @Test func aGapOfOnePageShowsThePage() {
    #expect(PageAssembler.paginationWindow(current: 5, total: 9) == [1, 2, 3, 4, 5, 6, 7, 8, 9])
    #expect(
      PageAssembler.paginationWindow(current: 6, total: 12) == [1, nil, 4, 5, 6, 7, 8, nil, 12])
  }

  @Test func aListPageLinksItsWindowWithGapsHiddenFromScreenReaders() throws {
    let site = try TemporarySite()
    // The embedded default theme, not the fixture's small one.
    try FileManager.default.removeItem(at: site.root.appending(path: "themes"))
    // Two cases per page (the fixture's `paginate`): 18 more cases make 10 pages in French.
    for number in 1...18 {
      try site.write(
        "content/cases/essai-\(number).md",
        "---\ntitle: Essai \(number)\ndate: 2020-01-\(10 + number)\noutcome: success\n"
          + "localities: [maroc]\n---\nTexte.\n")
    }
    _ = try site.build()
    let page = try site.read("cases/page/5/index.html")
    let links = page.components(separatedBy: "<nav class=\"pagination\"")[1]
      .components(separatedBy: "</nav>")[0]
      .components(separatedBy: "\n").filter { $0.hasPrefix("<li") }
      .map { line -> String in
        if line.contains("pagination-gap") { return "…" }
        if line.contains("rel=\"prev\"") { return "prev" }
        if line.contains("rel=\"next\"") { return "next" }
        let number = line.components(separatedBy: "</span>")[1].components(separatedBy: "<")[0]
        return line.contains("aria-current") ? "[\(number)]" : number
      }
    #expect(links == ["prev", "1", "2", "3", "4", "[5]", "6", "7", "…", "10", "next"])
    #expect(page.contains("<li class=\"pagination-gap\" aria-hidden=\"true\">…</li>"))
  }
}
