import Content
import Diagnostics
import Foundation
import Markdown
import Parallelism
import Search
import Templates

/// What a build is asked to do.
public struct BuildOptions: Sendable {
  public var root: URL
  /// Defaults to `<root>/site`.
  public var output: URL?
  /// Overrides `base_url` of the config.
  public var baseURL: String?
  public var includeDrafts = false
  public var force = false

  public init(root: URL, output: URL? = nil, baseURL: String? = nil) {
    self.root = root
    self.output = output
    self.baseURL = baseURL
  }

  public var outputFolder: URL { output ?? root.appending(path: "site") }
}

/// How long one phase took.
public struct PhaseTiming: Sendable {
  public var phase: String
  public var seconds: Double
}

/// Progress of a running build, for the one updating terminal line.
public struct BuildProgress: Sendable {
  public var phase: String
  public var done: Int
  public var total: Int
}

/// A site generated in memory: what `build` writes and `serve` serves.
public struct GeneratedSite: Sendable {
  public var files: [OutputFile]
  public var pageCount: Int
  /// Output path of each document's page → its source (`content/cases/x.md`), for reports.
  public var sources: [String: String]
  /// The absolute base URL the site was generated for.
  public var baseURL: String
  public var diagnostics: [Diagnostic]
  public var timings: [PhaseTiming]
}

/// A build that found errors: every problem, reported together.
public struct BuildFailure: Error, Sendable {
  public var diagnostics: [Diagnostic]
  public var timings: [PhaseTiming]
}

/// The build, as ordered named phases:
/// **load** (config, theme, content) → **markdown** (every body, in parallel) →
/// **assemble** (routes, collisions, page contexts) → **render** (templates, in parallel) →
/// **index** (search index per language) → **export** (open data, feed, sitemap).
/// ``build(options:progress:)`` adds **write** (staging folder, swap).
public struct SiteBuilder: Sendable {
  public let options: BuildOptions

  public init(options: BuildOptions) {
    self.options = options
  }

  /// Generates and writes the site.
  public func build(
    progress: (@Sendable (BuildProgress) -> Void)? = nil
  ) throws(BuildFailure) -> (GeneratedSite, OutputFolder.Report) {
    let folder = OutputFolder(root: options.root, output: options.outputFolder)
    var site = try generate(progress: progress)
    var clock = PhaseClock()
    progress?(BuildProgress(phase: "write", done: 0, total: site.files.count))
    let report: OutputFolder.Report
    do {
      report = try folder.publish(site.files)
    } catch {
      throw BuildFailure(diagnostics: site.diagnostics + [error], timings: site.timings)
    }
    site.timings.append(clock.lap("write"))
    return (site, report)
  }

