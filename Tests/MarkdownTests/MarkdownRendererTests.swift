import Diagnostics
import Foundation
import Testing
import TextRules

@testable import Markdown

@Suite struct MarkdownRendererTests {
  let renderer = MarkdownRenderer()

  @Test func footnotesAreRenderedWithBackLinksInThePageLanguage() throws {
    let source = "Texte[^1].\n\n[^1]: Une note.\n"
    let french = try renderer.render(source, language: "fr").html
    #expect(
      french == """
        <p>Texte<sup class="footnote-ref"><a href="#fn-1" id="fnref-1" data-footnote-ref>1</a></sup>.</p>
        <section class="footnotes" data-footnotes>
        <ol>
        <li id="fn-1">
        <p>Une note. <a href="#fnref-1" class="footnote-backref" data-footnote-backref aria-label="Retour au texte">↩</a></p>
        </li>
        </ol>
        </section>

        """)
    let english = try renderer.render(source, language: "en").html
    #expect(english.contains("aria-label=\"Back to content\""))
  }

  @Test func tablesUseStyleAttributesForAlignment() throws {
    let html = try renderer.render("| a | b |\n|---|--:|\n| 1 | 2 |\n").html
    #expect(
      html == """
        <table>
        <thead>
        <tr>
        <th>a</th>
        <th style="text-align: right">b</th>
        </tr>
        </thead>
        <tbody>
        <tr>
        <td>1</td>
        <td style="text-align: right">2</td>
        </tr>
        </tbody>
        </table>

        """)
  }

  @Test func strikethroughAutolinksAndTaskLists() throws {
    let html = try renderer.render("~~barré~~ https://example.org\n\n- [x] fait\n- [ ] à faire\n")
      .html
    #expect(
      html == """
        <p><del>barré</del> <a href="https://example.org">https://example.org</a></p>
        <ul>
        <li><input type="checkbox" checked="" disabled="" /> fait</li>
        <li><input type="checkbox" disabled="" /> à faire</li>
        </ul>

        """)
  }

  @Test func safeModeDropsRawHTMLAndJavascriptLinks() throws {
    let html = try renderer.render(
      "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b>b</b>\n"
    )
    .html
    #expect(
      html == """
        <!-- raw HTML omitted -->
        <p><a href="">x</a> <!-- raw HTML omitted -->b<!-- raw HTML omitted --></p>

        """)
  }

  @Test func unsafeModeKeepsRawHTMLButFiltersDangerousTags() throws {
    let unsafe = MarkdownRenderer(options: MarkdownOptions(unsafeHTML: true))
    let html = try unsafe.render("<b>gras</b> <script>x</script>\n").html
    #expect(html == "<p><b>gras</b> &lt;script>x&lt;/script></p>\n")
  }

  @Test func headingsGetUniqueAnchorIDs() throws {
    let rendered = try renderer.render("## Les Éléments *clés*\n\n## Les éléments clés\n\n# Main\n")
    #expect(
      rendered.html == """
        <h2 id="les-elements-cles">Les Éléments <em>clés</em></h2>
        <h2 id="les-elements-cles-1">Les éléments clés</h2>
        <h1 id="main-1">Main</h1>

        """)
    #expect(
      rendered.headings == [
        Heading(level: 2, text: "Les Éléments clés", id: "les-elements-cles"),
        Heading(level: 2, text: "Les éléments clés", id: "les-elements-cles-1"),
        Heading(level: 1, text: "Main", id: "main-1"),
      ])
  }

  @Test func plainTextSeparatesBlocksAndDropsMarkup() throws {
    let rendered = try renderer.render("# Titre\n\nUn *texte*\nsur deux lignes.\n\n- un\n- deux\n")
    #expect(rendered.plainText == "Titre\nUn texte sur deux lignes.\nun\ndeux\n")
  }

  @Test func plainTextOfTablesKeepsCellsApartAndRowsOnTheirLines() throws {
    let rendered = try renderer.render("| a | b |\n|---|---|\n| 1 | 2 |\n")
    #expect(rendered.plainText == "a b \n1 2 \n")
  }

  @Test func rootRelativeLinksFollowTheBasePath() throws {
    let renderer = MarkdownRenderer(options: MarkdownOptions(basePath: "/portail/"))
    let rendered = try renderer.render(
      "[a](/cases/x/) [b](//cdn.example/x) [c](https://e.org/) ![i](/img.png)\n")
    #expect(
      rendered.links == [
        "/portail/cases/x/", "//cdn.example/x", "https://e.org/", "/portail/img.png",
      ])
    #expect(rendered.html.contains("<a href=\"/portail/cases/x/\">a</a>"))
  }

  /// Each class of cmark-gfm's quadratic inputs, as (repeated unit, repetitions, suffix).
  @Test(arguments: [
    ("![[]()", 40_000, ""),
    ("![x[]()", 20_000, ""),
    ("a <![CDATA[", 20_000, ""),
    ("a <?", 40_000, ""),
    ("[a](<!x ", 30_000, ""),
    (" x |", 5_000, "\n|---|"),
    (">", 50_000, " deep"),
    ("- ", 20_000, "list"),
  ])
  func pathologicalInputIsRefusedQuickly(unit: String, count: Int, suffix: String) {
    let source = String(repeating: unit, count: count) + suffix
    let start = Date()
    #expect(throws: Diagnostic.self) { try renderer.render(source) }
    #expect(Date().timeIntervalSince(start) < 2)
  }

  @Test func oversizedDocumentsAreRefused() {
    let source = String(repeating: "a", count: MarkdownRenderer.maximumDocumentSize + 1)
    #expect(throws: Diagnostic.self) { try renderer.render(source) }
  }
}

