import Dispatch

/// Work started on another thread at once, whose result is waited for later: the build makes
/// the search index and the open-data files beside its render phase.
public final class BackgroundTask<Result: Sendable>: @unchecked Sendable {
  private let done = DispatchGroup()
  // Written once by the work before `done` is left, read only after waiting for it.
  private var result: Result?
  private var duration = 0.0

  public init(_ work: @escaping @Sendable () -> Result) {
    done.enter()
    DispatchQueue.global(qos: .userInitiated).async { [self] in
      let start = DispatchTime.now()
      result = work()
      duration = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
      done.leave()
    }
  }

  /// A task already done: no thread is started.
  public init(finished result: Result) {
    self.result = result
  }

  /// The result, once the work has finished, and the seconds the work took.
  public func wait() -> (result: Result, seconds: Double) {
    done.wait()
    return (result!, duration)
  }
}
