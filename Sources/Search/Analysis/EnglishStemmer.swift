/// The Snowball English (Porter2) stemmer, written from the published algorithm description
/// (snowballstem.org, English stemming algorithm).
///
/// Input is one lower-case word; output is its stem.
public enum EnglishStemmer {
  public static func stem(_ word: String) -> String {
    var letters = scalars(word)
    stem(&letters)
    return String(String.UnicodeScalarView(letters.compactMap(Unicode.Scalar.init)))
  }

  /// Stems a word given as scalar values, in place.
  static func stem(_ letters: inout [UInt32]) {
    if let exception = exceptionalForms[letters] {
      letters = exception
      return
    }
    guard letters.count >= 3 else { return }
    var word = StemmedWord(letters: letters)
    markConsonantY(&word)
    let regions = Regions(word)
    removePluralAndPossessive(&word)
    if !invariantAfterPlural.contains(word.letters) {
      removeEdAndIng(&word, regions)
      replaceFinalY(&word)
      replaceDerivationalSuffix(&word, regions.r1)
      replaceSecondDerivationalSuffix(&word, regions)
      removeResidualSuffix(&word, regions.r2)
      removeFinalEOrL(&word, regions)
    }
    for position in 0..<word.count where word.letters[position] == markY {
      word.letters[position] = scalar("y")
    }
    letters = word.letters
  }

  // MARK: Letters

  private static let markY = scalar("Y")
  private static let vowels: Set<UInt32> = Set(scalars("aeiouy"))
  private static let vowelsWXY: Set<UInt32> = Set(scalars("aeiouywxY"))
  private static let validBeforeLi: Set<UInt32> = Set(scalars("cdeghkmnrt"))

  private static func isVowel(_ letter: UInt32?) -> Bool {
    letter.map(vowels.contains) ?? false
  }

  private static func isConsonant(_ letter: UInt32?) -> Bool {
    letter.map { !vowels.contains($0) } ?? false
  }

  /// Whole words with a fixed stem.
  private static let exceptionalForms: [[UInt32]: [UInt32]] = {
    let pairs = [
      ("skis", "ski"), ("skies", "sky"), ("dying", "die"), ("lying", "lie"), ("tying", "tie"),
      ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"), ("early", "earli"),
      ("only", "onli"), ("singly", "singl"), ("sky", "sky"), ("news", "news"), ("howe", "howe"),
      ("atlas", "atlas"), ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
    ]
    return Dictionary(uniqueKeysWithValues: pairs.map { (scalars($0.0), scalars($0.1)) })
  }()

  /// Words left alone once plurals are removed.
  private static let invariantAfterPlural: Set<[UInt32]> = Set(
    [
      "inning", "outing", "canning", "herring", "earring", "evening", "proceed", "exceed",
      "succeed",
    ].map(scalars))

  // MARK: Prelude

  /// Drops a leading apostrophe and upper-cases `y` used as a consonant.
  private static func markConsonantY(_ word: inout StemmedWord) {
    if word.letters.first == scalar("'") {
      word.letters.removeFirst()
    }
    if word.letters.first == scalar("y") {
      word.letters[0] = markY
    }
    var position = 0
    while position + 1 < word.count {
      if vowels.contains(word.letters[position]), word.letters[position + 1] == scalar("y") {
        word.letters[position + 1] = markY
        position += 2
      } else {
        position += 1
      }
    }
  }

  /// The R1 and R2 regions, as the positions where they start.
  private struct Regions {
    var r1: Int
    var r2: Int

    init(_ word: StemmedWord) {
      r1 = word.count
      r2 = word.count
      if let prefix = Self.exceptionalPrefixes.first(where: { word.hasPrefix($0) }) {
        r1 = prefix.count
      } else if let end = Self.endOfVowelConsonant(word, from: 0) {
        r1 = end
      } else {
        return
      }
      r2 = Self.endOfVowelConsonant(word, from: r1) ?? word.count
    }

    /// Prefixes whose end is R1.
    private static let exceptionalPrefixes = [
      "gener", "commun", "arsen", "univers", "later", "emerg", "organ", "inter",
    ].map(scalars)

    private static func endOfVowelConsonant(_ word: StemmedWord, from start: Int) -> Int? {
      var position = start
      while position < word.count, !EnglishStemmer.isVowel(word.letters[position]) {
        position += 1
      }
      position += 1
      while position < word.count, EnglishStemmer.isVowel(word.letters[position]) {
        position += 1
      }
      return position < word.count ? position + 1 : nil
    }
  }

  /// Whether the word up to `end` ends in a short syllable.
  private static func endsInShortSyllable(_ word: StemmedWord, at end: Int) -> Bool {
    if end >= 3 {
      return !vowelsWXY.contains(word.letters[end - 1]) && isVowel(word.letters[end - 2])
        && !isVowel(word.letters[end - 3])
    }
    return end == 2 && !isVowel(word.letters[1]) && isVowel(word.letters[0])
  }

  // MARK: Steps

  private enum PluralRule: Sendable { case sses, ies, s, keep }

  private static let possessives = SuffixTable<Bool>([(true, ["'", "'s", "'s'"])])

  private static let plurals = SuffixTable<PluralRule>([
    (.sses, ["sses"]), (.ies, ["ied", "ies"]), (.s, ["s"]), (.keep, ["us", "ss"]),
  ])

