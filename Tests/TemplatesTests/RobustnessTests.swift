import Diagnostics
import Foundation
import Testing

@testable import Templates

/// SplitMix64: a tiny deterministic generator so the fuzz corpus is the same on every run.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64

  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

@Suite struct RobustnessTests {
  static let fragments = [
    "{{", "}}", "{%", "%}", "{#", "#}", "{{-", "-}}", "{%-", "-%}", " if ", " elif ", " else ",
    " endif ", " for ", " in ", " endfor ", " set ", " = ", " block ", " endblock ", " extends ",
    " include ", " import ", " as ", " macro ", " endmacro ", " raw ", " endraw ", "|", "\"",
    "'", "(", ")", "[", "]", "{", "}", ",", ".", ":", "x", "xs", "page", "title", "loop",
    "index", "super()", "m.card(", "upper", "default(", "truncate(3)", "1", "2.5", "-", "+",
    "*", "/", "%", "~", "==", "<", ">", "not", "and", "or", "is", "defined", "none", "<a href=\"",
    "<script>", "</script>", "<style>", "<!--", "-->", "=", " ", "\n", "é", "\u{0}", "\\",
    "\"base.html\"", "\"partials/card.html\"", "loop.index", "join(\",\")", "sort", "reverse",
  ]

  @Test func fuzzNeverCrashesAndFinishesFast() throws {
    var generator = SeededGenerator(state: 42)
    let partials = [
      source("base.html", "<main>{% block main %}{% endblock %}</main>"),
      source("partials/card.html", "<b>{{ x | default(\"\") }}</b>"),
      source("partials/macros.html", "{% macro card(c) %}{{ c }}{% endmacro %}"),
    ]
    let context: [String: Value] = [
      "x": "<x>", "xs": [1, "two", ["title": "t"]], "page": ["title": "T", "tags": ["a"]],
    ]
    let start = Date()
    var compiled = 0
    for _ in 0..<3000 {
      var text = ""
      for _ in 0..<Int.random(in: 1...40, using: &generator) {
        text += Self.fragments.randomElement(using: &generator) ?? ""
      }
      do {
        let library = try TemplateLibrary(
          sources: [source("page.html", text)] + partials)
        compiled += 1
        _ = try? library.renderText("page.html", context: context, environment: .init())
      } catch {
        #expect(!error.diagnostics.isEmpty)
        #expect(error.diagnostics.allSatisfy { $0.location != nil })
      }
    }
    #expect(compiled > 0)
    #expect(Date().timeIntervalSince(start) < 30)
  }

  @Test func deepNestingIsAnErrorNotACrash() {
    let parens = String(repeating: "(", count: 5000) + "1" + String(repeating: ")", count: 5000)
    #expect(
      diagnostics { _ = try render("{{ \(parens) }}") }.first?.message
        == "expression is nested too deeply")
    let ifs =
      String(repeating: "{% if true %}", count: 5000)
      + String(repeating: "{% endif %}", count: 5000)
    #expect(
      diagnostics { _ = try render(ifs) }.first?.message == "tags nested more than 200 levels deep")
    let nots = String(repeating: "not ", count: 5000) + "x"
    #expect(!diagnostics { _ = try render("{{ \(nots) }}") }.isEmpty)
  }

  @Test func recursiveIncludeThroughMacroIsBounded() {
    let partial = source("p.html", "{% import \"m.html\" as m %}{{ m.f() }}")
    let macros = source("m.html", "{% macro f() %}{% include \"p.html\" %}{% endmacro %}")
    let found = diagnostics {
      _ = try render("{% include \"p.html\" %}", others: [partial, macros])
    }
    #expect(found.first?.message.hasPrefix("nesting deeper than 100") == true)
  }

  @Test func concurrentRendersShareOneLibrary() async throws {
    let library = try TemplateLibrary(sources: [
      source("base.html", "<h1>{% block title %}{% endblock %}</h1>{% block body %}{% endblock %}"),
      source(
        "page.html",
        "{% extends \"base.html\" %}{% block title %}{{ title }}{% endblock %}{% block body %}{% for i in items %}{% include \"item.html\" %}{% endfor %}{% endblock %}"
      ),
      source("item.html", "<i>{{ i }}·{{ title | upper }}</i>"),
    ])
    let results = try await withThrowingTaskGroup(of: (Int, String).self) { group in
      for task in 0..<64 {
        group.addTask {
          let items = Value.array((0..<task % 7).map { .int($0) })
          let html = try library.renderText(
            "page.html", context: ["title": .string("t\(task)"), "items": items],
            environment: .init())
          return (task, html)
        }
      }
      var collected: [Int: String] = [:]
      for try await (task, html) in group { collected[task] = html }
      return collected
    }
    #expect(results.count == 64)
    for (task, html) in results {
      let items = (0..<task % 7).map { "<i>\($0)·T\(task)</i>" }.joined()
      #expect(html == "<h1>t\(task)</h1>\(items)")
    }
  }
}

@Suite struct DeepRecursionInTaskTests {
  /// The nesting limit must trip before a task's (smaller) stack runs out.
  @Test func depthLimitInsideATask() async {
    let macros = source(
      "m.html",
      "{% macro f(n) %}{% for i in [1] %}{% if true %}<p title=\"{{ n }}\">{{ f(n + 1) | upper }}</p>{% endif %}{% endfor %}{% endmacro %}"
    )
    let partial = source("q.html", "{% import \"m2.html\" as k %}<b>{{ k.g() }}</b>")
    let other = source(
      "m2.html",
      "{% macro g() %}{% for i in [1] %}{% if true %}{% include \"q.html\" %}{% endif %}{% endfor %}{% endmacro %}"
    )
    let messages = await Task.detached {
      [
        diagnostics {
          _ = try render("{% import \"m.html\" as m %}{{ m.f(0) }}", others: [macros])
        }.first?.message,
        diagnostics {
          _ = try render("{% include \"q.html\" %}", others: [partial, other])
        }.first?.message,
      ]
    }.value
    #expect(
      messages.allSatisfy { $0?.hasPrefix("nesting deeper than 100") == true }, "\(messages)")
  }
}

extension DeepRecursionInTaskTests {
  /// 100 macro levels × 12 nested tags: the render depth limit (1,000) trips, no stack overflow.
  @Test func renderDepthLimitInsideATask() async {
    let open = String(repeating: "{% for i in [1] %}{% if true %}", count: 6)
    let close = String(repeating: "{% endif %}{% endfor %}", count: 6)
    let macros = source("m.html", "{% macro f(n) %}\(open){{ f(n + 1) }}\(close){% endmacro %}")
    let message = await Task.detached {
      diagnostics {
        _ = try render("{% import \"m.html\" as m %}{{ m.f(0) }}", others: [macros])
      }.first?.message
    }.value
    #expect(message == "templates nested deeper than 1000 tags while rendering")
  }
}
