import Foundation

/// What a request path names in the in-memory site.
public enum SiteLookup: Sendable, Equatable {
  /// A key of the site's file map.
  case file(String)
  /// A folder asked for without its trailing slash: redirect to this path.
  case redirect(String)
  case notFound
}

/// Maps URL paths to keys of the generated site's file map; nothing here touches the disk.
///
/// The raw (percent-encoded) path is decoded exactly once, segment by segment. A segment that
/// decodes to `.` or `..`, or contains `/`, `\`, NUL or invalid UTF-8, makes the whole path
/// unknown, so no encoding of a traversal (`%2e%2e`, `%2f`, `%5c`, `%c0%ae`, `%00`) can name a
/// file; a double encoding (`%252e`) decodes to a literal `%2e`, which no site file is called.
public enum SitePath {
  /// The decoded segments of `rawPath`, or nil when any of them is refused. The last segment
  /// is empty when the path ends with a slash.
  public static func segments(_ rawPath: String) -> [String]? {
    guard rawPath.hasPrefix("/") else { return nil }
    let parts = rawPath.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
    var result: [String] = []
    for (index, part) in parts.enumerated() {
      if part.isEmpty {
        // Only a trailing slash may leave a segment empty ("/", "/x/"), never "//".
        guard index == parts.count - 1 else { return nil }
        result.append("")
        continue
      }
      guard let segment = decode(part) else { return nil }
      result.append(segment)
    }
    return result
  }

  /// One segment, percent-decoded once, or nil when it is not an acceptable file name.
  static func decode(_ raw: Substring) -> String? {
    var bytes: [UInt8] = []
    var iterator = Array(raw.utf8).makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "%") {
        guard let high = iterator.next().flatMap(hexValue),
          let low = iterator.next().flatMap(hexValue)
        else { return nil }
        bytes.append(high << 4 | low)
      } else {
        bytes.append(byte)
      }
    }
    guard let text = String(validating: bytes, as: UTF8.self) else { return nil }
    guard text != ".", text != "..", !text.isEmpty else { return nil }
    for scalar in text.unicodeScalars where scalar == "/" || scalar == "\\" || scalar.value < 0x20 {
      return nil
    }
    return text
  }

  private static func hexValue(_ byte: UInt8) -> UInt8? {
    switch byte {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
    default: nil
    }
  }

  /// Looks `rawPath` up among `exists` (the site's file keys): `/` → `index.html`,
  /// `/x/` → `x/index.html`, `/x` → redirect to `/x/` when only `x/index.html` exists.
  public static func lookup(_ rawPath: String, exists: (String) -> Bool) -> SiteLookup {
    guard let segments = segments(rawPath) else { return .notFound }
    if segments.last == "" {
      let folder = segments.dropLast().joined(separator: "/")
      let key = folder.isEmpty ? "index.html" : folder + "/index.html"
      return exists(key) ? .file(key) : .notFound
    }
    let key = segments.joined(separator: "/")
    if exists(key) { return .file(key) }
    if exists(key + "/index.html") { return .redirect(rawPath + "/") }
    return .notFound
  }

  /// Whether a file key is a theme asset named by its content (`assets/style.0123456789.css`):
  /// new content gets a new name, so browsers may keep it without asking again, and a reload
  /// fetches only the page.
  public static func isContentNamed(_ key: String) -> Bool {
    guard key.hasPrefix("assets/"), key.hasSuffix(".css") || key.hasSuffix(".js") else {
      return false
    }
    let parts = key.split(separator: ".")
    guard parts.count >= 3 else { return false }
    let hash = parts[parts.count - 2]
    return hash.count == 10 && hash.allSatisfy(\.isHexDigit)
  }

  /// The content type served for a file key, by its extension.
  public static func contentType(for key: String) -> String {
    let name = key.split(separator: "/").last ?? ""
    let ext = name.split(separator: ".").count > 1 ? name.split(separator: ".").last ?? "" : ""
    switch ext.lowercased() {
    case "html", "htm": return "text/html; charset=utf-8"
    case "css": return "text/css; charset=utf-8"
    case "js", "mjs": return "text/javascript; charset=utf-8"
    case "json": return "application/json"
    case "geojson": return "application/geo+json"
    case "svg": return "image/svg+xml"
    case "xml": return "application/xml"
    case "png": return "image/png"
    case "jpg", "jpeg": return "image/jpeg"
    case "webp": return "image/webp"
    case "gif": return "image/gif"
    case "ico": return "image/x-icon"
    case "txt": return "text/plain; charset=utf-8"
    case "csv": return "text/csv; charset=utf-8"
    case "pdf": return "application/pdf"
    case "woff2": return "font/woff2"
    default: return "application/octet-stream"
    }
  }
}
