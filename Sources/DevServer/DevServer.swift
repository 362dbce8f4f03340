import Diagnostics
import FlyingFox
import FlyingSocks
import Foundation
import Site
import Synchronization

/// `proximus serve`: builds the site into memory, serves it over HTTP on a local address,
/// rebuilds when sources change and tells browsers to reload (or shows the build's errors).
public final class DevServer: Sendable {
  public struct Configuration: Sendable {
    public var options: BuildOptions
    public var host: String
    public var port: UInt16
    public var allowedHosts: [String]

    public init(options: BuildOptions, host: String, port: UInt16, allowedHosts: [String] = []) {
      self.options = options
      self.host = host
      self.port = port
      self.allowedHosts = allowedHosts
    }

    /// The address as it appears in a URL (`[::1]` for IPv6).
    public var urlHost: String { host.contains(":") ? "[\(host)]" : host }
  }

  /// Why the server could not start.
  public enum StartFailure: Error, CustomStringConvertible {
    case portInUse(UInt16)
    case badAddress(String)
    case other(String)

    public var description: String {
      switch self {
      case .portInUse(let port):
        "port \(port) is already in use; choose another with --port"
      case .badAddress(let host):
        "cannot listen on '\(host)': give an IP address such as 127.0.0.1 or ::1"
      case .other(let message): message
      }
    }
  }

  public let configuration: Configuration
  public let policy: HostPolicy
  let hub = EventHub()
  let rebuilder: Rebuilder
  private let server: HTTPServer
  private let log: @Sendable (String) -> Void

