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

  /// Looks a code up, case-insensitively. A code of two ASCII letters (every one in the table)
  /// is found by its letters, without a new upper-case text and a dictionary lookup: the model
  /// looks a country up for every locality of every case, in cards and search documents.
  public static func named(code: String) -> Country? {
    let utf8 = code.utf8
    guard utf8.count == 2, let first = letterNumber(utf8.first!),
      let second = letterNumber(utf8[utf8.index(after: utf8.startIndex)])
    else { return byCode[code.uppercased()] }
    let position = byLetters[first * 26 + second]
    return position < 0 ? nil : table[Int(position)]
  }

  /// 0…25 for an ASCII letter of either case.
  private static func letterNumber(_ byte: UInt8) -> Int? {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): Int(byte - UInt8(ascii: "A"))
    case UInt8(ascii: "a")...UInt8(ascii: "z"): Int(byte - UInt8(ascii: "a"))
    default: nil
    }
  }

  /// The table position of each two-letter code (first letter × 26 + second), or -1.
  private static let byLetters: [Int16] = {
    var positions = [Int16](repeating: -1, count: 26 * 26)
    for (position, country) in table.enumerated().reversed() {
      let letters = Array(country.code.utf8)
      guard letters.count == 2, let first = letterNumber(letters[0]),
        let second = letterNumber(letters[1])
      else { continue }
      positions[first * 26 + second] = Int16(position)
    }
    return positions
  }()

  /// The table indexed by upper-case code, built once.
  private static let byCode: [String: Country] = Dictionary(
    table.map { ($0.code, $0) },
    uniquingKeysWith: { first, _ in first }
  )
}
