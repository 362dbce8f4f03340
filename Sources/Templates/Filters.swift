import Foundation

/// The built-in filters. Arguments arrive positionally (keyword arguments are mapped through
/// ``parameterNames`` at compile time; a gap is `none`, meaning "use the default").
enum BuiltinFilters {
  /// Parameter names, for keyword arguments (`truncate(length=120)`).
  static let parameterNames: [String: [String]] = [
    "date": ["format"], "truncate": ["length", "end"], "join": ["sep", "separator"],
    "default": ["value"], "sort": ["attribute"], "where": ["attribute", "value"],
    "group_by": ["attribute"], "limit": ["count"], "slice": ["count"],
    "pluralize": ["singular", "plural"], "t": [], "replace": ["from", "to"],
    "split": ["sep", "separator"], "map": ["attribute"], "round": ["precision"],
    "format_number": ["decimals"],
  ]

  static let all: [String: Filter] = [
    "date": date, "upper": { input, _, _ in .string(input.text.uppercased()) },
    "lower": { input, _, _ in .string(input.text.lowercased()) },
    "capitalize": { input, _, _ in
      let text = input.text
      return .string(text.prefix(1).uppercased() + text.dropFirst().lowercased())
    },
    "title": title, "trim": { input, _, _ in .string(trimmed(input.text)) },
    "truncate": truncate, "striptags": { input, _, _ in .string(stripTags(input.text)) },
    "slugify": { input, _, _ in .string(slugify(input.text)) }, "join": join,
    "length": length,
    "default": { input, arguments, _ in
      if case .null = input { return arguments.first ?? .null }
      return input
    },
    "first": first, "last": last, "reverse": reverse, "sort": sort, "where": whereFilter,
    "group_by": groupBy, "limit": limit, "slice": limit,
    "escape": escape, "e": escape,
    "safe": { input, _, _ in
      if case .html = input { return input }
      return .html(input.text)
    },
    "json": { input, _, _ in .string(input.json) },
    "url": { input, _, environment in .string(url(input.text, environment: environment)) },
    "absolute_url": { input, _, environment in
      .string(absoluteURL(input.text, environment: environment))
    },
    "pluralize": pluralize, "wordcount": { input, _, _ in .int(words(input).count) },
    "reading_time": { input, _, _ in .int(max(1, (words(input).count + 199) / 200)) },
    "t": translate, "replace": replace, "split": split, "map": map, "unique": unique,
    "sum": sum, "round": round, "abs": abs, "int": int,
    "string": { input, _, _ in .string(input.text) },
    "keys": { input, _, _ in
      guard case .object(let members) = input else { throw typeError("keys", "an object", input) }
      return .array(members.keys.sorted().map { .string($0) })
    },
    "values": { input, _, _ in
      guard case .object(let members) = input else {
        throw typeError("values", "an object", input)
      }
      return .array(members.sorted { $0.key < $1.key }.map(\.value))
    },
    "format_number": formatNumber,
  ]

  static func typeError(_ filter: String, _ expected: String, _ value: Value) -> FilterError {
    FilterError("'\(filter)' expects \(expected), got \(value.typeName)")
  }

  private static func argument(_ arguments: [Value], _ index: Int) -> Value? {
    guard index < arguments.count else { return nil }
    if case .null = arguments[index] { return nil }
    return arguments[index]
  }

  private static func intArgument(
    _ arguments: [Value], _ index: Int, filter: String, default value: Int
  ) throws(FilterError) -> Int {
    guard let argument = argument(arguments, index) else { return value }
    switch argument {
    case .int(let number): return number
    case .double(let number) where number.isFinite && Swift.abs(number) < 1e15: return Int(number)
    default: throw FilterError("'\(filter)' expects an integer argument, got \(argument.typeName)")
    }
  }

  private static func stringArgument(
    _ arguments: [Value], _ index: Int, filter: String
  ) throws(FilterError) -> String? {
    guard let argument = argument(arguments, index) else { return nil }
    switch argument {
    case .string(let text), .html(let text): return text
    case .int, .double, .bool: return argument.text
    default: throw FilterError("'\(filter)' expects a string argument, got \(argument.typeName)")
    }
  }

