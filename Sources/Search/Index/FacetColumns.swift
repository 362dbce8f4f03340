/// Facet values per document, compact enough to live in the manifest so facet counts over all
/// hits need nothing else. For each facet: `values`, the sorted distinct values, and `documents`,
/// one entry per document (in document order) separated by `,`: the document's value numbers,
/// each in base 36 padded to `width` digits and concatenated (empty for none). A run of equal
/// entries is written once followed by `*` and the run length.
struct FacetColumns {
  private struct Column {
    var values: [String]
    var width: Int
    var documents: String
  }

  private let columns: [String: Column]

  init(_ documents: [SearchDocument]) {
    let names = Set(documents.flatMap(\.facets.keys)).sorted()
    var columns: [String: Column] = [:]
    for name in names {
      let values = Set(documents.flatMap { $0.facets[name] ?? [] }).sorted()
      let numbers = Dictionary(uniqueKeysWithValues: values.enumerated().map { ($1, $0) })
      let width = Self.base36(max(0, values.count - 1)).count
      let entries = documents.map { document in
        Set((document.facets[name] ?? []).compactMap { numbers[$0] }).sorted()
          .map { Self.base36($0, width: width) }.joined()
      }
      columns[name] = Column(
        values: values, width: width, documents: Self.runLengthEncoded(entries))
    }
    self.columns = columns
  }

  func write(to writer: inout JSONWriter) {
    writer.object(columns.keys.sorted()) { writer, name in
      let column = columns[name]!
      writer.object(["documents", "values", "width"]) { writer, key in
        switch key {
        case "documents": writer.string(column.documents)
        case "values": writer.strings(column.values)
        default: writer.integer(column.width)
        }
      }
    }
  }

  static func runLengthEncoded(_ entries: [String]) -> String {
    var parts: [String] = []
    var index = 0
    while index < entries.count {
      var end = index + 1
      while end < entries.count, entries[end] == entries[index] { end += 1 }
      parts.append(end - index > 1 ? "\(entries[index])*\(end - index)" : entries[index])
      index = end
    }
    return parts.joined(separator: ",")
  }

  static func base36(_ value: Int, width: Int = 1) -> String {
    let digits = String(value, radix: 36)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
