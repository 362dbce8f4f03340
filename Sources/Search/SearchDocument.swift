/// One page as the search index sees it: text fields to analyse, facets to filter by and the
/// display data shown in a result. The site model fills it; this module knows nothing of pages.
public struct SearchDocument: Sendable, Equatable {
  /// Site-relative URL of the page, e.g. `/cases/incroyables-comestibles/`.
  public var url: String
  public var title: String
  public var description: String
  public var headings: [String]
  public var body: String
  /// Names of the places the page is about (locality, region and country names).
  public var places: [String]
  /// Topic and factor labels in the index's language.
  public var labels: [String]
  /// ISO date (`2017-05-08`) or nil.
  public var date: String?
  /// A short plain-text summary shown under the title in results.
  public var summary: String
  /// Facet name (`topic`, `factor`, `outcome`, `country`, `lang`) → values (ids).
  public var facets: [String: [String]]

  public init(
    url: String, title: String, description: String = "", headings: [String] = [],
    body: String = "", places: [String] = [], labels: [String] = [], date: String? = nil,
    summary: String = "", facets: [String: [String]] = [:]
  ) {
    self.url = url
    self.title = title
    self.description = description
    self.headings = headings
    self.body = body
    self.places = places
    self.labels = labels
    self.date = date
    self.summary = summary
    self.facets = facets
  }
}
