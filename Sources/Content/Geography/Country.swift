/// An ISO 3166-1 country with its names in the portal's languages.
public struct Country: Sendable, Hashable {
  /// A latitude/longitude box, in degrees.
  public struct Bounds: Sendable, Hashable {
    public var west: Double
    public var south: Double
    public var east: Double
    public var north: Double

    /// Whether the point lies inside the box (boxes crossing the antimeridian have west > east).
    public func contains(latitude: Double, longitude: Double) -> Bool {
      guard latitude >= south && latitude <= north else { return false }
      if west <= east {
        return longitude >= west && longitude <= east
      }
      return longitude >= west || longitude <= east
    }
  }

  public var code: String  // upper-case alpha-2
  public var nameFR: String
  public var nameEN: String
  public var bounds: Bounds?

  /// The name in `language` ("fr" or anything else → English).
  public func name(in language: String) -> String {
    language == "fr" || language.lowercased() == "fr" ? nameFR : nameEN
  }

  /// Looks a code up, case-insensitively. Codes are mostly written in upper case already (the
  /// locality table upper-cases them): those are found without an upper-cased copy.
  public static func named(code: String) -> Country? {
    byCode[code] ?? byCode[code.uppercased()]
  }

  /// The table indexed by upper-case code, built once.
  private static let byCode: [String: Country] = Dictionary(
    table.map { ($0.code, $0) },
    uniquingKeysWith: { first, _ in first }
  )
}
