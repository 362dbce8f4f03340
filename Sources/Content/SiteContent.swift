import Diagnostics
import Foundation
import Parallelism

/// Everything under `content/`, read and checked: the portal model the site is built from.
public struct SiteContent: Sendable {
  public var config: SiteConfig
  /// Published documents (drafts only with `--drafts`), sorted by kind, language and slug.
  public var documents: [Document]
  public var topics: [Topic]
  public var factors: [Factor]
  public var localities: [Locality]
  /// Files of `content/static/`, copied as they are to the output root.
  public var staticFiles: [SourceTree.File]
  public var index: CrossIndex
}

/// Lookups built once, in time linear in the content, so no page scans all cases.
public struct CrossIndex: Sendable {
  public var topicByID: [String: Topic] = [:]
  public var factorByID: [String: Factor] = [:]
  public var localityByID: [String: Locality] = [:]
  /// Document indices of the cases citing each id.
  public var casesByTopic: [String: [Int]] = [:]
  public var casesBySuccessFactor: [String: [Int]] = [:]
  public var casesByFailureFactor: [String: [Int]] = [:]
  public var casesByLocality: [String: [Int]] = [:]
  public var casesByCountry: [String: [Int]] = [:]
  public var casesByOutcome: [String: [Int]] = [:]
  /// Document indices of every version of one text, keyed by ``translationKey(of:)``.
  public var translations: [String: [Int]] = [:]

  /// Versions of one text share the kind and the slug of the original.
  public static func translationKey(of document: Document) -> String {
    "\(document.kind.rawValue)/\(document.translationOf ?? document.slug)"
  }

  init(documents: [Document], topics: [Topic], factors: [Factor], localities: [Locality]) {
    for topic in topics { topicByID[topic.id] = topic }
    for factor in factors { factorByID[factor.id] = factor }
    for locality in localities { localityByID[locality.id] = locality }
    // By position, without copying each document; each id once per document (the lists are
    // short: no set is made).
    for position in documents.indices {
      translations[Self.translationKey(of: documents[position]), default: []].append(position)
      guard let details = documents[position].details else { continue }
      for topic in Self.distinct(details.topics) {
        casesByTopic[topic, default: []].append(position)
      }
      for factor in Self.distinct(details.successFactors) {
        casesBySuccessFactor[factor, default: []].append(position)
      }
      for factor in Self.distinct(details.failureFactors) {
        casesByFailureFactor[factor, default: []].append(position)
      }
      for id in Self.distinct(details.localities) {
        casesByLocality[id, default: []].append(position)
      }
      for country in countries(of: details) {
        casesByCountry[country, default: []].append(position)
      }
      if let outcome = details.outcome { casesByOutcome[outcome, default: []].append(position) }
    }
  }

  /// The country codes of a case's localities, each once, in the order its localities give
  /// them.
  public func countries(of details: CaseDetails) -> [String] {
    Self.countries(of: details.localities.compactMap { localityByID[$0.text] })
  }

  /// The country codes of `localities`, each once, in their order.
  public static func countries(of localities: [Locality]) -> [String] {
    var codes: [String] = []
    for locality in localities where !codes.contains(locality.country) {
      codes.append(locality.country)
    }
    return codes
  }

  /// The texts of `values`, each once, in their order (a case's lists are short: no set is
  /// made).
  public static func distinct(_ values: [YAMLStringValue]) -> [String] {
    var texts: [String] = []
    for value in values where !texts.contains(value.text) { texts.append(value.text) }
    return texts
  }
}

/// Reads and checks a site root's content.
public struct ContentLoader: Sendable {
  public var tree: SourceTree
  public var config: SiteConfig
  public var includeDrafts: Bool

  public init(tree: SourceTree, config: SiteConfig, includeDrafts: Bool = false) {
    self.tree = tree
    self.config = config
    self.includeDrafts = includeDrafts
  }

  public func load() -> (SiteContent, [Diagnostic]) {
    let (content, diagnostics, _, _) = load(reusing: nil)
    return (content, diagnostics)
  }

  /// What document files gave when last parsed, so that a later ``load(reusing:)`` parses
  /// again only the files whose front matter changed (the dev server's rebuilds, and `build`
  /// through a cache file).
  public struct ParsedFiles: Sendable {
    /// Path → what the file gave.
    public var files: [String: ParsedFile] = [:]
    /// Files parsed by the load that made this, rather than taken from the previous one.
    public internal(set) var parsedCount = 0

    public init(files: [String: ParsedFile] = [:]) {
      self.files = files
    }
  }

