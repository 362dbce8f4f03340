import Diagnostics
import Foundation

/// Turns one Markdown file into a ``Document``, reporting every problem of its front matter.
struct DocumentParser {
  let kind: DocumentKind
  let languages: [String]

  static let commonKeys: Set<String> = [
    "title", "slug", "lang", "date", "authors", "author", "description", "image",
    "translation_of", "draft", "layout",
  ]
  static let caseKeys: Set<String> = [
    "started", "ended", "status", "outcome", "topics", "factors", "localities", "links",
  ]
  static let postKeys: Set<String> = ["categories", "tags", "category", "permalink", "published"]

  private static let knownCaseKeys = commonKeys.union(caseKeys)
  private static let knownPostKeys = commonKeys.union(postKeys)

  /// The keys of this kind's front matter (made once: a union per key checked was 2% of a
  /// cold build).
  var knownKeys: Set<String> {
    switch kind {
    case .caseStudy: Self.knownCaseKeys
    case .post, .page: Self.knownPostKeys
    }
  }

  /// Parses `text` read from `path` (relative to the root); `fileName` is its last component.
  func parse(_ text: String, path: String, fileName: String) -> (Document?, [Diagnostic]) {
    do {
      return parse(try FrontMatter.split(text), of: text, path: path, fileName: fileName)
    } catch {
      return (nil, [error.inFile(path, source: text)])
    }
  }

  /// ``parse(_:path:fileName:)`` of a text already split.
  func parse(_ frontMatter: FrontMatter, of text: String, path: String, fileName: String)
    -> (Document?, [Diagnostic])
  {
    var diagnostics: [Diagnostic] = []
    let node: YAMLNode
    do {
      node =
        try YAMLNode.parse(frontMatter.yaml, lineOffset: frontMatter.yamlFirstLine - 1)
        ?? YAMLNode(kind: .mapping([]), line: 1, column: 1)
    } catch {
      return (nil, [error.inFile(path, source: text)])
    }
    guard case .mapping(let entries) = node.kind else {
      return (
        nil,
        [
          Diagnostic.error("front matter must be a set of 'key: value' lines", at: node.location)
            .inFile(path, source: text)
        ]
      )
    }

    var reader = FieldReader(node)
    let nameParts = FileNameParts(fileName, kind: kind, languages: languages)
    let title = reader.required("title", at: SourceLocation(file: "", line: 1, column: 1))
    let slug = reader.string("slug") ?? nameParts.slug
    if let problem = SlugRules.problem(with: slug) {
      let at = node["slug"]?.location ?? SourceLocation(file: "", line: 1, column: 1)
      reader.diagnostics.append(.error("slug '\(slug)' \(problem)", at: at))
    }
    var language = reader.string("lang") ?? nameParts.language ?? languages[0]
    if !languages.contains(language), let value = node["lang"] {
      reader.problem(
        "language '\(language)' is not one of the site's languages (\(languages.joined(separator: ", ")))",
        at: value)
      language = languages[0]
    }
    var authors = reader.strings("authors").map(\.text)
    if authors.isEmpty { authors = reader.strings("author").map(\.text) }
    let date = reader.date("date") ?? nameParts.date

    var details: CaseDetails?
    if kind == .caseStudy {
      details = readCaseDetails(&reader)
    }
    var categories = reader.strings("categories").map(\.text)
    categories += reader.strings("category").map(\.text)

    var extra: [YAMLNode.Entry] = []
    for entry in entries where !knownKeys.contains(entry.key) {
      extra.append(entry)
      if let suggestion = KeySpelling.suggestion(for: entry.key, among: knownKeys) {
        reader.diagnostics.append(
          .warning(
            "unknown key '\(entry.key)'; did you mean '\(suggestion)'?",
            at: SourceLocation(file: "", line: entry.keyLine, column: entry.keyColumn)))
      }
    }

    let document = Document(
      kind: kind, sourcePath: path, slug: slug, language: language, title: title ?? "",
      description: reader.string("description"), date: date, authors: authors,
      image: reader.string("image"), translationOf: reader.string("translation_of"),
      draft: reader.bool("draft") ?? (reader.bool("published").map { !$0 } ?? false),
      categories: categories, tags: reader.strings("tags").map(\.text), body: frontMatter.body,
      bodyFirstLine: frontMatter.bodyFirstLine, details: details, extra: extra)
    diagnostics += reader.diagnostics.map { $0.inFile(path, source: text) }
    // Kept even with errors, so its references are checked too and every problem of the
    // file is reported in one run; the build stops before rendering anyway.
    return (document, diagnostics)
  }

