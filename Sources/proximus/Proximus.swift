import ArgumentParser
import Foundation
import Parallelism

/// `proximus`: builds the portal, checks content and scaffolds new files.
@main
struct Proximus: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Static site generator for the Proximus portal of collaborative projects.",
    subcommands: [BuildCommand.self, CheckCommand.self, ServeCommand.self, NewCommand.self],
    defaultSubcommand: nil)

  /// Usage errors exit with 2 (SPEC "Commands"), whatever the argument parser's own code.
  static func main() {
    Allocator.returnFreedMemorySoon()
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch let exit as ExitCode {
      Foundation.exit(exit.rawValue)
    } catch {
      let code = exitCode(for: error)
      if code == .success {
        print(fullMessage(for: error))
        Foundation.exit(0)
      }
      FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
      Foundation.exit(2)
    }
  }
}

/// Where the site is: a positional `ROOT`, defaulting to the current folder.
struct RootOption: ParsableArguments {
  @Argument(help: "The site root (the folder holding content/).", completion: .directory)
  var root: String = "."

  var url: URL {
    URL(
      fileURLWithPath: root,
      relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    )
    .standardizedFileURL
  }
}
