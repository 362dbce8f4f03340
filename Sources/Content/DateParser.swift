import Foundation

/// Reads the date forms Jekyll accepts: `2017-05-08`, `2017-05-08 10:30`, `2017-05-08 10:30:00`,
/// `2017-05-08T10:30:00Z`, with an optional `+02:00`/`+0200`/`Z` offset. Dates are kept in UTC.
public enum DateParser {
  public static func parse(_ text: String) -> Date? {
    let scalars = Array(WhiteSpace.trimmed(text).unicodeScalars)
    var position = 0

    func number(digits: Int) -> Int? {
      guard position + digits <= scalars.count else { return nil }
      var value = 0
      for index in position..<(position + digits) {
        guard
          let digit = scalars[index].properties.numericType != nil
            ? Int(String(scalars[index])) : nil
        else { return nil }
        value = value * 10 + digit
      }
      position += digits
      return value
    }
    func skip(_ character: Unicode.Scalar) -> Bool {
      guard position < scalars.count, scalars[position] == character else { return false }
      position += 1
      return true
    }

    guard let year = number(digits: 4), skip("-"), let month = number(digits: 2), skip("-"),
      let day = number(digits: 2)
    else { return nil }
    var components = DateComponents(
      calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
      year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
    var offsetSeconds = 0
    if skip("T") || skip(" ") {
      guard let hour = number(digits: 2), skip(":"), let minute = number(digits: 2) else {
        return nil
      }
      components.hour = hour
      components.minute = minute
      if skip(":") {
        guard let second = number(digits: 2) else { return nil }
        components.second = second
        if skip(".") {
          while position < scalars.count, ("0"..."9").contains(scalars[position]) { position += 1 }
        }
      }
      _ = skip(" ")
      if skip("Z") {
      } else if position < scalars.count, scalars[position] == "+" || scalars[position] == "-" {
        let sign = scalars[position] == "-" ? -1 : 1
        position += 1
        guard let hours = number(digits: 2) else { return nil }
        _ = skip(":")
        let minutes = number(digits: 2) ?? 0
        offsetSeconds = sign * (hours * 3600 + minutes * 60)
      }
    }
    guard position == scalars.count, (1...12).contains(month), (1...31).contains(day),
      components.isValidDate, let date = components.date
    else { return nil }
    return date.addingTimeInterval(TimeInterval(-offsetSeconds))
  }

  /// `YYYY-MM-DD` of a date in UTC (by the C library: `Calendar` took 1% of a build's CPU).
  public static func isoDay(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return "0000-00-00" }
    func digits(_ number: Int32, _ width: Int) -> String {
      let text = String(number)
      return String(repeating: "0", count: max(0, width - text.count)) + text
    }
    return
      "\(digits(parts.tm_year + 1900, 4))-\(digits(parts.tm_mon + 1, 2))-\(digits(parts.tm_mday, 2))"
  }
}
