import Foundation
import Mustache
import Stencil
import Templates

// One realistic case page: layout + header/footer partials, 10 related cases (a card partial
// each), tags, a ~5 KB article body. The same page through three engines; outputs must be
// byte-identical; only rendering is timed (compilation and, for Mustache, the view model
// preparation — dates formatted, URLs prefixed — happen before the clock starts).

let basePath = "/portail/"
let words = [
  "jardin", "partagé", "quartier", "habitants", "l'association", "épicerie", "solidaire",
  "coopérative", "énergie", "citoyenne", "mairie", "projet", "bénévoles", "récolte", "atelier",
  "réparation", "vélo", "compost", "école", "marché", "producteurs", "locaux", "café", "friche",
]

struct Generator {
  var state: UInt64 = 7
  mutating func next(_ bound: Int) -> Int {
    state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
    return Int((state >> 33) % UInt64(bound))
  }
  mutating func sentence(_ count: Int) -> String {
    (0..<count).map { _ in words[next(words.count)] }.joined(separator: " ")
  }
}

var generator = Generator()
var body = ""
while body.utf8.count < 5_000 {
  body += "<p>\(generator.sentence(30)) <em>\(generator.sentence(3))</em> \(generator.sentence(20)).</p>\n"
}
let dates = (0..<11).map { Date(timeIntervalSince1970: 1_494_201_600 + Double($0) * 86_400 * 37) }
let tagNames = ["Alimentation", "Économie sociale & solidaire", "Énergie", "Mobilité", "Lien social"]
let menu = [("Cas", "/cases/"), ("Carte", "/map/"), ("Thèmes", "/topics/"), ("Recherche", "/search/"), ("À propos", "/about/")]

func slug(_ text: String) -> String {
  String(text.lowercased().unicodeScalars.map { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) ? Character($0) : "-" })
}

let related: [(title: String, summary: String, url: String, date: Date)] = (0..<10).map { index in
  let title = "Le \(generator.sentence(3)) d'\(generator.sentence(1)) & \(generator.sentence(1)) n°\(index)"
  return (title, generator.sentence(25) + " <b>!</b>", "/cases/\(slug(title))/", dates[index + 1])
}

// MARK: - Proximus templates

let ours = try TemplateLibrary(sources: [
  TemplateSource(name: "base.html", path: "base.html", text: """
    <!DOCTYPE html>
    <html lang="{{ lang }}"><head><meta charset="utf-8"><title>{% block title %}{{ site.title }}{% endblock %}</title><link rel="stylesheet" href="{{ "/assets/site.css" | url }}"></head>
    <body>{% include "partials/header.html" %}<main>{% block main %}{% endblock %}</main>{% include "partials/footer.html" %}</body></html>
    """),
  TemplateSource(name: "partials/header.html", path: "partials/header.html", text: """
    <header><a class="brand" href="{{ "/" | url }}">{{ site.title }}</a><nav>{% for item in site.menu %}<a href="{{ item.url | url }}">{{ item.title }}</a>{% endfor %}</nav></header>
    """),
  TemplateSource(name: "partials/footer.html", path: "partials/footer.html", text: """
    <footer>© {{ site.year }} {{ site.title }}</footer>
    """),
  TemplateSource(name: "partials/card.html", path: "partials/card.html", text: """
    <div class="card"><a href="{{ c.url | url }}">{{ c.title }}</a><p>{{ c.summary }}</p><time>{{ c.date | date }}</time></div>
    """),
  TemplateSource(name: "case.html", path: "case.html", text: """
    {% extends "base.html" %}{% block title %}{{ page.title }} · {{ site.title }}{% endblock %}{% block main %}<article><h1>{{ page.title }}</h1>
    <p class="meta">{{ page.date | date }} · {{ page.country }}</p>
    <ul class="tags">{% for tag in page.tags %}<li><a href="{{ tag.url | url }}">{{ tag.name }}</a></li>{% endfor %}</ul>
    <div class="body">{{ page.body }}</div></article>
    <section class="related"><h2>Cas liés</h2>{% for c in related %}{% include "partials/card.html" %}{% endfor %}</section>{% endblock %}
    """),
])

let ourContext: [String: Value] = [
  "lang": "fr",
  "site": [
    "title": "Proximus — projets d'ici", "year": 2026,
    "menu": .array(menu.map { ["title": .string($0.0), "url": .string($0.1)] }),
  ],
  "page": [
    "title": "Le jardin partagé & l'épicerie solidaire", "date": .date(dates[0]), "country": "France",
    "tags": .array(tagNames.map { ["name": .string($0), "url": .string("/topics/\(slug($0))/")] }),
    "body": .html(body),
  ],
  "related": .array(related.map {
    ["title": .string($0.title), "summary": .string($0.summary), "url": .string($0.url), "date": .date($0.date)]
  }),
]
let environment = RenderEnvironment(language: "en", basePath: basePath)

