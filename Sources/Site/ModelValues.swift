import Content
import Diagnostics
import Foundation
import Markdown
import Parallelism
import Templates

/// The portal model turned into template values: references, cards and full pages.
/// Built once per build; every function is pure and safe to call from many threads.
struct ModelValues: Sendable {
  private(set) var content: SiteContent
  let routes: Routes
  private(set) var rendered: [RenderedMarkdown?]
  let cases: TranslationGroups
  let posts: TranslationGroups
  /// Per document: the short text of cards and results, made once.
  private var summaries: [String]
  /// Language → document index → case card (null for other kinds), made once: a case shows
  /// on many pages (lists, places, topics, factors, related cases).
  private var cards: [String: [Value]]
  /// In `build`, the HTML of the bodies, moved out of `rendered`.
  let bodies: DocumentBodies?
  /// Language → the references to topics, factors and places, made once: each shows on many
  /// pages (a case page's places and factors were a quarter of its context's making).
  private var references: [String: References]

  private struct References: Sendable {
    var topics: [String: Value] = [:]
    var factors: [String: Value] = [:]
    var localities: [String: Value] = [:]
  }

  init(
    content: SiteContent, routes: Routes, rendered: [RenderedMarkdown?],
    cases: TranslationGroups, posts: TranslationGroups, bodies: DocumentBodies? = nil
  ) {
    self.content = content
    self.routes = routes
    self.rendered = rendered
    self.bodies = bodies
    self.cases = cases
    self.posts = posts
    summaries = content.documents.indices.parallelMap { position in
      Self.summary(of: content.documents[position], rendered: rendered[position], words: 30)
    }
    references = [:]
    cards = [:]
    var references: [String: References] = [:]
    for language in content.config.languages {
      var made = References()
      for topic in content.topics { made.topics[topic.id] = makeTopicReference(topic.id, language) }
      for factor in content.factors {
        made.factors[factor.id] = makeFactorReference(factor.id, language)
      }
      for locality in content.localities {
        made.localities[locality.id] = makeLocalityReference(locality, language)
      }
      references[language] = made
    }
    self.references = references
    var cards: [String: [Value]] = [:]
    for language in content.config.languages {
      let values = self
      cards[language] = content.documents.indices.parallelMap { position in
        content.documents[position].kind == .caseStudy
          ? values.makeCaseCard(position, language) : .null
      }
    }
    self.cards = cards
  }

  var documents: [Document] { content.documents }

  /// Gives every array of documents its own storage (see ``IncrementalSite/derivedSources()``).
  mutating func copyStorage() {
    content.documents.reserveCapacity(content.documents.count)
    rendered.reserveCapacity(rendered.count)
    summaries.reserveCapacity(summaries.count)
    cards = cards.mapValues { cards in
      var copy = cards
      copy.reserveCapacity(cards.count)
      return copy
    }
  }

  /// Replaces one document by an edit that keeps its place in the site (see
  /// ``IncrementalSite``): its summary and cards are made again.
  mutating func replaceDocument(
    of position: Int, with document: Document, rendered markdown: RenderedMarkdown?
  ) {
    content.documents[position] = document
    rendered[position] = markdown
    summaries[position] = Self.summary(of: document, rendered: markdown, words: 30)
    guard document.kind == .caseStudy else { return }
    for language in content.config.languages {
      let card = makeCaseCard(position, language)
      cards[language]?[position] = card
    }
  }

  func topicReference(_ id: String, _ language: String) -> Value {
    references[language]?.topics[id] ?? makeTopicReference(id, language)
  }

  func factorReference(_ id: String, _ language: String) -> Value {
    references[language]?.factors[id] ?? makeFactorReference(id, language)
  }

  /// `locality` as the site's localities file gives it (ids are unique there).
  func localityReference(_ locality: Locality, _ language: String) -> Value {
    references[language]?.localities[locality.id] ?? makeLocalityReference(locality, language)
  }