  /// `log` receives terminal lines (build results, diagnostics as the build prints them).
  public init(
    configuration: Configuration, log: @escaping @Sendable (String) -> Void
  ) throws(StartFailure) {
    self.configuration = configuration
    self.log = log
    let host = configuration.host == "localhost" ? "127.0.0.1" : configuration.host
    self.policy = HostPolicy(
      boundAddress: host, extraNames: configuration.allowedHosts,
      machineName: HostPolicy.currentMachineName())
    let address: any SocketAddress
    do {
      if host.contains(":") {
        address = try sockaddr_in6.inet6(ip6: host, port: configuration.port)
      } else {
        address = try sockaddr_in.inet(ip4: host, port: configuration.port)
      }
    } catch {
      throw .badAddress(configuration.host)
    }
    let hub = self.hub
    self.rebuilder = Rebuilder(options: configuration.options) { outcome, site in
      switch outcome {
      case .built(let pages, let files, let warnings, let seconds, let stylesheets):
        for warning in warnings { log(warning.formatted) }
        log(String(format: "built %d pages, %d files in %.2f s", pages, files, seconds))
        if let stylesheets {
          await hub.broadcast(
            LiveReload.event(
              "css", data: LiveReload.stylesheetsJSON(stylesheets, build: site.generation)))
        } else {
          await hub.broadcast(LiveReload.event("reload", data: String(site.generation)))
        }
      case .failed(let diagnostics, let seconds):
        for diagnostic in diagnostics { log(diagnostic.formatted) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        log(
          String(
            format:
              "error: build failed with %d error%@ in %.2f s; still serving the last good site",
            errors, errors == 1 ? "" : "s", seconds))
        await hub.broadcast(LiveReload.event("error", data: LiveReload.json(diagnostics)))
      }
    }
    self.server = HTTPServer(
      config: HTTPServer.Configuration(address: address, timeout: 30, logger: .disabled))
  }

  /// Listens (so a busy port is reported at once), starts watching the sources when `watch`,
  /// then builds once; returns when that build is done. Requests that arrive during that first
  /// build wait for it.
  public func start(watch: Bool = true) async throws(StartFailure) {
    let rebuilder = self.rebuilder
    let hub = self.hub
    let policy = self.policy
    await server.appendRoute("*") { request in
      await Self.respond(to: request, site: rebuilder.ready(), hub: hub, policy: policy)
    }
    // A comment every 15 s: writing it is how a closed browser tab is noticed.
    Task {
      while !Task.isCancelled {
        try? await Task.sleep(for: .seconds(15))
        await hub.broadcast(Data(": ping\n\n".utf8))
      }
    }
    let server = self.server
    let failure = Mutex<(any Error)?>(nil)
    Task {
      do {
        try await server.run()
      } catch {
        failure.withLock { $0 = error }
      }
    }
    // Listening, or failed to bind (a busy port fails at once): whichever comes first.
    for _ in 0..<500 {
      if await server.isListening {
        if watch {
          do {
            try startWatching()
          } catch {
            log("warning: not watching for changes: \(error)")
          }
        }
        await rebuilder.rebuild()
        return
      }
      if Task.isCancelled { break }
      if failure.withLock({ $0 }) != nil { break }
      try? await Task.sleep(for: .milliseconds(10))
    }
    let reason: any Error = failure.withLock { $0 } ?? CancellationError()
    defer { Task { await server.stop() } }
    if case SocketError.failed(_, let code, _) = reason, code == EADDRINUSE {
      throw .portInUse(configuration.port)
    }
    if case SocketError.failed(_, let code, _) = reason, code == EADDRNOTAVAIL {
      throw .badAddress(configuration.host)
    }
    throw .other("cannot listen on \(configuration.host):\(configuration.port): \(reason)")
  }

  /// Watches the sources on a thread of its own and rebuilds on every burst of changes.
  private func startWatching() throws(Inotify.Failure) {
    let watcher = try SourceWatcher(root: configuration.options.root)
    let rebuilder = self.rebuilder
    let log = self.log
    let thread = Thread {
      watcher.run { paths in
        let unique = Set(paths).sorted()
        let shown = unique.prefix(3).joined(separator: ", ")
        log("changed: \(shown.isEmpty ? "(many files)" : shown)\(unique.count > 3 ? ", …" : "")")
        Task { await rebuilder.rebuild(changed: paths) }
      }
    }
    thread.name = "proximus-watch"
    thread.start()
  }

  /// Closes the listening socket and the event streams; writes and deletes nothing.
  public func stop() async {
    await hub.finishAll()
    await server.stop(timeout: 0.5)
  }

  // MARK: Requests

  static func respond(
    to request: HTTPRequest, site: ServedSite, hub: EventHub, policy: HostPolicy
  ) async -> HTTPResponse {
    let hostHeader = request.headers[.host]
    guard policy.allows(hostHeader: hostHeader) else {
      return plain(.forbidden, "403 Forbidden: unknown host name (see --allowed-host)\n")
    }
    guard request.method == .GET || request.method == .HEAD else {
      return plain(.methodNotAllowed, "405 Method Not Allowed\n")
    }
    let rawPath = request.target.path(percentEncoded: true)
    if rawPath == LiveReload.eventsPath {
      guard policy.allows(origin: request.headers[HTTPHeader("Origin")], hostHeader: hostHeader)
      else { return plain(.forbidden, "403 Forbidden: foreign origin\n") }
      return await events(site: site, hub: hub)
    }
    if rawPath == LiveReload.scriptPath {
      var response = file(
        Data(LiveReload.script.utf8), type: "text/javascript; charset=utf-8", .ok)
      response.headers[.cacheControl] = "max-age=31536000, immutable"
      return response
    }
    switch SitePath.lookup(rawPath, exists: { site.files[$0] != nil }) {
    case .file(let key):
      return page(key, site: site, status: .ok, head: request.method == .HEAD)
    case .redirect(let location):
      let query = request.target.query(percentEncoded: true)
      var response = plain(.movedPermanently, "")
      response.headers[.location] = query.isEmpty ? location : location + "?" + query
      return response
    case .notFound:
      if site.files["404.html"] != nil {
        return page("404.html", site: site, status: .notFound, head: request.method == .HEAD)
      }
      if site.files.isEmpty {
        // No build has succeeded yet: a bare page that shows the errors.
        let html = Data("<!doctype html><title>Build failed</title><body></body>".utf8)
        return file(
          LiveReload.inject(into: html, build: site.generation), type: "text/html; charset=utf-8",
          .notFound)
      }
      return plain(.notFound, "404 Not Found\n")
    }
  }

  private static func page(_ key: String, site: ServedSite, status: HTTPStatusCode, head: Bool)
    -> HTTPResponse
  {
    guard var data = site.files[key] else { return plain(.notFound, "404 Not Found\n") }
    let type = SitePath.contentType(for: key)
    if type.hasPrefix("text/html") {
      data = LiveReload.inject(into: data, build: site.generation)
    }
    var response = file(head ? Data() : data, type: type, status)
    if SitePath.isContentNamed(key) {
      response.headers[.cacheControl] = "max-age=31536000, immutable"
    }
    return response
  }

  private static func file(_ data: Data, type: String, _ status: HTTPStatusCode) -> HTTPResponse {
    var headers = HTTPHeaders()
    headers[.contentType] = type
    headers[.cacheControl] = "no-cache"
    headers[HTTPHeader("X-Content-Type-Options")] = "nosniff"
    return HTTPResponse(statusCode: status, headers: headers, body: data)
  }

  private static func plain(_ status: HTTPStatusCode, _ text: String) -> HTTPResponse {
    file(Data(text.utf8), type: "text/plain; charset=utf-8", status)
  }

  /// The event stream: `hello` with the current build, the errors when the last build failed,
  /// then whatever the hub broadcasts, with a comment every 15 s to notice gone clients.
  private static func events(site: ServedSite, hub: EventHub) async -> HTTPResponse {
    var initial = [
      Data("retry: 1000\n\n".utf8), LiveReload.event("hello", data: String(site.generation)),
    ]
    if !site.errors.isEmpty {
      initial.append(LiveReload.event("error", data: LiveReload.json(site.errors)))
    }
    let stream = await hub.subscribe(initial: initial)
    var headers = HTTPHeaders()
    headers[.contentType] = "text/event-stream; charset=utf-8"
    headers[.cacheControl] = "no-cache"
    return HTTPResponse(
      statusCode: .ok, headers: headers, body: HTTPBodySequence(from: EventBytes(stream: stream)))
  }
}

/// Server-Sent Events as the byte sequence FlyingFox streams (chunked) to the browser.
struct EventBytes: AsyncBufferedSequence, Sendable {
  typealias Element = UInt8
  let stream: AsyncStream<Data>

  func makeAsyncIterator() -> Iterator { Iterator(events: stream.makeAsyncIterator()) }

  struct Iterator: AsyncBufferedIteratorProtocol {
    var events: AsyncStream<Data>.Iterator
    var pending: [UInt8] = []

    mutating func next() async throws -> UInt8? {
      guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
      return buffer.first
    }

    mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
      if pending.isEmpty {
        guard let data = await events.next() else { return nil }
        pending = [UInt8](data)
      }
      let taken = Array(pending.prefix(Swift.max(count, 1)))
      pending.removeFirst(taken.count)
      return taken
    }
  }
}
