/// A word being stemmed, as Unicode scalar values, with the suffix helpers the Snowball
/// algorithms are written in terms of. Positions are scalar offsets from the start.
struct StemmedWord {
  var letters: [UInt32]

  var count: Int { letters.count }

  func hasSuffix(_ suffix: [UInt32]) -> Bool {
    hasSuffix(suffix, endingAt: letters.count)
  }

  func hasSuffix(_ suffix: [UInt32], endingAt end: Int) -> Bool {
    let start = end - suffix.count
    guard start >= 0 else { return false }
    for offset in 0..<suffix.count where letters[start + offset] != suffix[offset] {
      return false
    }
    return true
  }

  func hasPrefix(_ prefix: [UInt32]) -> Bool {
    guard prefix.count <= letters.count else { return false }
    for offset in 0..<prefix.count where letters[offset] != prefix[offset] {
      return false
    }
    return true
  }

  /// The scalar at `position`, or nil outside the word or before `limit`.
  func letter(at position: Int, limit: Int = 0) -> UInt32? {
    position >= limit && position < letters.count ? letters[position] : nil
  }

  mutating func replaceSuffix(from start: Int, with replacement: [UInt32]) {
    letters.replaceSubrange(start..<letters.count, with: replacement)
  }

  mutating func removeSuffix(from start: Int) {
    letters.removeSubrange(start..<letters.count)
  }
}

/// Suffixes mapped to the rule that handles them; `longestMatch` finds the longest suffix of
/// the word among them, as Snowball's `among` does, without trying shorter ones afterwards.
struct SuffixTable<Rule: Sendable>: Sendable {
  private let entries: [(suffix: [UInt32], rule: Rule)]

  init(_ groups: [(Rule, [String])]) {
    var entries: [(suffix: [UInt32], rule: Rule)] = []
    for (rule, suffixes) in groups {
      for suffix in suffixes {
        entries.append((suffix.unicodeScalars.map(\.value), rule))
      }
    }
    // Longest first, so the first hit is the longest; ties keep declaration order.
    self.entries = entries.enumerated()
      .sorted { ($0.element.suffix.count, -$0.offset) > ($1.element.suffix.count, -$1.offset) }
      .map(\.element)
  }

  /// The longest suffix of the word that starts at or after `limit`, with its start.
  func longestMatch(in word: StemmedWord, limit: Int = 0) -> (start: Int, rule: Rule)? {
    for entry in entries where word.count - entry.suffix.count >= limit {
      if word.hasSuffix(entry.suffix) {
        return (word.count - entry.suffix.count, entry.rule)
      }
    }
    return nil
  }
}

/// The scalar values of an ASCII or Latin string literal (ASCII from its bytes directly: the
/// stemmers make a few of these for every word they stem).
func scalars(_ text: String) -> [UInt32] {
  text.utf8.allSatisfy { $0 < 0x80 }
    ? text.utf8.map(UInt32.init) : text.unicodeScalars.map(\.value)
}

/// The scalar value of a one-scalar string literal.
func scalar(_ text: Unicode.Scalar) -> UInt32 {
  text.value
}
