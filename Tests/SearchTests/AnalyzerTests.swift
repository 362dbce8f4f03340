import Foundation
import Testing

@testable import Search

@Suite struct AnalyzerTests {
  private struct AnalysisCase: Decodable {
    var lang: String
    var text: String
    var terms: [String]
    var indexTerms: [String]
  }

  /// The same file is checked by Tests/js/analyzer.test.mjs: both analyzers must agree.
  @Test func sharedCasesMatchTheJavaScriptAnalyzer() throws {
    let data = try Data(
      contentsOf: TestPaths.fixtures.appendingPathComponent("analysis-cases.json"))
    let cases = try JSONDecoder().decode([AnalysisCase].self, from: data)
    #expect(!cases.isEmpty)
    for item in cases {
      let analyzer = Analyzer(language: item.lang)
      #expect(analyzer.terms(item.text) == item.terms, "\(item.text)")
      #expect(analyzer.indexTerms(item.text) == item.indexTerms, "\(item.text)")
    }
  }

  @Test func accentedAndUnaccentedSpellingsMeet() {
    let french = Analyzer(language: "fr")
    #expect(french.terms("réseaux") == french.terms("reseaux"))
    #expect(french.terms("économie") == french.terms("economie"))
    #expect(french.terms("réseaux économie") == ["reseau", "econom"])
    #expect(french.indexTerms("activité") == ["activ", "activit"])
    #expect(french.terms("activite") == ["activit"])
  }

  @Test func elisionsStopWordsAndApostrophes() {
    let french = Analyzer(language: "fr")
    #expect(
      french.terms("L’économie de l'Île-de-France, jusqu'à aujourd'hui")
        == ["econom", "ile", "franc", "aujourd'hui"])
  }

  @Test func decomposedInputIsNormalised() {
    let french = Analyzer(language: "fr")
    #expect(french.terms("re\u{301}seaux") == ["reseau"])
  }

  /// The check reads eight ASCII bytes at a time: marks before, inside and after such runs.
  @Test func textThatNFCWouldChangeIsFound() {
    for (text, changes) in [
      ("jardins partagés", false), ("jardins partage\u{301}s", true),
      ("a\u{301}", true), ("abcdefgh\u{301}", true), ("abcdefghijklmnopq\u{301}", true),
      ("\u{301}abcdefghijklmnop", true), ("\u{2126} abcdefgh", true), ("été à Paris, 2024", false),
    ] {
      #expect(Analyzer.mayChangeUnderNFC(text) == changes, "\(text)")
    }
  }
}

@Suite struct StemCacheTests {
  @Test func givesTheAnalyzersResultsAndAnalysesEachWordOnce() {
    let french = Analyzer(language: "fr")
    let cache = StemCache()
    let words = ["activité", "réseaux", "les", "jardins", "activité", "les"].map(scalars)
    for word in words {
      #expect(cache.analysis(of: word, by: french) == french.analyse(word))
    }
    #expect(cache.analysis(of: scalars("activité"), by: french)?.term == "activ")
    #expect(cache.analysis(of: scalars("activité"), by: french)?.unaccentedVariant == "activit")
    #expect(cache.analysis(of: scalars("les"), by: french) == nil)
    #expect(cache.count == 4)
  }
}
