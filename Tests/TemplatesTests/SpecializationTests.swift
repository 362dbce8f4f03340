import Diagnostics
import Testing

@testable import Templates

@Suite struct SpecializationTests {
  private let french = RenderEnvironment(
    language: "fr", basePath: "/portail/", translations: ["hi": "salut & co", "n": "{0} cas"])
  private let english = RenderEnvironment(translations: ["hi": "hello", "n": "{0} cases"])

  private func library(_ text: String) throws -> TemplateLibrary {
    try TemplateLibrary(
      sources: [TemplateSource(name: "page.html", path: "templates/page.html", text: text)])
  }

  /// The nodes of `page.html` specialised for `environment`, one line each.
  private func specialized(_ text: String, for environment: RenderEnvironment) throws -> [String] {
    let lib = try library(text)
    var specializer = Specializer(library: lib, environment: environment)
    let templates = specializer.specialize(lib.templates)
    return templates[lib.indices["page.html"]!].parsed.body.map(describe)
  }

  private func describe(_ node: Node) -> String {
    switch node {
    case .text(let text): return "text \(text)"
    case .output(let output): return "output \(describe(output.expression))"
    case .set(let name, let value, _): return "set \(name.name) = \(describe(value))"
    case .ifChain(let branches, _):
      return "if " + branches.map { describe($0.condition) }.joined(separator: ", ")
    case .forLoop(let loop): return "for \(describe(loop.iterable))"
    case .block(let name, _): return "block \(name)"
    case .include(let include): return "include \(include.name)"
    }
  }

  private func describe(_ expression: Expr) -> String {
    switch expression {
    case .literal(let value): return "literal \(value.text)"
    case .variable(let symbol, _): return "variable \(symbol.name)"
    case .filter(let call): return "filter \(call.name)"
    case .macroCall(let call): return "macro \(call.name)"
    default: return "expression"
    }
  }

  @Test func outputsOfConstantsBecomeEscapedTextMergedWithTheirNeighbours() throws {
    let text = """
      <p title="{{ "hi" | t }}">{{ "hi" | t }} {{ "a<b" | upper }}</p>\
      <a href="{{ "/x y/" | url }}">{{ 2 * 3 }}</a>
      """
    #expect(
      try specialized(text, for: french) == [
        "text <p title=\"salut &amp; co\">salut &amp; co A&lt;B</p>"
          + "<a href=\"/portail/x%20y/\">6</a>"
      ])
    #expect(
      try specialized(text, for: english) == [
        "text <p title=\"hello\">hello A&lt;B</p><a href=\"/x%20y/\">6</a>"
      ])
  }

  @Test func nothingThatReadsTheContextIsFolded() throws {
    let text = """
      {% macro m(x) %}{{ x }}{% endmacro %}\
      {{ name }}{{ "n" | t(count) }}{{ m(1) }}{{ [1, x] | length }}{{ x is defined }}\
      {% set label = "hi" | t %}{% set other = label | upper %}{{ label }}\
      {% if x %}{% endif %}{% if not false %}{% endif %}{% for i in [1, 2] %}{% endfor %}
      """
    #expect(
      try specialized(text, for: french) == [
        "output variable name", "output filter t", "output macro m", "output filter length",
        "output expression", "set label = literal salut & co", "set other = filter upper",
        "output variable label", "if variable x", "if literal true", "for literal [1,2]",
      ])
  }

  @Test func aConstantThatFailsIsKeptAndFailsWhereItIsRendered() throws {
    let text = "a\n{% if flag %}{{ 1 / 0 }}{% endif %}"
    #expect(try specialized(text, for: english) == ["text a\n", "if variable flag"])
    let lib = try library(text)
    #expect(
      try lib.renderText("page.html", context: ["flag": false], environment: english) == "a\n")
    let errors = diagnostics {
      _ = try lib.renderText("page.html", context: ["flag": true], environment: english)
    }
    #expect(errors.map(\.message) == ["division by zero"])
    #expect(errors.first?.location?.line == 2)
  }

  @Test func eachEnvironmentRendersWithItsOwnSpecialization() throws {
    let lib = try library("{{ \"hi\" | t }}|{{ \"n\" | t(count) }}|{{ \"/a/\" | url }}")
    for _ in 0..<2 {
      #expect(
        try lib.renderText("page.html", context: ["count": 2], environment: french)
          == "salut &amp; co|2 cas|/portail/a/")
      #expect(
        try lib.renderText("page.html", context: ["count": 1], environment: english)
          == "hello|1 cases|/a/")
    }
  }

  @Test func macroBodiesBlocksAndDefaultsAreSpecialized() throws {
    let base = source("base.html", "{% block b %}{{ \"hi\" | t }}{% endblock %}")
    let page = source(
      "page.html",
      """
      {% extends "base.html" %}{% macro m(x="hi" | t) %}{{ x }}{{ "!" }}{% endmacro %}\
      {% block b %}[{{ super() }}]{{ m() }}{% endblock %}
      """)
    let lib = try TemplateLibrary(sources: [page, base])
    var specializer = Specializer(library: lib, environment: french)
    let templates = specializer.specialize(lib.templates)
    let macro = templates[lib.indices["page.html"]!].macros.first { $0.name == "m" }
    #expect(macro?.parameters.first?.defaultValue.map(describe) == "literal salut & co")
    #expect(macro?.body.map(describe) == ["output variable x", "text !"])
    let levels = templates[lib.indices["page.html"]!].blocks["b"] ?? []
    #expect(levels.count == 2)
    #expect(levels.last.map { $0.body.map(describe) } == ["text salut &amp; co"])
    #expect(
      try lib.renderText("page.html", context: [:], environment: french)
        == "[salut &amp; co]salut &amp; co!")
  }
}

