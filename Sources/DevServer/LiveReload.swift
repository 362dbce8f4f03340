import Diagnostics
import Foundation
import Site

/// The live-reload client: a script tag injected into served HTML pages (never into the
/// written site), the script itself, and the JSON form of diagnostics the overlay shows.
public enum LiveReload {
  /// Where the browser listens for Server-Sent Events.
  public static let eventsPath = "/__proximus/events"
  /// Where the client script is served from (an external script, so a strict CSP still runs it).
  public static let scriptPath = "/__proximus/live-reload.js"
  /// The script's URL in pages: its path with a hash of its text, so browsers keep it across
  /// reloads (served as immutable) and fetch it again only when it changes.
  static let scriptURL = scriptPath + "?v=" + ContentHash.hex(Data(script.utf8), length: 10)

  /// `html` with the client script tag inserted before the last `</body>` (or appended).
  /// `build` is the generation the page comes from, so a client that missed a rebuild reloads.
  public static func inject(into html: Data, build: Int) -> Data {
    let tag = Data(
      "<script src=\"\(scriptURL)\" data-proximus-build=\"\(build)\" defer></script>\n".utf8)
    let closing = Array("</body>".utf8)
    let bytes = [UInt8](html)
    var index = bytes.count - closing.count
    while index >= 0 {
      if zip(bytes[index..<index + closing.count], closing).allSatisfy({ lower($0) == $1 }) {
        var result = Data(bytes[..<index])
        result.append(tag)
        result.append(contentsOf: bytes[index...])
        return result
      }
      index -= 1
    }
    return html + tag
  }

