import Testing

@testable import Templates

/// JSON string escaping, done on UTF-8 bytes: every byte that must be escaped, and what must
/// pass untouched around it.
@Suite struct JSONStringTests {
  private func json(_ string: String) -> String {
    var out: [UInt8] = []
    Value.appendJSONString(string, to: &out)
    return String(decoding: out, as: UTF8.self)
  }

  @Test func everyControlByteIsEscaped() {
    let controls = String(decoding: (0..<32).map { UInt8($0) }, as: UTF8.self)
    let expected =
      "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
      + "\\u0008\\t\\n\\u000b\\u000c\\r\\u000e\\u000f\\u0010\\u0011\\u0012"
      + "\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a"
      + "\\u001b\\u001c\\u001d\\u001e\\u001f\""
    #expect(json(controls) == expected)
    #expect(json("a\u{7F}b") == "\"a\\u007fb\"")
  }

  @Test func quotesBackslashAndHTMLSpecials() {
    #expect(json(#"say "hi" \ <b>&'x'"#) == #""say \"hi\" \\ \u003cb\u003e\u0026\u0027x\u0027""#)
  }

  @Test func lineAndParagraphSeparatorsAreEscaped() {
    #expect(json("a\u{2028}b\u{2029}c") == #""a\u2028b\u2029c""#)
    // Other characters starting with the byte E2 pass: U+2027, U+202A, €, ✓.
    #expect(json("\u{2027}\u{202A}€✓") == "\"\u{2027}\u{202A}€✓\"")
    #expect(json("\u{2028}") == #""\u2028""#)
  }

  @Test func textWithoutSpecialsIsCopiedWhole() {
    #expect(json("") == #""""#)
    #expect(json("Été 🌍 naïve") == "\"Été 🌍 naïve\"")
    #expect(json("é<") == #""é\u003c""#)
  }

  @Test func objectsHaveSortedKeys() {
    let out = Value.object(["b": [1, "x\n"], "a": true, "é": nil, "B": 2]).json
    #expect(out == #"{"B":2,"a":true,"b":[1,"x\n"],"é":null}"#)
  }
}
