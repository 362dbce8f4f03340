/// The Snowball French stemmer, written from the published algorithm description
/// (snowballstem.org, French stemming algorithm, including the elision step).
///
/// Input is one lower-case word in NFC; output is its stem, accents kept.
public enum FrenchStemmer {
  public static func stem(_ word: String) -> String {
    var letters = scalars(word)
    stem(&letters)
    return String(String.UnicodeScalarView(letters.compactMap(Unicode.Scalar.init)))
  }

  /// Stems a word given as scalar values, in place.
  static func stem(_ letters: inout [UInt32]) {
    var word = StemmedWord(letters: letters)
    removeElision(&word)
    markVowelsUsedAsConsonants(&word)
    let regions = Regions(word)
    removeSuffixes(&word, regions)
    undoubleFinalConsonant(&word)
    unaccentFinalSyllable(&word)
    unmark(&word)
    letters = word.letters
  }

  // MARK: Letters

  private static let apostrophe = scalar("'")
  private static let markI = scalar("I")
  private static let markU = scalar("U")
  private static let markY = scalar("Y")
  private static let markH = scalar("H")
  private static let quElision = scalars("qu'")
  private static let vowels: Set<UInt32> = Set(scalars("aeiouyâàëéêèïîôûù"))
  private static let elisionLetters: Set<UInt32> = Set(scalars("cdjlmnst"))
  private static let ouxEndingLetters: Set<UInt32> = Set(scalars("bhjlnp"))
  private static let keptBeforeS: Set<UInt32> = Set(scalars("aiouès"))

  private static func isVowel(_ letter: UInt32?) -> Bool {
    letter.map(vowels.contains) ?? false
  }

  private static func isConsonant(_ letter: UInt32?) -> Bool {
    letter.map { !vowels.contains($0) } ?? false
  }

  // MARK: Prelude

  /// `l'avion` → `avion`, `qu'il` → `il`; a bare `d'` stays.
  private static func removeElision(_ word: inout StemmedWord) {
    if word.count > 2, elisionLetters.contains(word.letters[0]), word.letters[1] == apostrophe {
      word.letters.removeFirst(2)
    } else if word.count > 3, word.hasPrefix(quElision) {
      word.letters.removeFirst(3)
    }
  }

  /// Upper-cases `u`, `i` and `y` that act as consonants, and turns `ë`/`ï` into `He`/`Hi`,
  /// scanning left to right as the algorithm's prelude does: after a change the same position
  /// is examined again.
  private static func markVowelsUsedAsConsonants(_ word: inout StemmedWord) {
    var position = 0
    while position < word.count {
      let letter = word.letters[position]
      let next = word.letter(at: position + 1)
      if vowels.contains(letter), let next {
        if next == scalar("u") || next == scalar("i"), isVowel(word.letter(at: position + 2)) {
          word.letters[position + 1] = next == scalar("u") ? markU : markI
          continue
        }
        if next == scalar("y") {
          word.letters[position + 1] = markY
          continue
        }
      }
      if letter == scalar("ë") || letter == scalar("ï") {
        word.letters.replaceSubrange(
          position...position, with: [markH, letter == scalar("ë") ? scalar("e") : scalar("i")])
      } else if letter == scalar("y"), isVowel(next) {
        word.letters[position] = markY
      } else if letter == scalar("q"), next == scalar("u") {
        word.letters[position + 1] = markU
      } else {
        position += 1
      }
    }
  }

  /// The RV, R1 and R2 regions, as the positions where they start.
  private struct Regions {
    var rv: Int
    var r1: Int
    var r2: Int

    init(_ word: StemmedWord) {
      let length = word.count
      rv = length
      r1 = length
      r2 = length
      if length >= 3, FrenchStemmer.isVowel(word.letters[0]),
        FrenchStemmer.isVowel(word.letters[1])
      {
        rv = 3
      } else if Self.threeLetterPrefixes.contains(where: { word.hasPrefix($0) }) {
        rv = 3
      } else if word.hasPrefix(Self.mauva) {
        rv = 5
      } else if word.hasPrefix(Self.ni), FrenchStemmer.isVowel(word.letter(at: 2)) {
        rv = 3
      } else if length > 1,
        let vowel = (1..<length).first(where: { FrenchStemmer.isVowel(word.letters[$0]) })
      {
        rv = vowel + 1
      }
      guard let end1 = Self.endOfVowelConsonant(word, from: 0) else { return }
      r1 = end1
      r2 = Self.endOfVowelConsonant(word, from: end1) ?? length
    }

