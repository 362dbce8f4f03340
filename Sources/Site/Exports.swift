import Content
import Foundation
import Search

/// Open data and feeds: `/data/cases.json`, `/data/cases.csv`, `/data/localities.geojson`,
/// `/feed.xml`, `/sitemap.xml`, `/robots.txt`. Deterministic: sorted keys, no build time.
struct Exports: Sendable {
  let values: ModelValues

  var content: SiteContent { values.content }
  var config: SiteConfig { content.config }

  func absolute(_ path: String) -> String { config.baseURL + path.dropFirst() }

  struct CaseRecord {
    var slug: String
    var lang: String
    var title: String
    var url: String
    var description: String?
    var date: String?
    var authors: [String]
    var started: Int?
    var ended: Int?
    var status: String?
    var outcome: String?
    var topics: [String]
    var successFactors: [String]
    var failureFactors: [String]
    var localities: [String]
    var countries: [String]
    var links: [Link]
    var translationOf: String?

    struct Link {
      var title: String
      var url: String
    }

    /// As an object with sorted snake-case keys, nil fields left out.
    func write(to json: inout JSONWriter) {
      json.member("{\"authors\":", authors)
      json.member(",\"countries\":", countries)
      json.member(",\"date\":", date)
      json.member(",\"description\":", description)
      json.member(",\"ended\":", ended)
      json.member(",\"failure_factors\":", failureFactors)
      json.member(",\"lang\":", lang)
      json.raw(",\"links\":[")
      for (index, link) in links.enumerated() {
        json.member(index == 0 ? "{\"title\":" : ",{\"title\":", link.title)
        json.member(",\"url\":", link.url)
        json.raw("}")
      }
      json.member("],\"localities\":", localities)
      json.member(",\"outcome\":", outcome)
      json.member(",\"slug\":", slug)
      json.member(",\"started\":", started)
      json.member(",\"status\":", status)
      json.member(",\"success_factors\":", successFactors)
      json.member(",\"title\":", title)
      json.member(",\"topics\":", topics)
      json.member(",\"translation_of\":", translationOf)
      json.member(",\"url\":", url)
      json.raw("}")
    }
  }

  func caseRecords() -> [CaseRecord] {
    content.documents.filter { $0.kind == .caseStudy }.sorted {
      ($0.slug, $0.language) < ($1.slug, $1.language)
    }.map { document in
      let details = document.details ?? CaseDetails()
      let localities = details.localities.map(\.text)
      let countries = content.index.countries(of: details)
      return CaseRecord(
        slug: document.slug, lang: document.language, title: document.title,
        url: absolute(values.routes.document(document)), description: document.description,
        date: document.date.map(DateParser.isoDay), authors: document.authors,
        started: details.started, ended: details.ended, status: details.status,
        outcome: details.outcome, topics: details.topics.map(\.text),
        successFactors: details.successFactors.map(\.text),
        failureFactors: details.failureFactors.map(\.text), localities: localities,
        countries: countries,
        links: details.links.map { CaseRecord.Link(title: $0.title, url: $0.url) },
        translationOf: document.translationOf)
    }
  }

  /// `/data/cases.json`, written directly: `JSONEncoder` took most of the export thread's time
  /// (its key conversion and sorting, per record).
  func casesJSON(_ records: [CaseRecord]) -> Data {
    var json = JSONWriter(capacity: records.count * 700)
    json.raw("{\"cases\":[")
    for (index, record) in records.enumerated() {
      if index > 0 { json.raw(",") }
      record.write(to: &json)
    }
    json.member("],\"count\":", records.count)
    json.member(",\"license\":", config.license)
    json.member(",\"license_url\":", License.url(config.license))
    json.member(",\"source\":", config.baseURL)
    json.raw("}")
    return json.data
  }

  /// `/data/cases.csv`: a header, a row per case (lists joined with `;`) and a license line.
  func casesCSV(_ records: [CaseRecord]) -> Data {
    var csv = (Self.csvHeader.joined(separator: ",") + "\n").utf8.map { $0 }
    csv.reserveCapacity(records.count * 400)
    for record in records {
      let fields: [String] = [
        record.slug, record.lang, record.title, record.url, record.description ?? "",
        record.date ?? "", record.authors.joined(separator: ";"),
        record.started.map(String.init) ?? "", record.ended.map(String.init) ?? "",
        record.status ?? "", record.outcome ?? "", record.topics.joined(separator: ";"),
        record.successFactors.joined(separator: ";"),
        record.failureFactors.joined(separator: ";"),
        record.localities.joined(separator: ";"), record.countries.joined(separator: ";"),
        record.links.map(\.url).joined(separator: ";"), record.translationOf ?? "",
      ]
      for (index, field) in fields.enumerated() {
        if index > 0 { csv.append(UInt8(ascii: ",")) }
        Self.appendCSVField(field, to: &csv)
      }
      csv.append(UInt8(ascii: "\n"))
    }
    csv += "# License: \(config.license) (\(License.url(config.license)))\n".utf8
    return Data(csv)
  }

  private static let csvHeader = [
    "slug", "lang", "title", "url", "description", "date", "authors", "started", "ended", "status",
    "outcome", "topics", "success_factors", "failure_factors", "localities", "countries", "links",
    "translation_of",
  ]

  /// A field as it is, or quoted (inner quotes doubled) when it holds a comma, quote, line
  /// break or `#` (which starts the license line).
  static func appendCSVField(_ text: String, to csv: inout [UInt8]) {
    // Over the contiguous bytes: `String.UTF8View` costs several times more per byte.
    var text = text
    text.withUTF8 { utf8 in
      guard utf8.contains(where: Self.needsQuotes) else {
        csv.append(contentsOf: utf8)
        return
      }
      csv.append(UInt8(ascii: "\""))
      for byte in utf8 {
        if byte == UInt8(ascii: "\"") { csv.append(byte) }
        csv.append(byte)
      }
      csv.append(UInt8(ascii: "\""))
    }
  }