@Suite struct PathologicalInputTests {
  @Test func ordinaryDocumentsPass() {
    let rule = String(repeating: "-", count: 300)
    let nested = "> > quote\n\n- a\n  - b\n    - c\n"
    let table = "|" + String(repeating: " x |", count: 40)
    #expect(PathologicalInput.scan("\(rule)\n\n\(nested)\n\(table)\n") == nil)
  }

  @Test func theRefusalNamesLineAndColumn() {
    let source = "ok\n" + String(repeating: "> ", count: 101) + "x"
    let problem = PathologicalInput.scan(source)
    #expect(problem?.location?.line == 2)
    #expect(problem?.location?.column == 201)
  }

  /// The byte test and the eight-byte test agree with the bytes the scan's cases count, for
  /// every byte and every position among eight.
  @Test func bothByteTestsKnowTheCountedBytes() {
    let counted: Set<UInt8> = [0x0A, 0x5B, 0x21, 0x3F, 0x7C]  // \n [ ! ? |
    for byte in UInt8.min...UInt8.max {
      #expect(PathologicalInput.isCounted(byte) == counted.contains(byte), "\(byte)")
      for position in 0..<8 {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 8)
        bytes[position] = byte
        let word = bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(PathologicalInput.holdsCounted(word) == counted.contains(byte), "\(byte)")
      }
    }
  }

  /// Text without counted bytes is skipped eight bytes at a time: each limit is still found,
  /// at the same column, wherever the counted bytes fall in those eight.
  @Test func countedBytesAreFoundAtEveryOffset() {
    let text = "Un texte é ordinaire, sans rien de spécial, assez long"
    for length in 0..<20 {
      let prose = String(decoding: text.utf8.prefix(length), as: UTF8.self)
      let width = prose.utf8.count
      let columns = PathologicalInput.maximumTableColumns + 1
      let pipes = PathologicalInput.scan(prose + String(repeating: "|", count: columns))
      #expect(pipes?.location?.column == width + columns, "\(length)")
      let brackets = PathologicalInput.maximumBracketOpeners + 1
      let links = PathologicalInput.scan(prose + String(repeating: "a[", count: brackets))
      #expect(links?.location?.column == width + 2 * brackets, "\(length)")
      let openers = PathologicalInput.maximumMarkupOpeners + 1
      let markup = PathologicalInput.scan(prose + String(repeating: "x<?", count: openers))
      #expect(markup?.location?.column == width + 3 * openers, "\(length)")
      let nextLine = PathologicalInput.scan(prose + "\n" + String(repeating: "|", count: columns))
      #expect(nextLine?.location?.line == 2 && nextLine?.location?.column == columns, "\(length)")
    }
  }
}

