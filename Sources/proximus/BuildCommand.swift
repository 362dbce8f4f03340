import ArgumentParser
import Diagnostics
import Foundation
import Site

struct BuildCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "build", abstract: "Build the site into the output folder (default: site/).")

  @OptionGroup var root: RootOption
  @Option(name: .long, help: "Output folder (default: ROOT/site).", completion: .directory)
  var output: String?
  @Option(name: .customLong("base-url"), help: "Absolute URL the site is published at.")
  var baseURL: String?
  @Flag(help: "Include documents marked draft: true.") var drafts = false
  @Flag(help: "Replace a non-empty output folder that no Proximus build wrote.") var force = false
  @Flag(help: "Print the time of each build phase.") var timings = false
  @Flag(help: "Print only problems and the summary line.") var quiet = false

  func run() throws {
    var options = BuildOptions(root: root.url, baseURL: baseURL)
    options.output = output.map { URL(fileURLWithPath: $0).standardizedFileURL }
    options.includeDrafts = drafts
    options.force = force
    options.processEndsAfterBuild = true
    let console = Console(quiet: quiet)
    let folder = OutputFolder(root: options.root, output: options.outputFolder)
    do {
      try folder.validate(force: force)
    } catch {
      console.report([error])
      throw ExitCode(2)
    }
    let start = DispatchTime.now()
    do {
      let site = try SiteBuilder(options: options).build(progress: console.progress)
      console.finishProgress()
      console.report(site.diagnostics)
      if timings { console.timings(site.timings) }
      let warnings = site.diagnostics.filter { $0.severity == .warning }.count
      console.summary(
        "built \(site.pageCount) pages (\(site.renderedPages) rendered"
          + (site.scopedPages.map { " of \($0) the edits reach" } ?? "") + "), \(site.files) files"
          + " (\(site.changedFiles) changed)"
          + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "")
          + " in \(Console.seconds(since: start))")
    } catch {
      console.finishProgress()
      console.report(error.diagnostics)
      if timings { console.timings(error.timings) }
      console.failure(error.diagnostics, since: start)
      throw ExitCode(1)
    }
  }
}

struct CheckCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check", abstract: "Validate content, references and templates; write nothing.")

  @OptionGroup var root: RootOption
  @Flag(help: "Include documents marked draft: true.") var drafts = false

  func run() throws {
    var options = BuildOptions(root: root.url)
    options.includeDrafts = drafts
    let console = Console(quiet: false)
    let start = DispatchTime.now()
    let site: GeneratedSite
    do {
      site = try SiteBuilder(options: options).generate(progress: console.progress)
    } catch {
      console.finishProgress()
      console.report(error.diagnostics)
      console.failure(error.diagnostics, since: start, building: false)
      throw ExitCode(1)
    }
    console.finishProgress()
    let baseURL = URL(string: site.baseURL) ?? URL(fileURLWithPath: "/")
    let broken = LinkChecker(baseURL: baseURL).diagnostics(for: site, root: root.url)
    console.report(site.diagnostics + broken)
    guard broken.isEmpty else {
      console.failure(site.diagnostics + broken, since: start, building: false)
      throw ExitCode(1)
    }
    console.summary(
      "checked \(site.pageCount) pages and their links: no errors in \(Console.seconds(since: start))"
    )
  }
}
