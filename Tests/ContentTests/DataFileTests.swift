import Diagnostics
import Foundation
import Testing

@testable import Content

@Suite struct LocalityTableTests {
  let header = "id,name,country,region,lat,lon\n"

  @Test func readsRowsAndKeepsExtraColumns() {
    let (rows, problems) = LocalityLoader.load(
      "id,name,country,region,lat,lon,population\ncergy,Cergy,fr,Île-de-France,49.0364,2.0761,\"66,000\"\n",
      path: "content/data/localities.csv")
    #expect(problems.isEmpty)
    #expect(rows.count == 1)
    #expect(rows[0].country == "FR")
    #expect(rows[0].extra == ["population": "66,000"])
    #expect(rows[0].line == 2)
  }

  /// Fields lose surrounding spaces and tabs (not other characters), CRLF and lone CR line ends
  /// are read as LF (as in front matter), and ids are checked as slugs.
  @Test func fieldsAreTrimmedAndIDsChecked() {
    let (rows, problems) = LocalityLoader.load(
      "\u{FEFF}" + header
        + " a ,\tÎle\u{A0}Verte\u{2003},fr, ,1, 2\r\nb,B,FR,,1,2\rc d,C,FR,,1,2\n"
        + "e\u{7},E,FR,,1,2\nf\u{85},F,FR,,1,2\ng#,G,FR,,1,2\n",
      path: "l.csv")
    #expect(rows.map(\.id) == ["a", "b"])
    #expect(rows.first?.name == "Île\u{A0}Verte")
    #expect(rows.first?.region == "")
    #expect(rows.first?.longitude == 2)
    #expect(
      problems.map(\.message) == [
        "locality id 'c d' must not contain spaces (use '-')",
        "locality id 'e\u{7}' must not contain control characters",
        "locality id 'f\u{85}' must not contain control characters",
        "locality id 'g#' must not contain ? # % quotes or angle brackets",
      ])
  }

  /// Bad quoting past the first row is found too (the rows are read once, after the header).
  @Test func malformedQuotingNamesTheLine() {
    let (rows, problems) = LocalityLoader.load(
      header + "a,A,FR,,1,2\nb,\"B\"x,FR,,1,2\n", path: "content/data/localities.csv")
    #expect(rows.isEmpty)
    #expect(problems.map(\.location?.line) == [3])
    #expect(problems.first?.message.contains("malformed CSV quoting") == true)
  }

  @Test func wrongColumnCountNamesTheLine() {
    let (_, problems) = LocalityLoader.load(
      header + "a,A,FR,,1,2\nb,B,FR,1,2\n", path: "content/data/localities.csv")
    #expect(problems.map(\.location?.line) == [3])
    #expect(problems[0].message == "this row has 5 columns; the header has 6")
  }

  @Test func badCoordinatesAndCountriesAreErrors() {
    let (rows, problems) = LocalityLoader.load(
      header + "a,A,FR,,91,2\nb,B,FR,,1,east\nc,C,XX,,1,2\n", path: "l.csv")
    #expect(rows.map(\.id) == ["c"])
    #expect(problems.map(\.location?.line) == [2, 3, 4])
    #expect(problems[0].message.hasPrefix("latitude '91'"))
    #expect(problems[2].message.contains("'XX' is not an ISO 3166-1"))
  }

  @Test func duplicateIDsAreErrors() {
    let (_, problems) = LocalityLoader.load(header + "a,A,FR,,1,2\na,B,FR,,1,2\n", path: "l.csv")
    #expect(problems.first?.message == "duplicate locality id 'a' (first on line 2)")
    #expect(problems.first?.location?.line == 3)
  }

  @Test func unclosedQuoteNamesTheLineItOpens() {
    let (_, problems) = LocalityLoader.load(header + "a,A,FR,,1,2\nb,\"B,FR,,1,2\n", path: "l.csv")
    #expect(problems.first?.location?.line == 3)
  }

  @Test func quoteInsideAnUnquotedFieldIsAnError() {
    let (_, problems) = LocalityLoader.load(
      header + "a,A,FR,,1,2\nb,B\"x\",FR,,1,2\n", path: "l.csv")
    #expect(problems.first?.location?.line == 3)
    #expect(problems.first?.message.contains("quoting") == true)
  }

  @Test func fuzzedInputNeverCrashes() {
    var generator = SplitMix(seed: 42)
    let alphabet = Array("ab,\"\n\r 1.-é\u{0}")
    for _ in 0..<2_000 {
      let length = Int(generator.next() % 60)
      let text = String(
        (0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
      _ = LocalityLoader.load(header + text, path: "l.csv")
      _ = try? FrontMatter.split("---\n" + text)
      _ = try? YAMLNode.parse(text)
    }
  }
}

@Suite struct CountryTests {
  /// Every code is found in any case, by its letters, as the table has it.
  @Test func codesAreFoundInAnyCase() {
    for country in Country.table {
      #expect(Country.named(code: country.code) == country)
      #expect(Country.named(code: country.code.lowercased()) == country)
      let mixed = country.code.prefix(1) + country.code.dropFirst().lowercased()
      #expect(Country.named(code: String(mixed)) == country)
    }
    #expect(Country.named(code: "fr")?.name(in: "FR") == "France")
    for unknown in ["", "F", "FRA", "F1", "É1", "f r", "ZZ"] {
      #expect(Country.named(code: unknown) == nil, "\(unknown)")
    }
  }
}

@Suite struct VocabularyTests {
  @Test func duplicateFactorsAcrossGroupsAreErrors() throws {
    let yaml = """
      success:
        - id: a
          label: {fr: "A", en: "A"}
      failure:
        - id: a
          label: {fr: "A", en: "A"}
      """
    var problems: [Diagnostic] = []
    let factors = VocabularyLoader.factors(
      try #require(try YAMLNode.parse(yaml)), diagnostics: &problems)
    #expect(factors.count == 1)
    #expect(problems.first?.message == "duplicate factor id 'a' (first defined on line 2)")
    #expect(problems.first?.location?.line == 5)
  }

  @Test func labelsPerLanguage() throws {
    var problems: [Diagnostic] = []
    let topics = VocabularyLoader.topics(
      try #require(try YAMLNode.parse("- id: food\n  label: {fr: Alimentation, en: Food}\n")),
      diagnostics: &problems)
    #expect(topics.first?.label.text(in: "en") == "Food")
    #expect(topics.first?.label.text(in: "fr") == "Alimentation")
    #expect(topics.first?.label.text(in: "de") == "Alimentation")
  }
}

@Suite struct ConfigTests {
  @Test func defaultsWhenAbsent() {
    let (config, problems) = SiteConfig.load("", path: "proximus.yml")
    #expect(problems.isEmpty)
    #expect(config.languages == ["fr", "en"])
    #expect(config.theme == "default")
    #expect(config.license == "CC-BY-SA-4.0")
    #expect(config.paginate == 50)
    #expect(config.unsafeHTML == false)
    #expect(config.baseURL == "http://localhost:8000/")
    #expect(config.hasExplicitBaseURL == false)
    #expect(config.basePath == "/")
  }

  @Test func everyKeyIsRead() {
    let (config, problems) = SiteConfig.load(
      """
      title: Portail
      base_url: https://example.org/portail
      languages: [en, fr]
      theme: sobre
      license: CC-BY-4.0
      edit_url: https://git.example/edit/main/
      unsafe_html: true
      paginate: 20
      """, path: "proximus.yml")
    #expect(problems.isEmpty)
    #expect(config.baseURL == "https://example.org/portail/")
    #expect(config.basePath == "/portail/")
    #expect(config.defaultLanguage == "en")
    #expect(config.theme == "sobre" && config.license == "CC-BY-4.0" && config.unsafeHTML)
    #expect(config.paginate == 20 && config.title == "Portail")
    #expect(config.editURL == "https://git.example/edit/main/")
  }

  @Test func badValuesAreErrorsWithLines() {
    let (_, problems) = SiteConfig.load(
      "base_url: /relative\npaginate: 0\ntitel: x\n", path: "proximus.yml")
    #expect(problems.map(\.location?.line) == [1, 2, 3])
    #expect(problems[2].severity == .warning)
  }
}

/// A small seeded generator, so fuzz tests are the same on every run.
struct SplitMix {
  var state: UInt64

  init(seed: UInt64) { state = seed }

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var value = state
    value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
    value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
    return value ^ (value >> 31)
  }
}