// MARK: - Stencil

func escapeHTML(_ text: String) -> String {
  var out = ""
  out.reserveCapacity(text.utf8.count)
  for character in text {
    switch character {
    case "&": out += "&amp;"
    case "<": out += "&lt;"
    case ">": out += "&gt;"
    case "\"": out += "&#34;"
    case "'": out += "&#39;"
    default: out.append(character)
    }
  }
  return out
}

let longDate: DateFormatter = {
  let formatter = DateFormatter()
  formatter.locale = Locale(identifier: "en_GB")
  formatter.timeZone = TimeZone(identifier: "UTC")
  formatter.dateFormat = "d MMMM yyyy"
  return formatter
}()

let stencilExtension = Extension()
stencilExtension.registerFilter("escape") { value in escapeHTML(value.map { "\($0)" } ?? "") }
stencilExtension.registerFilter("url") { value in
  let path = value as? String ?? ""
  return basePath + (path.hasPrefix("/") ? String(path.dropFirst()) : path)
}
stencilExtension.registerFilter("date") { value in (value as? Date).map(longDate.string(from:)) ?? "" }

let stencil = Stencil.Environment(
  loader: DictionaryLoader(templates: [
    "base.html": """
      <!DOCTYPE html>
      <html lang="{{ lang|escape }}"><head><meta charset="utf-8"><title>{% block title %}{{ site.title|escape }}{% endblock %}</title><link rel="stylesheet" href="{{ "/assets/site.css"|url|escape }}"></head>
      <body>{% include "partials/header.html" %}<main>{% block main %}{% endblock %}</main>{% include "partials/footer.html" %}</body></html>
      """,
    "partials/header.html": """
      <header><a class="brand" href="{{ "/"|url|escape }}">{{ site.title|escape }}</a><nav>{% for item in site.menu %}<a href="{{ item.url|url|escape }}">{{ item.title|escape }}</a>{% endfor %}</nav></header>
      """,
    "partials/footer.html": "<footer>© {{ site.year }} {{ site.title|escape }}</footer>",
    "partials/card.html": """
      <div class="card"><a href="{{ c.url|url|escape }}">{{ c.title|escape }}</a><p>{{ c.summary|escape }}</p><time>{{ c.date|date }}</time></div>
      """,
    "case.html": """
      {% extends "base.html" %}{% block title %}{{ page.title|escape }} · {{ site.title|escape }}{% endblock %}{% block main %}<article><h1>{{ page.title|escape }}</h1>
      <p class="meta">{{ page.date|date }} · {{ page.country|escape }}</p>
      <ul class="tags">{% for tag in page.tags %}<li><a href="{{ tag.url|url|escape }}">{{ tag.name|escape }}</a></li>{% endfor %}</ul>
      <div class="body">{{ page.body }}</div></article>
      <section class="related"><h2>Cas liés</h2>{% for c in related %}{% include "partials/card.html" %}{% endfor %}</section>{% endblock %}
      """,
  ]),
  extensions: [stencilExtension])
let stencilTemplate = try stencil.loadTemplate(name: "case.html")

let stencilContext: [String: Any] = [
  "lang": "fr",
  "site": [
    "title": "Proximus — projets d'ici", "year": 2026,
    "menu": menu.map { ["title": $0.0, "url": $0.1] },
  ] as [String: Any],
  "page": [
    "title": "Le jardin partagé & l'épicerie solidaire", "date": dates[0], "country": "France",
    "tags": tagNames.map { ["name": $0, "url": "/topics/\(slug($0))/"] }, "body": body,
  ] as [String: Any],
  "related": related.map { ["title": $0.title, "summary": $0.summary, "url": $0.url, "date": $0.date] as [String: Any] },
]

// MARK: - Mustache (view model prepared in Swift: URLs prefixed, dates formatted)

var mustache = MustacheLibrary()
try mustache.register("""
  <!DOCTYPE html>
  <html lang="{{lang}}"><head><meta charset="utf-8"><title>{{$title}}{{site.title}}{{/title}}</title><link rel="stylesheet" href="{{site.css}}"></head>
  <body>{{>header}}<main>{{$main}}{{/main}}</main>{{>footer}}</body></html>
  """, named: "base")
