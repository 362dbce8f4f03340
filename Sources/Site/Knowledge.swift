import Content
import Foundation
import Templates

/// Cases that share places, factors and topics with a case, best first.
///
/// Scores come from the cross-index buckets of the case's own ids, so the work per case is
/// the size of those buckets, never a scan of all cases. Broad topics weigh least. A bucket
/// grows with the site (a topic holds a tenth of all cases), so each is read up to
/// ``bucketLimit`` entries: the work per case stays bounded and the build stays linear.
struct RelatedCases: Sendable {
  let values: ModelValues
  static let limit = 5
  static let bucketLimit = 250
  /// Document index → its group when it is the group's original, else -1: bucket entries are
  /// read in an array, not hashed into `groupOf`.
  private let originalGroup: [Int32]

  init(values: ModelValues) {
    self.values = values
    var originalGroup = [Int32](repeating: -1, count: values.documents.count)
    for (group, members) in values.cases.groups.enumerated() {
      originalGroup[members.original] = Int32(group)
    }
    self.originalGroup = originalGroup
  }

  /// The related cases of each group of `groups`, in order.
  func best(for groups: Range<Int>) -> [[Int]] {
    // Scores in an array indexed by group (zero: not seen yet, as every weight is positive):
    // cheaper than hashing each of the few thousand adds. One array for all of `groups`, its
    // seen entries zeroed after each: a new array per group made this quadratic (40 GB of
    // zeroes at 100,000 cases).
    var scores = [Int32](repeating: 0, count: values.cases.groups.count)
    return groups.map { best(for: $0, scores: &scores) }
  }

  func best(for group: Int) -> [Int] {
    var scores = [Int32](repeating: 0, count: values.cases.groups.count)
    return best(for: group, scores: &scores)
  }

  /// `scores` is all zeroes on entry and on return.
  private func best(for group: Int, scores: inout [Int32]) -> [Int] {
    let documents = values.documents
    let original = values.cases.groups[group].original
    guard let details = documents[original].details else { return [] }
    let index = values.content.index
    // The buckets first, then one scoring loop over unsafe buffers: when a nested function
    // updated the captured `scores` and `seen`, every access was checked for exclusivity.
    var buckets: [(cases: ArraySlice<Int>, weight: Int32)] = []
    func gather(_ keys: [YAMLStringValue], _ table: [String: [Int]], weight: Int32) {
      for key in CrossIndex.distinct(keys) {
        if let bucket = table[key] { buckets.append((bucket.prefix(Self.bucketLimit), weight)) }
      }
    }
    gather(details.localities, index.casesByLocality, weight: 3)
    gather(details.successFactors, index.casesBySuccessFactor, weight: 2)
    gather(details.failureFactors, index.casesByFailureFactor, weight: 2)
    gather(details.topics, index.casesByTopic, weight: 1)
    var seen: [Int] = []
    scores.withUnsafeMutableBufferPointer { scores in
      originalGroup.withUnsafeBufferPointer { originalGroup in
        for (cases, weight) in buckets {
          for position in cases {
            let other = Int(originalGroup[position])
            guard other >= 0, other != group else { continue }
            if scores[other] == 0 { seen.append(other) }
            scores[other] += weight
          }
        }
      }
    }
    defer { for other in seen { scores[other] = 0 } }
    // The best `limit` by score, then by group: kept sorted while scanning, no full sort.
    var best: [Int] = []
    best.reserveCapacity(Self.limit + 1)
    func isBetter(_ a: Int, than b: Int) -> Bool {
      scores[a] != scores[b] ? scores[a] > scores[b] : a < b
    }
    for candidate in seen {
      if best.count == Self.limit, !isBetter(candidate, than: best[best.count - 1]) { continue }
      var slot = best.count
      while slot > 0, isBetter(candidate, than: best[slot - 1]) { slot -= 1 }
      best.insert(candidate, at: slot)
      if best.count > Self.limit { best.removeLast() }
    }
    return best
  }
}

