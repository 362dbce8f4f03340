import Diagnostics
import Foundation
import Site
import Synchronization

/// The terminal side of a run: problems and the summary on standard error / output, and on a
/// terminal a progress line that updates in place once the build has run for a second.
final class Console: Sendable {
  let quiet: Bool
  private let start = DispatchTime.now()
  private let isTerminal = isatty(STDERR_FILENO) == 1
  private let showedProgress = Mutex(false)

  init(quiet: Bool) {
    self.quiet = quiet
  }

  var progress: @Sendable (BuildProgress) -> Void {
    { [self] update in
      guard !quiet, isTerminal, Console.elapsed(since: start) > 1 else { return }
      showedProgress.withLock { $0 = true }
      let line = "\u{1B}[2K\r\(update.phase) \(update.done)/\(update.total)"
      FileHandle.standardError.write(Data(line.utf8))
    }
  }

  func finishProgress() {
    if showedProgress.withLock({ $0 }) {
      FileHandle.standardError.write(Data("\u{1B}[2K\r".utf8))
    }
  }

  func report(_ diagnostics: [Diagnostic]) {
    for diagnostic in DiagnosticList(diagnostics).sorted {
      FileHandle.standardError.write(Data((diagnostic.formatted + "\n").utf8))
    }
  }

  func summary(_ text: String) {
    print(text)
  }

  /// The closing line of a failed run; a failed build also says the old site is untouched.
  func failure(_ diagnostics: [Diagnostic], since start: DispatchTime, building: Bool = true) {
    let list = DiagnosticList(diagnostics)
    let errors = list.errors.count
    let warnings = list.warnings.count
    var line = building ? "error: build failed with " : "error: check found "
    line += "\(errors) error\(errors == 1 ? "" : "s")"
    if warnings > 0 { line += " and \(warnings) warning\(warnings == 1 ? "" : "s")" }
    line += " in \(Console.seconds(since: start))"
    if building { line += "; the previous site was left as it was" }
    FileHandle.standardError.write(Data((line + "\n").utf8))
  }

  func timings(_ timings: [PhaseTiming]) {
    for timing in timings {
      let name = timing.phase.padding(toLength: 10, withPad: " ", startingAt: 0)
      let cpu = timing.cpuSeconds.map { String(format: "   cpu %7.3f s", $0) }
      let memory = timing.peakMemory.map {
        String(format: "   peak %6.0f MiB", Double($0) / 1_048_576)
      }
      FileHandle.standardError.write(
        Data(
          "\(name)\(String(format: "%8.3f s", timing.seconds))\(cpu ?? "")\(memory ?? "")\n".utf8))
    }
  }

  static func elapsed(since start: DispatchTime) -> Double {
    Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
  }

  static func seconds(since start: DispatchTime) -> String {
    String(format: "%.2f s", elapsed(since: start))
  }
}
