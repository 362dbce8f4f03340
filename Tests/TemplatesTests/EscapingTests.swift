import Diagnostics
import Testing

@testable import Templates

/// One hostile input and the exact expected output in each context.
struct EscapingRow: Sendable, CustomTestStringConvertible {
  var input: String
  var text: String
  var unquoted: String
  var url: String
  var script: String

  var testDescription: String { input }
}

let escapingRows: [EscapingRow] = [
  EscapingRow(
    input: #""><script>alert(1)</script>"#,
    text: "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    unquoted: "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
    url: "%22%3E%3Cscript%3Ealert(1)%3C/script%3E",
    script: #""\"\u003e\u003cscript\u003ealert(1)\u003c/script\u003e""#),
  EscapingRow(
    input: "javascript:alert(1)", text: "javascript:alert(1)", unquoted: "javascript:alert(1)",
    url: "#ZgotmplZ", script: #""javascript:alert(1)""#),
  EscapingRow(
    input: " JaVaScRiPt:", text: " JaVaScRiPt:", unquoted: "&#32;JaVaScRiPt:",
    url: "#ZgotmplZ", script: #"" JaVaScRiPt:""#),
  EscapingRow(
    input: "</script><script>", text: "&lt;/script&gt;&lt;script&gt;",
    unquoted: "&lt;/script&gt;&lt;script&gt;", url: "%3C/script%3E%3Cscript%3E",
    script: #""\u003c/script\u003e\u003cscript\u003e""#),
  EscapingRow(
    input: "<!--", text: "&lt;!--", unquoted: "&lt;!--", url: "%3C!--", script: #""\u003c!--""#),
  EscapingRow(
    input: "' onmouseover='x", text: "&#39; onmouseover=&#39;x",
    unquoted: "&#39;&#32;onmouseover&#61;&#39;x", url: "%27%20onmouseover=%27x",
    script: #""\u0027 onmouseover=\u0027x""#),
  // Bytes of other characters pass as they are, between escapes, in every context.
  EscapingRow(
    input: "Été — 'ü' <b>", text: "Été — &#39;ü&#39; &lt;b&gt;",
    unquoted: "Été&#32;—&#32;&#39;ü&#39;&#32;&lt;b&gt;", url: "Été%20—%20%27ü%27%20%3Cb%3E",
    script: #""Été — \u0027ü\u0027 \u003cb\u003e""#),
]

@Suite struct EscapingTests {
  @Test(arguments: escapingRows)
  func hostileInputInEveryContext(_ row: EscapingRow) throws {
    let context: [String: Value] = ["x": .string(row.input)]
    #expect(try render("<p>{{ x }}</p>", context) == "<p>\(row.text)</p>")
    #expect(try render("<a title=\"{{ x }}\">", context) == "<a title=\"\(row.text)\">")
    #expect(try render("<a title='{{ x }}'>", context) == "<a title='\(row.text)'>")
    #expect(try render("<a title={{ x }}>", context) == "<a title=\(row.unquoted)>")
    #expect(try render("<a href=\"{{ x }}\">", context) == "<a href=\"\(row.url)\">")
    #expect(
      try render("<img src={{ x }}>", context)
        == "<img src=\(row.url.replacingOccurrences(of: "=", with: "&#61;"))>")
    #expect(
      try render("<script>var x = {{ x }};</script>", context)
        == "<script>var x = \(row.script);</script>")
    #expect(
      try render("<script type=\"application/ld+json\">{\"name\": {{ x }}}</script>", context)
        == "<script type=\"application/ld+json\">{\"name\": \(row.script)}</script>")
    let inString = String(row.script.dropFirst().dropLast())
    #expect(
      try render("<script type=\"application/ld+json\">{\"name\": \"{{ x }}\"}</script>", context)
        == "<script type=\"application/ld+json\">{\"name\": \"\(inString)\"}</script>")
  }

  @Test func javaScriptStringsAndComments() throws {
    let context: [String: Value] = ["x": "a'b\"c`${d}", "n": 3]
    #expect(
      try render("<script>var s = '{{ x }}', t = \"{{ x }}\", n = {{ n }};</script>", context)
        == #"<script>var s = 'a\u0027b\"c`${d}', t = "a\u0027b\"c`${d}", n = 3;</script>"#)
    #expect(
      try render("<script>var s = `{{ x }}`;</script>", context)
        == #"<script>var s = `a\u0027b\"c\u0060\u0024{d}`;</script>"#)
    #expect(
      try render(
        "<script>// it's a comment\nvar s = {{ n }}; /* don't */ f({{ n }});</script>", context)
        == "<script>// it's a comment\nvar s = 3; /* don't */ f(3);</script>")
    #expect(
      try render("<script>var s = 'a\\'b{{ n }}';</script>", context)
        == "<script>var s = 'a\\'b3';</script>")
  }

  @Test func contextEndsWithTheTag() throws {
    #expect(
      try render("<a href=\"/x\" title=\"t\">{{ x }}</a>", ["x": "<"])
        == "<a href=\"/x\" title=\"t\">&lt;</a>")
    #expect(try render("<script>1</script>{{ x }}", ["x": "<"]) == "<script>1</script>&lt;")
    #expect(try render("<SCRIPT>1</Script >{{ x }}", ["x": "<"]) == "<SCRIPT>1</Script >&lt;")
  }

  @Test func safeHTMLIsRawOnlyInText() throws {
    let context: [String: Value] = ["h": .html("<b>a&amp;b</b>")]
    #expect(try render("{{ h }}", context) == "<b>a&amp;b</b>")
    #expect(
      try render("<a title=\"{{ h }}\">", context) == "<a title=\"&lt;b&gt;a&amp;amp;b&lt;/b&gt;\">"
    )
    #expect(
      try render("<script>{{ h }}</script>", context)
        == "<script>\"\\u003cb\\u003ea\\u0026amp;b\\u003c/b\\u003e\"</script>")
    #expect(try render("{{ \"<i>\" | safe }}") == "<i>")
  }

  @Test func explicitEscapeIsNotDoubled() throws {
    let context: [String: Value] = ["x": "a&b<"]
    #expect(try render("{{ x | escape }}", context) == "a&amp;b&lt;")
    #expect(try render("<a title=\"{{ x | escape }}\">", context) == "<a title=\"a&amp;b&lt;\">")
    #expect(
      try render("<a href=\"/s?q={{ x | escape }}\">", context) == "<a href=\"/s?q=a&amp;b&lt;\">")
    #expect(try render("{{ x | escape | escape }}", context) == "a&amp;b&lt;")
  }

  @Test func urlSchemes() throws {
    func href(_ url: String) throws -> String {
      try render("<a href=\"{{ u }}\">", ["u": .string(url)])
    }
    #expect(try href("https://example.org/a b") == "<a href=\"https://example.org/a%20b\">")
    #expect(try href("mailto:a@b.org") == "<a href=\"mailto:a@b.org\">")
    #expect(try href("/cases/x/?a=1&b=2") == "<a href=\"/cases/x/?a=1&amp;b=2\">")
    #expect(try href("java\nscript:alert(1)") == "<a href=\"#ZgotmplZ\">")
    #expect(try href("\u{01}javascript:x") == "<a href=\"#ZgotmplZ\">")
    #expect(try href("VBScript:x") == "<a href=\"#ZgotmplZ\">")
    #expect(try href("data:text/html,<script>") == "<a href=\"#ZgotmplZ\">")
    #expect(
      try render("<img src=\"{{ u }}\">", ["u": "data:image/png;base64,AAA"])
        == "<img src=\"data:image/png;base64,AAA\">")
    #expect(
      try render("<a href=\"/go/{{ u }}\">", ["u": "javascript:x"])
        == "<a href=\"/go/javascript:x\">")
    #expect(try render("<form action={{ u }}>", ["u": "javascript:x"]) == "<form action=#ZgotmplZ>")
  }

  @Test func styleContexts() throws {
    #expect(
      try render("<p style=\"color: {{ c }}\">", ["c": "#ff0000"]) == "<p style=\"color: #ff0000\">"
    )
    #expect(
      try render("<p style=\"color: {{ c }}\">", ["c": "expression(alert(1))"])
        == "<p style=\"color: ZgotmplZ\">")
    #expect(
      try render("<p style=\"color: {{ c }}\">", ["c": "red;background:url(x)"])
        == "<p style=\"color: ZgotmplZ\">")
    #expect(
      try render("<style>p { width: {{ w }}; }</style>", ["w": "50%"])
        == "<style>p { width: 50%; }</style>")
    #expect(
      try render("<style>p { width: {{ w }}; }</style>", ["w": "</style><script>"])
        == "<style>p { width: ZgotmplZ; }</style>")
  }

  @Test func eventHandlerAttributesGetJSON() throws {
    #expect(
      try render("<button onclick=\"go({{ x }})\">", ["x": "a\"b"])
        == "<button onclick=\"go(&#34;a\\&#34;b&#34;)\">")
  }

  @Test func tagAndCommentContexts() throws {
    #expect(try render("<div {{ a }}>", ["a": "hidden"]) == "<div hidden>")
    #expect(try render("<div {{ a }}>", ["a": "onclick=alert(1)"]) == "<div ZgotmplZ>")
    #expect(
      try render("<!-- {{ a }} -->", ["a": "--><script>"])
        == "<!-- &#45;&#45;&gt;&lt;script&gt; -->")
  }

  @Test func scriptValuesAreJSON() throws {
    let context: [String: Value] = ["o": ["n": 1, "s": "x"], "n": 2, "b": true, "z": nil]
    #expect(
      try render("<script>f({{ o }}, {{ n }}, {{ b }}, {{ z }})</script>", context)
        == "<script>f({\"n\":1,\"s\":\"x\"}, 2, true, null)</script>")
    #expect(
      try render("<script>{{ s }}</script>", ["s": "\u{2028}"]) == "<script>\"\\u2028\"</script>")
  }

  @Test func numbersAndDatesInText() throws {
    #expect(try render("{{ d }} {{ f }}", ["d": .date(may8), "f": 2.0]) == "2017-05-08 2.0")
  }
}
