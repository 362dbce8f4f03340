import Foundation

/// Turns text into search terms: NFC, tokens of letters/marks/digits (apostrophes inside words
/// kept), lower case, French elisions removed, stop words dropped, Snowball stem, then accents
/// folded off the stem (`réseaux` → `reseau`).
///
/// Stemming needs the accents, so an unaccented spelling can stem differently (`activité` →
/// `activ`, `activite` → `activit`). The index therefore also records, for each word, the stem
/// of its unaccented spelling when that differs (see `indexTerms`), and queries look up both.
public struct Analyzer: Sendable {
  public let language: String
  private let stemmer: (@Sendable (inout [UInt32]) -> Void)?
  private let stopWords: Set<[UInt32]>
  private let stripsElisions: Bool

  /// Tokens longer than this many scalars are skipped (hashes, base64, run-together junk).
  static let maximumTokenLength = 60

  public init(language: String) {
    self.language = language
    switch language {
    case "fr":
      stemmer = { FrenchStemmer.stem(&$0) }
      stopWords = Set(StopWords.french.map(scalars))
      stripsElisions = true
    case "en":
      stemmer = { EnglishStemmer.stem(&$0) }
      stopWords = Set(StopWords.english.map(scalars))
      stripsElisions = false
    default:
      stemmer = nil
      stopWords = []
      stripsElisions = false
    }
  }

  /// One term per word that is not a stop word, in text order.
  public func terms(_ text: String) -> [String] {
    var cache = TermCache()
    var result: [String] = []
    forEachWord(in: text) { word in
      if let analysed = analyse(word, cache: &cache) { result.append(analysed.term) }
    }
    return result
  }

  /// What the index stores for the text: each word's term, followed by the term of its
  /// unaccented spelling when that is different.
  public func indexTerms(_ text: String) -> [String] {
    var cache = TermCache()
    var result: [String] = []
    forEachWord(in: text) { word in
      guard let analysed = analyse(word, cache: &cache) else { return }
      result.append(analysed.term)
      if let variant = analysed.unaccentedVariant { result.append(variant) }
    }
    return result
  }

  /// The analysed form of one word, as the builder needs it.
  struct AnalysedWord: Sendable, Equatable {
    var term: String
    var unaccentedVariant: String?
  }

  /// Remembers the analysis of words already seen; one per thread of work.
  struct TermCache {
    fileprivate var entries: [[UInt32]: AnalysedWord?] = [:]
  }

  private func analyse(_ word: UnsafeBufferPointer<UInt32>, cache: inout TermCache)
    -> AnalysedWord?
  {
    let word = Array(word)
    if let known = cache.entries[word] { return known }
    let result = analyse(word)
    cache.entries[word] = result
    return result
  }

  /// Analyses one lower-cased word as `forEachWord` gives it; nil for stop words.
  func analyse(_ word: [UInt32]) -> AnalysedWord? {
    var letters = word
    if stripsElisions { Self.removeElision(&letters) }
    guard !letters.isEmpty, !stopWords.contains(letters) else { return nil }
    let folded = Folding.fold(letters)
    var stem = letters
    stemmer?(&stem)
    let term = Folding.foldedString(stem)
    guard folded != letters else { return AnalysedWord(term: term, unaccentedVariant: nil) }
    var unaccentedStem = folded
    stemmer?(&unaccentedStem)
    let variant = Folding.foldedString(unaccentedStem)
    return AnalysedWord(term: term, unaccentedVariant: variant == term ? nil : variant)
  }

  private static let elisions = [
    "jusqu'", "lorsqu'", "puisqu'", "qu'", "l'", "d'", "j'", "n'", "s'", "c'", "m'", "t'",
  ].map(scalars)

  /// `l'économie` → `économie`; a bare elided article (`l'`) is left for the stop list.
  static func removeElision(_ letters: inout [UInt32]) {
    for elision in elisions where letters.count > elision.count {
      if letters.starts(with: elision) {
        letters.removeFirst(elision.count)
        return
      }
    }
  }

  /// False when NFC certainly leaves the text as it is: no combining marks, no conjoining Hangul
  /// jamo and none of the characters NFC replaces by another (Ω, Å, CJK compatibility ideographs
  /// and the like). Normalising is slow, and most text needs none.
  static func mayChangeUnderNFC(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
      let raw = UnsafeRawBufferPointer(bytes)
      var index = 0
      while index < bytes.count {
        // Eight bytes at a time, up to the first that is not ASCII.
        if index + 8 <= bytes.count {
          let word = UInt64(
            littleEndian: raw.loadUnaligned(fromByteOffset: index, as: UInt64.self))
          let high = word & 0x8080_8080_8080_8080
          if high == 0 {
            index += 8
            continue
          }
          index += high.trailingZeroBitCount / 8
        }
        // Scalars below U+0300 are ASCII or two bytes led by 0xC2…0xCB; skipping every byte
        // below 0xCC skips them and the continuation bytes of the others.
        guard bytes[index] >= 0xCC else {
          index += 1
          continue
        }
        if mayChangeUnderNFC(UTF8Decoding.scalar(in: bytes, at: &index)) { return true }
      }
      return false
    }
  }

  /// `mayChangeUnderNFC` for one scalar at or above U+0300.
  private static func mayChangeUnderNFC(_ value: UInt32) -> Bool {
    switch value {
    case 0x300...0x36F, 0x374, 0x37E, 0x387, 0x1100...0x11FF, 0x1F71...0x1FFD, 0x2000...0x2001,
      0x2126, 0x212A...0x212B, 0x2329...0x232A, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
      return true
    case 0x2002...0x2125, 0x3000...0x303F, 0xFF00...0xFFEF:
      // Punctuation, symbols and full-width forms that never change.
      return false
    default:
      guard let scalar = Unicode.Scalar(value) else { return false }
      switch scalar.properties.generalCategory {
      case .nonspacingMark, .spacingMark, .enclosingMark: return true
      default: return false
      }
    }
  }

  /// Calls `body` with each word of the text, NFC-normalised and lower-cased, as scalars (valid
  /// only during the call).
  func forEachWord(in text: String, _ body: (_ word: UnsafeBufferPointer<UInt32>) -> Void) {
    let normalized =
      Self.mayChangeUnderNFC(text) ? text.precomposedStringWithCanonicalMapping : text
    Tokenizer.forEachWord(in: normalized, body)
  }
}
