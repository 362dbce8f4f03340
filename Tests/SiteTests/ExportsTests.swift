import Foundation
import Search
import Testing

@testable import Site

@Suite struct ExportsTests {
  /// One record as `/data/cases.json` holds it: keys sorted, nil fields left out, quotes,
  /// backslashes and control characters escaped, slashes and accents as they are.
  @Test func aCaseRecordIsWrittenAsSortedJSON() {
    let record = Exports.CaseRecord(
      slug: "x", lang: "fr", title: "Dit \"oui\" \\ é\n", url: "https://e.org/cases/x/",
      description: nil, date: "2020-01-02", authors: ["A"], started: 2001, ended: nil,
      status: "active", outcome: nil, topics: [], successFactors: ["a"], failureFactors: [],
      localities: ["l"], countries: ["FR"], links: [.init(title: "S", url: "https://s/")],
      translationOf: nil)
    var json = JSONWriter()
    record.write(to: &json)
    #expect(
      String(decoding: json.data, as: UTF8.self)
        == #"{"authors":["A"],"countries":["FR"],"date":"2020-01-02","failure_factors":[],"#
        + #""lang":"fr","links":[{"title":"S","url":"https://s/"}],"localities":["l"],"#
        + #""slug":"x","started":2001,"status":"active","success_factors":["a"],"#
        + #""title":"Dit \"oui\" \\ é\n","topics":[],"url":"https://e.org/cases/x/"}"#)
  }

  /// A CSV field is quoted only when it must be, with inner quotes doubled; `#` is quoted too,
  /// as a line starting with it is the license comment.
  @Test func csvFieldsAreQuotedWhenTheyMustBe() {
    var csv: [UInt8] = []
    for field in ["plain é", "a,b", "say \"hi\"", "two\nlines", "cr\r", "#tag", ""] {
      Exports.appendCSVField(field, to: &csv)
      csv.append(UInt8(ascii: "|"))
    }
    #expect(
      String(decoding: csv, as: UTF8.self)
        == "plain é|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"cr\r\"|\"#tag\"||")
  }

  @Test func xmlEscapesMarkupAndDropsForbiddenControls() {
    #expect(Exports.xml("Jardins & co") == "Jardins &amp; co")
    #expect(
      Exports.xml("<a href=\"x\">é\u{1F331}</a>\u{1}\u{1F}\n\t\r")
        == "&lt;a href=&quot;x&quot;&gt;é\u{1F331}&lt;/a&gt;\n\t")
    #expect(Exports.xml("déjà vu") == "déjà vu")
  }
}
