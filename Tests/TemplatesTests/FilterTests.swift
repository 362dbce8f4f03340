import Diagnostics
import Foundation
import Testing

@testable import Templates

/// One row per built-in filter: template, context, environment, exact expected output.
struct FilterCase: Sendable, CustomTestStringConvertible {
  var template: String
  var context: [String: Value] = [:]
  var environment = RenderEnvironment()
  var expected: String

  var testDescription: String { template }
}

private let french = RenderEnvironment(
  language: "fr", basePath: "/portail/", baseURL: "https://example.org/portail/",
  translations: ["nav.cases": "Cas", "count": "{0} cas sur {1}"])

private let cases: [Value] = [
  ["title": "B", "year": 2019, "country": "fr"],
  ["title": "A", "year": 2017, "country": "be"],
  ["title": "C", "year": 2018, "country": "fr"],
]

let filterCases: [FilterCase] = [
  FilterCase(template: "{{ d | date }}", context: ["d": .date(may8)], expected: "8 May 2017"),
  FilterCase(
    template: "{{ d | date }}", context: ["d": .date(may8)], environment: french,
    expected: "8 mai 2017"),
  FilterCase(
    template: "{{ \"2017-05-08\" | date(\"%A %-d %B %Y, %d/%m %b %H:%M\") }}", environment: french,
    expected: "lundi 8 mai 2017, 08/05 mai 00:00"),
  FilterCase(
    template: "{{ \"2024-02-29\" | date(format=\"%Y-%m-%d %A\") }}", expected: "2024-02-29 Thursday"
  ),
  FilterCase(template: "{{ \"Été\" | upper }}", expected: "ÉTÉ"),
  FilterCase(template: "{{ \"ÉTÉ\" | lower }}", expected: "été"),
  FilterCase(template: "{{ \"hello WORLD\" | capitalize }}", expected: "Hello world"),
  FilterCase(template: "{{ \"le jardin partagé\" | title }}", expected: "Le Jardin Partagé"),
  FilterCase(template: "[{{ \"  x y \n\" | trim }}]", expected: "[x y]"),
  FilterCase(
    template: "{{ \"The quick brown fox jumps\" | truncate(12) }}", expected: "The quick…"),
  FilterCase(
    template: "{{ \"The quick brown fox\" | truncate(length=9) }}", expected: "The quick…"),
  FilterCase(template: "{{ \"short\" | truncate(120) }}", expected: "short"),
  FilterCase(template: "{{ \"<p>Hello <b>world</b></p>\" | striptags }}", expected: "Hello world"),
  FilterCase(
    template: "{{ \"Économie sociale & solidaire, Œuvre!\" | slugify }}",
    expected: "economie-sociale-solidaire-oeuvre"),
  FilterCase(template: "{{ xs | join(\", \") }}", context: ["xs": ["a", "b"]], expected: "a, b"),
  FilterCase(
    template: "{{ xs | length }} {{ \"été\" | length }} {{ o | length }}",
    context: ["xs": [1, 2], "o": ["a": 1]], expected: "2 3 1"),
  FilterCase(
    template:
      "{{ missing | default(\"d\") }} {{ n | default(\"d\") }} {{ x | default(\"d\") }} {{ page.nope | default(\"m\") }}",
    context: ["n": nil, "x": "x", "page": [:]], expected: "d d x m"),
  FilterCase(
    template: "{{ xs | first }}{{ xs | last }}", context: ["xs": [1, 2, 3]], expected: "13"),
  FilterCase(
    template: "{{ xs | reverse | join }}{{ \"abc\" | reverse }}", context: ["xs": [1, 2, 3]],
    expected: "321cba"),
  FilterCase(
    template:
      "{{ [3, 1, 2] | sort | join }} {{ cases | sort(\"title\") | map(\"title\") | join }} {{ cases | sort(attribute=\"year\") | map(\"year\") | join(\",\") }}",
    context: ["cases": .array(cases)], expected: "123 ABC 2017,2018,2019"),
  FilterCase(
    template: "{{ cases | where(\"country\", \"fr\") | map(\"title\") | join }}",
    context: ["cases": .array(cases)], expected: "BC"),
  FilterCase(
    template:
      "{% for g in cases | group_by(\"country\") %}{{ g.grouper }}:{{ g.list | map(\"title\") | join }};{% endfor %}",
    context: ["cases": .array(cases)], expected: "fr:BC;be:A;"),
  FilterCase(
    template: "{{ xs | limit(2) | join }}{{ xs | slice(1) | join }}", context: ["xs": [1, 2, 3]],
    expected: "121"),
  FilterCase(
    template: "{{ \"<b>\" | escape }}|<a title=\"{{ \"<b>&\" | escape }}\">",
    expected: "&lt;b&gt;|<a title=\"&lt;b&gt;&amp;\">"),
  FilterCase(template: "{{ \"<b>x</b>\" | safe }}", expected: "<b>x</b>"),
  FilterCase(
    template: "{{ o | json }}", context: ["o": ["b": [1, "x"], "a": true, "c": nil]],
    expected: "{&#34;a&#34;:true,&#34;b&#34;:[1,&#34;x&#34;],&#34;c&#34;:null}"),
  FilterCase(
    template: "<script>var o = {{ o | json }};</script>",
    context: ["o": ["b": "</script>", "a": 1.5]],
    expected: "<script>var o = {\"a\":1.5,\"b\":\"\\u003c/script\\u003e\"};</script>"),
  FilterCase(
    template: "{{ \"/cases/x/\" | url }} {{ \"https://a.org/\" | url }} {{ \"#top\" | url }}",
    environment: french, expected: "/portail/cases/x/ https://a.org/ #top"),
  FilterCase(
    template: "{{ \"/cases/x/\" | absolute_url }}", environment: french,
    expected: "https://example.org/portail/cases/x/"),
  FilterCase(
    template: "{{ 1 | pluralize }} {{ 2 | pluralize }} {{ 0 | pluralize(\"y\", \"ies\") }}",
    expected: " s ies"),
  FilterCase(
    template: "{{ n }} {{ n | pluralize(\"projet\", \"projets\") }}", context: ["n": 0],
    environment: french, expected: "0 projet"),
  FilterCase(template: "{{ \"one two  three\" | wordcount }}", expected: "3"),
  FilterCase(
    template: "{{ short | reading_time }} {{ long | reading_time }}",
    context: [
      "short": "a b", "long": .string(Array(repeating: "word", count: 401).joined(separator: " ")),
    ], expected: "1 3"),
  FilterCase(
    template: "{{ \"nav.cases\" | t }} {{ \"count\" | t(3, 10) }}", environment: french,
    expected: "Cas 3 cas sur 10"),
  FilterCase(template: "{{ \"a-b-c\" | replace(\"-\", \"+\") }}", expected: "a+b+c"),
  FilterCase(template: "{{ \"a,b\" | split(\",\") | join(\"|\") }}", expected: "a|b"),
  FilterCase(
    template: "{{ cases | map(\"year\") | join(\",\") }}", context: ["cases": .array(cases)],
    expected: "2019,2017,2018"),
  FilterCase(template: "{{ [1, 2, 1, 3, 2] | unique | join }}", expected: "123"),
  FilterCase(template: "{{ [1, 2, 3] | sum }} {{ [1, 2.5] | sum }}", expected: "6 3.5"),
  FilterCase(template: "{{ 2.6 | round }} {{ 3.14159 | round(2) }}", expected: "3 3.14"),
  FilterCase(template: "{{ -3 | abs }} {{ 5 - 7 | abs }}", expected: "3 -2"),
  FilterCase(template: "{{ \"42\" | int + 1 }} {{ 3.9 | int }}", expected: "43 3"),
  FilterCase(template: "{{ 12 | string ~ \"!\" }}", expected: "12!"),
  FilterCase(
    template: "{{ o | keys | join }} {{ o | values | join }}", context: ["o": ["b": 2, "a": 1]],
    expected: "ab 12"),
  FilterCase(
    template: "{{ 12345 | format_number }} {{ 1234567.5 | format_number }}", environment: french,
    expected: "12\u{202F}345 1\u{202F}234\u{202F}567,5"),
  FilterCase(
    template: "{{ 12345 | format_number }} {{ 999 | format_number }}", expected: "12,345 999"),
]

@Suite struct FilterTests {
  @Test(arguments: filterCases)
  func filter(_ row: FilterCase) throws {
    #expect(try render(row.template, row.context, environment: row.environment) == row.expected)
  }

  @Test func everyBuiltinIsCovered() {
    let covered = filterCases.map(\.template).joined()
    for name in BuiltinFilters.all.keys where name != "e" {
      #expect(covered.contains("| \(name)"), "no test for filter \(name)")
    }
  }
}
