import Foundation
import TextRules

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
        guard ("0"..."9").contains(scalars[index]) else { return nil }
        value = value * 10 + Int(scalars[index].value - 0x30)
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
    var (hour, minute, second) = (0, 0, 0)
    var offsetSeconds = 0
    if skip("T") || skip(" ") {
      guard let hours = number(digits: 2), skip(":"), let minutes = number(digits: 2) else {
        return nil
      }
      (hour, minute) = (hours, minutes)
      if skip(":") {
        guard let seconds = number(digits: 2) else { return nil }
        second = seconds
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
      hour < 24, minute < 60, second < 60,
      let date = date(year: year, month: month, day: day)
    else { return nil }
    let seconds = hour * 3600 + minute * 60 + second - offsetSeconds
    return date.addingTimeInterval(TimeInterval(seconds))
  }

  /// Midnight UTC of a day of the Gregorian calendar; nil for a day the month does not have.
  /// Counted from the civil date (as in Howard Hinnant's `days_from_civil`): `Calendar` took
  /// 20,000 instructions a date. Before 1583 `Calendar`'s Gregorian calendar is the Julian one,
  /// so those days are left to it.
  static func date(year: Int, month: Int, day: Int) -> Date? {
    guard year >= 1583 else {
      let components = DateComponents(
        calendar: Calendar(identifier: .gregorian), timeZone: TimeZone(identifier: "UTC"),
        year: year, month: month, day: day, hour: 0, minute: 0, second: 0)
      return components.isValidDate ? components.date : nil
    }
    let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard day <= monthDays[month - 1] else { return nil }
    // Years counted from March, so that the leap day ends a year.
    let shiftedYear = month <= 2 ? year - 1 : year
    let era = shiftedYear / 400
    let yearOfEra = shiftedYear - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return Date(timeIntervalSince1970: TimeInterval(days * 86_400))
  }

  /// `YYYY-MM-DD` of a date in UTC (by the C library: `Calendar` took 1% of a build's CPU).
  public static func isoDay(_ date: Date) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    guard gmtime_r(&seconds, &parts) != nil else { return "0000-00-00" }
    let year = Int(parts.tm_year) + 1900
    guard (0...9999).contains(year) else {
      return String(format: "%04d-%02d-%02d", year, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
    }
    // Written digit by digit: string interpolation and padding took 11,000 instructions.
    return String(unsafeUninitializedCapacity: 10) { bytes in
      func put(_ number: Int, at start: Int, width: Int) {
        var rest = number
        for index in (start..<start + width).reversed() {
          bytes[index] = UInt8(0x30 + rest % 10)
          rest /= 10
        }
      }
      put(year, at: 0, width: 4)
      bytes[4] = UInt8(ascii: "-")
      put(Int(parts.tm_mon) + 1, at: 5, width: 2)
      bytes[7] = UInt8(ascii: "-")
      put(Int(parts.tm_mday), at: 8, width: 2)
      return 10
    }
  }
}
