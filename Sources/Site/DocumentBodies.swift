import Markdown
import Synchronization

/// The HTML of each document's body in `build`, held apart from the model so that each one is
/// released once its page is written: at 100,000 cases the bodies are the largest part of the
/// model, and nothing but the document's own page shows them (the search index and the
/// open-data files read the plain text). `serve` keeps them in the model instead, for its
/// later updates.
final class DocumentBodies: Sendable {
  private let slots: Mutex<[String]>

  /// Moves the HTML out of `rendered`, leaving it empty there.
  init(taking rendered: inout [RenderedMarkdown?]) {
    var bodies: [String] = []
    bodies.reserveCapacity(rendered.count)
    for position in rendered.indices {
      bodies.append(rendered[position]?.html ?? "")
      rendered[position]?.html = ""
    }
    slots = Mutex(bodies)
  }

  subscript(position: Int) -> String {
    slots.withLock { $0[position] }
  }

  /// Releases the bodies of documents whose pages are written.
  func release(_ positions: some Sequence<Int>) {
    slots.withLock { bodies in
      for position in positions { bodies[position] = "" }
    }
  }
}
