import Foundation

extension Value {
  /// Jinja truthiness: none, false, 0, "" and empty collections are false.
  public var isTruthy: Bool {
    switch self {
    case .null: return false
    case .bool(let value): return value
    case .int(let value): return value != 0
    case .double(let value): return value != 0
    case .string(let value), .html(let value): return !value.isEmpty
    case .date: return true
    case .array(let values): return !values.isEmpty
    case .object(let values): return !values.isEmpty
    }
  }

  /// The member `name` of an object, nil otherwise.
  public subscript(member name: String) -> Value? {
    if case .object(let members) = self { return members[name] }
    return nil
  }

  /// A short name of the kind of value, for error messages.
  var typeName: String {
    switch self {
    case .null: return "none"
    case .bool: return "bool"
    case .int: return "int"
    case .double: return "float"
    case .string: return "string"
    case .html: return "html"
    case .date: return "date"
    case .array: return "list"
    case .object: return "object"
    }
  }

  var number: Double? {
    switch self {
    case .int(let value): return Double(value)
    case .double(let value): return value
    default: return nil
    }
  }

  /// The value as plain text (html markup as is, dates as `yyyy-MM-dd`, collections as JSON).
  public var text: String {
    var out = ""
    appendText(to: &out)
    return out
  }

  func appendText(to out: inout String) {
    switch self {
    case .null: break
    case .bool(let value): out += value ? "true" : "false"
    case .int(let value): out += String(value)
    case .double(let value): out += Self.formatDouble(value)
    case .string(let value), .html(let value): out += value
    case .date(let date): out += CivilDate(date).isoDate
    case .array, .object: out += json
    }
  }

  static func formatDouble(_ value: Double) -> String {
    if value.isFinite, value == value.rounded(), abs(value) < 1e15 {
      return String(Int(value)) + ".0"
    }
    return value.description
  }

  /// Equality as templates see it: numbers by value, strings and html by text.
  func looselyEquals(_ other: Value) -> Bool {
    switch (self, other) {
    case (.int(let a), .int(let b)): return a == b
    case (.int, .double), (.double, .int), (.double, .double): return number == other.number
    case (.string(let a), .string(let b)), (.string(let a), .html(let b)),
      (.html(let a), .string(let b)), (.html(let a), .html(let b)):
      return a == b
    case (.array(let a), .array(let b)):
      return a.count == b.count && zip(a, b).allSatisfy { $0.looselyEquals($1) }
    default: return self == other
    }
  }

  /// An order for sorting and `<`; nil when the two values do not compare.
  func compare(_ other: Value) -> ComparisonResult? {
    switch (self, other) {
    case (.int(let a), .int(let b)):
      return a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
    case (.int, .double), (.double, .int), (.double, .double):
      guard let a = number, let b = other.number else { return nil }
      return a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
    case (.string(let a), .string(let b)), (.string(let a), .html(let b)),
      (.html(let a), .string(let b)), (.html(let a), .html(let b)):
      return a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
    case (.date(let a), .date(let b)):
      return a < b ? .orderedAscending : a == b ? .orderedSame : .orderedDescending
    case (.bool(let a), .bool(let b)):
      return a == b ? .orderedSame : (!a ? .orderedAscending : .orderedDescending)
    case (.null, .null): return .orderedSame
    default: return nil
    }
  }

  /// Follows a dotted path (`"author.name"`) through objects.
  func path(_ path: String) -> Value? {
    var current = self
    for part in path.split(separator: ".", omittingEmptySubsequences: false) {
      guard case .object(let members) = current, let next = members[String(part)] else {
        return nil
      }
      current = next
    }
    return current
  }