/// How the cases citing a factor turned out, next to all cases: the portal's core insight.
struct FactorStatistics: Sendable {
  let values: ModelValues
  /// Outcome → number of case groups, over all cases.
  let overall: [String: Int]
  let total: Int

  init(values: ModelValues) {
    self.values = values
    var overall: [String: Int] = [:]
    for group in values.cases.groups {
      if let outcome = values.documents[group.original].details?.outcome {
        overall[outcome, default: 0] += 1
      }
    }
    self.overall = overall
    total = values.cases.groups.count
  }

  struct Stats {
    var id: String
    var successGroups: [Int]
    var failureGroups: [Int]
    var cited: Int
    var counts: [String: Int]
  }

  func stats(for id: String) -> Stats {
    let index = values.content.index
    let success = values.cases.groupsOf(index.casesBySuccessFactor[id] ?? [])
    let failure = values.cases.groupsOf(index.casesByFailureFactor[id] ?? [])
    let cited = Set(success).union(failure)
    var counts: [String: Int] = [:]
    for group in cited {
      if let outcome = values.documents[values.cases.groups[group].original].details?.outcome {
        counts[outcome, default: 0] += 1
      }
    }
    return Stats(
      id: id, successGroups: success, failureGroups: failure, cited: cited.count, counts: counts)
  }

  /// Every factor, most cited first.
  func ranking() -> [Stats] {
    values.content.factors.map { stats(for: $0.id) }.sorted {
      $0.cited != $1.cited ? $0.cited > $1.cited : $0.id < $1.id
    }
  }

  static func percent(_ part: Int, _ whole: Int) -> Int {
    whole == 0 ? 0 : Int((Double(part) * 100 / Double(whole)).rounded())
  }
}

/// A horizontal bar chart, drawn at build time as inline SVG: for each outcome, the share
/// among cases citing the factor next to the share among all cases. Readable without
/// JavaScript; the page carries the same numbers in a table.
enum FactorChart {
  struct Row {
    var label: String
    var outcome: String
    var factorShare: Int
    var overallShare: Int
  }

  static func svg(rows: [Row], factorLabel: String, overallLabel: String, title: String) -> String {
    let labelWidth = 110.0
    let barWidth = 260.0
    let rowHeight = 34.0
    let height = 30 + rowHeight * Double(rows.count)
    var svg = """
      <svg class="factor-chart" viewBox="0 0 420 \(Int(height))" role="img" aria-labelledby="factor-chart-title">\
      <title id="factor-chart-title">\(escape(title))</title>\
      <g class="legend"><rect x="\(Int(labelWidth))" y="4" width="10" height="10" class="bar-factor"/>\
      <text x="\(Int(labelWidth) + 14)" y="13">\(escape(factorLabel))</text>\
      <rect x="\(Int(labelWidth) + 150)" y="4" width="10" height="10" class="bar-all"/>\
      <text x="\(Int(labelWidth) + 164)" y="13">\(escape(overallLabel))</text></g>
      """
    for (position, row) in rows.enumerated() {
      let y = 26 + Double(position) * rowHeight
      let factorWidth = barWidth * Double(row.factorShare) / 100
      let overallWidth = barWidth * Double(row.overallShare) / 100
      svg += """
        <g class="row outcome-\(row.outcome)">\
        <text x="0" y="\(format(y + 14))">\(escape(row.label))</text>\
        <rect class="bar-factor" x="\(Int(labelWidth))" y="\(format(y + 3))" width="\(format(factorWidth))" height="12"/>\
        <text x="\(format(labelWidth + factorWidth + 4))" y="\(format(y + 13))">\(row.factorShare) %</text>\
        <rect class="bar-all" x="\(Int(labelWidth))" y="\(format(y + 17))" width="\(format(overallWidth))" height="8"/>\
        <text x="\(format(labelWidth + overallWidth + 4))" y="\(format(y + 25))" class="small">\(row.overallShare) %</text>\
        </g>
        """
    }
    return svg + "</svg>"
  }

  private static func format(_ number: Double) -> String {
    let rounded = (number * 10).rounded() / 10
    return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
  }

