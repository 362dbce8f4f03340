import Diagnostics
import Foundation
import Site
import Synchronization

/// The site as currently served: the last good build, and the errors of the latest build
/// when it failed (the overlay shows them over the last good pages).
public struct ServedSite: Sendable {
  /// File map of the last successful build (empty until one succeeds).
  public var files: [String: Data]
  /// Increases with every successful build, from a random start so that a restarted server
  /// differs too; pages carry it so a stale client reloads.
  public var generation: Int
  /// Errors of the latest build, empty when it succeeded.
  public var errors: [Diagnostic]

  public init(files: [String: Data] = [:], generation: Int = 0, errors: [Diagnostic] = []) {
    self.files = files
    self.generation = generation
    self.errors = errors
  }
}

/// What a rebuild produced, for the terminal and the browsers.
public enum BuildOutcome: Sendable {
  /// `stylesheets` is set when only stylesheets changed: old URL path → new URL path, so the
  /// browser swaps them without a reload.
  case built(
    pages: Int, files: Int, warnings: [Diagnostic], seconds: Double,
    stylesheets: [String: String]?)
  case failed([Diagnostic], seconds: Double)
}

/// Owns the current site: updates it in memory when sources change and swaps the result in.
/// An edit that keeps a document in its place re-renders only the pages that show it; other
/// changes run every phase again (see ``IncrementalSite``). The search index and exports
/// follow in the background.
public actor Rebuilder {
  private let options: BuildOptions
  private(set) public var current = ServedSite()
  private var building = false
  private var rebuildRequested = false
  /// Source paths changed since the last successful build.
  private var changedSinceSuccess: Set<String> = []
  private let onOutcome: @Sendable (BuildOutcome, ServedSite) async -> Void
  private var finishedOnce = false
  private var waiting: [CheckedContinuation<Void, Never>] = []
  /// The last good generation and what made it.
  private var incremental: IncrementalSite?
  /// Counts the changes to ``incremental``, so a background refresh of the search index and
  /// exports made from an older one is dropped.
  private var revision = 0
  /// Whether the search index and exports lag behind the pages.
  private var derivedPending = false
  /// Whether a background refresh of them is under way.
  private var refreshing = false
  private let quietTime: Duration
  /// The refresh under way, cancelled when the sources change again.
  private var refreshTask: Task<[OutputFile]?, Never>?

  /// `quietTime`: how long after the last update the search index and exports are made again.
  public init(
    options: BuildOptions, quietTime: Duration = .milliseconds(500),
    onOutcome: @escaping @Sendable (BuildOutcome, ServedSite) async -> Void
  ) {
    self.options = options
    self.quietTime = quietTime
    self.onOutcome = onOutcome
    self.current = ServedSite(generation: Int.random(in: 1..<1_000_000) * 1000)
  }

  /// Rebuilds now, or once more after the running build when one is under way. `changed` are
  /// the source paths (relative to the root) that changed.
  public func rebuild(changed: [String] = []) async {
    changedSinceSuccess.formUnion(changed)
    if building {
      rebuildRequested = true
      return
    }
    building = true
    defer { building = false }
    repeat {
      rebuildRequested = false
      let outcome = await generate()
      if !finishedOnce {
        finishedOnce = true
        for continuation in waiting { continuation.resume() }
        waiting = []
      }
      await onOutcome(outcome, current)
    } while rebuildRequested
    if derivedPending { refreshDerivedFiles() }
  }

  /// The current site, once the first build has finished (requests that arrive during the
  /// first build wait for it).
  public func ready() async -> ServedSite {
    if !finishedOnce {
      await withCheckedContinuation { waiting.append($0) }
    }
    return current
  }

  /// Waits until the search index and exports match the pages (for tests and benchmarks).
  public func settled() async -> ServedSite {
    while building || derivedPending {
      try? await Task.sleep(for: .milliseconds(20))
    }
    return current
  }

  /// The first generation, or an update of the last good one, off the actor; swaps the
  /// result in.
  private func generate() async -> BuildOutcome {
    refreshTask?.cancel()
    let start = DispatchTime.now()
    let (options, changed) = (options, Array(changedSinceSuccess))
    // The generation moves into the task (a captured copy would keep its arrays shared), so
    // updating it in place copies nothing.
    let hadPrevious = incremental != nil
    let handoff = Handoff(incremental.take())
    let (site, result) = await Task.detached {
      () -> (IncrementalSite?, Result<IncrementalSite.Update, BuildFailure>) in
      guard var site = handoff.take() else {
        do throws(BuildFailure) {
          let site = try IncrementalSite(options: options)
          return (site, .success(.site(site.site)))
        } catch {
          return (nil, .failure(error))
        }
      }
      do throws(BuildFailure) {
        let update = try site.update(changed: changed)
        return (site, .success(update))
      } catch {
        return (site, .failure(error))
      }
    }.value
    incremental = site
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    switch result {
    case .success(.pages(let pages)):
      revision += 1
      derivedPending = true
      changedSinceSuccess = []
      current.errors = []
      current.generation += 1
      for page in pages { current.files[page.path] = page.contents }
      return .built(
        pages: site?.pageCount ?? 0, files: current.files.count, warnings: [], seconds: seconds,
        stylesheets: nil)
    case .success(.site(let whole)):
      revision += 1
      // The first generation is whole; later ones keep the previous search index for now.
      derivedPending = hadPrevious
      let files = Self.fileMap(whole)
      let onlyStyles =
        !changedSinceSuccess.isEmpty && changedSinceSuccess.allSatisfy { $0.hasSuffix(".css") }
        && !current.files.isEmpty && current.errors.isEmpty
      let swap = onlyStyles ? Self.stylesheetSwap(from: current.files, to: files) : nil
      changedSinceSuccess = []
      current = ServedSite(files: files, generation: current.generation + 1, errors: [])
      return .built(
        pages: whole.pageCount, files: files.count,
        warnings: whole.diagnostics.filter { $0.severity == .warning }, seconds: seconds,
        stylesheets: swap)
    case .failure(let failure):
      current.errors = DiagnosticList(failure.diagnostics).sorted
      return .failed(current.errors, seconds: seconds)
    }
  }

  /// Makes the search index and exports of the current generation in the background and
  /// swaps them in, once no update has come for ``quietTime`` (the browser is reloading the
  /// edited page meanwhile, and shares the cores). One refresh runs at a time; when the site
  /// changes while it runs, it stops at the next language and starts over from the newer site.
  private func refreshDerivedFiles() {
    guard !refreshing, derivedPending else { return }
    refreshing = true
    Task { await runDerivedRefresh() }
  }

  private func runDerivedRefresh() async {
    var revision = -1
    while revision != self.revision || building {
      revision = self.revision
      try? await Task.sleep(for: quietTime)
    }
    guard incremental != nil else {
      refreshing = false
      return
    }
    let handoff = Handoff(incremental)
    let task = Task.detached(priority: .utility) { handoff.take()?.derivedSources().files() }
    refreshTask = task
    let files = await task.value
    refreshTask = nil
    refreshing = false
    guard let files, revision == self.revision, var site = incremental.take() else {
      refreshDerivedFiles()
      return
    }
    let previous = site.replaceDerivedFiles(files)
    incremental = site
    derivedPending = false
    for file in previous { current.files[file.path] = nil }
    for file in files { current.files[file.path] = file.contents }
  }

  private static func fileMap(_ site: GeneratedSite) -> [String: Data] {
    var files: [String: Data] = [:]
    files.reserveCapacity(site.files.count)
    for file in site.files { files[file.path] = file.contents }
    return files
  }

  /// How stylesheet URLs moved between two builds (`/style.1a2b.css` → `/style.3c4d.css`), or
  /// nil when anything but stylesheets changed in a way a swap cannot express.
  static func stylesheetSwap(from old: [String: Data], to new: [String: Data]) -> [String: String]?
  {
    func stem(_ key: String) -> String {
      key.replacingOccurrences(
        of: #"\.[0-9a-fA-F]{6,}\.css$"#, with: ".css", options: .regularExpression)
    }
    let oldStyles = old.keys.filter { $0.hasSuffix(".css") }
    let newStyles = new.keys.filter { $0.hasSuffix(".css") }
    let newByStem = Dictionary(
      newStyles.map { (stem($0), $0) }, uniquingKeysWith: { first, _ in first })
    var swap: [String: String] = [:]
    for key in oldStyles {
      guard let replacement = newByStem[stem(key)] else { return nil }
      if replacement != key || old[key] != new[replacement] {
        swap["/" + key] = "/" + replacement
      }
    }
    guard newStyles.count == oldStyles.count, !swap.isEmpty else { return nil }
    // Every other file must be the same once the stylesheet names are replaced.
    for (key, data) in new where !key.hasSuffix(".css") {
      guard let before = old[key] else { return nil }
      if before == data { continue }
      guard var text = String(data: before, encoding: .utf8) else { return nil }
      for (from, to) in swap { text = text.replacingOccurrences(of: from, with: to) }
      guard Data(text.utf8) == data else { return nil }
    }
    return swap
  }
}

/// Hands a value to another task without the closure keeping a copy of it.
private final class Handoff<Value: Sendable>: Sendable {
  private let slot: Mutex<Value?>

  init(_ value: Value?) {
    slot = Mutex(value)
  }

  func take() -> Value? {
    slot.withLock { $0.take() }
  }
}
