import Dispatch
import Foundation

extension Collection where Index == Int, Self: Sendable, Element: Sendable {
  /// `map` spread over every core, keeping the order of the input.
  ///
  /// The build's hot paths (reading, rendering, writing) are independent per item; this runs
  /// them in contiguous batches on all cores with no shared mutable state but the result slots.
  public func parallelMap<Result: Sendable>(
    _ transform: @Sendable (Element) -> Result
  ) -> [Result] {
    let count = self.count
    guard count > 1 else { return map(transform) }
    let slots = ResultSlots<Result>(count: count)
    let batches = Swift.min(count, ProcessInfo.processInfo.activeProcessorCount * 4)
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

/// Write-once result slots: each index is written by exactly one batch, then read after all
/// batches have finished, so no two threads ever touch one slot.
private final class ResultSlots<Value>: @unchecked Sendable {
  private let storage: UnsafeMutableBufferPointer<Value?>

  init(count: Int) {
    storage = .allocate(capacity: count)
    storage.initialize(repeating: nil)
  }

  deinit {
    storage.deinitialize()
    storage.deallocate()
  }

  func store(_ value: Value, at index: Int) {
    storage[index] = value
  }

  func values() -> [Value] {
    storage.map { $0! }
  }
}
