import Parallelism
import Synchronization
import Testing

@Suite struct ParallelMapTests {
  @Test func resultsKeepTheOrderOfTheInput() {
    let numbers = Array(0..<10_000)
    #expect(numbers.parallelMap { $0 * 3 } == numbers.map { $0 * 3 })
    #expect([7].parallelMap { $0 + 1 } == [8])
    #expect([Int]().parallelMap { $0 } == [])
  }

  final class FreeCounter: Sendable {
    let count = Atomic<Int>(0)
  }

  final class Tracked: Sendable {
    let number: Int
    let freed: FreeCounter

    init(_ number: Int, _ freed: FreeCounter) {
      self.number = number
      self.freed = freed
    }

    deinit { freed.count.add(1, ordering: .relaxed) }
  }

  /// Each element reaches `transform` once, with its index, in the order of the results, and
  /// is freed as soon as `transform` is done with it: later calls already see earlier elements
  /// gone.
  @Test func consumingFreesEachElementWhenItIsDone() {
    let freed = FreeCounter()
    let tracked = (0..<5_000).map { Tracked($0, freed) }
    let results = (consume tracked).parallelMapConsuming { index, element in
      (index * 10_000 + element.number * 2, freed.count.load(ordering: .relaxed))
    }
    #expect(results.map(\.0) == (0..<5_000).map { $0 * 10_002 })
    #expect(results.map(\.1).max()! > 0)
    #expect(freed.count.load(ordering: .relaxed) == 5_000)
  }
}

@Suite struct AllocatorTests {
  /// Linking mimalloc puts it in the place of glibc's malloc for the whole process.
  @Test func mallocIsMimalloc() {
    #expect(Allocator.isMimalloc)
  }
}
