/// The text fields of a document, in index order: a posting's field bits use `1 << rawValue`.
enum IndexedField: Int, CaseIterable, Sendable {
  case title, labels, places, description, headings, body

  var name: String {
    switch self {
    case .title: "title"
    case .labels: "labels"
    case .places: "places"
    case .description: "description"
    case .headings: "headings"
    case .body: "body"
    }
  }

  /// Relative weight of a match in this field when ranking.
  var boost: Int {
    switch self {
    case .title: 10
    case .labels, .places: 5
    case .description: 3
    case .headings: 2
    case .body: 1
    }
  }

  var bit: Int32 { 1 << Int32(rawValue) }

  func texts(of document: SearchDocument) -> [String] {
    switch self {
    case .title: [document.title]
    case .labels: document.labels
    case .places: document.places
    case .description: [document.description]
    case .headings: document.headings
    case .body: [document.body]
    }
  }
}
