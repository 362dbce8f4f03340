import Markdown
import Synchronization

/// The HTML of each document's body in `build`, held apart from the model so that each one is
/// released once its page is written: at 100,000 cases the bodies are the largest part of the
/// model, and nothing but the document's own page shows them (the search index and the
/// open-data files read the plain text). A body taken from the Markdown cache is read from its
/// file only when its page is made. `serve` keeps the bodies in the model instead, for its later
/// updates.
final class DocumentBodies: Sendable {
  private enum Body {
    case html(String)
    case cached(CachedHTML)
  }

  private let slots: Mutex<[Body]>
  private let file: MarkdownCacheFile?
  private let unreadable = Mutex(false)

  /// Moves the HTML out of `rendered`, leaving it empty there; a body with a `cached` location
  /// is read from `file`.
  init(taking rendered: inout [RenderedMarkdown?], cached: [CachedHTML?], file: MarkdownCacheFile?)
  {
    var bodies: [Body] = []
    bodies.reserveCapacity(rendered.count)
    for position in rendered.indices {
      if let location = cached[position] {
        bodies.append(.cached(location))
      } else {
        bodies.append(.html(rendered[position]?.html ?? ""))
        rendered[position]?.html = ""
      }
    }
    slots = Mutex(bodies)
    self.file = file
  }

  subscript(position: Int) -> String {
    switch slots.withLock({ $0[position] }) {
    case .html(let html):
      return html
    case .cached(let location):
      if let html = file?.html(location) { return html }
      unreadable.withLock { $0 = true }
      return ""
    }
  }

  /// Whether a body could not be read from the Markdown cache file (the build then fails).
  var hadUnreadableBody: Bool { unreadable.withLock { $0 } }

  /// Releases the bodies of documents whose pages are written.
  func release(_ positions: some Sequence<Int>) {
    slots.withLock { bodies in
      for position in positions { bodies[position] = .html("") }
    }
  }
}
