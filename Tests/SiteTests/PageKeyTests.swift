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

  /// Two members trading values is a different object.
  @Test func membersTradingValuesChangeTheDigest() {
    #expect(digest(["a": "x", "b": "y"]) != digest(["a": "y", "b": "x"]))
    #expect(digest(["a": 1, "b": [2]]) != digest(["a": [2], "b": 1]))
  }

  /// A card whose digest is known gives the digest it would have anyway; a value with the same
  /// URL but other contents is digested as it is.
  @Test func knownCardsGiveTheDigestTheyWouldHave() {
    let card: Value = ["kind": "case", "url": "/cases/x/", "title": "X", "topics": [["id": "t"]]]
    let known = [
      "/cases/x/": StableHasher.KnownValue(value: card, digest: StableHasher.digest(of: card))
    ]
    let context: Value = ["items": [card, card], "page": ["url": "/cases/x/", "title": "X"]]
    #expect(
      StableHasher.digest(of: context, known: known) == StableHasher.digest(of: context))
    var impostor = card.objectFields
    impostor["title"] = "Y"
    let other: Value = ["items": [.object(impostor)]]
    #expect(StableHasher.digest(of: other, known: known) == StableHasher.digest(of: other))
    #expect(
      StableHasher.digest(of: other, known: known) != StableHasher.digest(of: ["items": [card]]))
    // A wrong digest on record shows that a known card is taken from the record.
    let wrong = ["/cases/x/": StableHasher.KnownValue(value: card, digest: .init(high: 1, low: 2))]
    #expect(StableHasher.digest(of: context, known: wrong) != StableHasher.digest(of: context))
    #expect(StableHasher.digest(of: other, known: wrong) == StableHasher.digest(of: other))
  }
}
