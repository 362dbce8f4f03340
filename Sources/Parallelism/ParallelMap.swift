import Dispatch
import Foundation

extension Collection where Index == Int, Self: Sendable, Element: Sendable {
  /// `map` spread over every core, keeping the order of the input.
  ///
  /// The build's hot paths (reading, rendering, writing) are independent per item; this runs
  /// them in contiguous batches on all cores with no shared mutable state but the result slots.
  /// Sixteen batches per core, each taken by the next thread free: a few slow items (a page
  /// listing every place) then hold up one small batch at the end (with four per core, cold
  /// 10k builds left a tenth more core time idle).
  public func parallelMap<Result: Sendable>(
    _ transform: @Sendable (Element) -> Result
  ) -> [Result] {
    let count = self.count
    guard count > 1 else { return map(transform) }
    let slots = ResultSlots<Result>(count: count)
    let batches = Swift.min(count, ProcessInfo.processInfo.activeProcessorCount * 16)
    let base = startIndex
    DispatchQueue.concurrentPerform(iterations: batches) { batch in
      let lower = count * batch / batches
      let upper = count * (batch + 1) / batches
      for offset in lower..<upper {
        slots.store(transform(self[base + offset]), at: offset)
      }
    }
    return slots.values()
  }
}

extension Array where Element: Sendable {
  /// ``Swift/Collection/parallelMap(_:)`` that gives each element, with its index, to
  /// `transform` to keep: whatever `transform` does not keep is freed on the thread that ran it
  /// as soon as it returns, instead of with the array afterwards, on the caller's thread alone.
  public consuming func parallelMapConsuming<Result: Sendable>(
    _ transform: @Sendable (_ index: Int, consuming Element) -> Result
  ) -> [Result] {
    let elements = HandedOverElements(self)
    self = []
    return (0..<elements.count).parallelMap { transform($0, elements.take(at: $0)) }
  }
}

/// Write-once result slots: each index is written by exactly one batch, then read after all
/// batches have finished, so no two threads ever touch one slot.
///
/// Uninitialised memory rather than optionals: this generic class is not specialised for its
/// callers in other modules, and each use of `Value?` looked up that type's metadata, 340
/// instructions a result.
private final class ResultSlots<Value>: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<Value>

  init(count: Int) {
    storage = .allocate(capacity: count)
  }

  /// `parallelMap` always takes the results out with `values()`: nothing is left to
  /// deinitialise.
  deinit {
    storage.deallocate()
  }

  func store(_ value: Value, at index: Int) {
    (storage.baseAddress! + index).initialize(to: value)
  }

  /// The results, moved out; called once, after every slot was stored.
  func values() -> [Value] {
    [Value](unsafeUninitializedCapacity: storage.count) { buffer, count in
      if let base = buffer.baseAddress, let results = storage.baseAddress {
        base.moveInitialize(from: results, count: storage.count)
      }
      count = storage.count
    }
  }
}

/// Elements moved out of an array, then taken one by one, each index by exactly one thread
/// (``Swift/Array/parallelMapConsuming(_:)`` takes every one).
private final class HandedOverElements<Element>: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<Element>

  init(_ elements: [Element]) {
    storage = .allocate(capacity: elements.count)
    let initialized = storage.initialize(fromContentsOf: elements)
    assert(initialized == elements.count)
  }

  /// Every element was taken (moved out), so only the memory is left to free.
  deinit {
    storage.deallocate()
  }

  var count: Int { storage.count }

  func take(at index: Int) -> Element {
    (storage.baseAddress! + index).move()
  }
}
