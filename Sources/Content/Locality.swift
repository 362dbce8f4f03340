import Diagnostics
import Foundation
import SwiftCSV
import TextRules

/// A town, region or country where projects act (`localities.csv`).
public struct Locality: Sendable, Equatable {
  public var id: String
  public var name: String
  /// Upper-case ISO 3166-1 alpha-2 code.
  public var country: String
  public var region: String
  public var latitude: Double
  public var longitude: Double
  /// Columns beyond the six known ones, kept for templates.
  public var extra: [String: String]
  /// Line of its row in the CSV file.
  public var line: Int
}

/// Reads `localities.csv` (`id,name,country,region,lat,lon` + extra columns) with SwiftCSV.
/// CRLF and lone CR end rows as LF does (``Swift/String/withPlainLineEndings()``).
enum LocalityLoader {
  static let requiredColumns = ["id", "name", "country", "region", "lat", "lon"]

  static func load(_ text: String, path: String) -> ([Locality], [Diagnostic]) {
    let text = text.withPlainLineEndings()
    var diagnostics: [Diagnostic] = []
    func problem(_ message: String, line: Int, column: Int = 1) {
      diagnostics.append(
        Diagnostic.error(message, at: SourceLocation(file: path, line: line, column: column))
          .inFile(path, source: text))
    }

    let rowLines = RecordLines.startLines(of: text)
    if let unclosed = rowLines.unclosedQuoteLine {
      problem("a quoted field opened here is never closed", line: unclosed)
      return ([], diagnostics)
    }
    var rows: [[String]] = []
    do {
      // Rows as written: SwiftCSV's `rows` would pad short rows, hiding a missing column. Its
      // initialiser reads rows too, so it reads one only: the rows are read once, below.
      let csv = try EnumeratedCSV(string: text, delimiter: .comma, loadColumns: false, rowLimit: 1)
      try csv.enumerateAsArray(startAt: 0, rowLimit: nil) { rows.append($0) }
    } catch {
      // SwiftCSV says what is wrong but not where: find the first line it refuses alone.
      let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
      let bad = lines.indices.first { position in
        (try? EnumeratedCSV(string: String(lines[position]), delimiter: .comma)) == nil
      }
      problem("malformed CSV quoting (a quote inside an unquoted field?)", line: (bad ?? 0) + 1)
      return ([], diagnostics)
    }
    guard let header = rows.first, !header.isEmpty else {
      problem(
        "localities.csv is empty; it needs the header \(requiredColumns.joined(separator: ","))",
        line: 1)
      return ([], diagnostics)
    }
    let columns = header.map { WhiteSpace.trimmed($0).lowercased() }
    let missing = requiredColumns.filter { !columns.contains($0) }
    if !missing.isEmpty {
      problem("missing column(s) \(missing.joined(separator: ", ")) in the header", line: 1)
      return ([], diagnostics)
    }
    let index = Dictionary(
      columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })

    var localities: [Locality] = []
    var seen: [String: Int] = [:]
    for (rowNumber, row) in rows.enumerated().dropFirst() {
      let line = rowNumber < rowLines.lines.count ? rowLines.lines[rowNumber] : rowNumber + 1
      if row.count == 1, WhiteSpace.isBlank(row[0]) { continue }
      if row.count != header.count {
        problem("this row has \(row.count) columns; the header has \(header.count)", line: line)
        continue
      }
      let fields = row.map(WhiteSpace.trimmed)
      func field(_ name: String) -> String { fields[index[name]!] }
      let id = field("id")
      if let reason = SlugRules.problem(with: id) {
        problem("locality id '\(id)' \(reason)", line: line)
        continue
      }
      if let first = seen[id] {
        problem("duplicate locality id '\(id)' (first on line \(first))", line: line)
        continue
      }
      seen[id] = line
      let country = field("country").uppercased()
      if Country.named(code: country) == nil {
        problem("'\(field("country"))' is not an ISO 3166-1 alpha-2 country code", line: line)
      }
      guard let latitude = Double(field("lat")), (-90...90).contains(latitude) else {
        problem("latitude '\(field("lat"))' must be a number between -90 and 90", line: line)
        continue
      }
      guard let longitude = Double(field("lon")), (-180...180).contains(longitude) else {
        problem("longitude '\(field("lon"))' must be a number between -180 and 180", line: line)
        continue
      }
      var extra: [String: String] = [:]
      for (position, name) in columns.enumerated() where !requiredColumns.contains(name) {
        extra[name] = row[position]
      }
      localities.append(
        Locality(
          id: id, name: field("name").isEmpty ? id : field("name"), country: country,
          region: field("region"), latitude: latitude, longitude: longitude, extra: extra,
          line: line))
    }
    return (localities, diagnostics)
  }
}

/// The line on which each CSV record starts: records may span lines inside quotes.
struct RecordLines {
  var lines: [Int] = []
  var unclosedQuoteLine: Int?

  static func startLines(of text: String) -> RecordLines {
    var result = RecordLines()
    var line = 1
    var inQuotes = false
    var quoteOpenedOn = 1
    var atRecordStart = true
    for byte in text.utf8 {
      if atRecordStart {
        result.lines.append(line)
        atRecordStart = false
      }
      if byte == UInt8(ascii: "\"") {
        inQuotes.toggle()
        if inQuotes { quoteOpenedOn = line }
      } else if byte == UInt8(ascii: "\n") {
        line += 1
        if !inQuotes { atRecordStart = true }
      }
    }
    if inQuotes { result.unclosedQuoteLine = quoteOpenedOn }
    return result
  }
}
