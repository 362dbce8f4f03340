import Content
import Diagnostics
import Foundation
import Markdown
import Parallelism
import Search
import Templates

/// What one generation made, kept so that the next change re-renders only what depends on it.
struct SiteState: Sendable {
  var options: BuildOptions
  var loaded: SiteBuilder.LoadedSite
  var renderer: MarkdownRenderer
  /// The documents and their Markdown, as now (`loaded.content` keeps no documents, so that
  /// replacing one copies no array).
  var values: ModelValues
  var library: TemplateLibrary
  var renderInputs: RenderInputs
  /// Every page with its context; `build` keeps none (it writes each page as it goes).
  var jobs: [PageJob]
  /// The output of each job, in the same order.
  var pages: [Data]
  let pageCount: Int
  /// What the pages showed (`build` only), for the next build's record.
  let dependencies: PageDependencies?
  /// ``BuiltSite/scopedPages``.
  let scopedPages: Int?
  /// Source path → the Markdown cache key of its document's body (`build` only), for the next
  /// build's record.
  let markdownKeys: [String: StableHasher.Digest]
  /// What each language's search index was made from (`build` only), for the next build's
  /// record.
  let searchIndexes: [String: SearchIndexRecord]
  /// ``BuiltSite/updatedSearchIndexes``.
  let updatedSearchIndexes: [String]
  /// Every other file: search index, open data, feed, sitemap, assets, images, static files.
  var derivedFiles: [OutputFile]
  var diagnostics: [Diagnostic]
  var timings: [PhaseTiming]
  /// Page path → job index.
  let pageIndex: [String: Int]
  /// Source path → document index.
  let documentIndex: [String: Int]

  init(
    options: BuildOptions, loaded: SiteBuilder.LoadedSite, renderer: MarkdownRenderer,
    values: ModelValues, library: TemplateLibrary,
    renderInputs: RenderInputs, jobs: [PageJob], pages: [Data], pageCount: Int,
    dependencies: PageDependencies?, scopedPages: Int?,
    markdownKeys: [String: StableHasher.Digest] = [:],
    searchIndexes: [String: SearchIndexRecord] = [:], updatedSearchIndexes: [String] = [],
    derivedFiles: [OutputFile],
    diagnostics: [Diagnostic],
    timings: [PhaseTiming]
  ) {
    self.options = options
    self.loaded = loaded
    self.loaded.content.documents = []
    self.renderer = renderer
    self.values = values
    self.library = library
    self.renderInputs = renderInputs
    self.jobs = jobs
    self.pages = pages
    self.pageCount = pageCount
    self.dependencies = dependencies
    self.scopedPages = scopedPages
    self.markdownKeys = markdownKeys
    self.searchIndexes = searchIndexes
    self.updatedSearchIndexes = updatedSearchIndexes
    self.derivedFiles = derivedFiles
    self.diagnostics = diagnostics
    self.timings = timings
    pageIndex = Dictionary(
      jobs.indices.map { (jobs[$0].path, $0) }, uniquingKeysWith: { first, _ in first })
    documentIndex = Dictionary(
      values.documents.indices.map { (values.documents[$0].sourcePath, $0) },
      uniquingKeysWith: { first, _ in first })
  }

  var documents: [Document] { values.documents }
  var rendered: [RenderedMarkdown?] { values.rendered }

  /// Source path → the body, language and rendering of each document.
  var renderedBySource: [String: (String, String, RenderedMarkdown)] {
    var bySource: [String: (String, String, RenderedMarkdown)] = [:]
    for (position, document) in documents.enumerated() {
      if let markdown = rendered[position] {
        bySource[document.sourcePath] = (document.body, document.language, markdown)
      }
    }
    return bySource
  }

  var site: GeneratedSite {
    var files = zip(jobs, pages).map {
      OutputFile(path: Routes.outputFile(for: $0.path), contents: $1)
    }
    files += derivedFiles
    var sources: [String: String] = [:]
    for document in documents {
      sources[Routes.outputFile(for: values.routes.document(document))] = document.sourcePath
    }
    return GeneratedSite(
      files: files, pageCount: jobs.count, sources: sources,
      baseURL: values.content.config.baseURL, diagnostics: diagnostics, timings: timings)
  }
}