  private static func list(_ filter: String, _ input: Value) throws(FilterError) -> [Value] {
    guard case .array(let values) = input else { throw typeError(filter, "a list", input) }
    return values
  }

  /// `language.lowercased().hasPrefix("fr")`, without a lowercased copy for ASCII codes.
  static func isFrench(_ language: String) -> Bool {
    var bytes = language.utf8.makeIterator()
    guard let first = bytes.next(), let second = bytes.next() else { return false }
    guard first < 0x80, second < 0x80, (bytes.next() ?? 0) < 0x80 else {
      return language.lowercased().hasPrefix("fr")
    }
    return first | 0x20 == UInt8(ascii: "f") && second | 0x20 == UInt8(ascii: "r")
  }

  static func trimmed(_ text: String) -> String {
    text.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private static let date: Filter = { input, arguments, environment in
    let moment: Date
    switch input {
    case .date(let value): moment = value
    case .string(let text):
      guard let parsed = CivilDate.parse(text) else {
        throw FilterError("'date' cannot read \"\(text)\" as a yyyy-MM-dd date")
      }
      moment = parsed
    default: throw typeError("date", "a date or a yyyy-MM-dd string", input)
    }
    let format = try stringArgument(arguments, 0, filter: "date") ?? "%-d %B %Y"
    return .string(CivilDate(moment).format(format, language: environment.language))
  }

  private static let title: Filter = { input, _, _ in
    var out = ""
    var atWordStart = true
    for character in input.text {
      if character.isWhitespace || character == "-" {
        out.append(character)
        atWordStart = true
      } else if atWordStart {
        out += character.uppercased()
        atWordStart = false
      } else {
        out += character.lowercased()
      }
    }
    return .string(out)
  }

  private static let truncate: Filter = { input, arguments, _ in
    let limit = try intArgument(arguments, 0, filter: "truncate", default: 255)
    let end = try stringArgument(arguments, 1, filter: "truncate") ?? "…"
    let text = input.text
    // No more characters than bytes, so a short text is kept without counting characters.
    if text.utf8.count <= limit { return .string(text) }
    guard limit >= 0, text.count > limit else { return .string(text) }
    var cut = text.prefix(limit)
    let next = text[cut.endIndex]
    if !next.isWhitespace, let space = cut.lastIndex(where: \.isWhitespace) {
      cut = cut[..<space]
    }
    while let last = cut.last, last.isWhitespace || last == "," || last == ";" || last == ":" {
      cut = cut.dropLast()
    }
    return .string(String(cut) + end)
  }

  static func stripTags(_ text: String) -> String {
    var out = ""
    var inTag = false
    for character in text {
      if inTag {
        if character == ">" { inTag = false }
      } else if character == "<" {
        inTag = true
        out.append(" ")
      } else {
        out.append(character)
      }
    }
    let decoded =
      out
      .replacingOccurrences(of: "&nbsp;", with: " ")
      .replacingOccurrences(of: "&lt;", with: "<")
      .replacingOccurrences(of: "&gt;", with: ">")
      .replacingOccurrences(of: "&quot;", with: "\"")
      .replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&#34;", with: "\"")
      .replacingOccurrences(of: "&amp;", with: "&")
    return decoded.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  static func slugify(_ text: String) -> String {
    var out = ""
    var pendingDash = false
    for scalar in text.lowercased().decomposedStringWithCanonicalMapping.unicodeScalars {
      var replacement: String?
      switch scalar {
      case "a"..."z", "0"..."9": replacement = String(scalar)
      case "œ": replacement = "oe"
      case "æ": replacement = "ae"
      case "ß": replacement = "ss"
      case "ø": replacement = "o"
      case "đ": replacement = "d"
      case "ł": replacement = "l"
      case "\u{0300}"..."\u{036F}": continue
      default: replacement = nil
      }
      if let replacement {
        if pendingDash, !out.isEmpty { out += "-" }
        pendingDash = false
        out += replacement
      } else {
        pendingDash = true
      }
    }
    return out
  }

  private static let join: Filter = { input, arguments, _ in
    let separator = try stringArgument(arguments, 0, filter: "join") ?? ""
    return .string(try list("join", input).map(\.text).joined(separator: separator))
  }

  private static let length: Filter = { input, _, _ in
    switch input {
    case .string(let text), .html(let text): return .int(text.count)
    case .array(let values): return .int(values.count)
    case .object(let members): return .int(members.count)
    case .null: return .int(0)
    default: throw typeError("length", "a string, list or object", input)
    }
  }

  private static let first: Filter = { input, _, _ in
    switch input {
    case .array(let values): return values.first ?? .null
    case .string(let text): return .string(text.first.map(String.init) ?? "")
    default: throw typeError("first", "a list or string", input)
    }
  }

  private static let last: Filter = { input, _, _ in
    switch input {
    case .array(let values): return values.last ?? .null
    case .string(let text): return .string(text.last.map(String.init) ?? "")
    default: throw typeError("last", "a list or string", input)
    }
  }

  private static let reverse: Filter = { input, _, _ in
    switch input {
    case .array(let values): return .array(values.reversed())
    case .string(let text): return .string(String(text.reversed()))
    default: throw typeError("reverse", "a list or string", input)
    }
  }

  private static let sort: Filter = { input, arguments, _ in
    let values = try list("sort", input)
    let key = try stringArgument(arguments, 0, filter: "sort")
    var failure: FilterError?
    // Each element's sort key is read once, not at every comparison.
    let keyed = values.enumerated().map { offset, element in
      (offset: offset, sortKey: key.map { element.path($0) ?? .null } ?? element)
    }
    let sorted = keyed.sorted { lhs, rhs in
      guard let order = lhs.sortKey.compare(rhs.sortKey) else {
        failure = FilterError(
          "'sort' cannot compare \(lhs.sortKey.typeName) with \(rhs.sortKey.typeName)")
        return lhs.offset < rhs.offset
      }
      return order == .orderedSame ? lhs.offset < rhs.offset : order == .orderedAscending
    }
    if let failure { throw failure }
    return .array(sorted.map { values[$0.offset] })
  }

  private static let whereFilter: Filter = { input, arguments, _ in
    guard let key = try stringArgument(arguments, 0, filter: "where") else {
      throw FilterError("'where' needs an attribute name")
    }
    let expected = argument(arguments, 1)
    return .array(
      try list("where", input).filter { item in
        guard let value = item.path(key) else { return false }
        if let expected { return value.looselyEquals(expected) }
        return value.isTruthy
      })
  }

  private static let groupBy: Filter = { input, arguments, _ in
    guard let key = try stringArgument(arguments, 0, filter: "group_by") else {
      throw FilterError("'group_by' needs an attribute name")
    }
    var groups: [(grouper: Value, list: [Value])] = []
    for item in try list("group_by", input) {
      let grouper = item.path(key) ?? .null
      if let index = groups.firstIndex(where: { $0.grouper.looselyEquals(grouper) }) {
        groups[index].list.append(item)
      } else {
        groups.append((grouper, [item]))
      }
    }
    return .array(groups.map { .object(["grouper": $0.grouper, "list": .array($0.list)]) })
  }

  private static let limit: Filter = { input, arguments, _ in
    let count = max(0, try intArgument(arguments, 0, filter: "limit", default: 0))
    switch input {
    case .array(let values): return .array(Array(values.prefix(count)))
    case .string(let text): return .string(String(text.prefix(count)))
    default: throw typeError("limit", "a list or string", input)
    }
  }

  private static let escape: Filter = { input, _, _ in
    if case .html = input { return input }
    return .html(Escaper.html(input.text))
  }

  /// True for URLs with a scheme, protocol-relative URLs, fragments and queries.
  static func isAbsolute(_ url: String) -> Bool {
    let utf8 = url.utf8
    guard let first = utf8.first else { return false }
    if first == UInt8(ascii: "#") || first == UInt8(ascii: "?") { return true }
    if first == UInt8(ascii: "/") {
      return utf8.dropFirst().first == UInt8(ascii: "/")
    }
    for byte in utf8 {
      switch byte {
      case UInt8(ascii: ":"): return byte != first
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"),
        UInt8(ascii: "."):
        continue
      default: return false
      }
    }
    return false
  }

  /// `path` under the site's base path, joined on UTF-8 bytes: the slashes are ASCII, so the
  /// join never depends on what characters come next to them (a combining mark after a slash
  /// makes one Character of both).
  static func url(_ path: String, environment: RenderEnvironment) -> String {
    if isAbsolute(path) { return path }
    var result = environment.basePath
    if result.utf8.last != UInt8(ascii: "/") { result += "/" }
    guard path.utf8.first == UInt8(ascii: "/") else { return result + path }
    // A site served at the root: a root-relative path is its own URL, not copied.
    if result.utf8.count == 1 { return path }
    result += Substring(path.utf8.dropFirst())
    return result
  }

  static func absoluteURL(_ path: String, environment: RenderEnvironment) -> String {
    if isAbsolute(path) { return path }
    var relative = path.hasPrefix("/") ? String(path.dropFirst()) : path
    // A path already under basePath is not prefixed twice.
    let basePath = String(environment.basePath.dropFirst())
    if !basePath.isEmpty, path.hasPrefix(environment.basePath) {
      relative = String(relative.dropFirst(basePath.count))
    }
    let base = environment.baseURL.hasSuffix("/") ? environment.baseURL : environment.baseURL + "/"
    return base + relative
  }

  private static let pluralize: Filter = { input, arguments, environment in
    guard let count = input.number else { throw typeError("pluralize", "a number", input) }
    let singular = try stringArgument(arguments, 0, filter: "pluralize") ?? ""
    let plural = try stringArgument(arguments, 1, filter: "pluralize") ?? "s"
    let isSingular =
      isFrench(environment.language) ? Swift.abs(count) < 2 : count == 1
    return .string(isSingular ? singular : plural)
  }

  private static func words(_ input: Value) -> [Substring] {
    let text: String
    if case .html(let markup) = input { text = stripTags(markup) } else { text = input.text }
    return text.split(whereSeparator: \.isWhitespace)
  }

  private static let translate: Filter = { input, arguments, environment in
    let key: String
    if case .string(let text) = input { key = text } else { key = input.text }
    guard let text = environment.translations[key] else {
      throw FilterError("missing translation '\(key)' for language '\(environment.language)'")
    }
    if arguments.isEmpty { return .string(text) }
    return .string(substitute(text, arguments))
  }

  /// Replaces `{0}`, then `{1}`, … in turn by the text of each argument (what
  /// `replacingOccurrences` did, one placeholder after the other), on UTF-8 bytes.
  static func substitute(_ template: String, _ arguments: [Value]) -> String {
    var text = template
    for (index, argument) in arguments.enumerated() {
      guard text.utf8.contains(UInt8(ascii: "{")) else { break }
      text.makeContiguousUTF8()
      let found: [Range<Int>]?? = text.utf8.withContiguousStorageIfAvailable { bytes in
        placeholders(index, in: bytes)
      }
      guard let matches = found ?? nil else {
        // A placeholder touching a character it could combine with: let Foundation decide.
        for (later, argument) in arguments.enumerated().dropFirst(index) {
          text = text.replacingOccurrences(of: "{\(later)}", with: argument.text)
        }
        return text
      }
      guard !matches.isEmpty else { continue }
      let replacement = argument.text
      let utf8 = text.utf8
      var out = ""
      out.reserveCapacity(utf8.count + matches.count * replacement.utf8.count)
      var runStart = utf8.startIndex
      for match in matches {
        let lower = utf8.index(utf8.startIndex, offsetBy: match.lowerBound)
        out += text[runStart..<lower]
        out += replacement
        runStart = utf8.index(utf8.startIndex, offsetBy: match.upperBound)
      }
      out += text[runStart...]
      text = out
    }
    return text
  }

  /// Byte ranges of every `{index}`, left to right; nil when one touches a character it
  /// could combine with (where Unicode-aware matching could differ from bytes).
  private static func placeholders(
    _ index: Int, in bytes: UnsafeBufferPointer<UInt8>
  ) -> [Range<Int>]? {
    let digitCount = String(index).utf8.count
    var matches: [Range<Int>] = []
    var position = 0
    let count = bytes.count
    while position < count {
      guard bytes[position] == UInt8(ascii: "{") else {
        position += 1
        continue
      }
      var end = position + 1
      var value = 0
      while end < count, end - position <= 19, bytes[end] >= 48, bytes[end] <= 57 {
        value = value &* 10 &+ Int(bytes[end] - 48)
        end += 1
      }
      guard end - position - 1 == digitCount, value == index, end < count,
        bytes[end] == UInt8(ascii: "}")
      else {
        position += 1
        continue
      }
      end += 1
      if position > 0, bytes[position - 1] >= 0x80, !isPlainBefore(bytes, position) {
        return nil
      }
      if end < count, bytes[end] >= 0x80, !isPlainAfter(bytes, end) { return nil }
      matches.append(position..<end)
      position = end
    }
    return matches
  }

  /// True when the character ending before `end` cannot join what follows into one
  /// character (anything below the Arabic block, general punctuation, CJK).
  private static func isPlainBefore(_ bytes: UnsafeBufferPointer<UInt8>, _ end: Int) -> Bool {
    var start = end - 1
    while start > 0, bytes[start] & 0xC0 == 0x80 { start -= 1 }
    let scalars = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
      .unicodeScalars
    guard let scalar = scalars.first else { return false }
    let value = scalar.value
    return value < 0x600 || (0x2000...0x2BFF).contains(value) || (0x3000...0x9FFF).contains(value)
  }

  /// True when the character starting at `start` does not extend the one before it (no
  /// combining mark, joiner, variation selector, emoji modifier, spacing mark or jamo).
  private static func isPlainAfter(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int) -> Bool {
    // Without decoding: U+0080–U+02FF but the soft hyphen (Latin-1 and Latin Extended, before
    // the combining marks), and the dashes, quotes and no-break spaces U+2010–U+2027, U+202F.
    let lead = bytes[start]
    if lead >= 0xC2, lead <= 0xCB, lead != 0xC2 || bytes[start + 1] != 0xAD { return true }
    if lead == 0xE2, start + 2 < bytes.count, bytes[start + 1] == 0x80,
      (0x90...0xA7).contains(bytes[start + 2]) || bytes[start + 2] == 0xAF
    {
      return true
    }
    var end = start + 1
    while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
    let scalars = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
      .unicodeScalars
    guard let scalar = scalars.first else { return false }
    let properties = scalar.properties
    let value = scalar.value
    return !properties.isGraphemeExtend && !properties.isEmojiModifier
      && !properties.isVariationSelector && properties.generalCategory != .spacingMark
      && properties.generalCategory != .nonspacingMark
      && properties.generalCategory != .enclosingMark && properties.generalCategory != .format
      && !(0x1160...0x11FF).contains(value) && !(0xD7B0...0xD7FF).contains(value)
  }

  private static let replace: Filter = { input, arguments, _ in
    guard let from = try stringArgument(arguments, 0, filter: "replace"), !from.isEmpty else {
      throw FilterError("'replace' needs a non-empty string to replace")
    }
    let to = try stringArgument(arguments, 1, filter: "replace") ?? ""
    return .string(input.text.replacingOccurrences(of: from, with: to))
  }

  private static let split: Filter = { input, arguments, _ in
    let separator = try stringArgument(arguments, 0, filter: "split") ?? " "
    guard !separator.isEmpty else { throw FilterError("'split' needs a non-empty separator") }
    return .array(input.text.components(separatedBy: separator).map { .string($0) })
  }

  private static let map: Filter = { input, arguments, _ in
    guard let key = try stringArgument(arguments, 0, filter: "map") else {
      throw FilterError("'map' needs an attribute name")
    }
    return .array(try list("map", input).map { $0.path(key) ?? .null })
  }

  private static let unique: Filter = { input, _, _ in
    var result: [Value] = []
    for value in try list("unique", input)
    where !result.contains(where: { $0.looselyEquals(value) }) {
      result.append(value)
    }
    return .array(result)
  }

  private static let sum: Filter = { input, _, _ in
    var integer = 0
    var double = 0.0
    var isDouble = false
    for value in try list("sum", input) {
      switch value {
      case .int(let number):
        let (total, overflow) = integer.addingReportingOverflow(number)
        if overflow { throw FilterError("'sum' overflowed") }
        integer = total
      case .double(let number):
        double += number
        isDouble = true
      default: throw typeError("sum", "a list of numbers", value)
      }
    }
    return isDouble ? .double(double + Double(integer)) : .int(integer)
  }

  private static let round: Filter = { input, arguments, _ in
    let precision = try intArgument(arguments, 0, filter: "round", default: 0)
    switch input {
    case .int: return input
    case .double(let number):
      guard precision > 0 else {
        let rounded = number.rounded()
        return rounded.isFinite && Swift.abs(rounded) < 1e15 ? .int(Int(rounded)) : .double(rounded)
      }
      let scale = pow(10.0, Double(min(precision, 15)))
      return .double((number * scale).rounded() / scale)
    default: throw typeError("round", "a number", input)
    }
  }

  private static let abs: Filter = { input, _, _ in
    switch input {
    case .int(let number):
      guard number != Int.min else { throw FilterError("'abs' overflowed") }
      return .int(Swift.abs(number))
    case .double(let number): return .double(Swift.abs(number))
    default: throw typeError("abs", "a number", input)
    }
  }

  private static let int: Filter = { input, _, _ in
    switch input {
    case .int: return input
    case .double(let number):
      guard number.isFinite, Swift.abs(number) < 1e18 else {
        throw FilterError("'int' cannot convert \(number)")
      }
      return .int(Int(number))
    case .bool(let flag): return .int(flag ? 1 : 0)
    case .string(let text), .html(let text):
      let trimmedText = trimmed(text)
      if let number = Int(trimmedText) { return .int(number) }
      if let number = Double(trimmedText), number.isFinite, Swift.abs(number) < 1e18 {
        return .int(Int(number))
      }
      throw FilterError("'int' cannot read \"\(text)\" as a number")
    default: throw typeError("int", "a number or string", input)
    }
  }

  private static let formatNumber: Filter = { input, arguments, environment in
    let french = isFrench(environment.language)
    let groupSeparator = french ? "\u{202F}" : ","
    let decimalSeparator = french ? "," : "."
    guard let number = input.number ?? Double(trimmed(input.text)), number.isFinite else {
      throw typeError("format_number", "a number", input)
    }
    var decimals = try intArgument(arguments, 0, filter: "format_number", default: -1)
    if decimals < 0 {
      if case .int = input { decimals = 0 } else { decimals = number == number.rounded() ? 0 : 2 }
    }
    decimals = min(decimals, 10)
    if decimals == 0, case .int(let value) = input, value.magnitude < 1 << 53 {
      // Exact in a Double, so "%.0f" would print the same digits.
      let digits = String(value.magnitude).utf8
      var result = value < 0 ? "-" : ""
      var remaining = digits.count
      for digit in digits {
        if remaining != digits.count, remaining % 3 == 0 { result += groupSeparator }
        result.unicodeScalars.append(Unicode.Scalar(digit))
        remaining -= 1
      }
      return .string(result)
    }
    let formatted = String(format: "%.\(decimals)f", Swift.abs(number))
    let parts = formatted.split(separator: ".", maxSplits: 1)
    let integerDigits = Array(parts.first ?? "0")
    var grouped = ""
    for (index, digit) in integerDigits.enumerated() {
      if index > 0, (integerDigits.count - index) % 3 == 0 { grouped += groupSeparator }
      grouped.append(digit)
    }
    var result = (number < 0 && formatted.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "")
    result += grouped
    if parts.count > 1 {
      var fraction = String(parts[1])
      if case .double = input, argument(arguments, 0) == nil {
        while fraction.hasSuffix("0") { fraction.removeLast() }
      }
      if !fraction.isEmpty { result += decimalSeparator + fraction }
    }
    return .string(result)
  }
}
