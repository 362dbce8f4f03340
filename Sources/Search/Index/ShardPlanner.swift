/// Splits the term dictionary into shards keyed by term prefix. A shard holds every term that
/// starts with its key and with no longer key; a prefix whose terms are too many for one shard
/// is split by its next letter (ASCII letters and digits only, up to `maximumPrefixLength`).
/// The key "" holds what no other key covers (other scripts, leftovers).
struct ShardPlanner {
  var targetBytes: Int
  var maximumPrefixLength: Int

  struct Shard: Sendable {
    var key: String
    /// Term numbers, sorted by term.
    var terms: [Int32]
    var estimatedBytes: Int
  }

  private struct Entry {
    var number: Int32
    var term: String
    var scalars: [Unicode.Scalar]
    var bytes: Int
  }

  /// Shards for terms (numbered by position) with that many postings each.
  func plan(terms: [String], postingCounts: [Int]) -> [Shard] {
    let entries = terms.indices.sorted { terms[$0] < terms[$1] }.map { number in
      // Quoted term, colon, comma, quoted postings: about 3 characters per (document,
      // frequency, field bits) triple.
      Entry(
        number: Int32(number), term: terms[number], scalars: Array(terms[number].unicodeScalars),
        bytes: terms[number].utf8.count + 6 + 3 * postingCounts[number])
    }
    var shards: [Shard] = []
    split(entries, prefix: [], into: &shards)
    return shards.sorted { $0.key < $1.key }
  }

  private func split(_ entries: [Entry], prefix: [Unicode.Scalar], into shards: inout [Shard]) {
    let total = entries.reduce(0) { $0 + $1.bytes }
    let key = String(String.UnicodeScalarView(prefix))
    guard total > targetBytes, prefix.count < maximumPrefixLength else {
      if !entries.isEmpty {
        shards.append(Shard(key: key, terms: entries.map(\.number), estimatedBytes: total))
      }
      return
    }
    var groups: [Unicode.Scalar: [Entry]] = [:]
    var remainder: [Entry] = []
    for entry in entries {
      if entry.scalars.count > prefix.count, Self.isKeyLetter(entry.scalars[prefix.count]) {
        groups[entry.scalars[prefix.count], default: []].append(entry)
      } else {
        remainder.append(entry)
      }
    }
    for letter in groups.keys.sorted() {
      let group = groups[letter]!
      if group.reduce(0, { $0 + $1.bytes }) * 16 < targetBytes {
        remainder += group
      } else {
        split(group, prefix: prefix + [letter], into: &shards)
      }
    }
    if !remainder.isEmpty {
      remainder.sort { $0.term < $1.term }
      shards.append(
        Shard(
          key: key, terms: remainder.map(\.number),
          estimatedBytes: remainder.reduce(0) { $0 + $1.bytes }))
    }
  }

  private static func isKeyLetter(_ scalar: Unicode.Scalar) -> Bool {
    ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
  }
}
