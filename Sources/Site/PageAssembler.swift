import Content
import Diagnostics
import Foundation
import Parallelism
import Templates

/// One page to render: where it goes, with which template and what it shows.
struct PageJob: Sendable {
  var path: String
  var template: String
  var language: String
  var context: [String: Value]
  /// The position of the document the page shows (case studies, posts and pages).
  var document: Int? = nil
}

/// The assemble phase: decides every page of the site and what each one shows.
struct PageAssembler: Sendable {
  let values: ModelValues
  let translations: [String: [String: String]]
  /// The `site` variable of each language: the same on every page, so made once.
  private var sites: [String: Value] = [:]

  init(values: ModelValues, translations: [String: [String: String]]) {
    self.values = values
    self.translations = translations
    for language in values.content.config.languages {
      sites[language] = siteValue(language)
    }
  }

  var content: SiteContent { values.content }
  var routes: Routes { values.routes }
  var documents: [Document] { content.documents }
  var languages: [String] { content.config.languages }

  /// Every page of the site, in a fixed order.
  func jobs() -> [PageJob] {
    batches().flatMap { $0() }
  }

  /// Every page of the site, in the order of ``jobs()``, as batches made on demand: `build`
  /// renders and releases each batch before making the next, so it never holds the contexts
  /// of every page at once (2.6 GB of them at 100,000 cases).
  func batches() -> [@Sendable () -> [PageJob]] {
    let related = RelatedCases(values: values)
    let groups = values.cases.groups.indices
    var batches: [@Sendable () -> [PageJob]] = stride(
      from: groups.lowerBound, to: groups.upperBound, by: Self.caseGroupsPerBatch
    ).map { start in
      let range = start..<min(start + Self.caseGroupsPerBatch, groups.upperBound)
      // In runs of 25 groups, each computing its related cases with one scratch array.
      let runs = stride(from: range.lowerBound, to: range.upperBound, by: 25).map {
        $0..<min($0 + 25, range.upperBound)
      }
      return {
        runs.parallelMap { run -> [PageJob] in
          zip(run, related.best(for: run)).flatMap { group, best in
            values.cases.groups[group].members.map { casePage($0, group: group, related: best) }
          }
        }.flatMap { $0 }
      }
    }
    batches.append {
      documents.indices.filter { documents[$0].kind != .caseStudy }.map(documentPage)
    }
    for language in languages {
      batches.append { [homePage(language)] + caseLists(language) + postLists(language) }
      batches.append { topicPages(language) + factorPages(language) }
      batches.append { placePages(language) }
      batches.append { [mapPage(language), searchPage(language)] }
    }
    batches.append {
      [
        page(
          "/404.html", template: "404.html", language: content.config.defaultLanguage,
          kind: "404",
          title: translations[content.config.defaultLanguage]?["notfound.title"] ?? "404")
      ]
    }
    return batches
  }

  static let caseGroupsPerBatch = 1000

  // MARK: Common context

  /// The `site` variable of pages in `language`.
  func site(_ language: String) -> Value { sites[language] ?? siteValue(language) }

  private func siteValue(_ language: String) -> Value {
    let config = content.config
    return [
      "title": .string(config.title), "base_url": .string(config.baseURL),
      "base_path": .string(config.basePath), "default_language": .string(config.defaultLanguage),
      "languages": .array(
        config.languages.map {
          [
            "code": .string($0), "name": .string(translations[language]?["language.\($0)"] ?? $0),
            "home": .string(routes.home($0)),
          ]
        }),
      "license": .string(config.license),
      "license_name": .string(License.name(config.license)),
      "license_url": .string(License.url(config.license)),
      "edit_url": Value(config.editURL),
      "counts": [
        "cases": .int(values.cases.groups.count), "posts": .int(values.posts.groups.count),
        "localities": .int(content.localities.count),
        "countries": .int(content.index.casesByCountry.count), "topics": .int(content.topics.count),
        "factors": .int(content.factors.count),
      ],
    ]
  }

  /// A generated page (not a document): the same path exists in every language.
  func page(
    _ path: String, template: String, language: String, kind: String, title: String,
    description: String = "", extra: [String: Value] = [:], samePath: ((String) -> String)? = nil
  ) -> PageJob {
    var pageValue: [String: Value] = [
      "title": .string(title), "url": .string(path), "description": .string(description),
      "kind": .string(kind), "canonical": .string(absolute(path)), "image": .null,
      "alternates": .array(values.alternates(of: nil, samePage: samePath)),
    ]
    if kind == "404" { pageValue["alternates"] = .array([]) }
    var context = extra
    context["page"] = .object(pageValue)
    context["site"] = site(language)
    context["lang"] = .string(language)
    return PageJob(path: path, template: template, language: language, context: context)
  }

