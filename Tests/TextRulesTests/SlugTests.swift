import Testing

@testable import TextRules

@Suite struct SlugTests {
  @Test func lettersAndDigitsFoldedAndJoined() {
    #expect(Slug.folded("Élan, « défi » – l’été 2024") == "elan-defi-l-ete-2024")
    #expect(Slug.folded("  --Jardins   partagés!  ") == "jardins-partages")
    #expect(Slug.folded("Αθήνα 2024") == "αθηνα-2024")
    #expect(Slug.folded("…") == "")
  }

  /// For file names: a letter outside ASCII after folding separates runs (case folding has
  /// made `ß` into `ss` already).
  @Test func asciiOnlyDropsOtherLetters() {
    #expect(Slug.folded("Αθήνα 2024", asciiOnly: true) == "2024")
    #expect(Slug.folded("Straße Œuvre", asciiOnly: true) == "strasse-uvre")
    #expect(Slug.folded("Éco-quartier de Cergy", asciiOnly: true) == "eco-quartier-de-cergy")
  }
}