  private func makeTopicReference(_ id: String, _ language: String) -> Value {
    let topic = content.index.topicByID[id]
    return [
      "id": .string(id), "label": .string(topic?.label.text(in: language) ?? id),
      "description": .string(topic?.description.text(in: language) ?? ""),
      "url": .string(routes.topic(id, language)),
    ]
  }

  private func makeFactorReference(_ id: String, _ language: String) -> Value {
    let factor = content.index.factorByID[id]
    return [
      "id": .string(id), "label": .string(factor?.label.text(in: language) ?? id),
      "description": .string(factor?.description.text(in: language) ?? ""),
      "polarity": .string(factor?.polarity.rawValue ?? ""),
      "url": .string(routes.factor(id, language)),
    ]
  }

  func countryReference(_ code: String, _ language: String) -> Value {
    [
      "code": .string(code), "name": .string(Country.named(code: code)?.name(in: language) ?? code),
      "url": .string(routes.country(code, language)),
    ]
  }

  private func makeLocalityReference(_ locality: Locality, _ language: String) -> Value {
    [
      "id": .string(locality.id), "name": .string(locality.name),
      "region": .string(locality.region),
      "url": .string(routes.locality(locality.id, language)),
      "country": countryReference(locality.country, language),
      "lat": .double(locality.latitude), "lon": .double(locality.longitude),
      "extra": .object(locality.extra.mapValues { .string($0) }),
    ]
  }

  /// The first words of a document's text, for cards and search results.
  func summary(_ position: Int, words: Int = 30) -> String {
    words == 30
      ? summaries[position]
      : Self.summary(of: documents[position], rendered: rendered[position], words: words)
  }

  private static func summary(of document: Document, rendered: RenderedMarkdown?, words: Int)
    -> String
  {
    if let description = document.description, !description.isEmpty { return description }
    let text = rendered?.plainText ?? ""
    var parts: [Substring] = []
    let complete = Words.forEach(in: text) { word in
      parts.append(word)
      return parts.count < words
    }
    return parts.joined(separator: " ") + (complete ? "" : "…")
  }

  func dateValue(_ date: Date?) -> Value { date.map(Value.date) ?? .null }

  /// Language → the values many pages of that language show, each made once: the case cards
  /// (null for documents of other kinds) and the references to topics, factors and places.
  func sharedValues() -> [String: [Value]] {
    cards.merging(
      references.mapValues { Array($0.topics.values) + $0.factors.values + $0.localities.values },
      uniquingKeysWith: +)
  }

  /// A case study as lists show it, with labels in `language`.
  func caseCard(_ position: Int, _ language: String) -> Value {
    cards[language]?[position] ?? makeCaseCard(position, language)
  }

  private func makeCaseCard(_ position: Int, _ language: String) -> Value {
    let document = documents[position]
    let details = document.details ?? CaseDetails()
    let localities = details.localities.compactMap { content.index.localityByID[$0.text] }
    let countryCodes = CrossIndex.countries(of: localities)
    return [
      "kind": "case", "title": .string(document.title), "url": .string(routes.document(document)),
      "lang": .string(document.language), "foreign": .bool(document.language != language),
      "description": .string(document.description ?? ""),
      "summary": .string(summary(position)), "date": dateValue(document.date),
      "outcome": Value(details.outcome), "status": Value(details.status),
      "started": Value(details.started), "ended": Value(details.ended),
      "topics": .array(details.topics.map { topicReference($0.text, language) }),
      "countries": .array(countryCodes.map { countryReference($0, language) }),
      "places": .array(localities.map { .string($0.name) }),
    ]
  }

  func postCard(_ position: Int) -> Value {
    let document = documents[position]
    return [
      "kind": "post", "title": .string(document.title), "url": .string(routes.document(document)),
      "lang": .string(document.language), "description": .string(document.description ?? ""),
      "summary": .string(summary(position)), "date": dateValue(document.date),
      "authors": .array(document.authors.map(Value.string)),
    ]
  }

