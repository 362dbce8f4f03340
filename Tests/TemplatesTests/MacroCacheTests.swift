import Foundation
import Testing

@testable import Templates

@Suite struct MacroCacheTests {
  private func library(_ text: String, others: [TemplateSource] = []) throws -> TemplateLibrary {
    try TemplateLibrary(
      sources: [TemplateSource(name: "page.html", path: "templates/page.html", text: text)]
        + others)
  }

  @Test func macrosThatSeeOnlyTheirArgumentsAreCacheable() throws {
    let macros = source(
      "m.html",
      """
      {% macro card(c) %}<b>{{ c.title | upper }}</b>{% endmacro %}
      {% macro list(items) %}{% for i in items %}{{ card(i) }}{% endfor %}{% endmacro %}
      {% macro framed(c) %}{% include "part.html" %}{{ c | upper }}{% endmacro %}
      {% macro outer(c) %}[{{ framed(c) }}]{% endmacro %}
      {% macro plain(c) %}<i>{{ c.title }}</i>{% endmacro %}
      {% macro plainList(items) %}{% for i in items %}{{ plain(i) }}{% endfor %}{% endmacro %}
      """)
    let lib = try library(
      "{% import \"m.html\" as m %}{{ m.card(x) }}",
      others: [macros, source("part.html", "p")])
    let compiled = lib.templates[lib.indices["m.html"]!]
    #expect(Set(compiled.cacheableMacros.keys) == ["card", "list"])
  }

  @Test func macrosWithoutFiltersAreNotCached() throws {
    let text = """
      {% macro plain(c) %}<i>{{ c.title }}</i>{% endmacro %}\
      {% macro shout(c) %}<b>{{ c.title | upper }}</b>{% endmacro %}\
      {% macro both(c) %}{{ plain(c) }}{{ shout(c) }}{% endmacro %}\
      {% for c in cases %}{{ plain(c) }}{{ both(c) }}{% endfor %}
      """
    let card: Value = ["title": "a<b"]
    let lib = try library(text)
    #expect(
      Set(lib.templates[lib.indices["page.html"]!].cacheableMacros.keys) == ["shout", "both"])
    for _ in 0..<2 {
      #expect(
        try lib.renderText("page.html", context: ["cases": [card, card]], environment: .init())
          == "<i>a&lt;b</i><i>a&lt;b</i><b>A&lt;B</b><i>a&lt;b</i><i>a&lt;b</i><b>A&lt;B</b>")
    }
    #expect(lib.macroCache.count == 2)
  }

  @Test func cachedCallsRenderLikeFreshOnes() throws {
    let text = """
      {% macro card(c, level=2, tag="h" ~ level) %}<{{ tag }}>{{ c.title | upper }}</{{ tag }}>{% endmacro %}
      {%- for c in cases %}{{ card(c) }}{{ card(c, 3) }}{% endfor %}|{{ card(cases[0], level=4) }}
      """
    let first: Value = ["title": "un <a>"]
    let second: Value = ["title": "deux"]
    let cases: Value = .array([first, second, first, second, ["title": "un <a>"]])
    let lib = try library(text)
    let expected =
      "<h2>UN &lt;A&gt;</h2><h3>UN &lt;A&gt;</h3><h2>DEUX</h2><h3>DEUX</h3>"
      + "<h2>UN &lt;A&gt;</h2><h3>UN &lt;A&gt;</h3><h2>DEUX</h2><h3>DEUX</h3>"
      + "<h2>UN &lt;A&gt;</h2><h3>UN &lt;A&gt;</h3>|<h4>UN &lt;A&gt;</h4>"
    for _ in 0..<3 {
      #expect(
        try lib.renderText("page.html", context: ["cases": cases], environment: .init()) == expected
      )
    }
    #expect(lib.macroCache.count > 0)
  }

  @Test func theEnvironmentIsPartOfTheKey() throws {
    let lib = try library("{% macro hi(x) %}{{ \"hello\" | t }} {{ x }}{% endmacro %}{{ hi(1) }}")
    let french = RenderEnvironment(language: "fr", translations: ["hello": "bonjour"])
    let english = RenderEnvironment(language: "en", translations: ["hello": "hello"])
    let otherFrench = RenderEnvironment(language: "fr", translations: ["hello": "salut"])
    #expect(try lib.renderText("page.html", context: [:], environment: french) == "bonjour 1")
    #expect(try lib.renderText("page.html", context: [:], environment: english) == "hello 1")
    #expect(try lib.renderText("page.html", context: [:], environment: otherFrench) == "salut 1")
    #expect(try lib.renderText("page.html", context: [:], environment: french) == "bonjour 1")
  }

  @Test func listsAndObjectsMatchByIdentityOnly() {
    let members: [String: Value] = ["a": 1]
    var copy = members
    #expect(MacroCache.same(.object(members), .object(copy)))
    copy["a"] = 1
    #expect(!MacroCache.same(.object(members), .object(copy)))
    #expect(MacroCache.same(.string("x"), .string("x")))
    #expect(!MacroCache.same(.string("x"), .html("x")))
    #expect(MacroCache.same(.array([]), .array([])))
  }

  /// A full cache starts afresh: the newest outputs are kept, never more than the limit.
  @Test func aFullCacheDropsItsOldEntries() {
    let cache = MacroCache(byteLimit: 10)
    func key(_ number: Int) -> MacroCache.HashedKey {
      MacroCache.HashedKey(MacroCache.Key(macro: 0, environment: 0, arguments: [.int(number)]))
    }
    func isCached(_ number: Int) -> Bool {
      if case .hit = cache.lookup(key(number).key) { return true }
      return false
    }
    cache.store(Array("aaaa".utf8), for: key(1))
    cache.store(Array("bbbb".utf8), for: key(2))
    #expect(isCached(1) && isCached(2) && cache.count == 2)
    cache.store(Array("cccc".utf8), for: key(3))
    #expect(!isCached(1) && !isCached(2) && isCached(3) && cache.count == 1)
    cache.store(Array("too long to keep".utf8), for: key(4))
    #expect(!isCached(4) && isCached(3))
  }

  @Test func superAsAnArgumentOrInsideAMacro() throws {
    let base = source("base.html", "{% block b %}base{% endblock %}|{% block c %}c{% endblock %}")
    let text = """
      {% extends "base.html" %}{% macro wrap(x) %}[{{ x | safe }}]{% endmacro %}\
      {% macro up() %}<{{ super() }}>{% endmacro %}\
      {% block b %}{{ wrap(super()) }}{{ wrap(super()) }}{{ up() }}+child{% endblock %}\
      {% block c %}{{ up() }}{% endblock %}
      """
    let lib = try library(text, others: [base])
    #expect(Set(lib.templates[lib.indices["page.html"]!].cacheableMacros.keys) == ["wrap"])
    #expect(
      try lib.renderText("page.html", context: [:], environment: .init())
        == "[base][base]<base>+child|<c>")
  }
}