  private static func lower(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  /// One diagnostic as the overlay shows it.
  struct OverlayItem: Codable, Equatable {
    var severity: String
    var file: String?
    var line: Int?
    var column: Int?
    var message: String
    var sourceLine: String?
  }

  /// The diagnostics as a JSON array for the `error` event.
  public static func json(_ diagnostics: [Diagnostic]) -> String {
    let items = diagnostics.map { diagnostic in
      OverlayItem(
        severity: diagnostic.severity.rawValue, file: diagnostic.location?.file,
        line: diagnostic.location?.line, column: diagnostic.location?.column,
        message: diagnostic.message
          + diagnostic.notes.map {
            "\n" + ($0.location.map { "\($0.file):\($0.line): " } ?? "") + $0.message
          }
          .joined(),
        sourceLine: diagnostic.sourceLine)
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(items)) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// The `css` event's data: the new build and old → new stylesheet paths.
  public static func stylesheetsJSON(_ swap: [String: String], build: Int) -> String {
    struct Swap: Encodable {
      var build: Int
      var stylesheets: [String: String]
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(Swap(build: build, stylesheets: swap))) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// One Server-Sent Event; `data` is split into `data:` lines.
  public static func event(_ name: String, data: String) -> Data {
    var text = "event: \(name)\n"
    for line in data.split(separator: "\n", omittingEmptySubsequences: false) {
      text += "data: \(line)\n"
    }
    return Data((text + "\n").utf8)
  }

  /// The client: on `reload`, swaps in the page's new body (or reloads, when more than the
  /// body changed or the page runs scripts); shows the overlay on `error`; reloads when the
  /// server's build differs from the page's. Plain DOM; every text goes in as text.
  public static let script = #"""
    (() => {
      "use strict";
      const me = document.currentScript;
      let pageBuild = me ? me.dataset.proximusBuild : null;
      const OVERLAY = "proximus-error-overlay";
      function removeOverlay() {
        const old = document.getElementById(OVERLAY);
        if (old) old.remove();
      }
      function el(tag, style, text) {
        const node = document.createElement(tag);
        if (style) node.style.cssText = style;
        if (text !== undefined && text !== null) node.textContent = String(text);
        return node;
      }
      function showOverlay(items) {
        removeOverlay();
        const panel = el("div",
          "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
          "background:rgba(20,20,24,0.96);color:#f5f5f5;font:14px/1.5 ui-monospace,monospace;");
        panel.id = OVERLAY;
        panel.setAttribute("role", "alertdialog");
        panel.setAttribute("aria-modal", "true");
        panel.setAttribute("aria-labelledby", OVERLAY + "-title");
        const title = el("h2", "margin:0 0 1rem;color:#ff6b6b;font-size:1.3rem;",
          "Build failed: " + items.length + " problem" + (items.length === 1 ? "" : "s"));
        title.id = OVERLAY + "-title";
        panel.append(title);
        const list = el("ol", "margin:0;padding:0;list-style:none;");
        for (const item of items) {
          const entry = el("li", "margin:0 0 1.5rem;");
          let where = item.file || "";
          if (item.file && item.line > 0) {
            where += ":" + item.line;
            if (item.column > 0) where += ":" + item.column;
          }
          const head = el("div", "font-weight:bold;");
          if (where) head.append(el("span", "color:#8ecbff;", where + ": "));
          head.append(el("span", item.severity === "error" ? "color:#ff6b6b;" : "color:#ffd166;",
            item.severity + ": "));
          head.append(el("span", "white-space:pre-wrap;", item.message));
          entry.append(head);
          if (item.sourceLine !== null && item.sourceLine !== undefined) {
            const pre = el("pre", "margin:0.5rem 0 0;padding:0.5rem;background:#000;overflow:auto;");
            let caret = "";
            if (item.column > 0) caret = "\n" + " ".repeat(item.column - 1) + "^";
            pre.textContent = item.sourceLine + caret;
            entry.append(pre);
          }
          list.append(entry);
        }
        panel.append(list);
        panel.append(el("p", "color:#aaa;", "The page updates when the build succeeds again."));
        panel.tabIndex = -1;
        document.body.append(panel);
        panel.focus();
      }
      // Page scripts other than the overlay's own and JSON-LD data.
      function pageScripts(doc) {
        return [...doc.querySelectorAll("script")].filter((script) =>
          script.type !== "application/ld+json" &&
          !(script.getAttribute("src") || "").startsWith("/__proximus/"));
      }
      function headLinks(doc) {
        return [...doc.head.querySelectorAll('link, style, script:not([type="application/ld+json"])')]
          .map((node) => node.outerHTML).join("\n");
      }
      // Swaps in the new body (and title, meta tags and JSON-LD) when nothing else changed and the
      // page runs no script of its own: no reload, the scroll position stays. Else reloads.
      async function update(build) {
        let next;
        try {
          const response = await fetch(location.href, { cache: "no-store" });
          const type = response.headers.get("Content-Type") || "";
          if (!response.ok || !type.startsWith("text/html")) throw new Error(type);
          next = new DOMParser().parseFromString(await response.text(), "text/html");
        } catch (e) {
          location.reload();
          return;
        }
        if (pageScripts(document).length || pageScripts(next).length ||
            headLinks(next) !== headLinks(document) ||
            next.documentElement.lang !== document.documentElement.lang) {
          location.reload();
          return;
        }
        for (const script of next.querySelectorAll('script[src^="/__proximus/"]')) script.remove();
        const data = 'meta, script[type="application/ld+json"]';
        for (const node of document.head.querySelectorAll(data)) node.remove();
        document.head.append(...next.head.querySelectorAll(data));
        document.title = next.title;
        document.body.replaceWith(next.body);
        pageBuild = build;
      }
      function connect() {
        const source = new EventSource("/__proximus/events");
        source.addEventListener("hello", (event) => {
          if (pageBuild !== null && event.data !== pageBuild) location.reload();
        });
        source.addEventListener("reload", (event) => {
          removeOverlay();
          update(event.data);
        });
        source.addEventListener("css", (event) => {
          let swap;
          try { swap = JSON.parse(event.data); } catch (e) { location.reload(); return; }
          removeOverlay();
          const stamp = "proximus=" + swap.build;
          for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
            const url = new URL(link.href, location.href);
            const next = swap.stylesheets[url.pathname];
            if (url.origin !== location.origin || !next) continue;
            link.href = next + "?" + stamp;
          }
          pageBuild = String(swap.build);
        });
        source.addEventListener("error", (event) => {
          if (!event.data) return;
          try { showOverlay(JSON.parse(event.data)); } catch (e) { /* malformed: ignore */ }
        });
      }
      connect();
    })();
    """#
}