/// Everything besides a page's context that its output depends on: when these are equal
/// between two generations, a page with an equal context has equal output.
struct RenderInputs: Sendable, Equatable {
  var templates: [TemplateSource]
  var translations: [String: [String: String]]
  var assetNames: [String: String]
  var markdown: MarkdownOptions
  var basePath: String
  var baseURL: String

  init(loaded: SiteBuilder.LoadedSite, assetNames: [String: String], markdown: MarkdownOptions) {
    templates = loaded.templates
    translations = loaded.translations
    self.assetNames = assetNames
    self.markdown = markdown
    basePath = loaded.content.config.basePath
    baseURL = loaded.content.config.baseURL
  }
}

/// A site generated in memory together with what made it, for `serve`.
///
/// An edit that keeps a document in its place (the usual save while writing: its text, title,
/// description, status or links, but not its URL, date, language or cited ids) re-renders the
/// document's page, its other versions' pages and the pages that show its card (lists, places,
/// topics, factors, related cases, previous and next), found through a map from each
/// document's URL to the pages whose context shows it. The search index and exports, which
/// read every document, follow in ``derivedFiles()``. Any other change (files created or
/// deleted, cited ids, data, templates, config) runs every phase again, reusing the Markdown
/// and the pages whose inputs did not change; the search index follows in the same way.
public struct IncrementalSite: Sendable {
  var state: SiteState
  /// Document URL → indices of the jobs whose context shows that document.
  var dependents: [String: [Int]]

  /// The first generation.
  public init(options: BuildOptions) throws(BuildFailure) {
    state = try SiteBuilder(options: options).generateState(keepingParsedFiles: true)
    dependents = Self.dependents(of: state.jobs)
  }

  public var site: GeneratedSite { state.site }
  public var pageCount: Int { state.jobs.count }

  /// What ``update(changed:)`` did.
  public enum Update: Sendable {
    /// Only these pages changed; the search index and exports wait for
    /// ``derivedFiles()``.
    case pages([OutputFile])
    /// Every phase ran again, but the search index is the previous one until
    /// ``derivedFiles()``.
    case site(GeneratedSite)
  }

  /// Applies changes to the sources (paths relative to the root). On failure the site stays
  /// as it was, so the next update still starts from the last good generation.
  public mutating func update(changed: [String]) throws(BuildFailure) -> Update {
    if let pages = updateDocuments(changed) { return .pages(pages) }
    state = try SiteBuilder(options: state.options).generateState(
      previous: state, previousSearchIndex: true)
    dependents = Self.dependents(of: state.jobs)
    return .site(state.site)
  }

  /// The search index and exports of the current documents, made again after an update.
  public func derivedFiles() -> [OutputFile]? {
    derivedSources().files()
  }

  /// What the search index and exports are made from, in storage of its own: the site can be
  /// updated in place while they are made from it. Copies arrays of the size of the site, so
  /// call it off the path of a save.
  public func derivedSources() -> DerivedSources {
    var values = state.values
    values.copyStorage()
    return DerivedSources(
      options: state.options, values: values, pagePaths: state.jobs.map(\.path),
      theme: state.loaded.theme)
  }

  /// The inputs of the search index and exports.
  public struct DerivedSources: Sendable {
    let options: BuildOptions
    let values: ModelValues
    let pagePaths: [String]
    let theme: Theme

    /// The files; nil when the task running it is cancelled (checked between languages), so
    /// a stale refresh gives the cores back early.
    public func files() -> [OutputFile]? {
      var files: [OutputFile] = []
      for language in values.content.config.languages {
        if Task.isCancelled { return nil }
        files += SiteBuilder.searchIndex(
          SearchDocuments(values: values).documents(for: language), language: language)
      }
      if Task.isCancelled { return nil }
      var diagnostics: [Diagnostic] = []
      return files
        + SiteBuilder(options: options).exports(
          values, pagePaths: pagePaths, assets: theme.fingerprintedAssets().files, &diagnostics)
    }
  }

