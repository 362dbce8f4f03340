import CMalloc
import Foundation

/// How many memory pools glibc's allocator keeps for the process's threads.
public enum MallocArenas {
  /// Limits the allocator to one arena per core. By default glibc opens up to eight per core
  /// as threads contend, and memory freed in one arena is reused only by the threads that
  /// allocate from it, so a build's peak grows with every arena's own high-water mark: at
  /// 100,000 cases the peak was 4,456 MiB with the default and 3,785 MiB with one arena per
  /// core. Call it at start-up, before any thread is made.
  public static func limitToOnePerCore() {
    mallopt(M_ARENA_MAX, Int32(ProcessInfo.processInfo.activeProcessorCount))
  }
}
