import Diagnostics

/// Guards against the inputs that make Debian's cmark-gfm 0.29.0.gfm.6 take quadratic time
/// (CVE-2023-22483, -22484, -24824, -26485, -37463): unmatched link/image openers, many HTML
/// declaration, CDATA or processing-instruction openers, very wide tables and deep nesting.
///
/// It counts the syntax classes rather than matching literal strings, so variants and
/// mixtures are caught too; the limits sit far above what a real case study uses.
enum PathologicalInput {
  static let maximumBracketOpeners = 10_000
  static let maximumMarkupOpeners = 5_000
  static let maximumTableColumns = 500
  static let maximumNesting = 100

  static func scan(_ source: String) -> Diagnostic? {
    // A loop over the bytes in place: several times faster than over `source.utf8`.
    if let found = source.utf8.withContiguousStorageIfAvailable(scan) { return found }
    var source = source
    return source.withUTF8(scan)
  }

  private static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Diagnostic? {
    var brackets = 0
    var markupOpeners = 0
    var line = 1
    var column = 0
    var pipesInLine = 0
    var lineStart = true
    var nesting = 0
    var previous: UInt8 = 0
    var index = 0
    while index < bytes.count {
      // Outside a line's start, bytes that none of the cases below counts are skipped in a
      // tight loop (most of the text).
      if !lineStart {
        let runStart = index
        let raw = UnsafeRawBufferPointer(bytes)
        while index + 8 <= bytes.count,
          !holdsCounted(raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        {
          index += 8
        }
        while index < bytes.count, !isCounted(bytes[index]) { index += 1 }
        if index > runStart {
          column += index - runStart
          previous = bytes[index - 1]
          if index == bytes.count { break }
        }
      }
      let byte = bytes[index]
      index += 1
      column += 1
      switch byte {
      case UInt8(ascii: "\n"):
        line += 1
        column = 0
        pipesInLine = 0
        lineStart = true
        nesting = 0
        previous = byte
        continue
      case UInt8(ascii: "["):
        brackets += 1
        if brackets > maximumBracketOpeners {
          return refuse(
            "more than \(maximumBracketOpeners) '[' link or image openers", line, column)
        }
      case UInt8(ascii: "!"), UInt8(ascii: "?"):
        if previous == UInt8(ascii: "<") {
          markupOpeners += 1
          if markupOpeners > maximumMarkupOpeners {
            return refuse(
              "more than \(maximumMarkupOpeners) '<!' or '<?' markup openers", line, column)
          }
        }
      case UInt8(ascii: "|"):
        pipesInLine += 1
        if pipesInLine > maximumTableColumns {
          return refuse("a table row with more than \(maximumTableColumns) columns", line, column)
        }
      default:
        break
      }
      if lineStart {
        // Block quote markers, and list bullets followed by a space, open nested blocks
        // (so a long `-----` rule is not nesting).
        let opensBlock =
          byte == UInt8(ascii: ">")
          || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && isBullet(previous))
        if opensBlock {
          nesting += 1
          if nesting > maximumNesting {
            return refuse("blocks nested more than \(maximumNesting) levels deep", line, column)
          }
        } else if byte != UInt8(ascii: " "), byte != UInt8(ascii: "\t"), !isBullet(byte) {
          lineStart = false
        }
      }
      previous = byte
    }
    return nil
  }

  /// Whether the scan counts `byte`: line feed, `!`, `?`, `[` or `|` (bits of two masks).
  @inline(__always)
  static func isCounted(_ byte: UInt8) -> Bool {
    let low: UInt64 = 1 << 0x0A | 1 << 0x21 | 1 << 0x3F
    let high: UInt64 = 1 << (0x5B - 64) | 1 << (0x7C - 64)
    let mask = byte < 64 ? low : (byte < 128 ? high : 0)
    return mask &>> UInt64(byte & 63) & 1 != 0
  }

  /// Whether any of the eight bytes of `word` is counted (the bytes of ``isCounted(_:)``).
  @inline(__always)
  static func holdsCounted(_ word: UInt64) -> Bool {
    let ones: UInt64 = 0x0101_0101_0101_0101
    /// A byte of `word` equals `byte`: the classic test for a zero byte, after an exclusive or.
    func holds(_ byte: UInt64) -> UInt64 {
      let difference = word ^ (byte &* ones)
      return (difference &- ones) & ~difference & (ones &<< 7)
    }
    return holds(0x0A) | holds(0x21) | holds(0x3F) | holds(0x5B) | holds(0x7C) != 0
  }

  private static func isBullet(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "-") || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "+")
  }

  private static func refuse(_ what: String, _ line: Int, _ column: Int) -> Diagnostic {
    Diagnostic.error(
      "Markdown refused: \(what) (input that would make rendering take too long)",
      at: SourceLocation(file: "", line: line, column: column))
  }
}