  private static func needsQuotes(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
      UInt8(ascii: "#"):
      true
    default: false
    }
  }

  /// `/data/localities.geojson`: a point feature per locality, keys sorted, written directly
  /// like `cases.json`.
  func localitiesGeoJSON() -> Data {
    var json = JSONWriter(capacity: content.localities.count * 250)
    json.raw("{\"features\":[")
    for (index, locality) in content.localities.enumerated() {
      json.raw(
        index == 0 ? "{\"geometry\":{\"coordinates\":[" : ",{\"geometry\":{\"coordinates\":[")
      json.number(locality.longitude)
      json.raw(",")
      json.number(locality.latitude)
      json.raw("],\"type\":\"Point\"}")
      json.member(",\"id\":", locality.id)
      let cases = values.cases.groupsOf(content.index.casesByLocality[locality.id] ?? []).count
      json.member(",\"properties\":{\"case_count\":", cases)
      json.member(",\"country\":", locality.country)
      json.member(",\"name\":", locality.name)
      json.member(",\"region\":", locality.region)
      json.member(
        ",\"url\":", absolute(values.routes.locality(locality.id, config.defaultLanguage)))
      json.raw("},\"type\":\"Feature\"}")
    }
    json.member("],\"license\":", config.license)
    json.raw(",\"type\":\"FeatureCollection\"}")
    return json.data
  }

  /// Atom: every post and the newest case studies, newest first.
  func feed(title: String) -> Data {
    let documents = content.documents
    let entries = documents.indices.filter { documents[$0].kind != .page }.map {
      (position: $0, date: documents[$0].date ?? .distantPast)
    }.sorted {
      ($0.date, documents[$1.position].sourcePath) > ($1.date, documents[$0.position].sourcePath)
    }.prefix(50).map(\.position)
    let updated =
      entries.first.flatMap { content.documents[$0].date } ?? Date(timeIntervalSince1970: 0)
    var xml = """
      <?xml version="1.0" encoding="utf-8"?>
      <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(config.defaultLanguage)">
      <title>\(Self.xml(title))</title>
      <id>\(Self.xml(config.baseURL))</id>
      <link href="\(Self.xml(config.baseURL))"/>
      <link rel="self" href="\(Self.xml(absolute("/feed.xml")))"/>
      <updated>\(Self.timestamp(updated))</updated>
      <rights>\(Self.xml(License.name(config.license)))</rights>

      """
    for position in entries {
      let document = content.documents[position]
      let url = absolute(values.routes.document(document))
      xml += """
        <entry xml:lang="\(document.language)">
        <title>\(Self.xml(document.title))</title>
        <id>\(Self.xml(url))</id>
        <link href="\(Self.xml(url))"/>
        <updated>\(Self.timestamp(document.date ?? updated))</updated>

        """
      for author in document.authors.isEmpty ? [config.title] : document.authors {
        xml += "<author><name>\(Self.xml(author))</name></author>\n"
      }
      xml += "<summary>\(Self.xml(values.summary(position, words: 60)))</summary>\n</entry>\n"
    }
    return Data((xml + "</feed>\n").utf8)
  }

  /// `/sitemap.xml`: every page but the 404 page.
  func sitemap(pagePaths: [String]) -> OutputFile {
    var xml = """
      <?xml version="1.0" encoding="utf-8"?>
      <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

      """
    for path in pagePaths.sorted() where path != "/404.html" {
      xml += "<url><loc>\(Self.xml(absolute(path)))</loc></url>\n"
    }
    return OutputFile(path: "sitemap.xml", contents: Data((xml + "</urlset>\n").utf8))
  }

  func robots() -> Data {
    Data("User-agent: *\nAllow: /\nSitemap: \(absolute("/sitemap.xml"))\n".utf8)
  }

  /// `text` escaped for XML. Every character it changes or drops is ASCII, so it works on the
  /// UTF-8 bytes, and a text with none of them (most of them) is returned as it is.
  static func xml(_ text: String) -> String {
    func changes(_ byte: UInt8) -> Bool {
      switch byte {
      case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""): true
      // XML 1.0 forbids most control characters.
      case UInt8(ascii: "\n"), UInt8(ascii: "\t"): false
      default: byte < 0x20
      }
    }
    var text = text
    let escaped = text.withUTF8 { utf8 -> String? in
      guard utf8.contains(where: changes) else { return nil }
      var result: [UInt8] = []
      result.reserveCapacity(utf8.count + 16)
      for byte in utf8 {
        switch byte {
        case UInt8(ascii: "&"): result.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): result.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): result.append(contentsOf: "&gt;".utf8)
        case UInt8(ascii: "\""): result.append(contentsOf: "&quot;".utf8)
        case _ where changes(byte): continue
        default: result.append(byte)
        }
      }
      return String(decoding: result, as: UTF8.self)
    }
    return escaped ?? text
  }

  static func timestamp(_ date: Date) -> String {
    DateParser.isoDay(date) + "T00:00:00Z"
  }
}

extension JSONWriter {
  /// `prefix` (the punctuation and quoted name before a value) and the value; nothing for nil.
  fileprivate mutating func member(_ prefix: StaticString, _ value: String?) {
    guard let value else { return }
    raw(prefix)
    string(value)
  }

  fileprivate mutating func member(_ prefix: StaticString, _ value: Int?) {
    guard let value else { return }
    raw(prefix)
    integer(value)
  }

  fileprivate mutating func member(_ prefix: StaticString, _ values: [String]) {
    raw(prefix)
    strings(values)
  }
}
