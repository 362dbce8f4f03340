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
  /// The process ends once the build returns (the `build` command): what the build made is
  /// kept until then instead of being freed (``Allocator/keepUntilExit(_:)``).
  public var processEndsAfterBuild = false

  public init(root: URL, output: URL? = nil, baseURL: String? = nil) {
    self.root = root
    self.output = output
    self.baseURL = baseURL
  }

  public var outputFolder: URL { output ?? root.appending(path: "site") }
}

/// How long one phase took, the processor time it used, and the process's peak memory when it
/// ended.
public struct PhaseTiming: Sendable {
  public var phase: String
  public var seconds: Double
  /// User and system time of every thread of the process during the phase (nil for work timed
  /// on its own): above `seconds` when the phase kept several cores busy.
  public var cpuSeconds: Double?
  /// Peak resident memory of the process so far, in bytes (nil for work timed on its own).
  public var peakMemory: Int?
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

/// What `build` reports of the site it wrote.
public struct BuiltSite: Sendable {
  public var pageCount: Int
  /// Pages rendered by this build; the others were linked over from the previous output.
  public var renderedPages: Int
  /// Files in the output folder, and how many of them differ from the previous build's.
  public var files: Int
  public var changedFiles: Int
  public var diagnostics: [Diagnostic]
  public var timings: [PhaseTiming]
  /// Nothing changed since the last build into the same folder: the site was left as it was.
  public var upToDate: Bool
  /// When the only change was documents edited in place, the number of pages the edits could
  /// reach, which were the only ones made (``EditScope``); nil when every page was made.
  public var scopedPages: Int? = nil
  /// The languages whose search index was updated from the previous build's, analysing only
  /// the documents that changed (``SearchIndexBuilder/update(_:previous:reading:)``).
  public var updatedSearchIndexes: [String] = []
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

  /// Generates and writes the site: pages, the search index and the open-data files are
  /// written into the staging folder as they are made, the sitemap after the pages, then the
  /// folder is swapped in.
  ///
  /// First, the **check** phase: when no input and no output changed since the last build into
  /// the same folder (``BuildRecord``), the site is left as it is and that build's warnings are
  /// reported again.
  public func build(
    progress: (@Sendable (BuildProgress) -> Void)? = nil
  ) throws(BuildFailure) -> BuiltSite {
    var checkClock = PhaseClock()
    let folder = OutputFolder(root: options.root, output: options.outputFolder)
    let settings = BuildRecord.settings(options)
    // The last build's record is decoded while the sources are stamped.
    let recordLoading = BackgroundTask { folder.loadRecord() }
    let inputs = BuildRecord.scanInputs(root: options.root)
    let record = recordLoading.wait().result
    if let inputs, let record, record.settings == settings, record.inputs == inputs,
      record.outputsAreUnchanged(in: folder.output.path)
    {
      return BuiltSite(
        pageCount: record.pageCount, renderedPages: 0, files: record.fileCount, changedFiles: 0,
        diagnostics: record.diagnostics, timings: [checkClock.lap("check")], upToDate: true)
    }
    // Documents edited in place since a build whose output is as that build left it: the
    // build may make only the pages they reach (``EditScope``).
    var edits: EditedDocuments?
    if let inputs, let record, record.settings == settings, let recorded = record.inputs,
      let previous = record.dependencies,
      let paths = EditScope.editedDocuments(previous: recorded, now: inputs),
      record.outputsAreUnchanged(in: folder.output.path)
    {
      edits = EditedDocuments(
        paths: paths, previous: previous,
        unchanged: EditScope.unchangedDocuments(inputs, edited: paths),
        markdownKeys: record.markdownKeys)
    }
    // The check phase also readies the staging folder (the recycled site, scanned).
    let staging: StagingFolder
    do {
      staging = try folder.beginStaging(
        previous: record?.manifest ?? OutputFolder.Manifest(),
        verified: edits != nil ? record?.outputs : nil)
    } catch {
      throw BuildFailure(diagnostics: [error], timings: [checkClock.lap("check")])
    }
    let check = checkClock.lap("check")
    let state: SiteState
    do {
      state = try generateState(
        writingPagesTo: staging, sourceFiles: inputs.map(BuildRecord.files(among:)), edits: edits,
        previousIndexes: record.map {
          PreviousSearchIndexes(
            records: $0.searchIndexes, output: edits != nil ? folder.output.path : nil)
        }, progress: progress)
    } catch {
      staging.discard()
      throw BuildFailure(diagnostics: error.diagnostics, timings: [check] + error.timings)
    }
    var timings = [check] + state.timings
    var clock = PhaseClock()
    progress?(BuildProgress(phase: "write", done: 0, total: state.derivedFiles.count))
    let report: OutputFolder.Report
    do {
      try staging.write(state.derivedFiles)
      report = try staging.publish()
    } catch {
      staging.discard()
      throw BuildFailure(diagnostics: state.diagnostics + [error], timings: timings)
    }
    let outputs = BuildRecord.stampOutputs(
      files: Array(report.manifest.files.keys) + [OutputFolder.markerName],
      folders: report.folders, in: folder.output.path, known: report.knownStamps)
    let newRecord = BuildRecord(
      settings: settings, inputs: outputs == nil ? nil : inputs, outputs: outputs ?? [],
      manifest: report.manifest, dependencies: state.dependencies,
      markdownKeys: state.markdownKeys, searchIndexes: state.searchIndexes,
      pageCount: state.pageCount,
      fileCount: report.files, diagnostics: state.diagnostics)
    folder.saveRecord(newRecord)
    timings.append(clock.lap("write"))
    if options.processEndsAfterBuild {
      Allocator.keepUntilExit([state, report, record, newRecord, staging] as [any Sendable])
    }
    return BuiltSite(
      pageCount: state.pageCount, renderedPages: state.pageCount - report.keptPages,
      files: report.files, changedFiles: report.changed, diagnostics: state.diagnostics,
      timings: timings, upToDate: false, scopedPages: state.scopedPages,
      updatedSearchIndexes: state.updatedSearchIndexes)
  }

