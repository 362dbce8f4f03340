import Foundation
import Testing

@testable import Templates

/// The byte-level fast paths of filters give exactly what the general code gives.
@Suite struct FastPathTests {
  @Test func substituteMatchesSequentialReplacement() {
    let templates = [
      "", "plain", "{0}", "{0} :", "Par {0}", "{0} cas sur {1}", "{1} then {0}", "{0}{0}{1}",
      "{{0}}", "{1{0}", "{", "}", "{2}", "{10} {1} {0}", "é{0}é", "{0}\u{301}", "x\u{301}{0}",
      "{0}résultats {1}", "{0", "{0}\u{A0}:", "{0}\u{202F}%", "\u{A0}{0}", "{0}\u{200D}x",
      "{0}\u{FE0F}", "{0}\u{201D}", "{0}\u{2028}", "{0}\u{200D}", "{0}\u{2FF}", "{0}\u{AD}",
      "{0}\u{300}",
      "é{0}ü", "日本{0}語", "{0}\u{1F3FB}", "\u{0600}{0}", "{0}\u{11A8}",
    ]
    let argumentLists: [[Value]] = [
      [], ["a"], [1, 2], ["1", "}"], ["{1}", "x"], [.html("<b>"), .int(3)], ["é", "{0}"],
      ["", "", ""], Array(repeating: "z", count: 11),
    ]
    for template in templates {
      for arguments in argumentLists {
        var expected = template
        for (index, argument) in arguments.enumerated() {
          expected = expected.replacingOccurrences(of: "{\(index)}", with: argument.text)
        }
        let actual = BuiltinFilters.substitute(template, arguments)
        #expect(Array(actual.utf8) == Array(expected.utf8), "\(template) \(arguments)")
      }
    }
  }

  @Test func translateFilter() throws {
    let environment = RenderEnvironment(
      translations: ["plain": "Cases", "count": "{0} of {1}", "label": "{0} :"])
    #expect(
      try render(
        "{{ \"plain\" | t }}|{{ \"count\" | t(2, n) }}|{{ \"label\" | t(\"<x>\") }}",
        ["n": 10], environment: environment) == "Cases|2 of 10|&lt;x&gt; :")
  }

  @Test func asciiDateFormatMatchesCharacterFormat() {
    let patterns = [
      "%-d %B %Y", "%Y-%m-%d", "%A %-d %B %Y, %d/%m %b %H:%M", "%a %e %S", "%", "%-", "100%%",
      "%q %-q", "%-m/%-d %-H", "no directives", "", "%Y%", "%%%Y",
    ]
    let moments = [
      0, 1_494_201_600, 1_494_201_600 + 3_723, -86_401, 951_782_400, 4_102_444_799, -62_135_596_800,
    ]
    for pattern in patterns {
      for seconds in moments {
        let date = CivilDate(Date(timeIntervalSince1970: Double(seconds)))
        for french in [false, true] {
          #expect(
            date.formatASCII(pattern, french: french)
              == date.formatCharacters(pattern, french: french), "\(pattern) \(seconds)")
        }
      }
    }
  }

  @Test func frenchLanguageCodes() {
    for language in ["fr", "FR", "fr-CA", "Fr", "f", "", "en", "frr", "fr\u{301}", "ﬀr", "ｆｒ"] {
      #expect(
        BuiltinFilters.isFrench(language) == language.lowercased().hasPrefix("fr"), "\(language)")
    }
  }

  @Test func integerFormatNumberMatchesPrintf() throws {
    let values = [0, 1, -1, 7, 12, 999, 1000, -1000, 12_345, 123_456, 1_234_567, -9_876_543_210]
    for value in values {
      for language in ["en", "fr"] {
        let environment = RenderEnvironment(language: language)
        let french = language == "fr"
        var expected = ""
        let formatted = String(format: "%.0f", Double(value).magnitude)
        let digits = Array(formatted)
        for (index, digit) in digits.enumerated() {
          if index > 0, (digits.count - index) % 3 == 0 { expected += french ? "\u{202F}" : "," }
          expected.append(digit)
        }
        if value < 0 { expected = "-" + expected }
        #expect(
          try render("{{ n | format_number }}", ["n": .int(value)], environment: environment)
            == expected)
      }
    }
  }

  /// The base path and the path are joined on bytes, with one `/` between them, whatever
  /// characters surround the slashes (a prepended mark before the base's last `/`, a combining
  /// mark after the path's first).
  @Test func urlJoinsOnBytesWithOneSlash() {
    let bases = ["/", "/portail/", "/portail", "", "/é/", "/\u{600}/"]
    let paths = [
      "cases/x/", "/cases/x/", "/", "", "/\u{301}x", "é", "https://a.b/", "#top", "//a.b/x", "/é",
    ]
    for base in bases {
      for path in paths {
        let environment = RenderEnvironment(basePath: base)
        var expected = path
        if !BuiltinFilters.isAbsolute(path) {
          var bytes = Array(base.utf8)
          if bytes.last != UInt8(ascii: "/") { bytes.append(UInt8(ascii: "/")) }
          bytes +=
            path.utf8.first == UInt8(ascii: "/") ? Array(path.utf8.dropFirst()) : Array(path.utf8)
          expected = String(decoding: bytes, as: UTF8.self)
        }
        #expect(BuiltinFilters.url(path, environment: environment) == expected, "\(base) \(path)")
      }
    }
    func url(_ path: String, _ base: String) -> String {
      BuiltinFilters.url(path, environment: RenderEnvironment(basePath: base))
    }
    #expect(url("/\u{301}x", "/portail/") == "/portail/\u{301}x")
    #expect(url("/cases/x/", "/\u{600}/") == "/\u{600}/cases/x/")
    #expect(url("cases/", "/portail") == "/portail/cases/")
  }

  @Test func safeURLSchemes() {
    let safe = [
      "/a", "a/b:c", "?x:y", "#f", "page", "https://x", " HTTP://x", "mailto:a@b", "", "h\nttPS:x",
      "TEL:+33", "data:image/png;base64,AA", " DATA:image/GIF,x", "d\u{1}ata:image/webp,x",
      "\u{E9}t\u{E9}", "x#y:z", "http:s:x",
    ]
    let unsafe = [
      "javascript:alert(1)", " java\tscript:x", "data:text/html,x", "vbscript:x", "httpx:x",
      "\u{E9}:x", "\u{212A}http:x", "mailtoo:x", "abcdefghttp:x", "ht\u{0}tpsx:x",
      "te:x", ":x", "data:image/svg+xml,x",
    ]
    for url in safe { #expect(Escaper.isSafeURL(url), "\(url)") }
    for url in unsafe { #expect(!Escaper.isSafeURL(url), "\(url)") }
  }

  @Test func truncateShortAndLong() throws {
    #expect(try render("{{ s | truncate(5) }}", ["s": "e\u{301}e\u{301}"]) == "e\u{301}e\u{301}")
    #expect(try render("{{ s | truncate(3) }}", ["s": "ab\r\ncd"]) == "ab…")
    #expect(try render("{{ s | truncate(20) }}", ["s": "short enough"]) == "short enough")
    #expect(try render("{{ s | truncate(9) }}", ["s": "hello big world"]) == "hello big…")
  }
}