  func absolute(_ path: String) -> String {
    content.config.baseURL + path.dropFirst()
  }

  /// A UI string the builder writes itself; ``requiredKeys`` are checked at load, so a
  /// missing one never reaches a page.
  func t(_ key: String, _ language: String, _ arguments: CustomStringConvertible...) -> String {
    var text = translations[language]?[key] ?? key
    for (position, argument) in arguments.enumerated() {
      text = text.replacingOccurrences(of: "{\(position)}", with: argument.description)
    }
    return text
  }

  /// Every UI string key the builder itself uses, for every language of the site.
  static let requiredKeys: [String] =
    [
      "pages.cases", "pages.cases_intro", "pages.posts", "pages.topics", "pages.topics_intro",
      "pages.factors", "pages.places", "pages.search", "pages.home_description", "factors.intro",
      "places.intro", "map.title", "map.intro", "notfound.title", "chart.this", "chart.all",
      "chart.title",
    ] + CaseDetails.outcomes.flatMap { ["outcome.\($0)", "outcome_intro.\($0)"] }
    + ["topic", "factor", "outcome", "country", "lang"].map { "facet.\($0)" }

  /// Missing required keys (and language names) of each language, as errors naming the file.
  static func missingKeys(
    _ translations: [String: [String: String]], languages: [String], file: (String) -> String
  ) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    for language in languages {
      let strings = translations[language] ?? [:]
      for key in requiredKeys + languages.map({ "language.\($0)" }) where strings[key] == nil {
        diagnostics.append(
          .error(
            "missing UI string '\(key)' for language '\(language)'",
            at: SourceLocation(file: file(language), line: 0)))
      }
    }
    return diagnostics
  }

  // MARK: Documents

  /// The page of one case; `related` are the groups of its related cases.
  func casePage(_ position: Int, group: Int, related: [Int]) -> PageJob {
    let document = documents[position]
    let language = document.language
    let details = document.details ?? CaseDetails()
    var page = values.documentPage(position)
    for (key, value) in values.caseCard(position, language).objectFields where page[key] == nil {
      page[key] = value
    }
    page["kind"] = "case"
    page["canonical"] = .string(absolute(routes.document(document)))
    page["factors"] = [
      "success": .array(details.successFactors.map { values.factorReference($0.text, language) }),
      "failure": .array(details.failureFactors.map { values.factorReference($0.text, language) }),
    ]
    page["localities"] = .array(
      details.localities.compactMap { content.index.localityByID[$0.text] }.map {
        values.localityReference($0, language)
      })
    page["links"] = .array(
      details.links.map { ["title": .string($0.title), "url": .string($0.url)] })
    page["related"] = .array(values.caseCards(groups: related, language))
    page["previous"] =
      group + 1 < values.cases.groups.count
      ? values.caseCards(groups: [group + 1], language)[0] : .null
    page["next"] = group > 0 ? values.caseCards(groups: [group - 1], language)[0] : .null
    page["json_ld"] = JSONLD.caseStudy(document, page: page, config: content.config)
    return PageJob(
      path: routes.document(document), template: "case.html", language: language,
      context: [
        "page": .object(page), "site": site(language), "lang": .string(language),
      ], document: position)
  }

  func documentPage(_ position: Int) -> PageJob {
    let document = documents[position]
    var page = values.documentPage(position)
    page["kind"] = .string(document.kind == .post ? "post" : "page")
    page["canonical"] = .string(absolute(routes.document(document)))
    return PageJob(
      path: routes.document(document), template: document.kind == .post ? "post.html" : "page.html",
      language: document.language,
      context: [
        "page": .object(page), "site": site(document.language),
        "lang": .string(document.language),
      ], document: position)
  }

  // MARK: Lists

  func homePage(_ language: String) -> PageJob {
    let recentCases = values.caseCards(
      groups: Array(values.cases.groups.indices.prefix(12)), language)
    let recentPosts = values.posts.groups.indices.prefix(5).map {
      values.postCard(values.posts.preferred($0, language: language, documents: documents))
    }
    let outcomes = CaseDetails.outcomes.map { outcome -> Value in
      [
        "id": .string(outcome), "label": .string(t("outcome.\(outcome)", language)),
        "count": .int(values.cases.groupsOf(content.index.casesByOutcome[outcome] ?? []).count),
        "url": .string(routes.outcome(outcome, language)),
      ]
    }
    return page(
      routes.home(language), template: "home.html", language: language, kind: "home",
      title: content.config.title, description: t("pages.home_description", language),
      extra: [
        "recent_cases": .array(recentCases), "recent_posts": .array(recentPosts),
        "outcomes": .array(outcomes), "topics": .array(topicCounts(language)),
      ], samePath: { routes.home($0) })
  }

  func topicCounts(_ language: String) -> [Value] {
    content.topics.map { topic in
      var reference = values.topicReference(topic.id, language).objectFields
      reference["title"] = reference["label"]
      reference["count"] = .int(
        values.cases.groupsOf(content.index.casesByTopic[topic.id] ?? []).count)
      return .object(reference)
    }
  }

  /// Paged list pages of `items` at `section` (`cases`, `outcomes/success`, …).
  func pagedList(
    section: String, language: String, kind: String, itemKind: String, heading: String,
    intro: String? = nil, items: [Value], template: String = "list.html",
    itemsKey: String = "items", extra: [String: Value] = [:],
    firstPageExtra: [String: Value] = [:]
  ) -> [PageJob] {
    let size = content.config.paginate
    let total = max(1, (items.count + size - 1) / size)
    return (1...total).map { number in
      let path = routes.list(section, language, page: number)
      let pages: [Value] = Self.paginationWindow(current: number, total: total).map {
        guard let shown = $0 else { return ["number": .null, "url": .null, "gap": true] }
        return [
          "number": .int(shown), "url": .string(routes.list(section, language, page: shown)),
          "gap": false,
        ]
      }
      let pagination: Value = [
        "current": .int(number), "total": .int(total),
        "previous": number > 1 ? .string(routes.list(section, language, page: number - 1)) : .null,
        "next": number < total ? .string(routes.list(section, language, page: number + 1)) : .null,
        "pages": .array(pages),
      ]
      let slice = Array(
        items[min(items.count, (number - 1) * size)..<min(items.count, number * size)])
      let title = number > 1 ? "\(heading) (\(number)/\(total))" : heading
      var context = extra
      for (key, value) in firstPageExtra { context[key] = number == 1 ? value : .array([]) }
      context[itemsKey] = .array(slice)
      context["item_kind"] = .string(itemKind)
      context["pagination"] = pagination
      context["heading"] = .string(heading)
      context["intro"] = Value(intro)
      return page(
        path, template: template, language: language, kind: kind, title: title,
        description: intro ?? "", extra: context,
        samePath: { routes.list(section, $0, page: number) })
    }
  }

  /// The page numbers a list page links to: the first and last, and two on each side of the
  /// current one; nil where numbers are left out. A page linking every other page made the
  /// site grow with the square of its size (5,000 links on each of 5,000 pages at 100k cases).
  static func paginationWindow(current: Int, total: Int) -> [Int?] {
    let near = max(1, current - 2)...min(total, current + 2)
    var shown: [Int?] = []
    for number in Set([1, total]).union(near).sorted() {
      if let last = shown.last ?? nil, number > last + 1 {
        // A gap of one page shows that page rather than an ellipsis.
        shown.append(number == last + 2 ? last + 1 : nil)
      }
      shown.append(number)
    }
    return shown
  }

  func caseLists(_ language: String) -> [PageJob] {
    var jobs = pagedList(
      section: "cases", language: language, kind: "list", itemKind: "case",
      heading: t("pages.cases", language), intro: t("pages.cases_intro", language),
      items: values.caseCards(groups: Array(values.cases.groups.indices), language))
    for outcome in CaseDetails.outcomes {
      let groups = values.cases.groupsOf(content.index.casesByOutcome[outcome] ?? [])
      jobs += pagedList(
        section: "outcomes/\(outcome)", language: language, kind: "outcome", itemKind: "case",
        heading: t("outcome.\(outcome)", language), intro: t("outcome_intro.\(outcome)", language),
        items: values.caseCards(groups: groups, language))
    }
    return jobs
  }

  func postLists(_ language: String) -> [PageJob] {
    let cards = values.posts.groups.indices.map {
      values.postCard(values.posts.preferred($0, language: language, documents: documents))
    }
    return pagedList(
      section: "posts", language: language, kind: "list", itemKind: "post",
      heading: t("pages.posts", language), items: cards)
  }

  func topicPages(_ language: String) -> [PageJob] {
    var jobs = [
      page(
        routes.list("topics", language), template: "list.html", language: language, kind: "topics",
        title: t("pages.topics", language), description: t("pages.topics_intro", language),
        extra: [
          "items": .array(topicCounts(language)), "item_kind": "topic",
          "pagination": ["current": 1, "total": 1, "previous": nil, "next": nil, "pages": []],
          "heading": .string(t("pages.topics", language)),
          "intro": .string(t("pages.topics_intro", language)),
        ], samePath: { routes.list("topics", $0) })
    ]
    for topic in content.topics {
      let groups = values.cases.groupsOf(content.index.casesByTopic[topic.id] ?? [])
      var reference = values.topicReference(topic.id, language).objectFields
      reference["count"] = .int(groups.count)
      jobs += pagedList(
        section: "topics/\(topic.id)", language: language, kind: "topic", itemKind: "case",
        heading: topic.label.text(in: language), intro: topic.description.text(in: language),
        items: values.caseCards(groups: groups, language), template: "topic.html",
        itemsKey: "cases", extra: ["topic": .object(reference)])
    }
    return jobs
  }

  func factorPages(_ language: String) -> [PageJob] {
    let statistics = FactorStatistics(values: values)
    // A factor page lists the newest cases of each side; the outcome counts cover them all.
    let listLimit = content.config.paginate
    var jobs = content.factors.parallelMap { factor in
      let stats = statistics.stats(for: factor.id)
      let outcomeRows: [Value] = CaseDetails.outcomes.map { outcome in
        [
          "id": .string(outcome), "label": .string(t("outcome.\(outcome)", language)),
          "count": .int(stats.counts[outcome] ?? 0),
          "share": .int(FactorStatistics.percent(stats.counts[outcome] ?? 0, stats.cited)),
          "overall_count": .int(statistics.overall[outcome] ?? 0),
          "overall_share": .int(
            FactorStatistics.percent(statistics.overall[outcome] ?? 0, statistics.total)),
        ]
      }
      let chart = FactorChart.svg(
        rows: CaseDetails.outcomes.map { outcome in
          FactorChart.Row(
            label: t("outcome.\(outcome)", language), outcome: outcome,
            factorShare: FactorStatistics.percent(stats.counts[outcome] ?? 0, stats.cited),
            overallShare: FactorStatistics.percent(
              statistics.overall[outcome] ?? 0, statistics.total))
        },
        factorLabel: t("chart.this", language), overallLabel: t("chart.all", language),
        title: "\(t("chart.title", language)) — \(factor.label.text(in: language))")
      return page(
        routes.factor(factor.id, language), template: "factor.html", language: language,
        kind: "factor", title: factor.label.text(in: language),
        description: factor.description.text(in: language),
        extra: [
          "factor": values.factorReference(factor.id, language),
          "success_cases": .array(
            values.caseCards(groups: Array(stats.successGroups.prefix(listLimit)), language)),
          "failure_cases": .array(
            values.caseCards(groups: Array(stats.failureGroups.prefix(listLimit)), language)),
          "success_total": .int(stats.successGroups.count),
          "failure_total": .int(stats.failureGroups.count),
          "chart": .html(chart),
          "stats": ["cited": .int(stats.cited), "outcomes": .array(outcomeRows)],
        ], samePath: { routes.factor(factor.id, $0) })
    }
    let ranked = statistics.ranking().map { entry -> Value in
      var reference = values.factorReference(entry.id, language).objectFields
      reference["cited"] = .int(entry.cited)
      for outcome in CaseDetails.outcomes {
        reference["\(outcome)_count"] = .int(entry.counts[outcome] ?? 0)
      }
      return .object(reference)
    }
    func polarity(_ value: Value) -> String {
      if case .string(let text) = value.objectFields["polarity"] ?? .null { return text }
      return ""
    }
    jobs.append(
      page(
        routes.list("factors", language), template: "factors.html", language: language,
        kind: "factors", title: t("pages.factors", language),
        description: t("factors.intro", language, statistics.total),
        extra: [
          "success_factors": .array(ranked.filter { polarity($0) == "success" }),
          "failure_factors": .array(ranked.filter { polarity($0) == "failure" }),
          "total_cases": .int(statistics.total),
        ], samePath: { routes.list("factors", $0) }))
    return jobs
  }

  // MARK: Places

  func placePages(_ language: String) -> [PageJob] {
    let places = PlaceTree(values: values)
    // One page per place and pages per country: made on every core, as a large portal has
    // tens of thousands of them.
    var jobs = content.localities.parallelMap { locality in
      let groups = values.cases.groupsOf(content.index.casesByLocality[locality.id] ?? [])
      let point = MapProjection.point(latitude: locality.latitude, longitude: locality.longitude)
      return page(
        routes.locality(locality.id, language), template: "locality.html", language: language,
        kind: "locality", title: locality.name,
        description: [locality.region, Country.named(code: locality.country)?.name(in: language)]
          .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", "),
        extra: [
          "locality": values.localityReference(locality, language),
          "cases": .array(values.caseCards(groups: groups, language)),
          "map": ["x": .double(point.x), "y": .double(point.y)],
        ], samePath: { routes.locality(locality.id, $0) })
    }
    let countries = places.countries(language)
    jobs += countries.parallelMap { code, country in
      let groups = values.cases.groupsOf(content.index.casesByCountry[code] ?? [])
      return pagedList(
        section: "countries/\(code.lowercased())", language: language, kind: "country",
        itemKind: "case", heading: Country.named(code: code)?.name(in: language) ?? code,
        items: values.caseCards(groups: groups, language), template: "country.html",
        itemsKey: "cases",
        extra: ["country": .object(country.objectFields.filter { $0.key != "regions" })],
        // The region tree of a large country holds thousands of places: on its first page
        // only, not copied into (and hashed with) each of its hundreds of pages.
        firstPageExtra: ["regions": country.objectFields["regions"] ?? []])
    }.flatMap { $0 }
    jobs.append(
      page(
        routes.list("places", language), template: "places.html", language: language,
        kind: "places", title: t("pages.places", language),
        description: t("places.intro", language),
        extra: ["countries": .array(countries.map(\.1))], samePath: { routes.list("places", $0) }))
    return jobs
  }

  func mapPage(_ language: String) -> PageJob {
    var points: [Value] = []
    var list: [Value] = []
    for locality in content.localities {
      let count = values.cases.groupsOf(content.index.casesByLocality[locality.id] ?? []).count
      let point = MapProjection.point(latitude: locality.latitude, longitude: locality.longitude)
      let radius = count == 0 ? 2.0 : min(12, 3 + 2 * Double(count).squareRoot())
      points.append([
        "id": .string(locality.id), "name": .string(locality.name),
        "url": .string(routes.locality(locality.id, language)), "x": .double(point.x),
        "y": .double(point.y), "r": .double((radius * 10).rounded() / 10), "count": .int(count),
      ])
      list.append([
        "id": .string(locality.id), "name": .string(locality.name),
        "url": .string(routes.locality(locality.id, language)), "count": .int(count),
        "country": values.countryReference(locality.country, language),
      ])
    }
    return page(
      routes.list("map", language), template: "map.html", language: language, kind: "map",
      title: t("map.title", language), description: t("map.intro", language),
      extra: ["points": .array(points), "localities": .array(list)],
      samePath: { routes.list("map", $0) })
  }

  func searchPage(_ language: String) -> PageJob {
    func facet(_ name: String, _ values: [(String, String)]) -> Value {
      [
        "name": .string(name), "label": .string(t("facet.\(name)", language)),
        "values": .array(values.map { ["id": .string($0.0), "label": .string($0.1)] }),
      ]
    }
    let countries = content.index.casesByCountry.keys.sorted().map {
      ($0.lowercased(), Country.named(code: $0)?.name(in: language) ?? $0)
    }
    let facets: [Value] = [
      facet("topic", content.topics.map { ($0.id, $0.label.text(in: language)) }),
      facet("factor", content.factors.map { ($0.id, $0.label.text(in: language)) }),
      facet("outcome", CaseDetails.outcomes.map { ($0, t("outcome.\($0)", language)) }),
      facet("country", countries),
      facet("lang", languages.map { ($0, t("language.\($0)", language)) }),
    ]
    return page(
      routes.list("search", language), template: "search.html", language: language,
      kind: "search", title: t("pages.search", language),
      extra: [
        "index_url": .string("/search/index/\(language)/"), "facets": .array(facets),
      ], samePath: { routes.list("search", $0) })
  }
}

extension Value {
  /// The fields of an object value (empty for anything else).
  var objectFields: [String: Value] {
    if case .object(let fields) = self { return fields }
    return [:]
  }
}