    /// Prefixes whose end is RV.
    private static let threeLetterPrefixes = ["par", "col", "tap"].map(scalars)
    private static let mauva = scalars("mauva")
    private static let ni = scalars("ni")

    /// The position after the first consonant that follows a vowel, searching from `start`.
    private static func endOfVowelConsonant(_ word: StemmedWord, from start: Int) -> Int? {
      var position = start
      while position < word.count, !FrenchStemmer.isVowel(word.letters[position]) {
        position += 1
      }
      position += 1
      while position < word.count, FrenchStemmer.isVowel(word.letters[position]) {
        position += 1
      }
      return position < word.count ? position + 1 : nil
    }
  }

  // MARK: Suffixes

  private enum StandardRule: Sendable {
    case deleteInR2, ation, logie, ution, ence, ement, ite, ive, eaux, aux, oux, euse
    case issement, amment, emment, ment
  }

  private static let standardSuffixes = SuffixTable<StandardRule>([
    (
      .deleteInR2,
      [
        "ance", "iqUe", "isme", "able", "iste", "eux", "ances", "iqUes", "ismes", "ables", "istes",
      ]
    ),
    (.ation, ["atrice", "ateur", "ation", "atrices", "ateurs", "ations"]),
    (.logie, ["logie", "logies"]),
    (.ution, ["usion", "ution", "usions", "utions"]),
    (.ence, ["ence", "ences"]),
    (.ement, ["ement", "ements"]),
    (.ite, ["ité", "ités"]),
    (.ive, ["if", "ive", "ifs", "ives"]),
    (.eaux, ["eaux"]),
    (.aux, ["aux"]),
    (.oux, ["oux"]),
    (.euse, ["euse", "euses"]),
    (.issement, ["issement", "issements"]),
    (.amment, ["amment"]),
    (.emment, ["emment"]),
    (.ment, ["ment", "ments"]),
  ])

  private enum AfterEmentRule: Sendable { case iv, eus, ablOrIqu, ier }

  private static let suffixesBeforeEment = SuffixTable<AfterEmentRule>([
    (.iv, ["iv"]), (.eus, ["eus"]), (.ablOrIqu, ["abl", "iqU"]), (.ier, ["ièr", "Ièr"]),
  ])

  private enum AfterIteRule: Sendable { case abil, ic, iv }

  private static let suffixesBeforeIte = SuffixTable<AfterIteRule>([
    (.abil, ["abil"]), (.ic, ["ic"]), (.iv, ["iv"]),
  ])

  private static let iVerbSuffixes = SuffixTable<Bool>([
    (
      true,
      [
        "îmes", "ît", "îtes", "i", "ie", "ies", "ir", "ira", "irai", "iraIent", "irais", "irait",
        "iras", "irent", "irez", "iriez", "irions", "irons", "iront", "is", "issaIent", "issais",
        "issait", "issant", "issante", "issantes", "issants", "isse", "issent", "isses", "issez",
        "issiez", "issions", "issons", "it",
      ]
    )
  ])

  private enum VerbRule: Sendable { case ions, delete, deleteWithE, ais }

  private static let verbSuffixes = SuffixTable<VerbRule>([
    (.ions, ["ions"]),
    (
      .delete,
      [
        "é", "ée", "ées", "és", "èrent", "er", "era", "erai", "eraIent", "erais", "erait", "eras",
        "erez", "eriez", "erions", "erons", "eront", "ez", "iez", "eais",
      ]
    ),
    (
      .deleteWithE,
      [
        "âmes", "ât", "âtes", "a", "ai", "aIent", "ait", "ant", "ante", "antes", "ants",
        "as", "asse", "assent", "asses", "assiez", "assions",
      ]
    ),
    (.ais, ["ais", "aise", "aises"]),
  ])

  /// Endings before which `-ais`/`-aise` belong to the stem (`mauvais`, `déplaise`); `al`
  /// only right after a first letter (`palais`, `calais`). Inferred from the reference lists.
  private static func keepsAis(_ word: StemmedWord, before start: Int) -> Bool {
    word.hasSuffix(scalars("épl"), endingAt: start)
      || word.hasSuffix(scalars("auv"), endingAt: start)
      || (start == 3 && word.hasSuffix(scalars("al"), endingAt: start))
  }

  private enum ResidualRule: Sendable { case ion, ier, e }