  /// Compact JSON with sorted keys. `<`, `>`, `&`, U+2028 and U+2029 are written as `\u`
  /// escapes so the result is safe inside `<script>` and HTML text.
  var json: String {
    var out: [UInt8] = []
    appendJSON(to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  /// ``json``, as UTF-8 bytes appended to `out`.
  func appendJSON(to out: inout [UInt8]) {
    switch self {
    case .null: out.appendUTF8("null")
    case .bool(let value): out.appendUTF8(value ? "true" : "false")
    case .int(let value): out.appendUTF8(String(value))
    case .double(let value): out.appendUTF8(value.isFinite ? Self.formatDouble(value) : "null")
    case .string(let value), .html(let value): Self.appendJSONString(value, to: &out)
    case .date(let date): Self.appendJSONString(CivilDate(date).iso, to: &out)
    case .array(let values):
      out.append(UInt8(ascii: "["))
      for (index, value) in values.enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        value.appendJSON(to: &out)
      }
      out.append(UInt8(ascii: "]"))
    case .object(let members):
      out.append(UInt8(ascii: "{"))
      for (index, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
        if index > 0 { out.append(UInt8(ascii: ",")) }
        Self.appendJSONString(member.key, to: &out)
        out.append(UInt8(ascii: ":"))
        member.value.appendJSON(to: &out)
      }
      out.append(UInt8(ascii: "}"))
    }
  }

  /// Writes `string` as a JSON string literal: runs between escapes are copied whole.
  static func appendJSONString(_ string: String, to out: inout [UInt8]) {
    var string = string
    out.append(UInt8(ascii: "\""))
    string.withUTF8 { bytes in
      var runStart = 0
      var index = 0
      while index < bytes.count {
        let byte = bytes[index]
        guard mayNeedJSONEscape(byte) else {
          index += 1
          continue
        }
        var width = 1
        let escape: String
        switch byte {
        case UInt8(ascii: "\""): escape = "\\\""
        case UInt8(ascii: "\\"): escape = "\\\\"
        case UInt8(ascii: "\n"): escape = "\\n"
        case UInt8(ascii: "\r"): escape = "\\r"
        case UInt8(ascii: "\t"): escape = "\\t"
        case UInt8(ascii: "<"): escape = "\\u003c"
        case UInt8(ascii: ">"): escape = "\\u003e"
        case UInt8(ascii: "&"): escape = "\\u0026"
        case UInt8(ascii: "'"): escape = "\\u0027"
        case 0xE2:
          // U+2028 and U+2029 are E2 80 A8 and E2 80 A9; other E2 sequences pass.
          guard index + 2 < bytes.count, bytes[index + 1] == 0x80,
            bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9
          else {
            index += 1
            continue
          }
          escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
          width = 3
        default:
          escape =
            byte == 0x7F
            ? "\\u007f" : (byte < 0x10 ? "\\u000" : "\\u001") + String(byte & 0xF, radix: 16)
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        out.appendUTF8(escape)
        index += width
        runStart = index
      }
      out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }
    out.append(UInt8(ascii: "\""))
  }

  /// Bytes that JSON or `<script>` safety escape (controls, `"`, `\`, `<`, `>`, `&`, `'`,
  /// DEL), and 0xE2, the first byte of U+2028 and U+2029.
  @inline(__always)
  private static func mayNeedJSONEscape(_ byte: UInt8) -> Bool {
    switch byte {
    case 0..<0x20, 0x22, 0x26, 0x27, 0x3C, 0x3E, 0x5C, 0x7F, 0xE2: return true
    default: return false
    }
  }
}

/// A UTC calendar date and time computed arithmetically (proleptic Gregorian), so date
/// formatting needs no shared formatter or calendar.
struct CivilDate: Sendable {
  var year: Int
  var month: Int  // 1...12
  var day: Int
  var weekday: Int  // 0 = Monday
  var hour: Int
  var minute: Int
  var second: Int

  init(_ date: Date) {
    let interval = date.timeIntervalSince1970
    let seconds = interval.isFinite ? Int(max(-1e14, min(1e14, interval)).rounded(.down)) : 0
    var days = seconds / 86_400
    var remainder = seconds % 86_400
    if remainder < 0 {
      remainder += 86_400
      days -= 1
    }
    hour = remainder / 3600
    minute = remainder % 3600 / 60
    second = remainder % 60
    weekday = ((days % 7) + 7 + 3) % 7
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let dayOfEra = z - era * 146_097
    let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
    let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
    let mp = (5 * dayOfYear + 2) / 153
    day = dayOfYear - (153 * mp + 2) / 5 + 1
    month = mp < 10 ? mp + 3 : mp - 9
    year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
  }

  /// Parses `yyyy-MM-dd` (optionally followed by `T…`, ignored) as midnight UTC.
  static func parse(_ text: String) -> Date? {
    let parts = text.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
    guard text.count == 10 || (text.count > 10 && text.dropFirst(10).first == "T"),
      parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]),
      let day = Int(parts[2]), parts[0].count == 4, (1...12).contains(month), (1...31).contains(day)
    else { return nil }
    // Hinnant's days_from_civil.
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Date(timeIntervalSince1970: Double(days) * 86_400)
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width
      ? digits : String(repeating: "0", count: width - digits.count) + digits
  }

  var isoDate: String { "\(Self.pad(year, 4))-\(Self.pad(month, 2))-\(Self.pad(day, 2))" }

  var iso: String {
    if hour == 0, minute == 0, second == 0 { return isoDate }
    return "\(isoDate)T\(Self.pad(hour, 2)):\(Self.pad(minute, 2)):\(Self.pad(second, 2))Z"
  }

