import ArgumentParser
import DevServer
import Foundation
import Site

/// `proximus serve`: the site built into memory, served locally, rebuilt and reloaded on save.
struct ServeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the site from memory on a local address; rebuild and reload on changes.")

  @OptionGroup var root: RootOption
  @Option(help: "Address to listen on (IP literal or localhost).") var host = "127.0.0.1"
  @Option(help: "Port to listen on.") var port: UInt16 = 8000
  @Flag(help: "Include documents marked draft: true.") var drafts = false
  @Option(
    name: .customLong("allowed-host"), parsing: .singleValue,
    help: "Another host name the server answers to (repeatable; with a non-loopback --host).")
  var allowedHosts: [String] = []

  func run() throws {
    var options = BuildOptions(root: root.url)
    options.includeDrafts = drafts
    let configuration = DevServer.Configuration(
      options: options, host: host, port: port, allowedHosts: allowedHosts)
    // Links point at the dev server, whatever base_url the config publishes at.
    options.baseURL = "http://\(configuration.urlHost):\(port)/"
    let server: DevServer
    do {
      server = try DevServer(
        configuration: DevServer.Configuration(
          options: options, host: host, port: port, allowedHosts: allowedHosts),
        log: { line in FileHandle.standardError.write(Data((line + "\n").utf8)) })
    } catch {
      FileHandle.standardError.write(Data("error: \(error)\n".utf8))
      throw ExitCode(2)
    }
    let urlHost = configuration.urlHost
    let port = self.port
    for signal in [SIGINT, SIGTERM] {
      Foundation.signal(signal, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: signal, queue: .main)
      source.setEventHandler {
        FileHandle.standardError.write(Data("\nstopping\n".utf8))
        Task {
          await server.stop()
          Foundation.exit(0)
        }
        // Never hang on a slow connection.
        DispatchQueue.main.asyncAfter(deadline: .now() + 2) { Foundation.exit(0) }
      }
      source.resume()
      Self.signalSources.append(source)
    }
    Task {
      do throws(DevServer.StartFailure) {
        try await server.start()
      } catch {
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        Foundation.exit(1)
      }
      FileHandle.standardOutput.write(
        Data("Serving http://\(urlHost):\(port)/ (Ctrl-C to stop)\n".utf8))
    }
    dispatchMain()
  }

  /// Kept alive for the whole run; only touched on the main thread before `dispatchMain`.
  nonisolated(unsafe) private static var signalSources: [any DispatchSourceSignal] = []
}