  private static let residualSuffixes = SuffixTable<ResidualRule>([
    (.ion, ["ion"]), (.ier, ["ier", "ière", "Ier", "Ière"]), (.e, ["e"]),
  ])

  private static func removeSuffixes(_ word: inout StemmedWord, _ regions: Regions) {
    let removed =
      removeStandardSuffix(&word, regions) || removeIVerbSuffix(&word, regions)
      || removeVerbSuffix(&word, regions)
    if removed {
      if word.letters.last == markY {
        word.letters[word.count - 1] = scalar("i")
      } else if word.letters.last == scalar("ç") {
        word.letters[word.count - 1] = scalar("c")
      }
    } else {
      removeResidualSuffix(&word, regions)
    }
  }

  /// Deletes `ic` at the end when in R2, otherwise rewrites it `iqU`; false if absent.
  @discardableResult
  private static func removeOrRewriteIc(_ word: inout StemmedWord, r2: Int) -> Bool {
    guard word.hasSuffix(scalars("ic")) else { return false }
    let start = word.count - 2
    if start >= r2 {
      word.removeSuffix(from: start)
    } else {
      word.replaceSuffix(from: start, with: scalars("iqU"))
    }
    return true
  }

  /// Step 1 of the algorithm: one branch per group of standard suffixes. Returns false when
  /// the verb steps should run next.
  private static func removeStandardSuffix(_ word: inout StemmedWord, _ regions: Regions) -> Bool {
    guard let (start, rule) = standardSuffixes.longestMatch(in: word) else { return false }
    let inR1 = start >= regions.r1
    let inR2 = start >= regions.r2
    switch rule {
    case .deleteInR2:
      guard inR2 else { return false }
      word.removeSuffix(from: start)
    case .ation:
      guard inR2 else { return false }
      word.removeSuffix(from: start)
      removeOrRewriteIc(&word, r2: regions.r2)
    case .logie:
      guard inR2 else { return false }
      word.replaceSuffix(from: start, with: scalars("log"))
    case .ution:
      guard inR2 else { return false }
      word.replaceSuffix(from: start, with: scalars("u"))
    case .ence:
      guard inR2 else { return false }
      word.replaceSuffix(from: start, with: scalars("ent"))
    case .ement:
      guard start >= regions.rv else { return false }
      word.removeSuffix(from: start)
      removeSuffixBeforeEment(&word, regions)
    case .ite:
      guard inR2 else { return false }
      word.removeSuffix(from: start)
      if let (before, beforeRule) = suffixesBeforeIte.longestMatch(in: word) {
        let beforeInR2 = before >= regions.r2
        switch beforeRule {
        case .abil:
          word.replaceSuffix(from: before, with: beforeInR2 ? [] : scalars("abl"))
        case .ic:
          word.replaceSuffix(from: before, with: beforeInR2 ? [] : scalars("iqU"))
        case .iv:
          if beforeInR2 { word.removeSuffix(from: before) }
        }
      }
    case .ive:
      guard inR2 else { return false }
      word.removeSuffix(from: start)
      if word.hasSuffix(scalars("at")), word.count - 2 >= regions.r2 {
        word.removeSuffix(from: word.count - 2)
        removeOrRewriteIc(&word, r2: regions.r2)
      }
    case .eaux:
      word.replaceSuffix(from: start, with: scalars("eau"))
    case .aux:
      guard inR1 else { return false }
      word.replaceSuffix(from: start, with: scalars("al"))
    case .oux:
      guard let before = word.letter(at: start - 1), ouxEndingLetters.contains(before) else {
        return false
      }
      word.replaceSuffix(from: start, with: scalars("ou"))
    case .euse:
      if inR2 {
        word.removeSuffix(from: start)
      } else if inR1 {
        word.replaceSuffix(from: start, with: scalars("eux"))
      } else {
        return false
      }
    case .issement:
      guard inR1, isConsonant(word.letter(at: start - 1)) else { return false }
      word.removeSuffix(from: start)
    case .amment, .emment:
      // Rewritten to -ant/-ent, then left to the verb steps: the step itself "fails".
      if start >= regions.rv {
        word.replaceSuffix(from: start, with: scalars(rule == .amment ? "ant" : "ent"))
      }
      return false
    case .ment:
      // Deleted after a vowel in RV, then left to the verb steps too.
      if start - 1 >= regions.rv, isVowel(word.letter(at: start - 1)) {
        word.removeSuffix(from: start)
      }
      return false
    }
    return true
  }

