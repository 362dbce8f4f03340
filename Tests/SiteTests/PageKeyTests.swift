import Foundation
import Templates
import Testing

@testable import Site

@Suite struct PageKeyTests {
  func digest(_ value: Value) -> StableHasher.Digest {
    var hasher = StableHasher()
    hasher.combine(value: value)
    return hasher.finalize()
  }

  @Test func equalObjectsDigestEquallyWhateverTheirMembersOrder() {
    var first: [String: Value] = [:]
    var second: [String: Value] = [:]
    let members = (0..<40).map { ("key \($0)", Value.string("value \($0)")) }
    for (key, value) in members { first[key] = value }
    for (key, value) in members.reversed() { second[key] = value }
    #expect(digest(.object(first)) == digest(.object(second)))
  }

  @Test func everyChangeChangesTheDigest() {
    let page: Value = [
      "title": "Jardin", "tags": ["a", "b"], "count": 2, "body": .html("<p>x</p>"),
    ]
    let changed: [Value] = [
      ["title": "Jardins", "tags": ["a", "b"], "count": 2, "body": .html("<p>x</p>")],
      ["title": "Jardin", "tags": ["b", "a"], "count": 2, "body": .html("<p>x</p>")],
      ["title": "Jardin", "tags": ["a", "b"], "count": 3, "body": .html("<p>x</p>")],
      // The same text as html and as a string, and a member renamed.
      ["title": "Jardin", "tags": ["a", "b"], "count": 2, "body": .string("<p>x</p>")],
      ["title": "Jardin", "tags": ["a", "b"], "count": 2, "text": .html("<p>x</p>")],
      ["title": "Jardin", "tags": ["a", "b"], "count": 2],
    ]
    let digests = Set(changed.map(digest))
    #expect(digests.count == changed.count)
    #expect(!digests.contains(digest(page)))
  }

  /// Texts of every length around the short-text path's edges (1–3, 4–7, 8–16 bytes, then
  /// XXH64), each differing from another in one byte anywhere, or in its length only.
  @Test func textsDifferingInOneByteOrInLengthDigestApart() {
    var texts: Set<String> = []
    for length in 0...20 {
      let base = String(repeating: "a", count: length)
      texts.insert(base)
      texts.insert(base + "\u{0}")
      for position in 0..<length {
        var bytes = Array(base.utf8)
        bytes[position] = UInt8(ascii: "b")
        texts.insert(String(decoding: bytes, as: UTF8.self))
      }
    }
    #expect(Set(texts.map { digest(.string($0)) }).count == texts.count)
  }

  /// Two members trading values is a different object.
  @Test func membersTradingValuesChangeTheDigest() {
    #expect(digest(["a": "x", "b": "y"]) != digest(["a": "y", "b": "x"]))
    #expect(digest(["a": 1, "b": [2]]) != digest(["a": [2], "b": 1]))
  }

  /// A card whose digest is known gives the digest it would have anyway, and so does a value
  /// equal to it in another storage, which is digested as it is.
  @Test func knownCardsGiveTheDigestTheyWouldHave() {
    let card: Value = ["kind": "case", "url": "/cases/x/", "title": "X", "topics": [["id": "t"]]]
    let known = StableHasher.KnownValues([card])
    #expect(known.digest(of: card) == StableHasher.digest(of: card))
    let context: Value = ["items": [card, card], "page": ["url": "/cases/x/", "title": "X"]]
    #expect(
      StableHasher.digest(of: context, known: known) == StableHasher.digest(of: context))
    var copy = card.objectFields
    copy["title"] = "X"
    #expect(known.digest(of: .object(copy)) == nil)
    #expect(
      StableHasher.digest(of: ["items": [.object(copy)]], known: known)
        == StableHasher.digest(of: ["items": [card]]))
    var shown: [String]? = []
    _ = StableHasher.digest(of: context, known: known, shown: &shown)
    #expect(shown == ["/cases/x/", "/cases/x/"])  // each time the context shows it
  }

  /// Thousands of known cards (the table probes past collisions): each is found with its own
  /// digest and shown document; values that are not among them, or share no storage with them,
  /// are not.
  @Test func everyKnownCardIsFoundByItsStorage() {
    let cards: [Value] = (0..<3_000).map {
      ["kind": "case", "url": .string("/cases/\($0)/"), "title": .string("Case \($0)")]
    }
    let known = StableHasher.KnownValues(cards + [.string("not a card"), cards[7]])
    for card in cards {
      #expect(known.digest(of: card) == StableHasher.digest(of: card))
    }
    var shown: [String]? = []
    _ = StableHasher.digest(of: .array(Array(cards[10..<13])), known: known, shown: &shown)
    #expect(shown == ["/cases/10/", "/cases/11/", "/cases/12/"])
    #expect(known.digest(of: .object(cards[0].objectFields.merging(["x": 1]) { a, _ in a })) == nil)
    #expect(known.digest(of: ["kind": "case"]) == nil)
    #expect(known.digest(of: .string("not a card")) == nil)
  }
}
