import Content
import Diagnostics
import Foundation

/// What parsing each document's front matter gave, kept in `.proximus/front-matter-cache` so
/// that the next build parses only the front matter that changed (YAML parsing was most of the
/// load phase of a rebuild).
///
/// An entry holds a file's front matter text and the document it gave (without its body, which
/// the file gives); it is used when the file's front matter is that text again. Parsing depends
/// besides only on the path and on the site's languages, which with this executable make the
/// file's identity: a file of another identity is not read.
enum FrontMatterCache {
  static func url(root: URL) -> URL {
    root.appending(path: ".proximus/front-matter-cache")
  }

  static func identity(languages: [String]) -> String {
    [SiteBuilder.toolIdentity, "languages \(languages.joined(separator: " "))"].joined(
      separator: "\n")
  }

  /// The entries of the file at `url`; none when it is missing, of another identity or damaged.
  static func read(_ url: URL, identity: String) -> ContentLoader.ParsedFiles {
    guard let data = FileManager.default.contents(atPath: url.path) else { return .init() }
    let files = data.withUnsafeBytes { raw -> [String: ContentLoader.ParsedFile]? in
      var reader = BinaryReader(raw: raw, offset: 0)
      guard let magic = reader.bytes(), Data(magic) == Self.magic,
        reader.text() == identity, let count = reader.count()
      else { return nil }
      var files: [String: ContentLoader.ParsedFile] = [:]
      files.reserveCapacity(count)
      for _ in 0..<count {
        guard let path = reader.text(), let file = reader.parsedFile() else { return nil }
        files[path] = file
      }
      return reader.isAtEnd ? files : nil
    }
    return ContentLoader.ParsedFiles(files: files ?? [:])
  }

  /// Writes `parsed` for the next build, through a temporary file renamed over the old one.
  static func write(_ parsed: ContentLoader.ParsedFiles, identity: String, to url: URL) {
    var writer = BinaryWriter()
    writer.append(magic)
    writer.append(identity)
    writer.append(Int64(parsed.files.count))
    for (path, file) in parsed.files.sorted(by: { $0.key < $1.key }) {
      writer.append(path)
      writer.append(file)
    }
    try? FileManager.default.createDirectory(
      at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    // Never an older file left behind: a build takes the documents of files unchanged since
    // the last one from this cache without reading them.
    if (try? writer.write(to: url)) == nil { unlink(url.path) }
  }

  private static let magic = Data("proximus front matter cache 1\n".utf8)
}

extension BinaryWriter {
  fileprivate mutating func append(_ file: ContentLoader.ParsedFile) {
    append(file.frontMatter)
    // Most files have no problem: no JSON for them.
    append(file.problems.isEmpty ? Data() : (try? JSONEncoder().encode(file.problems)) ?? Data())
    append(file.document != nil)
    guard let document = file.document else { return }
    for text in [document.kind.rawValue, document.sourcePath, document.slug, document.language] {
      append(text)
    }
    append(document.title)
    append(optional: document.description)
    append(document.date != nil)
    append(Int64(bitPattern: (document.date?.timeIntervalSinceReferenceDate ?? 0).bitPattern))
    append(texts: document.authors)
    append(optional: document.image)
    append(optional: document.translationOf)
    append(document.draft)
    append(texts: document.categories)
    append(texts: document.tags)
    append(Int64(document.bodyFirstLine))
    append(document.details != nil)
    if let details = document.details {
      for number in [details.started, details.ended] {
        append(number != nil)
        append(Int64(number ?? 0))
      }
      append(optional: details.status)
      append(optional: details.outcome)
      for values in [
        details.topics, details.successFactors, details.failureFactors, details.localities,
      ] {
        append(Int64(values.count))
        for value in values {
          append(value.text)
          append(Int64(value.line))
          append(Int64(value.column))
        }
      }
      append(Int64(details.links.count))
      for link in details.links {
        append(link.title)
        append(link.url)
      }
    }
    append(entries: document.extra)
  }

  private mutating func append(optional text: String?) {
    append(text != nil)
    append(text ?? "")
  }

  private mutating func append(entries: [YAMLNode.Entry]) {
    append(Int64(entries.count))
    for entry in entries {
      append(entry.key)
      append(Int64(entry.keyLine))
      append(Int64(entry.keyColumn))
      append(entry.value)
    }
  }