  private static let monthsEN = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
  ]
  private static let monthsFR = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
  ]
  private static let shortMonthsEN = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
  ]
  private static let shortMonthsFR = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
  ]
  private static let daysEN = [
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
  ]
  private static let daysFR = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
  ]

  /// strftime subset: `%Y %m %d %-d %e %B %b %A %a %H %M %S %%`; names in `language`
  /// (fr or en, anything else falls back to en).
  func format(_ pattern: String, language: String) -> String {
    let french = BuiltinFilters.isFrench(language)
    if pattern.utf8.allSatisfy({ $0 < 0x80 }) { return formatASCII(pattern, french: french) }
    return formatCharacters(pattern, french: french)
  }

  /// `format` character by character (any pattern).
  func formatCharacters(_ pattern: String, french: Bool) -> String {
    var out = ""
    var iterator = pattern.makeIterator()
    while let character = iterator.next() {
      guard character == "%" else {
        out.append(character)
        continue
      }
      guard var directive = iterator.next() else {
        out.append("%")
        break
      }
      var unpadded = false
      if directive == "-", let next = iterator.next() {
        unpadded = true
        directive = next
      }
      switch directive {
      case "Y": out += String(year)
      case "m": out += unpadded ? String(month) : Self.pad(month, 2)
      case "d": out += unpadded ? String(day) : Self.pad(day, 2)
      case "e": out += String(day)
      case "B": out += (french ? Self.monthsFR : Self.monthsEN)[month - 1]
      case "b": out += (french ? Self.shortMonthsFR : Self.shortMonthsEN)[month - 1]
      case "A": out += (french ? Self.daysFR : Self.daysEN)[weekday]
      case "a": out += String((french ? Self.daysFR : Self.daysEN)[weekday].prefix(3))
      case "H": out += unpadded ? String(hour) : Self.pad(hour, 2)
      case "M": out += Self.pad(minute, 2)
      case "S": out += Self.pad(second, 2)
      case "%": out += "%"
      default:
        out.append("%")
        out.append(directive)
      }
    }
    return out
  }

  /// `format` for an ASCII pattern: one byte scan, literal runs appended at once.
  func formatASCII(_ pattern: String, french: Bool) -> String {
    let bytes = pattern.utf8
    var out = ""
    out.reserveCapacity(bytes.count + 16)
    var index = bytes.startIndex
    var runStart = index
    let end = bytes.endIndex
    while index != end {
      guard bytes[index] == UInt8(ascii: "%") else {
        bytes.formIndex(after: &index)
        continue
      }
      out += pattern[runStart..<index]
      bytes.formIndex(after: &index)
      guard index != end else {
        out += "%"
        runStart = index
        break
      }
      var directive = bytes[index]
      bytes.formIndex(after: &index)
      var unpadded = false
      if directive == UInt8(ascii: "-"), index != end {
        unpadded = true
        directive = bytes[index]
        bytes.formIndex(after: &index)
      }
      switch directive {
      case UInt8(ascii: "Y"): out += String(year)
      case UInt8(ascii: "m"): Self.append(month, padded: !unpadded, to: &out)
      case UInt8(ascii: "d"): Self.append(day, padded: !unpadded, to: &out)
      case UInt8(ascii: "e"): out += String(day)
      case UInt8(ascii: "B"): out += (french ? Self.monthsFR : Self.monthsEN)[month - 1]
      case UInt8(ascii: "b"): out += (french ? Self.shortMonthsFR : Self.shortMonthsEN)[month - 1]
      case UInt8(ascii: "A"): out += (french ? Self.daysFR : Self.daysEN)[weekday]
      case UInt8(ascii: "a"): out += (french ? Self.daysFR : Self.daysEN)[weekday].prefix(3)
      case UInt8(ascii: "H"): Self.append(hour, padded: !unpadded, to: &out)
      case UInt8(ascii: "M"): Self.append(minute, padded: true, to: &out)
      case UInt8(ascii: "S"): Self.append(second, padded: true, to: &out)
      case UInt8(ascii: "%"): out += "%"
      default:
        out += "%"
        out.unicodeScalars.append(Unicode.Scalar(directive))
      }
      runStart = index
    }
    out += pattern[runStart..<end]
    return out
  }

  /// `pad(value, 2)` (or `String(value)` when not `padded`) without a temporary string.
  private static func append(_ value: Int, padded: Bool, to out: inout String) {
    if padded, value >= 0, value < 10 {
      out.unicodeScalars.append("0")
      out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value)))
    } else if value >= 0, value < 10 {
      out.unicodeScalars.append(Unicode.Scalar(UInt8(48 + value)))
    } else {
      out += padded ? pad(value, 2) : String(value)
    }
  }
}
