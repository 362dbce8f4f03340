import Diagnostics
import Foundation
import Templates

/// Compiles `text` as `page.html` (plus `others`) and renders it.
func render(
  _ text: String, _ context: [String: Value] = [:], environment: RenderEnvironment = .init(),
  others: [TemplateSource] = [], filters: [String: Filter] = [:]
) throws -> String {
  let library = try TemplateLibrary(
    sources: [TemplateSource(name: "page.html", path: "templates/page.html", text: text)] + others,
    filters: filters)
  return try library.renderText("page.html", context: context, environment: environment)
}

extension TemplateLibrary {
  /// ``render(_:context:environment:)``, decoded as text.
  func renderText(
    _ name: String, context: [String: Value], environment: RenderEnvironment
  ) throws(DiagnosticList) -> String {
    String(decoding: try render(name, context: context, environment: environment), as: UTF8.self)
  }
}

/// The diagnostics `body` throws, or an empty list when it does not throw.
func diagnostics(_ body: () throws -> Void) -> [Diagnostic] {
  do {
    try body()
    return []
  } catch let list as DiagnosticList {
    return list.sorted
  } catch {
    return [Diagnostic.error("unexpected error \(error)")]
  }
}

func source(_ name: String, _ text: String) -> TemplateSource {
  TemplateSource(name: name, path: "templates/\(name)", text: text)
}

/// 2017-05-08 00:00 UTC.
let may8 = Date(timeIntervalSince1970: 1_494_201_600)