  /// Runs every phase but writing; throws when any phase found an error.
  public func generate(
    progress: (@Sendable (BuildProgress) -> Void)? = nil
  ) throws(BuildFailure) -> GeneratedSite {
    try generateState(progress: progress).site
  }

  /// Source files of documents edited since the last build, and what that build's pages
  /// showed.
  struct EditedDocuments {
    var paths: [String]
    var previous: PageDependencies
    /// The other document files, unchanged since the last build: their documents come from
    /// the front matter cache without reading them, and their bodies' rendering from the
    /// Markdown cache by the key the last build recorded (`markdownKeys`).
    var unchanged: Set<String> = []
    var markdownKeys: [String: StableHasher.Digest] = [:]
  }

  /// Runs every phase but writing and keeps what they made, for ``IncrementalSite``.
  /// With `previous`, Markdown bodies and pages whose inputs did not change are taken from it
  /// instead of being rendered again, and with `previousSearchIndex` its search index too
  /// (the dev server makes it again in the background). `keepingParsedFiles` keeps what each
  /// source file gave, for the next generation. With `staging`, each page is written there as
  /// soon as it is rendered and not kept (the state's `pages` stay empty), with `edits`
  /// only the pages they reach may be made, and with `previousIndexes` a language's search
  /// index may be updated from the previous one. `sourceFiles` lists the site's files when
  /// the check phase did (``SourceTree/init(root:listing:)``).
  func generateState(
    previous: SiteState? = nil, previousSearchIndex: Bool = false,
    keepingParsedFiles: Bool = false, writingPagesTo staging: StagingFolder? = nil,
    sourceFiles: [String]? = nil, edits: EditedDocuments? = nil,
    previousIndexes: PreviousSearchIndexes? = nil,
    progress: (@Sendable (BuildProgress) -> Void)? = nil
  ) throws(BuildFailure) -> SiteState {
    var diagnostics: [Diagnostic] = []
    var timings: [PhaseTiming] = []
    var clock = PhaseClock()
    func fail() -> BuildFailure { BuildFailure(diagnostics: diagnostics, timings: timings) }

    // load
    progress?(BuildProgress(phase: "load", done: 0, total: 1))
    // In `build`, what the front matter gave comes from the cache file, which is written again
    // (in the background, complete before the build ends) when it changed.
    var frontMatterWriting: BackgroundTask<Void>?
    defer { _ = frontMatterWriting?.wait() }
    let loaded = load(
      &diagnostics, reusing: previous?.loaded.parsedFiles ?? (keepingParsedFiles ? .init() : nil),
      frontMatterCache: staging != nil, unread: edits?.unchanged ?? [], sourceFiles: sourceFiles,
      writing: &frontMatterWriting)
    timings.append(clock.lap("load"))
    guard var loaded, !diagnostics.contains(where: { $0.severity == .error }) else { throw fail() }

    // markdown
    progress?(BuildProgress(phase: "markdown", done: 0, total: loaded.content.documents.count))
    let renderer = MarkdownRenderer(
      options: MarkdownOptions(
        unsafeHTML: loaded.content.config.unsafeHTML, basePath: loaded.content.config.basePath))
    var rendered: [RenderedMarkdown?]
    var built = BuiltMarkdown()
    var markdownKeys: [String: StableHasher.Digest] = [:]
    if staging != nil {
      built = renderMarkdown(
        loaded.content.documents, renderer: renderer,
        cachedIn: MarkdownCache.url(root: options.root.standardizedFileURL),
        bodiesUnread: loaded.bodiesUnread, recordedKeys: edits?.markdownKeys ?? [:],
        &diagnostics)
      rendered = built.rendered
      built.rendered = []
      markdownKeys = built.keys
    } else {
      rendered = renderMarkdown(
        loaded.content.documents, renderer: renderer,
        previous: previous?.renderer.options == renderer.options ? previous : nil, &diagnostics)
    }
    // The cache file is complete before the build ends, whichever way it ends.
    defer { _ = built.cacheWriting?.wait() }
    var bodies: DocumentBodies?
    if staging != nil {
      // Only a next generation (serve) compares Markdown sources; a build frees them here,
      // and releases each body's HTML once its page is written.
      for position in loaded.content.documents.indices {
        loaded.content.documents[position].body = ""
      }
      bodies = DocumentBodies(taking: &rendered, cached: built.cached, file: built.file)
    }
    let content = loaded.content
    timings.append(clock.lap("markdown"))

    // assemble
    let routes = Routes(defaultLanguage: content.config.defaultLanguage)
    let values = ModelValues(
      content: content, routes: routes, rendered: rendered,
      cases: TranslationGroups(
        documents: content.documents, kind: .caseStudy, index: content.index),
      posts: TranslationGroups(documents: content.documents, kind: .post, index: content.index),
      bodies: bodies)
    let assembler = PageAssembler(values: values, translations: loaded.translations)
    let (assets, assetNames) = loaded.theme.fingerprintedAssets()
    let routeCheck = RouteCheck(content: content, routes: routes)
    var jobs: [PageJob] = []
    if staging == nil {
      jobs = assembler.jobs()
      diagnostics += routeCheck.collisions(pages: jobs.map(\.path), otherFiles: Array(assets.keys))
    } else {
      // `build` makes its pages batch by batch as it renders them (``writePages``).
      diagnostics += routeCheck.documentCollisions()
    }
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
    // The search index and the open-data files are made beside the render phase (they need
    // only the model), the index unless the previous one is kept. In `build`, a language's
    // index made from the same documents as the last build's is carried over.
    let indexing =
      previousSearchIndex
      ? nil
      : BackgroundTask { [edits] in
        @Sendable func make(_ language: String) -> SearchIndexes {
          var index = SearchIndexes()
          let documents = SearchDocuments(values: values).documents(for: language)
          if let staging {
            index.make(
              IndexedDocuments(consume documents), language: language, into: staging,
              previous: previousIndexes)
          } else {
            index.derived.add(Self.searchIndex(documents, language: language), writingTo: nil)
          }
          return index
        }
        let languages = content.config.languages
        // After edits, few pages are made and the build waits for the indexes: each language's
        // is updated on its own thread. From scratch, they are made one after the other, so
        // that one language's index is in memory at a time.
        return SearchIndexes(
          merging: edits != nil ? languages.parallelMap(make) : languages.map(make))
      }
    let exporting = BackgroundTask { [self] in
      let (files, problems) = dataExports(values, assets: assets)
      var exports = DerivedFiles(problems: problems)
      exports.add(files, writingTo: staging)
      return exports
    }
    let renderInputs = RenderInputs(
      loaded: loaded, assetNames: assetNames, markdown: renderer.options)
    let reusable = previous.flatMap { $0.renderInputs == renderInputs ? $0 : nil }
    let pages: [Data]
    var pagePaths: [String]
    var dependencies: PageDependencies?
    var scopedPages: Int?
    if let staging {
      let key = PageKey(renderInputs, known: values.sharedValues(), lazily: edits != nil)
      let scope = edits.flatMap {
        EditScope(edited: $0.paths, previous: $0.previous, values: values, key: key)
      }
      let written = writePages(
        assembler.batches(), library: library, loaded: loaded, key: key, into: staging,
        releasing: values.bodies, scope: scope, progress: progress, &diagnostics)
      (pagePaths, pages) = (written.pagePaths, [])
      if values.bodies?.hadUnreadableBody == true {
        // Damaged: the next build renders every body again.
        let cache = MarkdownCache.url(root: options.root.standardizedFileURL)
        unlink(cache.path)
        diagnostics.append(
          .error("a body could not be read from \(cache.path), now deleted: build again"))
      }
      if let scope {
        if written.scopeHeld {
          scopedPages = scope.pages.count
          dependencies = scope.dependencies
        }
      } else {
        dependencies = PageDependencies(
          pagePaths: written.pagePaths, batchSizes: written.batchSizes, shownBy: written.shownBy,
          documents: DocumentTrace.traces(of: values, key: key),
          order: DocumentTrace.order(of: values))
      }
      diagnostics += routeCheck.staticFileCollisions(
        pages: pagePaths, otherFiles: Array(assets.keys))
      // Making the batches is assembling: the phase times say so.
      var render = clock.lap("render")
      render.seconds -= written.assembling.seconds
      render.cpuSeconds = render.cpuSeconds.map { $0 - (written.assembling.cpuSeconds ?? 0) }
      timings[timings.count - 1].seconds += written.assembling.seconds
      timings[timings.count - 1].cpuSeconds? += written.assembling.cpuSeconds ?? 0
      timings.append(render)
    } else {
      pagePaths = jobs.map(\.path)
      pages = renderPages(
        jobs, library: library, loaded: loaded, previous: reusable, progress: progress,
        &diagnostics)
      timings.append(clock.lap("render"))
    }
    guard !diagnostics.contains(where: { $0.severity == .error }) else {
      // The threads beside the render phase may still be writing into the staging folder,
      // which the failed build removes: they finish first.
      _ = indexing?.wait()
      _ = exporting.wait()
      diagnostics = DiagnosticList(diagnostics).sorted
      throw fail()
    }

    // index (the wait for it after the render phase; "(index)" is its own time)
    progress?(BuildProgress(phase: "index", done: 0, total: content.config.languages.count))
    let searchIndex: [OutputFile]
    var searchIndexRecords: [String: SearchIndexRecord] = [:]
    var updatedSearchIndexes: [String] = []
    if let indexing {
      let index = indexing.wait()
      searchIndex = index.result.derived.files
      searchIndexRecords = index.result.records
      updatedSearchIndexes = index.result.updated
      diagnostics += index.result.derived.problems
      timings.append(clock.lap("index"))
      timings.append(PhaseTiming(phase: "(index)", seconds: index.seconds))
    } else {
      searchIndex =
        previous?.derivedFiles.filter { $0.path.hasPrefix(Self.searchIndexFolder) } ?? []
      timings.append(clock.lap("index"))
    }

    // export (the wait for the open-data files; "(export)" is their own time)
    let exported = exporting.wait()
    var files = exported.result.files
    diagnostics += exported.result.problems
    files.append(Exports(values: values).sitemap(pagePaths: pagePaths))
    timings.append(clock.lap("export"))
    timings.append(PhaseTiming(phase: "(export)", seconds: exported.seconds))
    if !content.config.hasExplicitBaseURL {
      diagnostics.append(
        .warning(
          "no base_url in proximus.yml: the feed, sitemap and canonical links use \(SiteConfig.defaultBaseURL)"
        ))
    }
    guard !diagnostics.contains(where: { $0.severity == .error }) else { throw fail() }
    files = searchIndex + files
    return SiteState(
      options: options, loaded: loaded, renderer: renderer, values: values,
      library: library, renderInputs: renderInputs, jobs: jobs, pages: pages,
      pageCount: pagePaths.count, dependencies: dependencies, scopedPages: scopedPages,
      markdownKeys: markdownKeys, searchIndexes: searchIndexRecords,
      updatedSearchIndexes: updatedSearchIndexes,
      derivedFiles: files,
      diagnostics: DiagnosticList(diagnostics).sorted, timings: timings)
  }

