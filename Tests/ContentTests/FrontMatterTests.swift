import Diagnostics
import Foundation
import Testing

@testable import Content

@Suite struct FrontMatterTests {
  func parse(_ text: String, kind: DocumentKind = .caseStudy, file: String = "x.md")
    -> (Document?, [Diagnostic])
  {
    DocumentParser(kind: kind, languages: ["fr", "en"]).parse(
      text, path: "content/\(kind.rawValue)/\(file)", fileName: file)
  }

  @Test func splitsFrontMatterWithBOMAndCRLF() throws {
    let split = try FrontMatter.split("\u{FEFF}---\r\ntitle: A\r\n---\r\nBody\r\n")
    #expect(split.yaml == "title: A")
    #expect(split.body == "Body\n")
    #expect(split.bodyFirstLine == 4)
  }

  @Test func fencesAndLineNumbers() throws {
    let cases: [(text: String, yaml: String, body: String, bodyFirstLine: Int)] = [
      ("---\n---\nCorps\n", "", "Corps\n", 3),
      (
        "---\ntitre: Été\nlieu: « ici »\n...\nTexte ---\n---\n", "titre: Été\nlieu: « ici »",
        "Texte ---\n---\n", 5
      ),
      ("---\na: 1\n---", "a: 1", "", 4),
      ("---\na: ---x\n ---\n---\n", "a: ---x\n ---", "", 5),
      ("Pas de front matter\n---\n", "", "Pas de front matter\n---\n", 1),
      // A part starting or ending with a combining mark is cut at the fence's line break.
      ("---\n\u{301}a: é\u{301}\n---\n\u{301}x\u{301}", "\u{301}a: é\u{301}", "\u{301}x\u{301}", 4),
    ]
    for (text, yaml, body, bodyFirstLine) in cases {
      let split = try FrontMatter.split(text)
      #expect(split.yaml == yaml, "\(text)")
      #expect(split.body == body, "\(text)")
      #expect(split.bodyFirstLine == bodyFirstLine, "\(text)")
    }
    #expect(throws: Diagnostic.self) { try FrontMatter.split("---") }
    #expect(throws: Diagnostic.self) { try FrontMatter.split("---\na: 1\n-- -\n") }
  }

  @Test func unclosedFrontMatterIsAnErrorOnLineOne() {
    let (document, problems) = parse("---\ntitle: A\nBody\n")
    #expect(document == nil)
    #expect(problems.count == 1)
    #expect(problems[0].location == SourceLocation(file: "content/cases/x.md", line: 1, column: 1))
    #expect(problems[0].message.contains("never closed"))
  }

  @Test func malformedYAMLNamesTheLine() {
    let (document, problems) = parse("---\ntitle: A\nauthors: [x\n---\n")
    #expect(document == nil)
    #expect(problems.first?.location?.file == "content/cases/x.md")
    #expect(problems.first?.location?.line == 4)
    #expect(problems.first?.message.hasPrefix("invalid YAML") == true)
  }

  @Test func tabsInIndentationAreReported() {
    let (_, problems) = parse("---\ntitle: A\nfactors:\n\tsuccess: [a]\n---\n")
    #expect(problems.first?.location?.line == 4)
  }

  @Test func wrongTypesAreErrorsAtTheValue() {
    let (document, problems) = parse("---\ntitle: [1, 2]\nstarted: soon\n---\n")
    #expect(document?.title == "")
    #expect(problems.map(\.location?.line) == [2, 3])
    #expect(problems[0].message == "'title' must be a text, not a list or a mapping")
    #expect(problems[1].location?.column == 10)
  }

  @Test(arguments: [
    ("2017-05-08", "2017-05-08"), ("\"2017-05-08\"", "2017-05-08"),
    ("2017-05-08 10:30:00 +0200", "2017-05-08"), ("2017-05-08T23:30:00Z", "2017-05-08"),
    ("2017-05-08 23:30", "2017-05-08"), ("2017-05-09T00:30:00+02:00", "2017-05-08"),
  ])
  func jekyllDateForms(written: String, day: String) throws {
    let (document, problems) = parse("---\ntitle: A\ndate: \(written)\n---\n", kind: .post)
    #expect(problems.isEmpty)
    #expect(document?.date.map(DateParser.isoDay) == day)
  }