  private static func removeSuffixBeforeEment(_ word: inout StemmedWord, _ regions: Regions) {
    guard let (start, rule) = suffixesBeforeEment.longestMatch(in: word) else { return }
    switch rule {
    case .iv:
      guard start >= regions.r2 else { return }
      word.removeSuffix(from: start)
      if word.hasSuffix(scalars("at")), word.count - 2 >= regions.r2 {
        word.removeSuffix(from: word.count - 2)
      }
    case .eus:
      if start >= regions.r2 {
        word.removeSuffix(from: start)
      } else if start >= regions.r1 {
        word.replaceSuffix(from: start, with: scalars("eux"))
      }
    case .ablOrIqu:
      if start >= regions.r2 { word.removeSuffix(from: start) }
    case .ier:
      if start >= regions.rv { word.replaceSuffix(from: start, with: scalars("i")) }
    }
  }

  private static func removeIVerbSuffix(_ word: inout StemmedWord, _ regions: Regions) -> Bool {
    guard word.count >= regions.rv,
      let (start, _) = iVerbSuffixes.longestMatch(in: word, limit: regions.rv),
      let before = word.letter(at: start - 1, limit: regions.rv),
      before != markH, !vowels.contains(before)
    else { return false }
    word.removeSuffix(from: start)
    return true
  }

  private static func removeVerbSuffix(_ word: inout StemmedWord, _ regions: Regions) -> Bool {
    guard word.count >= regions.rv,
      let (start, rule) = verbSuffixes.longestMatch(in: word, limit: regions.rv)
    else { return false }
    switch rule {
    case .ions:
      guard start >= regions.r2 else { return false }
      word.removeSuffix(from: start)
    case .delete:
      word.removeSuffix(from: start)
    case .ais:
      guard !keepsAis(word, before: start) else { return false }
      word.removeSuffix(from: start)
    case .deleteWithE:
      let withE = word.letter(at: start - 1, limit: regions.rv) == scalar("e")
      word.removeSuffix(from: withE ? start - 1 : start)
    }
    return true
  }

  private static func removeResidualSuffix(_ word: inout StemmedWord, _ regions: Regions) {
    if word.letters.last == scalar("s"), let before = word.letter(at: word.count - 2) {
      let afterHi = before == scalar("i") && word.letter(at: word.count - 3) == markH
      if afterHi || !keptBeforeS.contains(before) {
        word.letters.removeLast()
      }
    }
    guard word.count >= regions.rv,
      let (start, rule) = residualSuffixes.longestMatch(in: word, limit: regions.rv)
    else { return }
    switch rule {
    case .ion:
      let before = word.letter(at: start - 1, limit: regions.rv)
      if start >= regions.r2, before == scalar("s") || before == scalar("t") {
        word.removeSuffix(from: start)
      }
    case .ier:
      word.replaceSuffix(from: start, with: scalars("i"))
    case .e:
      word.removeSuffix(from: start)
    }
  }

  // MARK: Final steps

  private static let doubledEndings = ["enn", "onn", "ett", "ell", "eill"].map(scalars)

  private static func undoubleFinalConsonant(_ word: inout StemmedWord) {
    if doubledEndings.contains(where: { word.hasSuffix($0) }) {
      word.letters.removeLast()
    }
  }

  /// `é`/`è` before a final run of consonants becomes `e`.
  private static func unaccentFinalSyllable(_ word: inout StemmedWord) {
    var position = word.count - 1
    while position >= 0, !vowels.contains(word.letters[position]) {
      position -= 1
    }
    guard position >= 0, position < word.count - 1 else { return }
    if word.letters[position] == scalar("é") || word.letters[position] == scalar("è") {
      word.letters[position] = scalar("e")
    }
  }

  /// Turns the prelude's marks back into letters.
  private static func unmark(_ word: inout StemmedWord) {
    var output: [UInt32] = []
    output.reserveCapacity(word.count)
    var position = 0
    while position < word.count {
      let letter = word.letters[position]
      switch letter {
      case markI: output.append(scalar("i"))
      case markU: output.append(scalar("u"))
      case markY: output.append(scalar("y"))
      case markH:
        let next = word.letter(at: position + 1)
        if next == scalar("e") || next == scalar("i") {
          output.append(next == scalar("e") ? scalar("ë") : scalar("ï"))
          position += 1
        }
      default: output.append(letter)
      }
      position += 1
    }
    word.letters = output
  }
}
