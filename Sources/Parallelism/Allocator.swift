import CMimalloc
import Glibc
import Synchronization

/// The process's memory allocator: mimalloc, which linking takes in place of glibc's malloc for
/// every library in the process (the Swift runtime included).
///
/// A build is millions of small allocations from two threads at once, many freed by another
/// thread than the one that made them (a page's context is made by the assemble phase and
/// freed by the thread that rendered it). With glibc, allocation was 8.5% of a cold 10k build's
/// processor time, and memory freed in one arena was reused by its own threads only. With
/// mimalloc, cold 10k builds took about 6% less time (docs/build-performance.md).
public enum Allocator {
  /// Returns freed memory to the system after 5 ms, instead of mimalloc's default delay (25 ms
  /// in Debian's 2.0; it is `purge_delay`, 10 ms, from 2.1 on). Each return is an `madvise`
  /// that makes the kernel flush the other core's address translations, and the memory is
  /// faulted in again when it is reused:
  /// - with no delay, the peak of a cold 10k build was glibc's, and 1.4% of its samples were
  ///   those flushes;
  /// - with 5 ms, the build took 3.5% less time for a 6% higher peak (461 against 436 MiB;
  ///   3,622 against 3,562 MiB at 100k);
  /// - with 25 ms the peak was 8–13% higher.
  ///
  /// Only the default changes: `MIMALLOC_DECOMMIT_DELAY` in the environment still sets the
  /// delay (for measurements). Call it at start-up.
  public static func returnFreedMemorySoon() {
    mi_option_set_default(mi_option_decommit_delay, 5)
  }

  /// Keeps `value` until the process ends, so that it is never freed object by object: for a
  /// large model in a process that exits once it is done with it, as the system takes a
  /// process's memory back at once. Freeing a 100,000-case build's model took 1.7 s, on one
  /// core, after the site was written.
  public static func keepUntilExit(_ value: some Sendable) {
    kept.withLock { $0.append(value) }
  }

  private static let kept = Mutex<[any Sendable]>([])

  /// Whether `malloc` is mimalloc's: false if linking left glibc's in place.
  public static var isMimalloc: Bool {
    guard let block = malloc(64) else { return false }
    defer { free(block) }
    return mi_is_in_heap_region(block)
  }
}
