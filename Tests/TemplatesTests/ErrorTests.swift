import Diagnostics
import Testing

@testable import Templates

@Suite struct ErrorTests {
  /// The single diagnostic of rendering `text` (compile or render), checked field by field.
  private func expectError(
    _ text: String, _ context: [String: Value] = [:], others: [TemplateSource] = [],
    filters: [String: Filter] = [:], file: String = "templates/page.html", line: Int,
    column: Int, message: String, sourceLocation: Testing.SourceLocation = #_sourceLocation
  ) {
    let found = diagnostics { _ = try render(text, context, others: others, filters: filters) }
    #expect(found.count == 1, "\(found.map(\.formatted))", sourceLocation: sourceLocation)
    guard let diagnostic = found.first else { return }
    #expect(diagnostic.location?.file == file, sourceLocation: sourceLocation)
    #expect(diagnostic.location?.line == line, sourceLocation: sourceLocation)
    #expect(diagnostic.location?.column == column, sourceLocation: sourceLocation)
    #expect(diagnostic.message == message, sourceLocation: sourceLocation)
    #expect(diagnostic.sourceLine != nil, sourceLocation: sourceLocation)
  }

  @Test func unknownVariable() {
    expectError("<p>\n  {{ nope }}</p>", line: 2, column: 6, message: "unknown variable 'nope'")
    let found = diagnostics { _ = try render("<p>\n  {{ nope }}</p>") }
    #expect(found.first?.sourceLine == "  {{ nope }}</p>")
    #expect(
      found.first?.formatted
        == "templates/page.html:2:6: error: unknown variable 'nope'\n      {{ nope }}</p>\n         ^"
    )
  }

  @Test func unknownMember() {
    expectError(
      "{{ page.titel }}", ["page": ["title": "x"]], line: 1, column: 9,
      message: "'page' has no member 'titel'")
    expectError(
      "{{ page.title.x }}", ["page": ["title": "x"]], line: 1, column: 15,
      message: "cannot read member 'x' of string 'page.title'")
  }

  @Test func indexOutOfRange() {
    expectError(
      "{{ xs[5] }}", ["xs": [1]], line: 1, column: 6,
      message: "index 5 is out of range for 'xs' (1 items)")
  }

  @Test func unknownFilter() {
    expectError("{{ x | nope }}", line: 1, column: 8, message: "unknown filter 'nope'")
  }

  @Test func unknownTemplate() {
    expectError(
      "{% include \"nope.html\" %}", line: 1, column: 12,
      message: "unknown template 'nope.html' in 'include'")
    expectError(
      "\n{% extends \"base.html\" %}", line: 2, column: 12,
      message: "unknown template 'base.html' in 'extends'")
    expectError(
      "{% import \"m.html\" as m %}", line: 1, column: 11,
      message: "unknown template 'm.html' in 'import'")
  }

  @Test func unknownMacro() {
    let macros = source("m.html", "{% macro a() %}{% endmacro %}")
    expectError(
      "{% import \"m.html\" as m %}{{ m.b() }}", others: [macros], line: 1, column: 32,
      message: "unknown macro 'b' in 'm.html'")
    expectError("{{ f(1) }}", line: 1, column: 4, message: "unknown macro or function 'f'")
  }

  @Test func unclosedTags() {
    expectError("{% if x %}abc", line: 1, column: 4, message: "unclosed 'if' (expected 'endif')")
    expectError(
      "a\n{% for x in xs %}", line: 2, column: 4, message: "unclosed 'for' (expected 'endfor')")
    expectError("{{ x ", line: 1, column: 1, message: "unclosed '{{' (expected '}}')")
    expectError(
      "{% raw %}x", line: 1, column: 1, message: "unclosed 'raw' tag (expected '{% endraw %}')")
    expectError("{# x", line: 1, column: 1, message: "unclosed comment '{#'")
  }

  @Test func mismatchedEndTag() {
    let found = diagnostics { _ = try render("{% for x in xs %}{% if x %}{% endfor %}") }
    #expect(
      found.map(\.message) == [
        "unclosed 'for' (expected 'endfor')", "'endfor' does not close 'if' opened at line 1",
      ])
    #expect(found.map { $0.location?.column } == [4, 31])
    expectError(
      "{% endif %}", line: 1, column: 4, message: "unexpected 'endif' without an open block")
    expectError(
      "{% block a %}{% endblock b %}", line: 1, column: 26,
      message: "'endblock b' does not match 'block a'")
  }

  @Test func syntaxErrors() {
    expectError("{% frobnicate %}", line: 1, column: 4, message: "unknown tag 'frobnicate'")
    expectError(
      "{{ 1 + }}", line: 1, column: 8, message: "expected an expression, found end of tag")
    expectError("{{ (1 }}", line: 1, column: 7, message: "expected ')', found end of tag")
    expectError("{{ x is bogus }}", line: 1, column: 9, message: "unknown test 'bogus'")
    expectError("{{ a b }}", line: 1, column: 6, message: "unexpected 'b'")
    expectError(
      "{{ x | truncate(size=3) }}", line: 1, column: 8,
      message: "filter 'truncate' has no argument named 'size'")
  }

  @Test func badArgumentTypes() {
    expectError(
      "{{ \"x\" | truncate(\"a\") }}", line: 1, column: 10,
      message: "filter 'truncate': 'truncate' expects an integer argument, got string")
    expectError(
      "{{ 5 | join(\",\") }}", line: 1, column: 8,
      message: "filter 'join': 'join' expects a list, got int")
    expectError(
      "{{ \"a\" - 1 }}", line: 1, column: 8, message: "cannot apply '-' to string and int")
    expectError("{{ 1 / 0 }}", line: 1, column: 6, message: "division by zero")
  }

  @Test func iteratingANonList() {
    expectError(
      "{% for x in n %}{% endfor %}", ["n": 5], line: 1, column: 13,
      message: "cannot iterate over int 'n' (expected a list)")
  }

  @Test func includeAndExtendsCycles() {
    let a = source("a.html", "{% include \"b.html\" %}")
    let b = source("b.html", "x{% include \"a.html\" %}")
    expectError(
      "ok", others: [a, b], file: "templates/b.html", line: 1, column: 13,
      message: "include cycle: a.html → b.html → a.html")
    let c = source("c.html", "{% extends \"c.html\" %}")
    expectError(
      "ok", others: [c], file: "templates/c.html", line: 1, column: 12,
      message: "extends cycle: c.html → c.html")
  }

  @Test func recursionDepthIsBounded() {
    let macros = source("m.html", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}")
    let found = diagnostics {
      _ = try render("{% import \"m.html\" as m %}{{ m.f(0) }}", others: [macros])
    }
    #expect(found.count == 1)
    #expect(found.first?.message == "nesting deeper than 100 levels of include, macro or super()")
    #expect(found.first?.location?.file == "templates/m.html")
  }

  @Test func filterErrorBecomesDiagnosticAtCallSite() {
    let filters: [String: Filter] = ["markdown": { _, _, _ in throw FilterError("bad markdown") }]
    expectError(
      "\n  {{ body | markdown }}", ["body": "x"], filters: filters, line: 2, column: 13,
      message: "filter 'markdown': bad markdown")
  }

  @Test func missingTranslation() {
    let found = diagnostics {
      _ = try render("{{ \"nav.x\" | t }}", environment: RenderEnvironment(language: "fr"))
    }
    #expect(found.first?.message == "filter 't': missing translation 'nav.x' for language 'fr'")
  }

  @Test func unknownTemplateAtRender() throws {
    let library = try TemplateLibrary(sources: [])
    #expect(
      diagnostics { _ = try library.renderText("x.html", context: [:], environment: .init()) }
        .first?
        .message == "unknown template 'x.html'")
  }

  @Test func compileReportsEveryErrorOfEveryTemplate() {
    let found = diagnostics {
      _ = try TemplateLibrary(sources: [
        source("a.html", "{{ x | nope }}\n{% if %}"),
        source("b.html", "{% include \"missing.html\" %}{% for x in %}{% endfor %}"),
        source("c.html", "{% block a %}"),
      ])
    }
    #expect(
      found.map {
        "\($0.location?.file ?? ""):\($0.location?.line ?? 0):\($0.location?.column ?? 0) \($0.message)"
      }
        == [
          "templates/a.html:1:8 unknown filter 'nope'",
          "templates/a.html:2:4 unclosed 'if' (expected 'endif')",
          "templates/a.html:2:7 expected an expression, found end of tag",
          "templates/b.html:1:12 unknown template 'missing.html' in 'include'",
          "templates/b.html:1:41 expected an expression, found end of tag",
          "templates/c.html:1:4 unclosed 'block' (expected 'endblock')",
        ])
    #expect(found.allSatisfy { $0.sourceLine != nil })
  }

  @Test func errorInsideAnIncludedPartialPointsAtThePartial() {
    let card = source("partials/card.html", "<b>\n\t{{ c.titel }}</b>")
    let found = diagnostics {
      _ = try render("{% include \"partials/card.html\" %}", ["c": ["title": "x"]], others: [card])
    }
    #expect(found.count == 1)
    #expect(
      found.first?.location
        == Diagnostics.SourceLocation(file: "templates/partials/card.html", line: 2, column: 7))
    #expect(found.first?.sourceLine == "\t{{ c.titel }}</b>")
  }

  @Test func columnsCountCharactersNotBytes() {
    expectError("é€ {{ nope }}", line: 1, column: 7, message: "unknown variable 'nope'")
  }

  @Test func macroArgumentErrors() {
    let macros = source("m.html", "{% macro f(a) %}{{ a }}{% endmacro %}")
    expectError(
      "{% import \"m.html\" as m %}{{ m.f(1, 2) }}", others: [macros], line: 1, column: 32,
      message: "macro 'f' takes 1 arguments, got 2")
    expectError(
      "{% import \"m.html\" as m %}{{ m.f(b=2) }}", others: [macros], line: 1, column: 32,
      message: "macro 'f' has no parameter 'b'")
  }

  @Test func superOutsideABlockOrWithoutParent() {
    expectError(
      "{% block a %}{{ super() }}{% endblock %}", line: 1, column: 17,
      message: "block 'a' has no parent block for super()")
    expectError("{{ super() }}", line: 1, column: 4, message: "super() used outside a block")
  }
}