  /// Runs every phase but writing; throws when any phase found an error.
  public func generate(
    progress: (@Sendable (BuildProgress) -> Void)? = nil
  ) throws(BuildFailure) -> GeneratedSite {
    var diagnostics: [Diagnostic] = []
    var timings: [PhaseTiming] = []
    var clock = PhaseClock()
    func fail() -> BuildFailure { BuildFailure(diagnostics: diagnostics, timings: timings) }

    // load
    progress?(BuildProgress(phase: "load", done: 0, total: 1))
    let loaded = load(&diagnostics)
    timings.append(clock.lap("load"))
    guard let loaded, !diagnostics.contains(where: { $0.severity == .error }) else { throw fail() }

    // markdown
    let content = loaded.content
    progress?(BuildProgress(phase: "markdown", done: 0, total: content.documents.count))
    let renderer = MarkdownRenderer(
      options: MarkdownOptions(
        unsafeHTML: content.config.unsafeHTML, basePath: content.config.basePath))
    let markdown = content.documents.parallelMap {
      document -> Result<RenderedMarkdown, Diagnostic> in
      do throws(Diagnostic) {
        return .success(try renderer.render(document.body, language: document.language))
      } catch {
        var located = error
        if var location = located.location {
          location.line += document.bodyFirstLine - 1
          located.location = location
        }
        return .failure(located.inFile(document.sourcePath))
      }
    }
    var rendered: [RenderedMarkdown?] = []
    for result in markdown {
      switch result {
      case .success(let value): rendered.append(value)
      case .failure(let problem):
        diagnostics.append(problem)
        rendered.append(nil)
      }
    }
    timings.append(clock.lap("markdown"))

    // assemble
    let routes = Routes(defaultLanguage: content.config.defaultLanguage)
    let values = ModelValues(
      content: content, routes: routes, rendered: rendered,
      cases: TranslationGroups(
        documents: content.documents, kind: .caseStudy, index: content.index),
      posts: TranslationGroups(documents: content.documents, kind: .post, index: content.index))
    let assembler = PageAssembler(values: values, translations: loaded.translations)
    let jobs = assembler.jobs()
    let (assets, assetNames) = loaded.theme.fingerprintedAssets()
    diagnostics += RouteCheck(content: content, routes: routes).collisions(
      pages: jobs.map(\.path), otherFiles: Array(assets.keys))
    timings.append(clock.lap("assemble"))
    guard !diagnostics.contains(where: { $0.severity == .error }) else { throw fail() }

    // render
    let library: TemplateLibrary
    do throws(DiagnosticList) {
      library = try TemplateLibrary(
        sources: loaded.templates,
        filters: SiteFilters(
          routes: routes, assetNames: assetNames, markdown: renderer
        ).all)
    } catch {
      diagnostics += error.diagnostics
      timings.append(clock.lap("render"))
      throw fail()
    }
    let config = content.config
    let indexing = SearchIndexTask(values: values, languages: config.languages)
    var files: [OutputFile] = []
    let chunks = stride(from: 0, to: jobs.count, by: 500).map {
      Array(jobs[$0..<min($0 + 500, jobs.count)])
    }
    var done = 0
    for chunk in chunks {
      let results = chunk.parallelMap { job -> Result<OutputFile, DiagnosticList> in
        let environment = RenderEnvironment(
          language: job.language, basePath: config.basePath, baseURL: config.baseURL,
          translations: loaded.translations[job.language] ?? [:])
        do throws(DiagnosticList) {
          let html = try library.render(
            job.template, context: job.context, environment: environment)
          return .success(
            OutputFile(path: Routes.outputFile(for: job.path), contents: Data(html.utf8)))
        } catch {
          return .failure(error)
        }
      }
      for result in results {
        switch result {
        case .success(let file): files.append(file)
        case .failure(let problems): diagnostics += problems.diagnostics
        }
      }
      done += chunk.count
      progress?(BuildProgress(phase: "render", done: done, total: jobs.count))
    }
    timings.append(clock.lap("render"))
    guard !diagnostics.contains(where: { $0.severity == .error }) else {
      diagnostics = DiagnosticList(diagnostics).sorted
      throw fail()
    }

    // index (built alongside the render phase; "index" is the wait after it)
    progress?(BuildProgress(phase: "index", done: 0, total: config.languages.count))
    let index = indexing.files()
    files += index.files
    timings.append(clock.lap("index"))
    timings.append(PhaseTiming(phase: "(index)", seconds: index.seconds))

    // export
    let exports = Exports(values: values)
    do {
      files.append(OutputFile(path: "data/cases.json", contents: try exports.casesJSON()))
      files.append(
        OutputFile(path: "data/localities.geojson", contents: try exports.localitiesGeoJSON()))
    } catch {
      diagnostics.append(.error("cannot encode the open data files: \(error)"))
    }
    files.append(OutputFile(path: "data/cases.csv", contents: exports.casesCSV()))
    files.append(OutputFile(path: "feed.xml", contents: exports.feed(title: config.title)))
    files.append(
      OutputFile(
        path: "sitemap.xml",
        contents: exports.sitemap(paths: jobs.map(\.path).filter { $0 != "/404.html" })))
    files.append(OutputFile(path: "robots.txt", contents: exports.robots()))
    for (path, data) in assets.sorted(by: { $0.key < $1.key }) {
      files.append(OutputFile(path: path, contents: data))
    }
    let (images, imageProblems) = ImageResources.files(values: values, root: options.root)
    files += images
    diagnostics += imageProblems
    for file in content.staticFiles {
      guard let data = FileManager.default.contents(atPath: file.url.path) else {
        diagnostics.append(
          .error("cannot read this file", at: SourceLocation(file: file.path, line: 0)))
        continue
      }
      files.append(
        OutputFile(path: String(file.path.dropFirst("content/static/".count)), contents: data))
    }
    timings.append(clock.lap("export"))
    if !config.hasExplicitBaseURL {
      diagnostics.append(
        .warning(
          "no base_url in proximus.yml: the feed, sitemap and canonical links use \(SiteConfig.defaultBaseURL)"
        ))
    }
    guard !diagnostics.contains(where: { $0.severity == .error }) else { throw fail() }
    var sources: [String: String] = [:]
    for document in content.documents {
      sources[Routes.outputFile(for: routes.document(document))] = document.sourcePath
    }
    return GeneratedSite(
      files: files, pageCount: jobs.count, sources: sources, baseURL: config.baseURL,
      diagnostics: DiagnosticList(diagnostics).sorted, timings: timings)
  }