  /// Installs what ``derivedFiles()`` made from this same generation; returns the files it
  /// replaces.
  @discardableResult
  public mutating func replaceDerivedFiles(_ files: [OutputFile]) -> [OutputFile] {
    defer { state.derivedFiles = files }
    return state.derivedFiles
  }

  // MARK: Edits that keep documents in place

  /// Re-renders what edits of documents affect, when each edit keeps the document in its place
  /// (``keepsPlace(_:_:)``); otherwise returns nil and the caller runs every phase. Works in
  /// place: when the site is not shared, no array of the size of the site is copied.
  private mutating func updateDocuments(_ changed: [String]) -> [OutputFile]? {
    let loader = ContentLoader(
      tree: SourceTree(root: state.options.root.standardizedFileURL),
      config: state.values.content.config, includeDrafts: state.options.includeDrafts)
    var edits: [(position: Int, document: Document, markdown: RenderedMarkdown)] = []
    for path in Set(changed).sorted() {
      guard let position = state.documentIndex[path] else { return nil }
      let before = state.documents[position]
      guard let (reloaded, problems) = loader.reloadDocument(at: path, kind: before.kind),
        let document = reloaded, Self.keepsPlace(document, before)
      else { return nil }
      var sameFrontMatter = document
      sameFrontMatter.body = before.body
      if sameFrontMatter == before {
        // Warnings of an unchanged front matter are those already reported.
        guard !problems.contains(where: { $0.severity == .error }) else { return nil }
        if document.body == before.body { continue }
      } else {
        // New warnings go through a whole build, which reports them.
        guard problems.isEmpty, !state.diagnostics.contains(where: { $0.location?.file == path })
        else { return nil }
      }
      let markdown: RenderedMarkdown
      if document.body == before.body, let unchanged = state.rendered[position] {
        markdown = unchanged
      } else {
        guard
          case .success(let rendered) = SiteBuilder.renderMarkdown(
            document, renderer: state.renderer)
        else { return nil }
        markdown = rendered
      }
      edits.append((position, document, markdown))
    }
    if edits.isEmpty { return [] }

    let before = edits.map { edit in
      (
        document: state.documents[edit.position], markdown: state.rendered[edit.position],
        cards: cards(of: edit.position)
      )
    }
    func undo() {
      for (edit, old) in zip(edits, before) {
        state.values.replaceDocument(of: edit.position, with: old.document, rendered: old.markdown)
      }
    }
    for edit in edits {
      state.values.replaceDocument(of: edit.position, with: edit.document, rendered: edit.markdown)
    }
    // A new title may move the case in lists ordered by date, then title.
    for edit in edits {
      let values = state.values
      let groups = values.documents[edit.position].kind == .caseStudy ? values.cases : values.posts
      if let group = groups.groupOf[edit.position],
        !groups.keepsOrder(of: group, in: values.documents)
      {
        undo()
        return nil
      }
    }
    guard
      let changedFiles = renderPages(showing: zip(edits, before).map { ($0.position, $1.cards) })
    else {
      undo()
      return nil
    }
    return changedFiles
  }

  /// Whether an edited document keeps its place in the site (``DocumentTrace/place(of:)``),
  /// so it shows on the same pages in the same order (but a new title, checked apart) and every
  /// page it is on shows it through its card, its own page or its other versions' pages.
  static func keepsPlace(_ new: Document, _ old: Document) -> Bool {
    DocumentTrace.place(of: new) == DocumentTrace.place(of: old)
  }

  /// The cards that show a document on other pages, one per language for a case.
  private func cards(of position: Int) -> [Value] {
    let values = state.values
    switch values.documents[position].kind {
    case .caseStudy: return values.content.config.languages.map { values.caseCard(position, $0) }
    case .post: return [values.postCard(position)]
    case .page: return []
    }
  }