  /// Text for the SVG markup (``Exports/xml(_:)``: Foundation's `replacingOccurrences`, four
  /// times a label, cost 13,600 instructions).
  private static func escape(_ text: String) -> String { Exports.xml(text) }
}

/// Equirectangular projection onto the theme's 1000×500 world map.
enum MapProjection {
  static func point(latitude: Double, longitude: Double) -> (x: Double, y: Double) {
    let x = (longitude + 180) / 360 * 1000
    let y = (90 - latitude) / 180 * 500
    return ((x * 10).rounded() / 10, (y * 10).rounded() / 10)
  }
}

/// Country → region → locality, with case counts, for `/places/` and country pages.
struct PlaceTree: Sendable {
  let values: ModelValues

  /// `(code, value)` sorted by country name in `language`.
  func countries(_ language: String) -> [(String, Value)] {
    let index = values.content.index
    var byCountry: [String: [Locality]] = [:]
    for locality in values.content.localities {
      byCountry[locality.country, default: []].append(locality)
    }
    let routes = values.routes
    let entries = byCountry.map { code, localities -> (String, String, Value) in
      let name = Country.named(code: code)?.name(in: language) ?? code
      var regions: [String: [Locality]] = [:]
      for locality in localities { regions[locality.region, default: []].append(locality) }
      let regionValues: [Value] = regions.keys.sorted().map { region in
        let members = regions[region]!.sorted { $0.name < $1.name }
        let localityValues: [Value] = members.map {
          [
            "id": .string($0.id), "name": .string($0.name),
            "url": .string(routes.locality($0.id, language)),
            "count": .int(values.cases.groupsOf(index.casesByLocality[$0.id] ?? []).count),
          ]
        }
        let count = values.cases.groupsOf(members.flatMap { index.casesByLocality[$0.id] ?? [] })
          .count
        return [
          "name": .string(region), "count": .int(count), "localities": .array(localityValues),
        ]
      }
      let value: Value = [
        "code": .string(code), "name": .string(name),
        "url": .string(routes.country(code, language)),
        "count": .int(values.cases.groupsOf(index.casesByCountry[code] ?? []).count),
        "regions": .array(regionValues),
      ]
      return (code, name, value)
    }
    return entries.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }.map { ($0.0, $0.2) }
  }
}

/// Licence identifiers (SPDX) → name and deed URL.
enum License {
  static func name(_ id: String) -> String {
    switch id.uppercased() {
    case "CC-BY-SA-4.0": "CC BY-SA 4.0"
    case "CC-BY-4.0": "CC BY 4.0"
    case "CC0-1.0": "CC0 1.0"
    default: id
    }
  }

  static func url(_ id: String) -> String {
    switch id.uppercased() {
    case "CC-BY-SA-4.0": "https://creativecommons.org/licenses/by-sa/4.0/"
    case "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/"
    case "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/"
    default: "https://spdx.org/licenses/\(id).html"
    }
  }
}

/// schema.org descriptions for search engines and other readers of the data.
enum JSONLD {
  static func caseStudy(_ document: Document, page: [String: Value], config: SiteConfig) -> Value {
    var object: [String: Value] = [
      "@context": "https://schema.org", "@type": "Article",
      "headline": .string(document.title), "inLanguage": .string(document.language),
      "url": page["canonical"] ?? .null,
      "license": .string(License.url(config.license)),
      "author": .array(document.authors.map { ["@type": "Person", "name": .string($0)] }),
    ]
    if let description = document.description { object["description"] = .string(description) }
    if let date = document.date { object["datePublished"] = .string(DateParser.isoDay(date)) }
    if case .array(let localities) = page["localities"] ?? .null {
      object["spatialCoverage"] = .array(
        localities.map { locality in
          let fields = locality.objectFields
          return [
            "@type": "Place", "name": fields["name"] ?? .null,
            "geo": [
              "@type": "GeoCoordinates", "latitude": fields["lat"] ?? .null,
              "longitude": fields["lon"] ?? .null,
            ],
          ]
        })
    }
    return .object(object)
  }
}