  /// Cards of the given case groups, each in its `language` version when it has one.
  func caseCards(groups: [Int], _ language: String) -> [Value] {
    groups.map { caseCard(cases.preferred($0, language: language, documents: documents), language) }
  }

  /// Other versions of a document, as `{lang, url, title}`.
  func translations(of position: Int) -> [Value] {
    let key = CrossIndex.translationKey(of: documents[position])
    return (content.index.translations[key] ?? []).filter { $0 != position }.map {
      [
        "lang": .string(documents[$0].language), "url": .string(routes.document(documents[$0])),
        "title": .string(documents[$0].title),
      ]
    }
  }

  /// One entry per site language: the translation when it exists, else that language's home.
  func alternates(of position: Int?, samePage: ((String) -> String)? = nil) -> [Value] {
    content.config.languages.map { language in
      if let position {
        let key = CrossIndex.translationKey(of: documents[position])
        if let version = content.index.translations[key]?.first(where: {
          documents[$0].language == language
        }) {
          return [
            "lang": .string(language), "url": .string(routes.document(documents[version])),
            "title": .string(documents[version].title), "exists": true,
          ]
        }
        return [
          "lang": .string(language), "url": .string(routes.home(language)), "title": "",
          "exists": false,
        ]
      }
      let url = samePage?(language) ?? routes.home(language)
      return ["lang": .string(language), "url": .string(url), "title": "", "exists": true]
    }
  }

  /// The fields shared by case, post and page views of a document.
  func documentPage(_ position: Int) -> [String: Value] {
    let document = documents[position]
    let markdown = rendered[position]
    let words = Words.count(in: markdown?.plainText ?? "")
    var page: [String: Value] = [
      "title": .string(document.title), "url": .string(routes.document(document)),
      "description": .string(document.description ?? summary(position)),
      "lang": .string(document.language), "date": dateValue(document.date),
      "authors": .array(document.authors.map(Value.string)),
      "content": .html(bodies?[position] ?? markdown?.html ?? ""),
      "toc": .array(
        (markdown?.headings ?? []).map {
          ["level": .int($0.level), "text": .string($0.text), "id": .string($0.id)]
        }),
      "word_count": .int(words), "reading_time": .int(max(1, (words + 199) / 200)),
      "categories": .array(document.categories.map(Value.string)),
      "tags": .array(document.tags.map(Value.string)),
      "translations": .array(translations(of: position)),
      "alternates": .array(alternates(of: position)),
      "image": document.image.map { .string(imagePath($0, of: document)) } ?? .null,
      "edit_url": content.config.editURL.map { .string($0 + document.sourcePath) } ?? .null,
      "source_path": .string(document.sourcePath),
    ]
    var extra: [String: Value] = [:]
    for entry in document.extra { extra[entry.key] = Self.value(of: entry.value) }
    page["extra"] = .object(extra)
    return page
  }

  /// `image` is a path under `content/static/` (published at the site root) or a file beside
  /// the document (published beside its page, see ``ImageResources``).
  func imagePath(_ image: String, of document: Document) -> String {
    if image.hasPrefix("http://") || image.hasPrefix("https://") { return image }
    let relative = image.hasPrefix("/") ? String(image.dropFirst()) : image
    if content.staticFiles.contains(where: { $0.path == "content/static/" + relative }) {
      return "/" + relative
    }
    return routes.document(document) + relative
  }

  /// A front-matter value as templates see it.
  static func value(of node: YAMLNode) -> Value {
    switch node.kind {
    case .scalar(let text, let quoted):
      if node.isNull { return .null }
      if !quoted {
        if let number = Int(text) { return .int(number) }
        if let number = Double(text) { return .double(number) }
        if text == "true" { return .bool(true) }
        if text == "false" { return .bool(false) }
      }
      return .string(text)
    case .sequence(let items): return .array(items.map(value(of:)))
    case .mapping(let entries):
      var object: [String: Value] = [:]
      for entry in entries { object[entry.key] = value(of: entry.value) }
      return .object(object)
    }
  }
}