  /// The markdown phase: every body, in parallel; bodies unchanged since `previous` are reused.
  func renderMarkdown(
    _ documents: [Document], renderer: MarkdownRenderer, previous: SiteState?,
    _ diagnostics: inout [Diagnostic]
  ) -> [RenderedMarkdown?] {
    let earlier = previous?.renderedBySource ?? [:]
    let results = documents.parallelMap { document -> Result<RenderedMarkdown, Diagnostic> in
      if let (body, language, markdown) = earlier[document.sourcePath],
        body == document.body, language == document.language
      {
        return .success(markdown)
      }
      return Self.renderMarkdown(document, renderer: renderer)
    }
    var rendered: [RenderedMarkdown?] = []
    rendered.reserveCapacity(results.count)
    for result in results {
      switch result {
      case .success(let value): rendered.append(value)
      case .failure(let problem):
        diagnostics.append(problem)
        rendered.append(nil)
      }
    }
    return rendered
  }

  /// What the Markdown phase of `build` made.
  struct BuiltMarkdown {
    /// Each document's rendering; for a body from the cache, without its HTML.
    var rendered: [RenderedMarkdown?] = []
    /// Where the HTML of each body from the cache lies in `file`.
    var cached: [CachedHTML?] = []
    var file: MarkdownCacheFile?
    /// The task writing the cache file again, when it changed: the caller waits for it.
    var cacheWriting: BackgroundTask<Void>?
    /// Source path → the cache key of its document's body, for the next build's record.
    var keys: [String: StableHasher.Digest] = [:]
  }

