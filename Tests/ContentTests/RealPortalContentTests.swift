import Diagnostics
import Foundation
import Testing

@testable import Content

/// The repository's own `content/` is the portal users publish: it must load cleanly and every
/// case must carry the structured facts and sources the portal promises.
@Suite struct RealPortalContentTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  func load() -> (SiteContent, [Diagnostic]) {
    let text =
      (try? String(contentsOf: Self.root.appending(path: "proximus.yml"), encoding: .utf8)) ?? ""
    let config = SiteConfig.load(text, path: "proximus.yml").0
    return ContentLoader(tree: SourceTree(root: Self.root), config: config).load()
  }

  @Test func contentLoadsWithoutProblems() {
    let (_, problems) = load()
    #expect(problems.map(\.formatted) == [])
  }

  @Test func everyCaseHasOutcomeFactorsLocalitiesAndSources() throws {
    let (content, _) = load()
    let cases = content.documents.filter { $0.kind == .caseStudy }
    #expect(cases.count >= 6)
    for document in cases {
      let details = try #require(document.details, "\(document.sourcePath)")
      #expect(details.outcome != nil, "\(document.sourcePath) has no outcome")
      #expect(details.status != nil, "\(document.sourcePath) has no status")
      #expect(details.started != nil, "\(document.sourcePath) has no start year")
      #expect(
        !(details.successFactors + details.failureFactors).isEmpty,
        "\(document.sourcePath) cites no factor")
      #expect(!details.localities.isEmpty, "\(document.sourcePath) has no locality")
      #expect(!details.links.isEmpty, "\(document.sourcePath) has no source link")
      for link in details.links {
        #expect(link.url.hasPrefix("https://") || link.url.hasPrefix("http://"), "\(link.url)")
      }
    }
    #expect(
      cases.contains { $0.details?.outcome == "failure" }, "failure factors need failed cases")
    #expect(cases.filter { $0.language == "en" }.count >= 3)
  }

  @Test func everyLocalityLiesInsideItsCountry() throws {
    let (content, _) = load()
    #expect(content.localities.count > 0)
    for locality in content.localities {
      let country = try #require(Country.named(code: locality.country), "\(locality.id)")
      let bounds = try #require(country.bounds, "\(locality.id): \(country.code) has no bounds")
      #expect(
        bounds.contains(latitude: locality.latitude, longitude: locality.longitude),
        "\(locality.id) (\(locality.latitude), \(locality.longitude)) is outside \(country.nameEN)")
    }
  }

  @Test func everyVocabularyEntryHasBothLabelsAndADefinition() {
    let (content, _) = load()
    for topic in content.topics {
      #expect(topic.label.values["fr"] != nil && topic.label.values["en"] != nil, "\(topic.id)")
      #expect(
        topic.description.values["fr"] != nil && topic.description.values["en"] != nil,
        "\(topic.id)")
    }
    for factor in content.factors {
      #expect(factor.label.values["fr"] != nil && factor.label.values["en"] != nil, "\(factor.id)")
      #expect(
        factor.description.values["fr"] != nil && factor.description.values["en"] != nil,
        "\(factor.id)")
    }
    #expect(content.factors.contains { $0.polarity == .failure })
  }
}