  /// Makes again the own page of each edited document (and of its other versions) and every
  /// page showing one of its cards that changed (with the new card put in place of the old
  /// one), and renders them; nil when one fails to render. Returns the pages whose bytes
  /// changed.
  private mutating func renderPages(showing edited: [(position: Int, oldCards: [Value])])
    -> [OutputFile]?
  {
    let values = state.values
    let assembler = PageAssembler(values: values, translations: state.loaded.translations)
    var jobs: [Int: PageJob] = [:]
    for (position, oldCards) in edited {
      let document = values.documents[position]
      let url = values.routes.document(document)
      guard let own = state.pageIndex[url] else { return nil }
      // Its own page, and those of its other versions, which show its title.
      for version in values.content.index.translations[CrossIndex.translationKey(of: document)]
        ?? [position]
      {
        guard let index = state.pageIndex[values.routes.document(values.documents[version])]
        else { return nil }
        if document.kind == .caseStudy, let group = values.cases.groupOf[version] {
          jobs[index] = assembler.casePage(
            version, group: group, related: RelatedCases(values: values).best(for: group))
        } else {
          jobs[index] = assembler.documentPage(version)
        }
      }
      let replacements = zip(oldCards, cards(of: position)).filter { $0 != $1 }
      guard !replacements.isEmpty else { continue }
      for index in dependents[url] ?? [] where index != own {
        var job = jobs[index] ?? state.jobs[index]
        if let context = Self.replacing(.object(job.context), url: url, replacements) {
          job.context = context.objectFields
          jobs[index] = job
        }
      }
    }

    let remade = jobs.sorted { $0.key < $1.key }
    let (library, loaded) = (state.library, state.loaded)
    let outputs = remade.parallelMap {
      SiteBuilder.render($0.value, library: library, loaded: loaded)
    }
    var pages: [Data] = []
    for output in outputs {
      guard case .success(let page) = output else { return nil }
      pages.append(Data(page))
    }
    var changedFiles: [OutputFile] = []
    for ((index, job), page) in zip(remade, pages) {
      if state.pages[index] != page {
        changedFiles.append(OutputFile(path: Routes.outputFile(for: job.path), contents: page))
      }
      state.jobs[index] = job
      state.pages[index] = page
    }
    return changedFiles
  }

  /// `value` with every object that is one of the cards of `url` in `replacements` replaced;
  /// nil when there is none.
  static func replacing(_ value: Value, url: String, _ replacements: [(Value, Value)]) -> Value? {
    switch value {
    case .object(let fields):
      if case .string(url)? = fields["url"],
        let replacement = replacements.first(where: { $0.0 == value })
      {
        return replacement.1
      }
      var copy = fields
      var changed = false
      for (key, field) in fields {
        if let replaced = replacing(field, url: url, replacements) {
          copy[key] = replaced
          changed = true
        }
      }
      return changed ? .object(copy) : nil
    case .array(let items):
      var copy = items
      var changed = false
      for (position, item) in items.enumerated() {
        if let replaced = replacing(item, url: url, replacements) {
          copy[position] = replaced
          changed = true
        }
      }
      return changed ? .array(copy) : nil
    default:
      return nil
    }
  }

  /// Document URL → the jobs whose context shows that document: as its card or as the page
  /// itself (any object with a `kind` of `case` or `post` and a `url`).
  static func dependents(of jobs: [PageJob]) -> [String: [Int]] {
    let shown = jobs.parallelMap { job -> Set<String> in
      var urls: Set<String> = []
      collectShownURLs(.object(job.context), into: &urls)
      return urls
    }
    var dependents: [String: [Int]] = [:]
    for (index, urls) in shown.enumerated() {
      for url in urls { dependents[url, default: []].append(index) }
    }
    return dependents
  }

  private static func collectShownURLs(_ value: Value, into urls: inout Set<String>) {
    switch value {
    case .object(let fields):
      if let url = PageDependencies.shownDocument(fields) { urls.insert(url) }
      for field in fields.values { collectShownURLs(field, into: &urls) }
    case .array(let items):
      for item in items { collectShownURLs(item, into: &urls) }
    default:
      break
    }
  }
}
