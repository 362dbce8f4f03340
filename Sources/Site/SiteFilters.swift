import Diagnostics
import Markdown
import Templates

/// Filters the site adds to the template engine: `asset`, `lurl` and `markdown`.
struct SiteFilters: Sendable {
  let routes: Routes
  /// Theme asset name (`style.css`) → fingerprinted name (`style.1a2b3c4d5e.css`).
  let assetNames: [String: String]
  let markdown: MarkdownRenderer

  var all: [String: Filter] {
    let routes = routes
    let assetNames = assetNames
    let markdown = markdown
    return [
      "asset": { input, _, environment in
        guard case .string(let name) = input else { throw FilterError("asset expects a file name") }
        guard let hashed = assetNames[name] else {
          throw FilterError("the theme has no asset '\(name)' (looked in assets/)")
        }
        return .string(environment.basePath + "assets/" + hashed)
      },
      "lurl": { input, _, environment in
        guard case .string(let path) = input, path.hasPrefix("/") else {
          throw FilterError("lurl expects a site path starting with '/'")
        }
        let localized = routes.prefix(environment.language) + path
        return .string(environment.basePath + localized.dropFirst())
      },
      "markdown": { input, _, environment in
        guard case .string(let text) = input else { return input }
        do throws(Diagnostic) {
          return .html(try markdown.render(text, language: environment.language).html)
        } catch {
          throw FilterError(error.message)
        }
      },
    ]
  }
}