@Suite struct FootnoteLabelTests {
  @Test func replacesEveryOccurrenceOnBytes() {
    func replacing(_ text: String, with replacement: String = "X") -> String {
      text.withCString { FootnoteLabels.replacing("ab", with: replacement, in: $0) }
    }
    #expect(replacing("ab é ab") == "X é X")
    #expect(replacing("aab") == "aX")
    #expect(replacing("a") == "a")
    #expect(replacing("") == "")
    #expect(replacing("ba") == "ba")
    #expect(replacing("abab", with: "é") == "éé")
    #expect("abab".withCString { FootnoteLabels.replacing("", with: "X", in: $0) } == "abab")
  }
}

@Suite struct HeadingSlugTests {
  @Test func asciiAndAccentedHeadingsFoldAlike() {
    #expect(DocumentWalker.slug("Why It Worked: 2 Lessons!") == "why-it-worked-2-lessons")
    #expect(DocumentWalker.slug("Été à Paris — BILAN") == "ete-a-paris-bilan")
    #expect(DocumentWalker.slug("ÉTÉ") == DocumentWalker.slug("ete"))
    #expect(DocumentWalker.slug("--") == "")
  }

  /// ASCII text takes a byte path; every printable ASCII character must give the slug that
  /// Foundation's folding gives.
  @Test func asciiPathAgreesWithTheUnicodePath() {
    for byte in UInt8(0x20)...UInt8(0x7E) {
      let text = "a" + String(UnicodeScalar(byte)) + "B"
      #expect(DocumentWalker.slug(text) == Slug.folded(text), "\(text)")
    }
  }

  /// Latin text takes a table path: every character of U+0080…U+024F and of the General
  /// Punctuation block that it handles, alone, between letters, after a separator and in
  /// capitals, must give the slug Foundation's folding gives; other characters are left to the
  /// folding.
  @Test func latinPathAgreesWithTheUnicodePath() {
    var handled = 0
    for value in Array(UInt32(0x80)...UInt32(0x24F)) + Array(UInt32(0x2000)...UInt32(0x206F)) {
      guard let scalar = Unicode.Scalar(value) else { continue }
      for text in ["\(scalar)", "a\(scalar)b", "A \(scalar)B", "1\(scalar)\(scalar)é"] {
        guard let slug = DocumentWalker.latinSlug(text) else { continue }
        handled += 1
        #expect(slug == Slug.folded(text), "U+\(String(value, radix: 16)) \(text)")
      }
    }
    #expect(handled >= 50 * 4)
    let heading = "Élan, « défi » – l’été d’Ôlïa : “Où ?” … À Noël\u{A0}—\u{A0}ÇA"
    #expect(DocumentWalker.latinSlug(heading) == "elan-defi-l-ete-d-olia-ou-a-noel-ca")
    #expect(DocumentWalker.latinSlug(heading) == Slug.folded(heading))
    #expect(DocumentWalker.latinSlug("Œuvre") == nil)
    #expect(DocumentWalker.slug("Œuvre") == Slug.folded("Œuvre"))
  }

  @Test func headingTextIsTrimmed() {
    func trimmed(_ text: String) -> String { DocumentWalker.trimmed(Array(text.utf8)[...]) }
    #expect(trimmed("  Title \t") == "Title")
    #expect(trimmed("\u{A0}Titre\u{A0}") == "Titre")
    #expect(trimmed("Été — a b") == "Été — a b")
    #expect(trimmed("   ") == "")
    // As Foundation trims `.whitespaces`, for every white space and format character around
    // text, on either side.
    let spaces: [UInt32] =
      [0x09, 0x0A, 0x0B, 0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x180E, 0x200B, 0x200C, 0x200D]
      + Array(0x2000...0x200A) + [0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF]
    for value in spaces {
      let space = String(Unicode.Scalar(value)!)
      for text in [space + "Été" + space, space + "x", "é" + space, space + space] {
        #expect(
          trimmed(text) == text.trimmingCharacters(in: .whitespaces),
          "U+\(String(value, radix: 16))")
      }
    }
  }
}