@Suite struct ThreadCopyTests {
  /// Where a text of more than 15 bytes is stored.
  private func storage(_ text: String) -> UnsafeRawPointer? {
    text.utf8.withContiguousStorageIfAvailable { UnsafeRawPointer($0.baseAddress) } ?? nil
  }

  @Test func aCopySharesNoTextOrNodeAndRendersAlike() throws {
    let page = TemplateSource(
      name: "page.html", path: "templates/a-folder-with-a-long-name/page.html",
      text: """
        {% import "macros.html" as m %}<p class="a-long-enough-class-name">{{ title }}</p>\
        {% for item in items %}{{ m.item(item) }}{% endfor %}
        """)
    let macros = TemplateSource(
      name: "macros.html", path: "templates/macros.html",
      text: "{% macro item(x) %}<li>{{ x | upper }} and some more text</li>{% endmacro %}")
    let lib = try TemplateLibrary(sources: [page, macros])
    let copied = ThreadCopy.templates(lib.templates)
    let index = lib.indices["page.html"]!
    let pairs = zip(lib.templates[index].parsed.body, copied[index].parsed.body)
    var texts = 0
    var outputs = 0
    for (original, copy) in pairs {
      switch (original, copy) {
      case (.text(let a), .text(let b)):
        #expect(a == b)
        // Texts of up to 15 bytes have no storage to share.
        if a.utf8.count > 15 {
          #expect(storage(a) != storage(b))
          texts += 1
        }
      case (.output(let a), .output(let b)):
        #expect(a !== b)
        outputs += 1
      default: break
      }
    }
    #expect(texts >= 1 && outputs >= 1)
    #expect(copied[index].path == lib.templates[index].path)
    #expect(storage(copied[index].path) != storage(lib.templates[index].path))
    let context: [String: Value] = ["title": "Jardins", "items": ["a", "b"]]
    var renderer = Renderer(
      library: lib, templates: copied, environmentNumber: 0, context: context,
      environment: RenderEnvironment())
    var out: [UInt8] = []
    try renderer.renderPage(index, into: &out)
    let expected =
      "<p class=\"a-long-enough-class-name\">Jardins</p>"
      + "<li>A and some more text</li><li>B and some more text</li>"
    #expect(String(decoding: out, as: UTF8.self) == expected)
    #expect(
      try lib.renderText("page.html", context: context, environment: RenderEnvironment())
        == expected)
  }
}
