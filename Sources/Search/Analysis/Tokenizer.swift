/// Splits text into words: runs of letters, combining marks and digits, joined across a single
/// apostrophe (`'` or `’`) between two such characters. Words come out lower-cased, with `’`
/// written `'`.
enum Tokenizer {
  static let apostrophe: UInt32 = 0x27
  static let rightSingleQuote: UInt32 = 0x2019

  /// Calls `body` with each word of at most `Analyzer.maximumTokenLength` scalars; the buffer
  /// is only valid during the call. The text's UTF-8 is read in place, and the word is kept in
  /// one fixed buffer, so no word allocates.
  static func forEachWord(in text: String, _ body: (_ word: UnsafeBufferPointer<UInt32>) -> Void) {
    var text = text
    let capacity = Analyzer.maximumTokenLength
    withUnsafeTemporaryAllocation(of: UInt32.self, capacity: capacity) { storage in
      var word = WordBuffer(storage: storage.baseAddress!, capacity: capacity)
      text.withUTF8 { bytes in
        var index = 0
        while index < bytes.count {
          let lead = bytes[index]
          if lead < 0x80 {
            index += 1
            let value = UInt32(lead)
            if value >= 0x61 && value <= 0x7A || value >= 0x30 && value <= 0x39 {
              word.append(value)
            } else if value >= 0x41 && value <= 0x5A {
              word.append(value + 0x20)
            } else if value == apostrophe, word.count > 0, !word.pendingApostrophe {
              word.pendingApostrophe = true
            } else {
              word.flush(body)
            }
            continue
          }
          let value = UTF8Decoding.scalar(in: bytes, at: &index)
          if value >= 0xC0 && value <= 0xFF && value != 0xD7 && value != 0xF7 {
            // Latin-1 letters: upper case is 0xC0…0xDE, lower case 0x20 above.
            word.append(value <= 0xDE ? value + 0x20 : value)
          } else if value == rightSingleQuote, word.count > 0, !word.pendingApostrophe {
            word.pendingApostrophe = true
          } else if let scalar = Unicode.Scalar(value), isWordCharacter(scalar) {
            appendLowercased(scalar, to: &word)
          } else {
            word.flush(body)
          }
        }
      }
      word.flush(body)
    }
  }

  /// The word being read: its first `capacity` scalars, and how many it has in all.
  private struct WordBuffer {
    let storage: UnsafeMutablePointer<UInt32>
    let capacity: Int
    var count = 0
    var pendingApostrophe = false

    /// Appends a word character, after the apostrophe before it if there is one.
    mutating func append(_ value: UInt32) {
      if pendingApostrophe {
        store(apostrophe)
        pendingApostrophe = false
      }
      store(value)
    }

    private mutating func store(_ value: UInt32) {
      if count < capacity { storage[count] = value }
      count += 1
    }

    /// Ends the word: gives it to `body` unless it is empty or too long.
    mutating func flush(_ body: (_ word: UnsafeBufferPointer<UInt32>) -> Void) {
      if count > 0, count <= capacity { body(UnsafeBufferPointer(start: storage, count: count)) }
      count = 0
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
  private static func appendLowercased(_ scalar: Unicode.Scalar, to word: inout WordBuffer) {
    if scalar.properties.changesWhenLowercased {
      for lower in scalar.properties.lowercaseMapping.unicodeScalars { word.append(lower.value) }
    } else {
      word.append(scalar.value)
    }
  }
}

/// Scalars read straight from a String's UTF-8, which is always valid.
enum UTF8Decoding {
  /// The scalar whose encoding starts at `index` (a lead byte), moving `index` past it.
  @inline(__always)
  static func scalar(in bytes: UnsafeBufferPointer<UInt8>, at index: inout Int) -> UInt32 {
    let lead = bytes[index]
    if lead < 0x80 {
      index += 1
      return UInt32(lead)
    }
    if lead < 0xE0 {
      defer { index += 2 }
      return UInt32(lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F)
    }
    if lead < 0xF0 {
      defer { index += 3 }
      return UInt32(lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6
        | UInt32(bytes[index + 2] & 0x3F)
    }
    defer { index += 4 }
    return UInt32(lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
      | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F)
  }
}
