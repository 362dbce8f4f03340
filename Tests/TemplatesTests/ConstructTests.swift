import Diagnostics
import Testing

@testable import Templates

@Suite struct ConstructTests {
  @Test func literalsAndOutput() throws {
    #expect(
      try render(#"{{ "a" }}|{{ 'b' }}|{{ 3 }}|{{ 1.5 }}|{{ true }}|{{ none }}|"#)
        == "a|b|3|1.5|true||")
    #expect(try render("{{ [1, 2, 3] | join(\",\") }}") == "1,2,3")
  }

  @Test func memberAndIndexAccess() throws {
    let context: [String: Value] = ["page": ["title": "T", "tags": ["x", "y"]], "k": "title"]
    #expect(
      try render(
        "{{ page.title }} {{ page.tags[1] }} {{ page[\"title\"] }} {{ page[k] }} {{ page.tags[-1] }}",
        context) == "T y T T y")
    #expect(try render("{{ page.tags.0 }}", context) == "x")
  }

  @Test func arithmeticAndConcat() throws {
    #expect(
      try render("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 % 3 }} {{ 7 / 2 }} {{ 5 - 8 }} {{ -2 }}")
        == "7 9 1 3.5 -3 -2")
    #expect(try render("{{ \"a\" ~ 1 ~ true }} {{ \"a\" + \"b\" }}") == "a1true ab")
  }

  @Test func comparisonsAndLogic() throws {
    #expect(
      try render(
        "{{ 1 < 2 }} {{ 2 <= 1 }} {{ 1 == 1.0 }} {{ \"a\" != \"b\" }} {{ 3 >= 3 }} {{ 4 > 5 }}")
        == "true false true true true false")
    #expect(
      try render("{{ true and false }} {{ true or false }} {{ not true }} {{ not (1 == 2) }}")
        == "false true false true")
  }

  @Test func inAndNotIn() throws {
    let context: [String: Value] = ["tags": ["a", "b"], "o": ["k": 1]]
    #expect(
      try render(
        "{{ \"a\" in tags }} {{ \"c\" in tags }} {{ \"c\" not in tags }} {{ \"ell\" in \"hello\" }} {{ \"k\" in o }}",
        context) == "true false true true true")
  }

  @Test func tests() throws {
    let context: [String: Value] = ["x": 1, "n": nil, "page": ["a": 1]]
    #expect(
      try render(
        "{{ x is defined }} {{ y is defined }} {{ y is not defined }} {{ n is none }} {{ x is not none }} {{ page.b is defined }} {{ page.a is defined }}",
        context) == "true false true true true false true")
    #expect(try render("{{ 3 is odd }} {{ 3 is even }}") == "true false")
  }

  @Test func conditionalExpression() throws {
    #expect(try render("{{ \"yes\" if x else \"no\" }}", ["x": true]) == "yes")
    #expect(try render("{{ \"yes\" if x else \"no\" }}", ["x": false]) == "no")
  }

  @Test func ifElifElse() throws {
    let template = "{% if n == 1 %}one{% elif n == 2 %}two{% else %}many{% endif %}"
    #expect(try render(template, ["n": 1]) == "one")
    #expect(try render(template, ["n": 2]) == "two")
    #expect(try render(template, ["n": 9]) == "many")
    #expect(
      try render("{% if [] %}x{% endif %}|{% if \"\" %}x{% endif %}|{% if 0 %}x{% endif %}") == "||"
    )
  }

  @Test func forLoopWithLoopVariables() throws {
    let template =
      "{% for x in xs %}{{ loop.index }}{{ loop.index0 }}{{ x }}{% if loop.first %}F{% endif %}{% if loop.last %}L{% endif %}/{{ loop.length }} {% endfor %}"
    #expect(try render(template, ["xs": ["a", "b", "c"]]) == "10aF/3 21b/3 32cL/3 ")
  }

  @Test func forElse() throws {
    #expect(
      try render("{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", ["xs": []]) == "empty")
  }

  @Test func forOverObjectSortedByKey() throws {
    let context: [String: Value] = ["o": ["b": 2, "a": 1, "c": 3]]
    #expect(
      try render("{% for k, v in o %}{{ k }}={{ v }};{% endfor %}", context) == "a=1;b=2;c=3;")
    #expect(try render("{% for k in o %}{{ k }}{% endfor %}", context) == "abc")
  }

  @Test func nestedLoops() throws {
    let template =
      "{% for a in xs %}{% for b in xs %}{{ a }}{{ b }}{{ loop.index }} {% endfor %}{{ loop.index }}|{% endfor %}"
    #expect(try render(template, ["xs": [1, 2]]) == "111 122 1|211 222 2|")
  }

  @Test func setIsScopedLikeJinja() throws {
    #expect(
      try render(
        "{% set x = 1 %}{% for i in [1, 2] %}{% set x = i * 10 %}{{ x }} {% endfor %}{{ x }}")
        == "10 20 1")
    #expect(try render("{% set x = 1 %}{% if true %}{% set x = 2 %}{% endif %}{{ x }}") == "2")
    #expect(
      try render("{% set title = page.title | upper %}{{ title }}", ["page": ["title": "ab"]])
        == "AB")
  }

  @Test func comments() throws {
    #expect(try render("a{# hidden {{ x }} #}b") == "ab")
  }

  @Test func raw() throws {
    #expect(try render("{% raw %}{{ x }}{% if %}{% endraw %}") == "{{ x }}{% if %}")
  }

  @Test func whitespaceControl() throws {
    #expect(try render("a  {{- 1 -}}  b") == "a1b")
    #expect(
      try render("<ul>\n  {%- for x in [1, 2] %}\n  <li>{{ x }}</li>\n  {%- endfor %}\n</ul>")
        == "<ul>\n  <li>1</li>\n  <li>2</li>\n</ul>")
    #expect(try render("a {#- c -#} b") == "ab")
  }

  @Test func extendsBlocksAndSuper() throws {
    let base = source(
      "base.html",
      "<title>{% block title %}Site{% endblock %}</title><main>{% block main %}{% endblock %}</main>"
    )
    let middle = source(
      "middle.html",
      "{% extends \"base.html\" %}{% block title %}{{ super() }} · Cases{% endblock %}{% block main %}[{% block inner %}default{% endblock %}]{% endblock %}"
    )
    let page =
      "{% extends \"middle.html\" %}{% block title %}{{ page.title }} · {{ super() }}{% endblock %}{% block inner %}{{ super() }}+mine{% endblock %}"
    #expect(
      try render(page, ["page": ["title": "Jardin"]], others: [base, middle])
        == "<title>Jardin · Site · Cases</title><main>[default+mine]</main>")
  }

  @Test func childTopLevelSetIsVisibleInBlocks() throws {
    let base = source("base.html", "{% block a %}{% endblock %}")
    #expect(
      try render(
        "{% extends \"base.html\" %}{% set x = 5 %}{% block a %}{{ x }}{% endblock %}",
        others: [base]) == "5")
  }

  @Test func includeSeesContext() throws {
    let card = source("partials/card.html", "<b>{{ c.title }}</b>{% set leaked = 1 %}")
    let template =
      "{% for c in cases %}{% include \"partials/card.html\" %}{% endfor %}{{ leaked | default(\"no\") }}"
    #expect(
      try render(template, ["cases": [["title": "A"], ["title": "B"]]], others: [card])
        == "<b>A</b><b>B</b>no")
  }

  @Test func includeWithOnly() throws {
    let card = source("partials/card.html", "{{ case.title }}{{ secret | default(\"-\") }}")
    let template =
      "{% include \"partials/card.html\" with { \"case\": c } only %}|{% include \"partials/card.html\" with { \"case\": c } %}"
    #expect(try render(template, ["c": ["title": "A"], "secret": "S"], others: [card]) == "A-|AS")
  }

  @Test func macrosImportedAndCalled() throws {
    let macros = source(
      "partials/macros.html",
      """
      {% macro card(case, compact=false) %}<div class="{{ "small" if compact else "big" }}">{{ case.title }}{{ tag(case.title) }}</div>{% endmacro %}
      {% macro tag(name) %}<i>{{ name }}</i>{% endmacro %}
      """)
    let template =
      "{% import \"partials/macros.html\" as m %}{{ m.card(c) }}{{ m.card(c, compact=true) }}{{ m.card(case=c, compact=true) }}"
    #expect(
      try render(template, ["c": ["title": "A&B"]], others: [macros])
        == "<div class=\"big\">A&amp;B<i>A&amp;B</i></div><div class=\"small\">A&amp;B<i>A&amp;B</i></div><div class=\"small\">A&amp;B<i>A&amp;B</i></div>"
    )
  }

  @Test func macroDoesNotSeeCallerContext() throws {
    let macros = source("m.html", "{% macro f() %}{{ x | default(\"hidden\") }}{% endmacro %}")
    #expect(
      try render("{% import \"m.html\" as m %}{{ m.f() }}", ["x": "visible"], others: [macros])
        == "hidden")
  }

  @Test func customFilter() throws {
    let filters: [String: Filter] = ["markdown": { input, _, _ in .html("<p>\(input.text)</p>") }]
    #expect(try render("{{ body | markdown }}", ["body": "hi"], filters: filters) == "<p>hi</p>")
  }

  @Test func libraryNamesAndContains() throws {
    let library = try TemplateLibrary(sources: [source("b.html", "b"), source("a.html", "a")])
    #expect(library.names == ["a.html", "b.html"])
    #expect(library.contains("a.html"))
    #expect(!library.contains("c.html"))
  }
}