  /// One document file's front matter and what parsing it gave: the parse depends on nothing
  /// else (the path, the kind and the site's languages aside), so the same front matter gives
  /// the same document with the new body.
  public struct ParsedFile: Sendable, Equatable {
    /// The YAML between the fences (``FrontMatter/yaml``).
    public var frontMatter: String
    /// Without its body, which the file's text gives.
    public var document: Document?
    public var problems: [Diagnostic]

    public init(frontMatter: String, document: Document?, problems: [Diagnostic]) {
      self.frontMatter = frontMatter
      self.document = document
      self.problems = problems
    }
  }

  /// ``load()``, taking the documents of files whose front matter is unchanged from
  /// `previous`, and returning what each file gave for the next load. With nil, nothing is kept
  /// (a one-off build).
  ///
  /// `unread`: document files the caller knows unchanged since `previous` was made (by their
  /// stamps). Those `previous` has a document for, without problems, are not read at all:
  /// their documents come with an empty body, and their paths are returned in `bodiesUnread`.
  public func load(reusing previous: ParsedFiles?, unread: Set<String> = [])
    -> (SiteContent, [Diagnostic], ParsedFiles?, bodiesUnread: Set<String>)
  {
    var parsedFiles = previous.map { _ in ParsedFiles() }
    var bodiesUnread: Set<String> = []
    // The vocabularies and the locality table are read on their own thread while the document
    // folders are listed (one thread) and parsed: at 100,000 cases the table alone took 0.5 s.
    let dataLoading = BackgroundTask { loadData() }
    var documents: [Document] = []
    var documentProblems: [Diagnostic] = []
    for kind in DocumentKind.allCases {
      let (files, problems) = tree.files(under: "content/\(kind.rawValue)")
      documentProblems += problems
      let markdown = files.filter { DocumentKind.isMarkdown($0.path) }
      let parser = DocumentParser(kind: kind, languages: config.languages)
      // Per file: its problems, what to keep for the next load, whether it was parsed now, and
      // its document (nil when the file was not read: the kept one). Nothing is kept of a file
      // that could not be read or split, whose front matter is unknown, nor of one without
      // front matter, whose problems show its first line, which is its text's.
      let parsed = markdown.parallelMap {
        file -> (problems: [Diagnostic], entry: ParsedFile?, parsed: Bool, Document??) in
        if unread.contains(file.path), let earlier = previous?.files[file.path],
          earlier.problems.isEmpty, earlier.document != nil
        {
          return ([], earlier, false, nil)
        }
        let text: String
        let frontMatter: FrontMatter
        switch FrontMatter.read(file) {
        case .success(let read): (text, frontMatter) = read
        case .failure(let problem): return ([problem], nil, true, .some(nil))
        }
        if let earlier = previous?.files[file.path], earlier.frontMatter == frontMatter.yaml {
          var document = earlier.document
          document?.body = frontMatter.body
          document?.bodyFirstLine = frontMatter.bodyFirstLine
          return (earlier.problems, earlier, false, .some(document))
        }
        let (document, problems) = parser.parse(
          frontMatter, of: text, path: file.path, fileName: String(file.fileName))
        var kept = document
        kept?.body = ""
        let entry = ParsedFile(frontMatter: frontMatter.yaml, document: kept, problems: problems)
        return (problems, frontMatter.isFenced ? entry : nil, true, .some(document))
      }
      let keptCount = parsedFiles?.files.count ?? 0
      parsedFiles?.files.reserveCapacity(keptCount + markdown.count)
      documents.reserveCapacity(documents.count + markdown.count)
      for (file, (problems, entry, parsedNow, read)) in zip(markdown, parsed) {
        parsedFiles?.files[file.path] = entry
        documentProblems += problems
        if parsedNow { parsedFiles?.parsedCount += 1 }
        if read == nil { bodiesUnread.insert(file.path) }
        if let document = read ?? entry?.document, includeDrafts || !document.draft {
          documents.append(document)
        }
      }
    }
    let (staticFiles, staticProblems) = tree.files(under: "content/static")
    let (topics, factors, localities, dataProblems) = dataLoading.wait().result
    var diagnostics = dataProblems + documentProblems + staticProblems

    let index = CrossIndex(
      documents: documents, topics: topics, factors: factors, localities: localities)
    diagnostics += ReferenceCheck(documents: documents, index: index).run()
    diagnostics = withSourceLines(diagnostics)
    let content = SiteContent(
      config: config, documents: documents, topics: topics, factors: factors,
      localities: localities, staticFiles: staticFiles, index: index)
    return (content, diagnostics, parsedFiles, bodiesUnread)
  }

