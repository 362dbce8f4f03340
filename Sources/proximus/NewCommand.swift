import ArgumentParser
import Content
import Foundation

struct NewCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "new",
    abstract: "Write a new case study, post or page under content/ and print its path.")

  enum Kind: String, ExpressibleByArgument, CaseIterable {
    case `case`, post, page

    var documentKind: DocumentKind {
      switch self {
      case .case: .caseStudy
      case .post: .post
      case .page: .page
      }
    }
  }

  @Argument(help: "What to create: case, post or page.") var kind: Kind
  @Argument(help: "The title, in quotes.") var title: String
  @Option(help: "The site root.", completion: .directory) var root: String = "."
  @Option(help: "Language of the new file (default: the site's first language).") var lang: String?

  func run() throws {
    let rootURL = URL(fileURLWithPath: root).standardizedFileURL
    var config = SiteConfig()
    if let text = try? String(contentsOf: rootURL.appending(path: "proximus.yml"), encoding: .utf8)
    {
      config = SiteConfig.load(text, path: "proximus.yml").0
    }
    let language = lang ?? config.defaultLanguage
    guard config.languages.contains(language) else {
      throw ValidationError(
        "language '\(language)' is not one of the site's languages (\(config.languages.joined(separator: ", ")))"
      )
    }
    let (path, text) = Scaffold.file(
      kind: kind.documentKind, title: title, language: language,
      defaultLanguage: config.defaultLanguage, today: Date())
    let url = rootURL.appending(path: path)
    guard !FileManager.default.fileExists(atPath: url.path) else {
      FileHandle.standardError.write(Data("\(path): error: this file already exists\n".utf8))
      throw ExitCode(1)
    }
    try FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url, options: .withoutOverwriting)
    print(path)
  }
}