  struct LoadedSite {
    var content: SiteContent
    var theme: Theme
    var templates: [TemplateSource]
    var translations: [String: [String: String]]
  }

  /// The load phase: config, theme and content.
  func load(_ diagnostics: inout [Diagnostic]) -> LoadedSite? {
    let root = options.root.standardizedFileURL
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory),
      isDirectory.boolValue
    else {
      diagnostics.append(.error("site root '\(root.path)' is not a folder"))
      return nil
    }
    var config = SiteConfig()
    let configURL = root.appending(path: "proximus.yml")
    if FileManager.default.fileExists(atPath: configURL.path) {
      switch SourceTree.readText(SourceTree.File(path: "proximus.yml", url: configURL)) {
      case .success(let text):
        let (loaded, problems) = SiteConfig.load(text, path: "proximus.yml")
        config = loaded
        diagnostics += problems
      case .failure(let problem):
        diagnostics.append(problem)
      }
    }
    if let baseURL = options.baseURL {
      do {
        config.baseURL = try SiteConfig.normalizedBaseURL(baseURL)
        config.hasExplicitBaseURL = true
      } catch {
        diagnostics.append(error)
      }
    }
    if !FileManager.default.fileExists(atPath: root.appending(path: "content").path) {
      diagnostics.append(.error("no content/ folder in '\(root.path)': is this a site root?"))
      return nil
    }
    let (theme, themeProblems) = Theme.load(name: config.theme, root: root)
    diagnostics += themeProblems
    let (templates, templateProblems) = theme.templateSources()
    diagnostics += templateProblems
    var translations: [String: [String: String]] = [:]
    for language in config.languages {
      let (strings, problems) = theme.translations(language)
      translations[language] = strings
      diagnostics += problems
    }
    diagnostics += PageAssembler.missingKeys(translations, languages: config.languages) {
      theme.origins["i18n/\($0).yaml"] ?? "themes/\(config.theme)/i18n/\($0).yaml"
    }
    let loader = ContentLoader(
      tree: SourceTree(root: root), config: config, includeDrafts: options.includeDrafts)
    let (content, contentProblems) = loader.load()
    diagnostics += contentProblems
    return LoadedSite(
      content: content, theme: theme, templates: templates, translations: translations)
  }
}

/// Measures phases one after the other.
struct PhaseClock {
  private var last = DispatchTime.now()

  mutating func lap(_ phase: String) -> PhaseTiming {
    let now = DispatchTime.now()
    defer { last = now }
    return PhaseTiming(
      phase: phase, seconds: Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9)
  }
}