  private mutating func append(_ node: YAMLNode) {
    append(Int64(node.line))
    append(Int64(node.column))
    switch node.kind {
    case .scalar(let text, let quoted):
      append(Int64(quoted ? 1 : 0))
      append(text)
    case .sequence(let items):
      append(Int64(2))
      append(Int64(items.count))
      for item in items { append(item) }
    case .mapping(let entries):
      append(Int64(3))
      append(entries: entries)
    }
  }
}

extension BinaryReader {
  fileprivate mutating func parsedFile() -> ContentLoader.ParsedFile? {
    guard let frontMatter = text(), let problemsJSON = bytes(),
      let problems =
        problemsJSON.isEmpty
        ? [] : try? JSONDecoder().decode([Diagnostic].self, from: Data(problemsJSON)),
      let hasDocument = integer()
    else { return nil }
    guard hasDocument != 0 else {
      return ContentLoader.ParsedFile(frontMatter: frontMatter, document: nil, problems: problems)
    }
    guard let kindName = text(), let kind = DocumentKind(rawValue: kindName),
      let sourcePath = text(), let slug = text(), let language = text(), let title = text(),
      let description = optionalText(), let hasDate = integer(), let dateBits = integer(),
      let authors = texts(), let image = optionalText(), let translationOf = optionalText(),
      let draft = integer(), let categories = texts(), let tags = texts(),
      let bodyFirstLine = integer(), let hasDetails = integer()
    else { return nil }
    var details: CaseDetails?
    if hasDetails != 0 {
      guard let read = caseDetails() else { return nil }
      details = read
    }
    guard let extra = entries(depth: 0) else { return nil }
    let date = Date(
      timeIntervalSinceReferenceDate: Double(bitPattern: UInt64(bitPattern: dateBits)))
    let document = Document(
      kind: kind, sourcePath: sourcePath, slug: slug, language: language, title: title,
      description: description, date: hasDate != 0 ? date : nil, authors: authors, image: image,
      translationOf: translationOf, draft: draft != 0, categories: categories, tags: tags,
      body: "", bodyFirstLine: Int(bodyFirstLine), details: details, extra: extra)
    return ContentLoader.ParsedFile(
      frontMatter: frontMatter, document: document, problems: problems)
  }

  private mutating func caseDetails() -> CaseDetails? {
    var details = CaseDetails()
    guard let hasStarted = integer(), let started = integer(), let hasEnded = integer(),
      let ended = integer(), let status = optionalText(), let outcome = optionalText()
    else { return nil }
    details.started = hasStarted != 0 ? Int(started) : nil
    details.ended = hasEnded != 0 ? Int(ended) : nil
    (details.status, details.outcome) = (status, outcome)
    var lists: [[YAMLStringValue]] = []
    for _ in 0..<4 {
      guard let count = count() else { return nil }
      var values: [YAMLStringValue] = []
      for _ in 0..<count {
        guard let text = text(), let line = integer(), let column = integer() else { return nil }
        values.append(YAMLStringValue(text: text, line: Int(line), column: Int(column)))
      }
      lists.append(values)
    }
    (details.topics, details.successFactors) = (lists[0], lists[1])
    (details.failureFactors, details.localities) = (lists[2], lists[3])
    guard let linkCount = count() else { return nil }
    for _ in 0..<linkCount {
      guard let title = text(), let url = text() else { return nil }
      details.links.append(SourceLink(title: title, url: url))
    }
    return details
  }

  /// A text written with `append(optional:)`: `.some(nil)` for none, nil when unreadable.
  private mutating func optionalText() -> String?? {
    guard let present = integer(), let text = text() else { return nil }
    return .some(present != 0 ? text : nil)
  }

  /// Nesting is bounded as the YAML parser bounds it.
  private mutating func entries(depth: Int) -> [YAMLNode.Entry]? {
    guard depth <= YAMLNode.Limits().maximumDepth, let count = count() else { return nil }
    var entries: [YAMLNode.Entry] = []
    for _ in 0..<count {
      guard let key = text(), let keyLine = integer(), let keyColumn = integer(),
        let value = node(depth: depth + 1)
      else { return nil }
      entries.append(
        YAMLNode.Entry(key: key, keyLine: Int(keyLine), keyColumn: Int(keyColumn), value: value))
    }
    return entries
  }

  private mutating func node(depth: Int) -> YAMLNode? {
    guard depth <= YAMLNode.Limits().maximumDepth, let line = integer(),
      let column = integer(), let kind = integer()
    else { return nil }
    switch kind {
    case 0, 1:
      guard let text = text() else { return nil }
      return YAMLNode(kind: .scalar(text, quoted: kind == 1), line: Int(line), column: Int(column))
    case 2:
      guard let count = count() else { return nil }
      var items: [YAMLNode] = []
      for _ in 0..<count {
        guard let item = node(depth: depth + 1) else { return nil }
        items.append(item)
      }
      return YAMLNode(kind: .sequence(items), line: Int(line), column: Int(column))
    case 3:
      guard let entries = entries(depth: depth) else { return nil }
      return YAMLNode(kind: .mapping(entries), line: Int(line), column: Int(column))
    default:
      return nil
    }
  }
}
