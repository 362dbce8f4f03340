import Foundation

/// A value a template can read: what the site model hands to the renderer.
///
/// `html` marks markup that is already safe (rendered Markdown, `| safe`); every other
/// value is escaped for the context it is written into.
public enum Value: Sendable, Equatable {
  case null
  case bool(Bool)
  case int(Int)
  case double(Double)
  case string(String)
  case html(String)
  case date(Date)
  case array([Value])
  case object([String: Value])
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral,
  ExpressibleByBooleanLiteral,
  ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral,
  ExpressibleByFloatLiteral
{
  public init(stringLiteral value: String) { self = .string(value) }
  public init(integerLiteral value: Int) { self = .int(value) }
  public init(booleanLiteral value: Bool) { self = .bool(value) }
  public init(floatLiteral value: Double) { self = .double(value) }
  public init(arrayLiteral elements: Value...) { self = .array(elements) }
  public init(nilLiteral: ()) { self = .null }
  public init(dictionaryLiteral elements: (String, Value)...) {
    self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
  }
}

extension Value {
  /// The address of a list's or object's storage; nil for other values. While the value is
  /// alive no other list or object has that address, so two values with the same identity share
  /// one storage and are equal. Copies share their storage until one of them is changed.
  public var storageIdentity: UInt? {
    switch self {
    case .array(let items): Self.address(of: items)
    case .object(let members): Self.address(of: members)
    default: nil
    }
  }

  /// The storage address of an array or dictionary (a single reference).
  private static func address<T>(of collection: T) -> UInt {
    withUnsafeBytes(of: collection) { raw in
      raw.count >= MemoryLayout<UInt>.size ? raw.loadUnaligned(as: UInt.self) : 0
    }
  }
}