  private func readCaseDetails(_ reader: inout FieldReader) -> CaseDetails {
    var details = CaseDetails()
    details.started = reader.integer("started")
    details.ended = reader.integer("ended")
    details.status = reader.choice("status", among: CaseDetails.statuses)
    details.outcome = reader.choice("outcome", among: CaseDetails.outcomes)
    details.topics = reader.strings("topics")
    details.localities = reader.strings("localities")
    if let factors = reader.node["factors"], !factors.isNull {
      if case .mapping(let entries) = factors.kind {
        for entry in entries {
          switch entry.key {
          case "success":
            details.successFactors = reader.stringList(entry.value, key: "factors.success")
          case "failure":
            details.failureFactors = reader.stringList(entry.value, key: "factors.failure")
          default:
            reader.diagnostics.append(
              .error(
                "factors are listed under 'success' or 'failure', not '\(entry.key)'",
                at: SourceLocation(file: "", line: entry.keyLine, column: entry.keyColumn)))
          }
        }
      } else {
        reader.problem("'factors' must have 'success:' and/or 'failure:' lists", at: factors)
      }
    }
    if let links = reader.node["links"], !links.isNull {
      if case .sequence(let items) = links.kind {
        for item in items {
          if let url = item["url"]?.string {
            details.links.append(SourceLink(title: item["title"]?.string ?? url, url: url))
          } else if let url = item.string {
            details.links.append(SourceLink(title: url, url: url))
          } else {
            reader.problem("each link needs a 'url' (and a 'title')", at: item)
          }
        }
      } else {
        reader.problem("'links' must be a list of {title, url}", at: links)
      }
    }
    if let started = details.started, let ended = details.ended, ended < started {
      reader.problem(
        "'ended' (\(ended)) is before 'started' (\(started))", at: reader.node["ended"]!)
    }
    return details
  }
}

/// What a file name says: Jekyll's `YYYY-MM-DD-slug.md` for posts, Hugo's `slug.en.md` for a
/// language.
struct FileNameParts {
  var slug: String
  var language: String?
  var date: Date?

  init(_ fileName: String, kind: DocumentKind, languages: [String]) {
    var stem = fileName
    for suffix in [".markdown", ".md"] where stem.hasSuffix(suffix) {
      stem.removeLast(suffix.count)
    }
    if let dot = stem.lastIndex(of: "."),
      languages.contains(String(stem[stem.index(after: dot)...]))
    {
      language = String(stem[stem.index(after: dot)...])
      stem = String(stem[..<dot])
    }
    if kind == .post, stem.count > 11, let parsed = DateParser.parse(String(stem.prefix(10))),
      stem.dropFirst(10).first == "-"
    {
      date = parsed
      stem = String(stem.dropFirst(11))
    }
    slug = stem
  }
}

/// What makes a slug or id safe to become one folder of a URL and of the output.
public enum SlugRules {
  /// Why `slug` is refused, or nil when it is fine.
  public static func problem(with slug: String) -> String? {
    if slug.isEmpty { return "is empty" }
    // On bytes: `contains` of a `String` went through Foundation's search.
    if slug.utf8.contains(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) {
      return "must not contain '/' or '\\'"
    }
    if slug == "." || slug == ".." || slug.hasPrefix(".") { return "must not start with '.'" }
    // One pass, ASCII without property lookups; the first rule broken anywhere is reported.
    var (control, whitespace, reserved) = (false, false, false)
    for scalar in slug.unicodeScalars {
      if scalar.isASCII {
        let value = scalar.value
        control = control || value < 0x20 || value == 0x7F
        whitespace = whitespace || value == 0x20 || (0x09...0x0D).contains(value)
        reserved = reserved || "?#%\"'<>`".unicodeScalars.contains(scalar)
      } else {
        control = control || scalar.properties.generalCategory == .control
        whitespace = whitespace || scalar.properties.isWhitespace
      }
    }
    if control { return "must not contain control characters" }
    if whitespace { return "must not contain spaces (use '-')" }
    if reserved { return "must not contain ? # % quotes or angle brackets" }
    return nil
  }
}

/// Suggests the known key a misspelt key was meant to be.
enum KeySpelling {
  static func suggestion(for key: String, among known: Set<String>) -> String? {
    guard key.count >= 4 else { return nil }
    let lowered = key.lowercased()
    var best: (key: String, distance: Int)?
    for candidate in known.sorted() {
      let candidateDistance = distance(lowered, candidate)
      if candidateDistance < (best?.distance ?? Int.max) { best = (candidate, candidateDistance) }
    }
    guard let best, best.distance <= max(1, key.count / 4) else { return nil }
    return best.key
  }

  /// Edit distance over characters, a swap of two neighbours counting as one edit
  /// (`titel` → `title`).
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
    for i in 0...a.count { table[i][0] = i }
    for j in 0...b.count { table[0][j] = j }
    for i in 1...a.count {
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
          table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
        }
      }
    }
    return table[a.count][b.count]
  }
}