  private static func removePluralAndPossessive(_ word: inout StemmedWord) {
    if let (start, _) = possessives.longestMatch(in: word) {
      word.removeSuffix(from: start)
    }
    guard let (start, rule) = plurals.longestMatch(in: word) else { return }
    switch rule {
    case .sses:
      word.replaceSuffix(from: start, with: scalars("ss"))
    case .ies:
      word.replaceSuffix(from: start, with: scalars(start >= 2 ? "i" : "ie"))
    case .s:
      if start >= 2, word.letters[0..<(start - 1)].contains(where: vowels.contains) {
        word.removeSuffix(from: start)
      }
    case .keep:
      break
    }
  }

  private enum EdIngRule: Sendable { case eed, ed, ing }

  private static let edAndIng = SuffixTable<EdIngRule>([
    (.eed, ["eed", "eedly"]), (.ed, ["ed", "edly"]), (.ing, ["ing", "ingly"]),
  ])

  private static let endingsTakingE = ["at", "bl", "iz"].map(scalars)
  private static let doubles = ["bb", "dd", "ff", "gg", "mm", "nn", "pp", "rr", "tt"].map(scalars)
  private static let aeo: Set<UInt32> = Set(scalars("aeo"))

  private static func removeEdAndIng(_ word: inout StemmedWord, _ regions: Regions) {
    guard let (start, rule) = edAndIng.longestMatch(in: word) else { return }
    switch rule {
    case .eed:
      if start >= regions.r1 {
        word.replaceSuffix(from: start, with: scalars("ee"))
      }
    case .ed, .ing:
      guard word.letters[0..<start].contains(where: vowels.contains) else { return }
      word.removeSuffix(from: start)
      if rule == .ing, word.count == 2, word.letters[1] == scalar("y"), isConsonant(word.letters[0])
      {
        word.replaceSuffix(from: 1, with: scalars("ie"))
      } else if endingsTakingE.contains(where: { word.hasSuffix($0) }) {
        word.letters.append(scalar("e"))
      } else if doubles.contains(where: { word.hasSuffix($0) }) {
        if !(word.count == 3 && aeo.contains(word.letters[0])) {
          word.letters.removeLast()
        }
      } else if word.count == regions.r1, endsInShortSyllable(word, at: word.count) {
        word.letters.append(scalar("e"))
      }
    }
  }

  private static func replaceFinalY(_ word: inout StemmedWord) {
    guard let last = word.letters.last, last == scalar("y") || last == markY,
      word.count - 2 >= 1, isConsonant(word.letters[word.count - 2])
    else { return }
    word.letters[word.count - 1] = scalar("i")
  }

  /// Suffix → replacement; `nil` replacement marks the two conditional rules.
  private static let derivational = SuffixTable<String?>([
    ("tion", ["tional"]), ("ence", ["enci"]), ("ance", ["anci"]), ("able", ["abli"]),
    ("ent", ["entli"]), ("ize", ["izer", "ization"]), ("ate", ["ational", "ation", "ator"]),
    ("al", ["alism", "aliti", "alli"]), ("ful", ["fulness"]), ("ous", ["ousli", "ousness"]),
    ("ive", ["iveness", "iviti"]), ("ble", ["biliti", "bli"]), (nil, ["ogi", "li"]),
    ("ful", ["fulli"]), ("less", ["lessli"]), (nil, ["ogist"]),
  ])

  private static func replaceDerivationalSuffix(_ word: inout StemmedWord, _ r1: Int) {
    guard let (start, replacement) = derivational.longestMatch(in: word), start >= r1 else {
      return
    }
    if let replacement {
      word.replaceSuffix(from: start, with: scalars(replacement))
    } else if word.hasSuffix(scalars("ogist")) {
      if word.letter(at: start - 1) == scalar("l") {
        word.replaceSuffix(from: start, with: scalars("og"))
      }
    } else if word.hasSuffix(scalars("ogi")) {
      if word.letter(at: start - 1) == scalar("l") {
        word.replaceSuffix(from: start, with: scalars("og"))
      }
    } else if let before = word.letter(at: start - 1), validBeforeLi.contains(before) {
      word.removeSuffix(from: start)
    }
  }

  /// Suffix → replacement; `nil` marks `-ative`, deleted only in R2.
  private static let secondDerivational = SuffixTable<String?>([
    ("tion", ["tional"]), ("ate", ["ational"]), ("al", ["alize"]),
    ("ic", ["icate", "iciti", "ical"]), ("", ["ful", "ness"]), (nil, ["ative"]),
  ])

  private static func replaceSecondDerivationalSuffix(
    _ word: inout StemmedWord, _ regions: Regions
  ) {
    guard let (start, replacement) = secondDerivational.longestMatch(in: word),
      start >= regions.r1
    else { return }
    if let replacement {
      word.replaceSuffix(from: start, with: scalars(replacement))
    } else if start >= regions.r2 {
      word.removeSuffix(from: start)
    }
  }

  private static let residual = SuffixTable<Bool>([
    (
      false,
      [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism",
        "ate", "iti", "ous", "ive", "ize",
      ]
    ),
    (true, ["ion"]),
  ])

  private static func removeResidualSuffix(_ word: inout StemmedWord, _ r2: Int) {
    guard let (start, isIon) = residual.longestMatch(in: word), start >= r2 else { return }
    if isIon {
      let before = word.letter(at: start - 1)
      guard before == scalar("s") || before == scalar("t") else { return }
    }
    word.removeSuffix(from: start)
  }

  private static func removeFinalEOrL(_ word: inout StemmedWord, _ regions: Regions) {
    guard let last = word.letters.last else { return }
    let start = word.count - 1
    if last == scalar("e") {
      if start >= regions.r2
        || (start >= regions.r1 && !endsInShortSyllable(word, at: start))
      {
        word.letters.removeLast()
      }
    } else if last == scalar("l"), start >= regions.r2, word.letter(at: start - 1) == scalar("l") {
      word.letters.removeLast()
    }
  }
}
