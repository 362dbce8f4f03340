import Foundation
import Testing

@testable import TextRules

@Suite struct WhiteSpaceTests {
  /// What Foundation's `CharacterSet.whitespaces` holds, scalar for scalar.
  @Test func whiteSpaceIsFoundationsWhitespaces() {
    for value in UInt32(0)...0x3100 {
      guard let scalar = Unicode.Scalar(value) else { continue }
      #expect(
        WhiteSpace.contains(scalar) == CharacterSet.whitespaces.contains(scalar),
        "U+\(String(value, radix: 16))")
    }
  }

  @Test func trimsBothEndsOnly() {
    #expect(WhiteSpace.trimmed("plain") == "plain")
    #expect(WhiteSpace.trimmed("\u{2003}x\u{3000}") == "x")
    #expect(WhiteSpace.trimmed(" \t a b \u{A0}") == "a b")
    #expect(WhiteSpace.trimmed("\nx") == "\nx")
    #expect(WhiteSpace.trimmed(" \u{200B} ") == "")
  }
}