try mustache.register("""
  <header><a class="brand" href="{{site.home}}">{{site.title}}</a><nav>{{#site.menu}}<a href="{{url}}">{{title}}</a>{{/site.menu}}</nav></header>
  """, named: "header")
try mustache.register("<footer>© {{site.year}} {{site.title}}</footer>", named: "footer")
try mustache.register("""
  <div class="card"><a href="{{url}}">{{title}}</a><p>{{summary}}</p><time>{{date}}</time></div>
  """, named: "card")
try mustache.register("""
  {{<base}}{{$title}}{{page.title}} · {{site.title}}{{/title}}{{$main}}<article><h1>{{page.title}}</h1>
  <p class="meta">{{page.date}} · {{page.country}}</p>
  <ul class="tags">{{#page.tags}}<li><a href="{{url}}">{{name}}</a></li>{{/page.tags}}</ul>
  <div class="body">{{{page.body}}}</div></article>
  <section class="related"><h2>Cas liés</h2>{{#related}}{{>card}}{{/related}}</section>{{/main}}{{/base}}
  """, named: "case")

func prefixed(_ path: String) -> String { basePath + String(path.dropFirst()) }
let mustacheContext: [String: Any] = [
  "lang": "fr",
  "site": [
    "title": "Proximus — projets d'ici", "year": 2026, "css": prefixed("/assets/site.css"),
    "home": basePath, "menu": menu.map { ["title": $0.0, "url": prefixed($0.1)] },
  ] as [String: Any],
  "page": [
    "title": "Le jardin partagé & l'épicerie solidaire", "date": longDate.string(from: dates[0]),
    "country": "France", "body": body,
    "tags": tagNames.map { ["name": $0, "url": prefixed("/topics/\(slug($0))/")] },
  ] as [String: Any],
  "related": related.map {
    ["title": $0.title, "summary": $0.summary, "url": prefixed($0.url), "date": longDate.string(from: $0.date)]
  },
]

// MARK: - Check and time

let ourHTML = try ours.render("case.html", context: ourContext, environment: environment)
let stencilHTML = try stencilTemplate.render(stencilContext)
let mustacheHTML = mustache.render(mustacheContext, withTemplate: "case") ?? ""
// Mustache escapes `"` as &quot; (we use &#34;); the data has no double quote outside markup.
guard ourHTML == stencilHTML, ourHTML == mustacheHTML else {
  for (name, html) in [("stencil", stencilHTML), ("mustache", mustacheHTML)] where html != ourHTML {
    let prefix = zip(ourHTML, html).prefix { $0 == $1 }.count
    print("\(name) differs at character \(prefix):")
    print("  ours: \(String(ourHTML.dropFirst(max(0, prefix - 40)).prefix(120)))")
    print("  \(name): \(String(html.dropFirst(max(0, prefix - 40)).prefix(120)))")
  }
  exit(1)
}
print("identical output: \(ourHTML.utf8.count) bytes")

func measure(_ name: String, iterations: Int, _ body: () throws -> String) rethrows -> Double {
  var sink = 0
  for _ in 0..<max(10, iterations / 10) { sink &+= try body().utf8.count }
  let clock = ContinuousClock()
  let elapsed = try clock.measure {
    for _ in 0..<iterations { sink &+= try body().utf8.count }
  }
  let micros = Double(elapsed.components.seconds) * 1e6 + Double(elapsed.components.attoseconds) / 1e12
  let perRender = micros / Double(iterations)
  print("\(name.padding(toLength: 10, withPad: " ", startingAt: 0)) \(String(format: "%9.1f", perRender)) µs/render  (\(iterations) renders, sink \(sink % 10))")
  return perRender
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 3000
let oursTime = try measure("proximus", iterations: iterations) {
  try ours.render("case.html", context: ourContext, environment: environment)
}
if ProcessInfo.processInfo.environment["ONLY_PROXIMUS"] != nil { exit(0) }
let stencilTime = try measure("stencil", iterations: max(1, iterations / 10)) {
  try stencilTemplate.render(stencilContext)
}
let mustacheTime = measure("mustache", iterations: iterations) {
  mustache.render(mustacheContext, withTemplate: "case") ?? ""
}
print(String(format: "stencil / proximus  = %.2f×", stencilTime / oursTime))
print(String(format: "mustache / proximus = %.2f×", mustacheTime / oursTime))
print(String(format: "faster peer / proximus = %.2f× (target ≥ 3×)", min(stencilTime, mustacheTime) / oursTime))