extension Value {
  init(_ text: String?) { self = text.map(Value.string) ?? .null }
  init(_ number: Int?) { self = number.map(Value.int) ?? .null }
}

/// Words as runs of bytes between ASCII whitespace: much cheaper than Unicode properties, and
/// the same for the texts cards and reading times are made from.
enum Words {
  /// The number of words `forEach` would give, counted over the bytes without making them.
  static func count(in text: String) -> Int {
    var text = text
    return text.withUTF8 { bytes in
      // Eight bytes at a time: a word starts at each byte that is not a space and follows
      // one (or the start), found with exact per-byte tests and counted as bits.
      let raw = UnsafeRawBufferPointer(bytes)
      let ones: UInt64 = 0x0101_0101_0101_0101
      let lows = ones &* 0x7F
      let highs = ones &<< 7
      /// The high bit of each byte of `word` that equals `byte`.
      func equal(_ word: UInt64, _ byte: UInt64) -> UInt64 {
        let difference = word ^ (byte &* ones)
        return ~(((difference & lows) &+ lows) | difference) & highs
      }
      var count = 0
      var previousSpaces = highs  // as if a space came before the text
      var index = 0
      while index + 8 <= bytes.count {
        let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        // The four bytes of ``isSeparator(_:)``.
        let spaces = equal(word, 0x20) | equal(word, 0x0A) | equal(word, 0x09) | equal(word, 0x0D)
        let starts = ~spaces & highs & (spaces &<< 8 | previousSpaces &>> 56)
        count += starts.nonzeroBitCount
        previousSpaces = spaces
        index += 8
      }
      var inWord = previousSpaces &>> 63 == 0
      while index < bytes.count {
        let byte = bytes[index]
        let isSpace = isSeparator(byte)
        if !isSpace, !inWord { count += 1 }
        inWord = !isSpace
        index += 1
      }
      return count
    }
  }

  /// Space, line feed, tab and carriage return: what separates words.
  @inline(__always)
  static func isSeparator(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
  }

  /// Calls `body` with each word until it returns false; returns whether every word was seen.
  static func forEach(in text: String, _ body: (Substring) -> Bool) -> Bool {
    var wordStart: String.Index?
    var index = text.utf8.startIndex
    while index < text.utf8.endIndex {
      let byte = text.utf8[index]
      let isSpace = isSeparator(byte)
      if isSpace, let start = wordStart {
        wordStart = nil
        if !body(text[start..<index]) { return text[index...].utf8.allSatisfy { $0 <= 0x20 } }
      } else if !isSpace, wordStart == nil {
        wordStart = index
      }
      index = text.utf8.index(after: index)
    }
    if let start = wordStart { _ = body(text[start...]) }
    return true
  }
}

/// Images named in front matter that sit beside their document: copied next to its page.
enum ImageResources {
  static func files(values: ModelValues, root: URL) -> ([OutputFile], [Diagnostic]) {
    var files: [OutputFile] = []
    var diagnostics: [Diagnostic] = []
    for document in values.documents {
      guard let image = document.image, !image.hasPrefix("http://"), !image.hasPrefix("https://")
      else { continue }
      let published = values.imagePath(image, of: document)
      guard published.hasPrefix(values.routes.document(document)) else { continue }
      let name = String(published.dropFirst(values.routes.document(document).count))
      let source = root.appending(path: document.sourcePath).deletingLastPathComponent()
        .appending(path: name).standardizedFileURL
      // No `..`: the image is read from inside the document's folder only.
      guard !name.split(separator: "/").contains(".."),
        let data = FileManager.default.contents(atPath: source.path)
      else {
        diagnostics.append(
          .error(
            "image '\(image)' is neither in content/static/ nor beside this file",
            at: document.location))
        continue
      }
      files.append(OutputFile(path: String(published.dropFirst()), contents: data))
    }
    return (files, diagnostics)
  }
}