  /// The markdown phase of `build`: bodies that ``MarkdownCache`` holds are taken from it, the
  /// others rendered, in parallel. What the cache missed is appended to its file, on its own
  /// thread; the file is written anew when it has no entries yet or when those this build did
  /// not use outnumber half of those it did.
  ///
  /// The load phase read no body of the documents `bodiesUnread` names (their files did not
  /// change since the last build): each is taken from the cache by the key `recordedKeys` gives,
  /// or else read from its file now.
  func renderMarkdown(
    _ documents: [Document], renderer: MarkdownRenderer, cachedIn url: URL,
    bodiesUnread: Set<String> = [], recordedKeys: [String: StableHasher.Digest] = [:],
    _ diagnostics: inout [Diagnostic]
  ) -> BuiltMarkdown {
    let identity = MarkdownCache.identity(renderer.options)
    let cache = MarkdownCache(reading: url, identity: identity)
    let results = documents.parallelMap {
      document -> (
        key: StableHasher.Digest, result: Result<RenderedMarkdown, Diagnostic>, cached: CachedHTML?
      ) in
      var document = document
      if bodiesUnread.contains(document.sourcePath) {
        if let key = recordedKeys[document.sourcePath], let cached = cache[key] {
          return (key, .success(cached.markdown), cached.html)
        }
        switch FrontMatter.body(
          ofFileAt: document.sourcePath, root: options.root.standardizedFileURL)
        {
        case .success(let body): document.body = body
        case .failure(let problem):
          return (StableHasher.Digest(high: 0, low: 0), .failure(problem), nil)
        }
      }
      let key = MarkdownCache.key(body: document.body, language: document.language)
      if let cached = cache[key] { return (key, .success(cached.markdown), cached.html) }
      return (key, Self.renderMarkdown(document, renderer: renderer), nil)
    }
    var built = BuiltMarkdown(file: cache.file)
    built.rendered.reserveCapacity(results.count)
    built.cached.reserveCapacity(results.count)
    built.keys.reserveCapacity(results.count)
    var entries: [MarkdownCache.NewEntry] = []
    var missed: [MarkdownCache.NewEntry] = []
    var keys: Set<StableHasher.Digest> = []
    for (document, (key, result, cached)) in zip(documents, results) {
      switch result {
      case .success(let value):
        built.rendered.append(value)
        built.cached.append(cached)
        built.keys[document.sourcePath] = key
        if keys.insert(key).inserted {
          let entry = MarkdownCache.NewEntry(key: key, markdown: value, cached: cached)
          entries.append(entry)
          if cached == nil { missed.append(entry) }
        }
      case .failure(let problem):
        diagnostics.append(problem)
        built.rendered.append(nil)
        built.cached.append(nil)
      }
    }
    if entries.isEmpty && cache.count == 0 { return built }
    let hits = entries.count - missed.count
    let unused = cache.count - hits
    if cache.count == 0 || unused > hits / 2 {
      built.cacheWriting = BackgroundTask { [entries, file = cache.file] in
        MarkdownCache.write(entries, from: file, identity: identity, to: url, mode: .replacing)
      }
    } else if !missed.isEmpty {
      built.cacheWriting = BackgroundTask { [missed] in
        MarkdownCache.write(missed, identity: identity, to: url, mode: .appending)
      }
    }
    return built
  }