  /// The topics, the factors and the localities, with the problems of their files.
  private func loadData() -> ([Topic], [Factor], [Locality], [Diagnostic]) {
    var diagnostics: [Diagnostic] = []
    let topics = loadYAML("content/data/topics.yaml", &diagnostics) { node, problems in
      VocabularyLoader.topics(node, diagnostics: &problems)
    }
    let factors = loadYAML("content/data/factors.yaml", &diagnostics) { node, problems in
      VocabularyLoader.factors(node, diagnostics: &problems)
    }
    var localities: [Locality] = []
    let csvPath = "content/data/localities.csv"
    if FileManager.default.fileExists(atPath: tree.root.appending(path: csvPath).path) {
      switch SourceTree.readText(
        SourceTree.File(path: csvPath, url: tree.root.appending(path: csvPath)))
      {
      case .success(let text):
        let (rows, problems) = LocalityLoader.load(text, path: csvPath)
        localities = rows
        diagnostics += problems
      case .failure(let problem):
        diagnostics.append(problem)
      }
    }
    return (topics, factors, localities, diagnostics)
  }

  /// Reads one document file again, as ``load()`` does, for the dev server's incremental
  /// rebuild. Nil when the path is no longer a regular file inside the root (a symbolic link
  /// or a folder now): only a whole ``load()`` checks those.
  public func reloadDocument(at path: String, kind: DocumentKind) -> (Document?, [Diagnostic])? {
    let url = tree.root.appending(path: path)
    guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey]),
      values.isRegularFile == true, values.isSymbolicLink != true
    else { return nil }
    switch SourceTree.readText(SourceTree.File(path: path, url: url)) {
    case .success(let text):
      return DocumentParser(kind: kind, languages: config.languages).parse(
        text, path: path, fileName: url.lastPathComponent)
    case .failure(let problem):
      return (nil, [problem])
    }
  }

  /// Fills in the source line of diagnostics made without the file's text at hand.
  private func withSourceLines(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
    var texts: [String: String] = [:]
    return diagnostics.map { diagnostic in
      guard diagnostic.sourceLine == nil, let location = diagnostic.location, location.line > 0
      else { return diagnostic }
      if texts[location.file] == nil {
        let file = SourceTree.File(
          path: location.file, url: tree.root.appending(path: location.file))
        texts[location.file] = (try? SourceTree.readText(file).get()) ?? ""
      }
      return diagnostic.inFile(location.file, source: texts[location.file])
    }
  }

  private func loadYAML<T>(
    _ path: String, _ diagnostics: inout [Diagnostic],
    read: (YAMLNode, inout [Diagnostic]) -> [T]
  ) -> [T] {
    let url = tree.root.appending(path: path)
    guard FileManager.default.fileExists(atPath: url.path) else { return [] }
    switch SourceTree.readText(SourceTree.File(path: path, url: url)) {
    case .failure(let problem):
      diagnostics.append(problem)
      return []
    case .success(let text):
      do {
        guard let node = try YAMLNode.parse(text) else { return [] }
        var problems: [Diagnostic] = []
        let values = read(node, &problems)
        diagnostics += problems.map { $0.inFile(path, source: text) }
        return values
      } catch {
        diagnostics.append(error.inFile(path, source: text))
        return []
      }
    }
  }
}

/// Every id a case cites must exist in its vocabulary or the locality table; every
/// translation must point at an existing original.
struct ReferenceCheck {
  let documents: [Document]
  let index: CrossIndex

  /// Each document is checked on its own, on every core (at 100,000 cases one after the other
  /// took 0.35 s).
  func run() -> [Diagnostic] {
    let slugs = Set(documents.map { "\($0.kind.rawValue)/\($0.slug)" })
    return documents.parallelMap { check($0, slugs: slugs) }.flatMap { $0 }
  }

  private func check(_ document: Document, slugs: Set<String>) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    func unknown(_ what: String, _ value: YAMLStringValue, hint: String) {
      diagnostics.append(
        .error(
          "unknown \(what) '\(value.text)' (\(hint))",
          at: SourceLocation(file: document.sourcePath, line: value.line, column: value.column)))
    }
    if let original = document.translationOf,
      !slugs.contains("\(document.kind.rawValue)/\(original)")
    {
      diagnostics.append(
        .error(
          "translation_of '\(original)' names no \(document.kind.rawValue) document",
          at: document.location))
    }
    guard let details = document.details else { return diagnostics }
    for topic in details.topics where index.topicByID[topic.text] == nil {
      unknown("topic", topic, hint: "not in content/data/topics.yaml")
    }
    for factor in details.successFactors + details.failureFactors
    where index.factorByID[factor.text] == nil {
      unknown("factor", factor, hint: "not in content/data/factors.yaml")
    }
    for locality in details.localities where index.localityByID[locality.text] == nil {
      unknown("locality", locality, hint: "not in content/data/localities.csv")
    }
    if details.localities.isEmpty {
      diagnostics.append(
        .warning(
          "this case study names no localities, so no map or place lists it",
          at: document.location))
    }
    return diagnostics
  }
}
