import Content
import Diagnostics

/// Two sources on one URL, or a page taking a path the portal generates, are errors naming
/// every file involved. Paths differing only in case collide too: many hosts fold case.
struct RouteCheck {
  let content: SiteContent
  let routes: Routes

  func collisions(pages: [String], otherFiles: [String]) -> [Diagnostic] {
    documentCollisions() + staticFileCollisions(pages: pages, otherFiles: otherFiles)
  }

  /// Documents on one URL, and pages on a path the portal uses: known before any page is made.
  func documentCollisions() -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var owners: [String: [Document]] = [:]
    for document in content.documents {
      owners[routes.document(document).lowercased(), default: []].append(document)
      if document.kind == .page {
        let first = document.slug.lowercased()
        if Routes.reservedSegments.contains(first) || content.config.languages.contains(first) {
          diagnostics.append(
            .error(
              "page slug '\(document.slug)' takes the path /\(document.slug)/ that the portal uses for its own pages",
              at: document.location))
        }
      }
    }
    for (path, documents) in owners.sorted(by: { $0.key < $1.key }) where documents.count > 1 {
      let sorted = documents.sorted { $0.sourcePath < $1.sourcePath }
      diagnostics.append(
        .error(
          "\(sorted.count) sources map to the URL \(path): "
            + sorted.map(\.sourcePath).joined(separator: ", "),
          at: sorted[0].location,
          notes: sorted.dropFirst().map { .init("also maps to \(path)", at: $0.location) }))
    }
    return diagnostics
  }

  /// Generated pages and theme assets against static files (content/static/cases/index.html).
  func staticFileCollisions(pages: [String], otherFiles: [String]) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var generated = Set(pages.map { Routes.outputFile(for: $0).lowercased() })
    for asset in otherFiles { generated.insert(asset.lowercased()) }
    for file in content.staticFiles {
      let target = String(file.path.dropFirst("content/static/".count)).lowercased()
      if generated.contains(target) {
        diagnostics.append(
          .error(
            "static file would overwrite the generated /\(target)",
            at: SourceLocation(file: file.path, line: 0)))
      }
    }
    return diagnostics
  }
}
