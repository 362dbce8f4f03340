import Parallelism

/// Documents in index order, with what a later build compares to tell which of them changed.
///
/// Documents are numbered in facet order, then URL order (`FacetColumns.sortKey`), so the same
/// documents give byte-identical files whatever order they come in.
public struct IndexedDocuments: Sendable {
  /// Sorted: a document's number is its position.
  public let documents: [SearchDocument]
  /// A fingerprint of every document's URL and facet key, in order: two sets of documents with
  /// the same one are numbered alike.
  public let order: UInt64
  /// Per document number, a fingerprint of everything the index holds of the document.
  public let fingerprints: [UInt64]

  public init(_ documents: consuming [SearchDocument]) {
    let keys = documents.parallelMap(FacetColumns.sortKey)
    let positions = documents.indices.sorted { first, second in
      keys[first].lexicographicallyPrecedes(keys[second])
        || (keys[first] == keys[second] && documents[first].url < documents[second].url)
    }
    var order = Fingerprint()
    order.combine(UInt64(positions.count))
    for position in positions {
      order.combine(documents[position].url)
      order.combine(keys[position])
    }
    Self.permute(&documents, to: positions)
    self.documents = documents
    self.order = order.value
    fingerprints = self.documents.parallelMap(Self.fingerprint)
  }

  /// Puts `documents[positions[i]]` at `i` by swaps, following each cycle of the permutation:
  /// documents are moved, never copied (a copy retains each of their texts and lists).
  private static func permute(_ documents: inout [SearchDocument], to positions: [Int]) {
    var placed = [Bool](repeating: false, count: positions.count)
    documents.withUnsafeMutableBufferPointer { buffer in
      for start in positions.indices where !placed[start] {
        var target = start
        while positions[target] != start {
          buffer.swapAt(target, positions[target])
          placed[target] = true
          target = positions[target]
        }
        placed[target] = true
      }
    }
  }

  var count: Int { documents.count }

  private static func fingerprint(_ document: SearchDocument) -> UInt64 {
    var fingerprint = Fingerprint()
    fingerprint.combine([document.url, document.title, document.description, document.body])
    fingerprint.combine(document.date.map { [$0] } ?? [])
    fingerprint.combine(document.summary)
    fingerprint.combine(document.headings)
    fingerprint.combine(document.places)
    fingerprint.combine(document.labels)
    fingerprint.combine(UInt64(document.facets.count))
    for (name, values) in document.facets.sorted(by: { $0.key < $1.key }) {
      fingerprint.combine(name)
      fingerprint.combine(values)
    }
    return fingerprint.value
  }
}

/// A 64-bit fingerprint of a sequence of texts and numbers, eight bytes at a time. Each step is
/// a bijection of the state for a given word, so two sequences of equal length that differ in
/// one word always differ. For telling changed documents from unchanged ones, not for security.
struct Fingerprint {
  private(set) var value: UInt64 = 0x243F_6A88_85A3_08D3

  mutating func combine(_ word: UInt64) {
    value = Self.mix(value, word)
  }

  @inline(__always)
  private static func mix(_ value: UInt64, _ word: UInt64) -> UInt64 {
    let mixed = value ^ word
    return ((mixed << 27) | (mixed >> 37)) &* 0x9E37_79B9_7F4A_7C15 &+ 0x632B_E59B_D9B4_E019
  }

  /// A text, its length first.
  mutating func combine(_ text: String) {
    var text = text
    // In a local, not through `self` in the closure: the bodies of every document are
    // fingerprinted, and the stored value cost a load and a store per word.
    var value = self.value
    text.withUTF8 { bytes in
      value = Self.mix(value, UInt64(bytes.count))
      guard let base = bytes.baseAddress else {
        value = Self.mix(value, 0)
        return
      }
      let raw = UnsafeRawPointer(base)
      let count = bytes.count
      var offset = 0
      while offset + 8 <= count {
        value = Self.mix(
          value, UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
        offset += 8
      }
      var tail: UInt64 = 0
      var shift: UInt64 = 0
      while offset < count {
        tail |= UInt64(bytes[offset]) << shift
        shift += 8
        offset += 1
      }
      value = Self.mix(value, tail)
    }
    self.value = value
  }

  /// Texts, their count first.
  mutating func combine(_ texts: [String]) {
    combine(UInt64(texts.count))
    for text in texts { combine(text) }
  }
}