  /// One body, with problems located in the document's file.
  static func renderMarkdown(_ document: Document, renderer: MarkdownRenderer)
    -> Result<RenderedMarkdown, Diagnostic>
  {
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

  /// The render phase: every page, in parallel, in chunks so progress can be shown. A page
  /// whose template, language and context equal those of `previous` keeps its output.
  func renderPages(
    _ jobs: [PageJob], library: TemplateLibrary, loaded: LoadedSite, previous: SiteState?,
    progress: (@Sendable (BuildProgress) -> Void)?, _ diagnostics: inout [Diagnostic]
  ) -> [Data] {
    let earlier = previous?.pageIndex ?? [:]
    var pages: [Data] = []
    pages.reserveCapacity(jobs.count)
    for start in stride(from: 0, to: jobs.count, by: 500) {
      let chunk = jobs[start..<min(start + 500, jobs.count)]
      let results = chunk.parallelMap { job -> Result<Data, DiagnosticList> in
        if let previous, let position = earlier[job.path] {
          let before = previous.jobs[position]
          if before.template == job.template, before.language == job.language,
            before.context == job.context
          {
            return .success(previous.pages[position])
          }
        }
        return Self.render(job, library: library, loaded: loaded).map { Data($0) }
      }
      for result in results {
        switch result {
        case .success(let page): pages.append(page)
        case .failure(let problems):
          diagnostics += problems.diagnostics
          pages.append(Data())
        }
      }
      progress?(BuildProgress(phase: "render", done: chunk.endIndex, total: jobs.count))
    }
    return pages
  }

  /// What ``writePages`` wrote.
  struct WrittenPages {
    /// Every page's path, in the order of the batches.
    var pagePaths: [String] = []
    var batchSizes: [Int] = []
    /// Document URL → the pages showing it; empty in a scoped build, which keys only the pages
    /// of its scope.
    var shownBy: [String: [Int32]] = [:]
    /// False when a batch made in a scoped build did not make the pages the scope expected:
    /// the previous dependencies no longer describe the site.
    var scopeHeld = true
    /// The time spent making the batches.
    var assembling = PhaseTiming(phase: "assemble", seconds: 0, cpuSeconds: 0)
  }

  /// The render phase of `build`: the pages are made batch by batch (``PageAssembler/batches()``)
  /// and each goes into the staging folder as soon as it is rendered, so the build holds no
  /// page output and, at its peak, the contexts of two batches (the one rendered and the next,
  /// made beside it); the bodies of the documents a batch showed are released after it. A page
  /// whose ``PageKey`` equals the previous build's is linked over from the previous output
  /// without being rendered.
  ///
  /// With a `scope`, a page out of the scope is linked over without being keyed, and a batch
  /// holding none of the scope's pages is not made.
  func writePages(
    _ batches: [@Sendable () -> [PageJob]], library: TemplateLibrary, loaded: LoadedSite,
    key: PageKey, into staging: StagingFolder, releasing bodies: DocumentBodies?,
    scope: EditScope?, progress: (@Sendable (BuildProgress) -> Void)?,
    _ diagnostics: inout [Diagnostic]
  ) -> WrittenPages {
    var written = WrittenPages()
    // Without a scope every batch is made, one ahead: the next batch's contexts are made
    // beside the rendering of this one, so the parts of making a batch that run on one thread
    // (list pages, the map page) and the end of a batch whose last pages are large do not leave
    // cores idle. An edit build decides batch by batch whether a batch is made at all.
    var ahead: BackgroundTask<[PageJob]>?
    for (number, makeBatch) in batches.enumerated() {
      progress?(BuildProgress(phase: "render", done: number, total: batches.count))
      let first = written.pagePaths.count
      // The batch's pages in the previous build, by their index there.
      var expected: (range: Range<Int>, paths: ArraySlice<String>)?
      // Pages of a batch out of the scope that were linked over before another of its pages
      // could not be: the batch is made for that one.
      var kept: Set<String> = []
      if let scope, number < scope.batchRanges.count {
        let range = scope.batchRanges[number]
        let paths = scope.previous.pagePaths[range]
        expected = (range, paths)
        if !scope.batches.contains(number) {
          let keptPaths = paths.parallelMap { path -> String? in
            staging.keepPage(Routes.outputFile(for: path)) ? path : nil
          }
          kept = Set(keptPaths.compactMap { $0 })
          if kept.count == paths.count {
            written.pagePaths += paths
            written.batchSizes.append(paths.count)
            continue
          }
        }
      }
      var clock = PhaseClock()
      let batch = ahead?.wait().result ?? makeBatch()
      ahead = nil
      if scope == nil, number + 1 < batches.count {
        ahead = BackgroundTask(batches[number + 1])
      }
      // Only the wait for a batch made ahead counts as assembling; making it beside the render
      // of the previous batch counts as rendering.
      let made = clock.lap("assemble")
      written.assembling.seconds += made.seconds
      written.assembling.cpuSeconds? += made.cpuSeconds ?? 0
      let pagePaths = batch.map(\.path)
      let documents = batch.compactMap(\.document)
      // A page is out of the scope only if the batch made the very pages the scope was found
      // from; its index is then its index in the previous build.
      let previousStart =
        expected.flatMap { $0.paths.elementsEqual(pagePaths) ? $0.range.lowerBound : nil }
      let keptPaths = kept
      // Each job is freed by the thread that rendered it: a batch's contexts are tens of
      // thousands of small dictionaries, which the main thread alone took 0.2 s to free at 10k.
      let results = (consume batch).parallelMapConsuming {
        position, job -> ([Diagnostic], [String]?) in
        let path = Routes.outputFile(for: job.path)
        if keptPaths.contains(job.path) || staging.hasFailed { return ([], nil) }
        if let scope, let previousStart, !scope.pages.contains(previousStart + position),
          staging.keepPage(path)
        {
          return ([], nil)
        }
        var shown: [String]? = scope == nil ? [] : nil
        let pageKey = key.key(of: job, shown: &shown)
        if staging.keepPage(path, key: pageKey) { return ([], shown) }
        do throws(Diagnostic) {
          switch Self.render(job, library: library, loaded: loaded) {
          case .success(let page): try staging.writePage(path, page, key: pageKey)
          case .failure(let problems): return (problems.diagnostics, shown)
          }
        } catch {
          return ([error], shown)
        }
        return ([], shown)
      }
      if scope != nil, previousStart == nil { written.scopeHeld = false }
      for (position, (problems, shown)) in results.enumerated() {
        diagnostics += problems
        // A page may show a document more than once: it is listed once under it.
        let page = Int32(first + position)
        for url in shown ?? [] { Self.appendOnce(page, to: &written.shownBy[url, default: []]) }
      }
      bodies?.release(documents)
      written.pagePaths += pagePaths
      written.batchSizes.append(pagePaths.count)
    }
    progress?(BuildProgress(phase: "render", done: batches.count, total: batches.count))
    return written
  }

  /// Files made beside the render phase. In `build` they go into the staging folder as soon
  /// as they are made, so the build does not hold them until its write phase (at 100,000 cases
  /// the search index and open data are 260 MB); `serve` keeps them.
  struct DerivedFiles: Sendable {
    var files: [OutputFile] = []
    var problems: [Diagnostic] = []

    mutating func add(_ made: [OutputFile], writingTo staging: StagingFolder?) {
      guard let staging else {
        files += made
        return
      }
      do throws(Diagnostic) {
        try staging.write(made)
      } catch {
        problems.append(error)
      }
    }
  }

  /// The search indexes of the last build into the same output folder.
  struct PreviousSearchIndexes {
    /// Language → what its index was made from.
    var records: [String: SearchIndexRecord]
    /// The output folder, when it is known to hold the files as that build left them: only
    /// then is an index updated from them.
    var output: String?
  }

  /// The search index of every language, written into the staging folder as it is made.
  struct SearchIndexes: Sendable {
    var derived = DerivedFiles()
    /// Language → what its index was made from, for the next build's record.
    var records: [String: SearchIndexRecord] = [:]
    /// The languages whose index was updated rather than made again.
    var updated: [String] = []

    /// The indexes of several languages as one.
    init(merging parts: [SearchIndexes]) {
      for part in parts {
        derived.files += part.derived.files
        derived.problems += part.derived.problems
        records.merge(part.records) { first, _ in first }
        updated += part.updated
      }
    }

    init() {}

    /// Carries the previous index over when it was made from the same documents, else updates
    /// it when ``SearchIndexBuilder/update(_:previous:reading:)`` can, else builds it.
    mutating func make(
      _ indexed: IndexedDocuments, language: String, into staging: StagingFolder,
      previous: PreviousSearchIndexes?
    ) {
      let folder = "\(searchIndexFolder)\(language)/"
      let key = SearchDocuments.key(indexed, language: language)
      let record = previous?.records[language]
      if staging.keepFiles(under: folder, key: key) {
        records[language] = record
        return
      }
      let builder = SearchIndexBuilder(language: language)
      var built: BuiltIndex?
      if let record, let output = previous?.output {
        built = builder.update(indexed, previous: record) {
          FileManager.default.contents(atPath: "\(output)/\(folder)\($0)")
        }
        if built != nil { updated.append(language) }
      }
      let made = built ?? builder.build(indexed)
      let problems = derived.problems.count
      derived.add(SiteBuilder.searchIndexFiles(made.files, language: language), writingTo: staging)
      if derived.problems.count == problems {
        staging.recordKey(key, ofFilesUnder: folder)
        records[language] = made.record
      }
    }
  }

  /// Appends `page` unless it is the last of `pages` already (one dictionary access).
  private static func appendOnce(_ page: Int32, to pages: inout [Int32]) {
    if pages.last != page { pages.append(page) }
  }

  /// One page through its template.
  static func render(_ job: PageJob, library: TemplateLibrary, loaded: LoadedSite)
    -> Result<[UInt8], DiagnosticList>
  {
    let config = loaded.content.config
    let environment = RenderEnvironment(
      language: job.language, basePath: config.basePath, baseURL: config.baseURL,
      translations: loaded.translations[job.language] ?? [:])
    do throws(DiagnosticList) {
      return .success(
        try library.render(job.template, context: job.context, environment: environment))
    } catch {
      return .failure(error)
    }
  }

  /// What turns sources into output besides the site's own files: this executable and the
  /// cmark-gfm library it renders Markdown with. Files kept for a next build name it, so that
  /// a new version of either is never taken for the one that wrote them.
  static let toolIdentity =
    "executable \(PageKey.executableIdentity)\ncmark-gfm \(MarkdownRenderer.engineVersion)"

  static let searchIndexFolder = "search/index/"

  /// The search index of one language, from its documents (``SearchDocuments``).
  static func searchIndex(_ documents: [SearchDocument], language: String) -> [OutputFile] {
    searchIndexFiles(SearchIndexBuilder(language: language).build(documents), language: language)
  }

  /// A language's index files, in its folder.
  static func searchIndexFiles(_ files: [IndexFile], language: String) -> [OutputFile] {
    files.map {
      OutputFile(path: "\(searchIndexFolder)\(language)/\($0.path)", contents: $0.contents)
    }
  }

  /// The export phase: open data, feed, sitemap, robots.txt, theme assets, images beside
  /// documents and `content/static/`.
  func exports(
    _ values: ModelValues, pagePaths: [String], assets: [String: Data],
    _ diagnostics: inout [Diagnostic]
  ) -> [OutputFile] {
    let (files, problems) = dataExports(values, assets: assets)
    diagnostics += problems
    return files + [Exports(values: values).sitemap(pagePaths: pagePaths)]
  }

  /// What the export phase makes from the model alone: every file but the sitemap.
  func dataExports(_ values: ModelValues, assets: [String: Data])
    -> (files: [OutputFile], problems: [Diagnostic])
  {
    let config = values.content.config
    var files: [OutputFile] = []
    var diagnostics: [Diagnostic] = []
    let exports = Exports(values: values)
    let records = exports.caseRecords()
    files.append(OutputFile(path: "data/cases.json", contents: exports.casesJSON(records)))
    files.append(OutputFile(path: "data/localities.geojson", contents: exports.localitiesGeoJSON()))
    files.append(OutputFile(path: "data/cases.csv", contents: exports.casesCSV(records)))
    files.append(OutputFile(path: "feed.xml", contents: exports.feed(title: config.title)))
    files.append(OutputFile(path: "robots.txt", contents: exports.robots()))
    for (path, data) in assets.sorted(by: { $0.key < $1.key }) {
      files.append(OutputFile(path: path, contents: data))
    }
    let (images, imageProblems) = ImageResources.files(values: values, root: options.root)
    files += images
    diagnostics += imageProblems
    for file in values.content.staticFiles {
      guard let data = FileManager.default.contents(atPath: file.absolutePath) else {
        diagnostics.append(
          .error("cannot read this file", at: SourceLocation(file: file.path, line: 0)))
        continue
      }
      files.append(
        OutputFile(path: String(file.path.dropFirst("content/static/".count)), contents: data))
    }
    return (files, diagnostics)
  }

  struct LoadedSite: Sendable {
    var content: SiteContent
    var theme: Theme
    var templates: [TemplateSource]
    var translations: [String: [String: String]]
    /// Kept only for ``IncrementalSite``.
    var parsedFiles: ContentLoader.ParsedFiles?
    /// Documents whose files were not read (``ContentLoader/load(reusing:unread:)``): their
    /// bodies are empty.
    var bodiesUnread: Set<String> = []
  }

  /// The load phase: config, theme and content.
  /// Files whose front matter is unchanged since `previous` are not parsed again; without
  /// `previous` nothing is kept for a next load. With `frontMatterCache`, `previous` is the
  /// ``FrontMatterCache`` file, and `writing` is set to the task writing it again when it
  /// changed. The document files `unread` names, unchanged since the last build, are not read
  /// when the cache holds them (``ContentLoader/load(reusing:unread:)``). `sourceFiles`: the
  /// site's files, when the check phase listed them.
  func load(
    _ diagnostics: inout [Diagnostic], reusing previous: ContentLoader.ParsedFiles? = nil,
    frontMatterCache: Bool = false, unread: Set<String> = [], sourceFiles: [String]? = nil,
    writing: inout BackgroundTask<Void>?
  ) -> LoadedSite? {
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
    let tree = sourceFiles.map { SourceTree(root: root, listing: $0) } ?? SourceTree(root: root)
    let loader = ContentLoader(
      tree: tree, config: config, includeDrafts: options.includeDrafts)
    let cacheURL = FrontMatterCache.url(root: root)
    let identity = FrontMatterCache.identity(languages: config.languages)
    let reused = frontMatterCache ? FrontMatterCache.read(cacheURL, identity: identity) : previous
    let (content, contentProblems, parsedFiles, bodiesUnread) = loader.load(
      reusing: reused, unread: unread)
    diagnostics += contentProblems
    if frontMatterCache, let parsedFiles,
      parsedFiles.parsedCount > 0 || parsedFiles.files.count != reused?.files.count
    {
      writing = BackgroundTask {
        FrontMatterCache.write(parsedFiles, identity: identity, to: cacheURL)
      }
    }
    return LoadedSite(
      content: content, theme: theme, templates: templates, translations: translations,
      parsedFiles: frontMatterCache ? nil : parsedFiles, bodiesUnread: bodiesUnread)
  }
}

/// Measures phases one after the other.
struct PhaseClock {
  private var last = DispatchTime.now()
  private var lastUsage = Self.usage()

  mutating func lap(_ phase: String) -> PhaseTiming {
    let now = DispatchTime.now()
    let usage = Self.usage()
    defer { (last, lastUsage) = (now, usage) }
    return PhaseTiming(
      phase: phase, seconds: Double(now.uptimeNanoseconds - last.uptimeNanoseconds) / 1e9,
      cpuSeconds: usage.flatMap { now in lastUsage.map { now.cpuSeconds - $0.cpuSeconds } },
      peakMemory: usage?.peakMemory)
  }

  /// What `getrusage` says of the whole process.
  private struct Usage {
    /// User and system time of every thread so far.
    var cpuSeconds: Double
    /// Peak resident set size so far (`getrusage` reports kilobytes on Linux).
    var peakMemory: Int
  }

  private static func usage() -> Usage? {
    var usage = rusage()
    guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return nil }
    func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
    return Usage(
      cpuSeconds: seconds(usage.ru_utime) + seconds(usage.ru_stime),
      peakMemory: Int(usage.ru_maxrss) * 1024)
  }
}
