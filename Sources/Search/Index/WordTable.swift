/// Word (as tokenised scalars) → value, for the per-run word cache of `PartialIndex`: open
/// addressing over one flat scalar buffer with an FNV-1a hash, which is several times faster
/// than a `[[UInt32]: Value]` dictionary (no per-word array, no SipHash over each scalar).
struct WordTable<Value> {
  private var scalars: [UInt32] = []
  /// Per entry: start in `scalars`, length, value.
  private var starts: [Int32] = []
  private var lengths: [Int32] = []
  private var values: [Value] = []
  /// Entry number + 1, or 0 for an empty slot; the count is a power of two.
  private var slots = [Int32](repeating: 0, count: 1 << 12)

  private static func hash(_ word: UnsafeBufferPointer<UInt32>) -> Int {
    var hash: UInt32 = 0x811C_9DC5
    for scalar in word {
      hash = (hash ^ scalar) &* 0x0100_0193
    }
    return Int(hash ^ (hash >> 15))
  }

  private func slot(of word: UnsafeBufferPointer<UInt32>) -> (slot: Int, entry: Int?) {
    let mask = slots.count - 1
    var slot = Self.hash(word) & mask
    return scalars.withUnsafeBufferPointer { scalars in
      slots.withUnsafeBufferPointer { slots in
        starts.withUnsafeBufferPointer { starts in
          lengths.withUnsafeBufferPointer { lengths in
            while true {
              let stored = Int(slots[slot])
              if stored == 0 { return (slot, nil) }
              let entry = stored - 1
              if Int(lengths[entry]) == word.count {
                let start = Int(starts[entry])
                var index = 0
                while index < word.count, scalars[start + index] == word[index] { index += 1 }
                if index == word.count { return (slot, entry) }
              }
              slot = (slot + 1) & mask
            }
          }
        }
      }
    }
  }

  subscript(word: UnsafeBufferPointer<UInt32>) -> Value? {
    slot(of: word).entry.map { values[$0] }
  }

  mutating func insert(_ value: Value, for word: UnsafeBufferPointer<UInt32>) {
    if (values.count + 1) * 2 > slots.count { grow() }
    let (slot, entry) = slot(of: word)
    if let entry {
      values[entry] = value
      return
    }
    starts.append(Int32(scalars.count))
    lengths.append(Int32(word.count))
    scalars.append(contentsOf: word)
    values.append(value)
    slots[slot] = Int32(values.count)
  }

  private mutating func grow() {
    slots = [Int32](repeating: 0, count: slots.count * 2)
    let mask = slots.count - 1
    for entry in values.indices {
      let start = Int(starts[entry])
      var slot =
        scalars.withUnsafeBufferPointer {
          Self.hash(UnsafeBufferPointer(rebasing: $0[start..<start + Int(lengths[entry])]))
        } & mask
      while slots[slot] != 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(entry + 1)
    }
  }
}
