/// Facet values of every document, in `facets.<hash>.json`, so facet counts can cover all hits.
/// For each facet and value, the documents that have it: their numbers as a gap list (first
/// number, then differences) in `Base64Digits`. Documents are numbered in facet order (see
/// `sortKey`), so most lists are long runs of `1` gaps that gzip to almost nothing.
struct FacetColumns {
  /// Facet name → value → sorted document numbers.
  private let columns: [String: [String: [Int]]]

  /// Facets that lead the document order, most useful first; others follow by name.
  static let leadingFacets = ["lang", "outcome", "topic", "country", "factor"]

  init(_ documents: [SearchDocument]) {
    var columns: [String: [String: [Int]]] = [:]
    for (number, document) in documents.enumerated() {
      for (name, values) in document.facets {
        // Each distinct value once; the lists are short, so no set is made.
        for (index, value) in values.enumerated() where !values[..<index].contains(value) {
          columns[name, default: [:]][value, default: []].append(number)
        }
      }
    }
    self.columns = columns
  }

  /// The key documents are sorted by (then by URL): their facet values, leading facets first.
  static func sortKey(_ document: SearchDocument) -> [String] {
    // Most facets have one value or none: those need no sorting nor joining.
    func column(_ name: String) -> String {
      guard let values = document.facets[name], !values.isEmpty else { return "" }
      return values.count == 1 ? values[0] : values.sorted().joined(separator: "\u{1}")
    }
    let others = document.facets.keys.filter { !leadingFacets.contains($0) }
    return leadingFacets.map(column) + (others.isEmpty ? [] : others.sorted().map(column))
  }

  func write(to writer: inout JSONWriter) {
    writer.object(columns.keys.sorted()) { writer, name in
      let values = columns[name]!
      writer.object(values.keys.sorted()) { writer, value in
        writer.string(Self.gapList(values[value]!))
      }
    }
  }

  /// Sorted numbers as the first number then the differences, in `Base64Digits`.
  static func gapList(_ numbers: [Int]) -> String {
    var bytes: [UInt8] = []
    var previous = 0
    for number in numbers {
      Base64Digits.appendNumber(number - previous, to: &bytes)
      previous = number
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