  /// Days are counted as Foundation's Gregorian calendar counts them, and the days a month does
  /// not have are refused as it refuses them.
  @Test func datesAgreeWithFoundationsCalendar() {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    for year in [1583, 1600, 1700, 1899, 1900, 1969, 1970, 1999, 2000, 2023, 2024, 2100, 9999] {
      for month in 1...12 {
        for day in 1...31 {
          let components = DateComponents(
            calendar: calendar, timeZone: calendar.timeZone, year: year, month: month, day: day)
          let expected = components.isValidDate ? components.date : nil
          #expect(DateParser.date(year: year, month: month, day: day) == expected)
          if let expected {
            #expect(
              DateParser.isoDay(expected) == String(format: "%04d-%02d-%02d", year, month, day))
          }
        }
      }
    }
    #expect(
      DateParser.parse("2024-02-29 23:59:59 -01:30") == Date(timeIntervalSince1970: 1_709_256_599))
    #expect(DateParser.parse("2024-02-30") == nil)
    #expect(DateParser.parse("2024-02-28 24:00") == nil)
    // Before 1583, Foundation's calendar is Julian: 1300 has a 29 February.
    #expect(DateParser.parse("1300-02-29") != nil)
  }

  @Test func invalidDateIsAnError() {
    let (_, problems) = parse("---\ntitle: A\ndate: 2017-13-45\n---\n")
    #expect(problems.first?.message.contains("not a date") == true)
  }

  @Test func authorsAsStringOrList() {
    #expect(parse("---\ntitle: A\nauthors: Olivier Lebel\n---\n").0?.authors == ["Olivier Lebel"])
    #expect(parse("---\ntitle: A\nauthors: [A, B]\n---\n").0?.authors == ["A", "B"])
    #expect(parse("---\ntitle: A\nauthor: C\n---\n", kind: .post).0?.authors == ["C"])
  }

  @Test func postSlugAndDateComeFromTheFileNameUnlessFrontMatterSaysOtherwise() {
    let fromName = parse("---\ntitle: A\n---\n", kind: .post, file: "2017-05-08-mon-article.md").0
    #expect(fromName?.slug == "mon-article")
    #expect(fromName.flatMap(\.date).map(DateParser.isoDay) == "2017-05-08")
    let fromFrontMatter = parse(
      "---\ntitle: A\nslug: autre\ndate: \"2018-01-02\"\n---\n", kind: .post,
      file: "2017-05-08-mon-article.md"
    ).0
    #expect(fromFrontMatter?.slug == "autre")
    #expect(fromFrontMatter.flatMap(\.date).map(DateParser.isoDay) == "2018-01-02")
  }

  @Test func languageSuffixOfTheFileName() {
    let document = parse("---\ntitle: A\n---\n", file: "incredible-edible.en.md").0
    #expect(document?.slug == "incredible-edible")
    #expect(document?.language == "en")
  }

  @Test func caseFieldsAreRead() throws {
    let text = """
      ---
      title: Jardins
      started: 2008
      ended: 2012
      status: ended
      outcome: success
      topics: [alimentation]
      factors:
        success: [ancrage-local]
        failure: [epuisement]
      localities: [todmorden]
      links:
        - {title: Site, url: "https://example.org/"}
      ---
      Texte
      """
    let document = try #require(parse(text).0)
    let details = try #require(document.details)
    #expect(details.started == 2008 && details.ended == 2012)
    #expect(details.outcome == "success" && details.status == "ended")
    #expect(details.topics.map(\.text) == ["alimentation"])
    #expect(details.successFactors.map(\.text) == ["ancrage-local"])
    #expect(details.failureFactors.first?.line == 10)
    #expect(details.links == [SourceLink(title: "Site", url: "https://example.org/")])
    #expect(document.bodyFirstLine == 15)
  }

  @Test func unknownOutcomeIsAnError() {
    let (_, problems) = parse("---\ntitle: A\noutcome: great\n---\n")
    #expect(
      problems.first?.message
        == "'outcome' must be one of success, mixed, failure, ongoing, not 'great'")
  }

  @Test func misspeltKeyIsAWarningAndOtherKeysAreKept() {
    let (document, problems) = parse("---\ntitle: A\nlocalites: [x]\nbudget: 12\n---\n")
    #expect(problems.count == 1)
    #expect(problems[0].severity == .warning)
    #expect(problems[0].message == "unknown key 'localites'; did you mean 'localities'?")
    #expect(document?.extra.map(\.key) == ["localites", "budget"])
  }

  @Test(arguments: ["a/b", "..", "../x", "a b", "x\u{7}"])
  func unsafeSlugsAreErrors(slug: String) {
    let escaped = slug.replacingOccurrences(of: "\u{7}", with: "\\a")
    let (document, problems) = parse("---\ntitle: A\nslug: \"\(escaped)\"\n---\n")
    #expect(problems.allSatisfy { $0.severity == .error } && document != nil)
    #expect(problems.first?.message.hasPrefix("slug") == true)
  }

  @Test func aliasBombIsRefused() {
    var yaml = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for level in 1...8 {
      let previous = level == 1 ? "a" : "l\(level - 1)"
      yaml +=
        "l\(level): &l\(level) ["
        + Array(repeating: "*\(previous)", count: 10).joined(separator: ", ") + "]\n"
    }
    let start = Date()
    let (document, problems) = parse("---\ntitle: A\n\(yaml)---\n")
    #expect(document == nil)
    #expect(problems.first?.message.contains("more than") == true)
    #expect(Date().timeIntervalSince(start) < 2)
  }

  @Test func deepNestingIsRefused() {
    let yaml = "deep: " + String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
    let (_, problems) = parse("---\ntitle: A\n\(yaml)\n---\n")
    #expect(problems.first?.message.contains("nested more than") == true)
  }
}
