/// Splits text into words: runs of letters, combining marks and digits, joined across a single
/// apostrophe (`'` or `’`) between two such characters. Words come out lower-cased, with `’`
/// written `'`.
enum Tokenizer {
  static let apostrophe: UInt32 = 0x27
  static let rightSingleQuote: UInt32 = 0x2019

  static func forEachWord(in text: String, _ body: (_ word: [UInt32]) -> Void) {
    var word: [UInt32] = []
    word.reserveCapacity(32)
    var pendingApostrophe = false
    func flush() {
      if !word.isEmpty, word.count <= Analyzer.maximumTokenLength { body(word) }
      word.removeAll(keepingCapacity: true)
      pendingApostrophe = false
    }
    for scalar in text.unicodeScalars {
      let value = scalar.value
      if value < 0x80 {
        if value >= 0x61 && value <= 0x7A || value >= 0x30 && value <= 0x39 {
          appendPending(&word, &pendingApostrophe)
          word.append(value)
        } else if value >= 0x41 && value <= 0x5A {
          appendPending(&word, &pendingApostrophe)
          word.append(value + 0x20)
        } else if value == apostrophe, !word.isEmpty, !pendingApostrophe {
          pendingApostrophe = true
        } else {
          flush()
        }
      } else if value >= 0xC0 && value <= 0xFF && value != 0xD7 && value != 0xF7 {
        // Latin-1 letters: upper case is 0xC0…0xDE, lower case 0x20 above.
        appendPending(&word, &pendingApostrophe)
        word.append(value <= 0xDE ? value + 0x20 : value)
      } else if value == rightSingleQuote, !word.isEmpty, !pendingApostrophe {
        pendingApostrophe = true
      } else if isWordCharacter(scalar) {
        appendPending(&word, &pendingApostrophe)
        appendLowercased(scalar, to: &word)
      } else {
        flush()
      }
    }
    flush()
  }

  private static func appendPending(_ word: inout [UInt32], _ pendingApostrophe: inout Bool) {
    if pendingApostrophe {
      word.append(apostrophe)
      pendingApostrophe = false
    }
  }

  static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
      .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber:
      return true
    default:
      return false
    }
  }

  /// Lower-cases one scalar on its own, without context (so `Σ` is always `σ`).
  private static func appendLowercased(_ scalar: Unicode.Scalar, to word: inout [UInt32]) {
    if scalar.properties.changesWhenLowercased {
      for lower in scalar.properties.lowercaseMapping.unicodeScalars { word.append(lower.value) }
    } else {
      word.append(scalar.value)
    }
  }
}
