import Foundation

/// Locations the search tests read from.
enum TestPaths {
  /// `Tests/SearchTests/Fixtures` in the source tree (written to when updating fixtures).
  static let sourceFixtures = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// The fixtures copied into the test bundle.
  static let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!

  /// The full Snowball reference lists, next to the repository when the shared data exists.
  static let snowballReference = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("../shared/data/snowball").standardizedFileURL

  static var hasSnowballReference: Bool {
    FileManager.default.fileExists(
      atPath: snowballReference.appendingPathComponent("french/voc.txt").path)
  }
}

/// Word → expected stem pairs.
struct StemCase {
  var word: String
  var stem: String

  /// Reads `voc.txt` and `output.txt` side by side.
  static func reference(language: String) throws -> [StemCase] {
    let folder = TestPaths.snowballReference.appendingPathComponent(language)
    let words = try lines(folder.appendingPathComponent("voc.txt"))
    let stems = try lines(folder.appendingPathComponent("output.txt"))
    precondition(words.count == stems.count, "\(language) lists differ in length")
    return zip(words, stems).map { StemCase(word: $0, stem: $1) }
  }

  /// Reads the committed sample: a word, a tab, its stem, per line.
  static func sample(language: String) throws -> [StemCase] {
    let file = TestPaths.fixtures.appendingPathComponent("snowball/\(language).txt")
    return try lines(file).map { line in
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      return StemCase(word: String(fields[0]), stem: String(fields[1]))
    }
  }

  private static func lines(_ file: URL) throws -> [String] {
    try String(contentsOf: file, encoding: .utf8)
      .split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }
}

/// The cases whose stem differs from the expected one.
func stemFailures(_ cases: [StemCase], _ stem: (String) -> String) -> [String] {
  cases.compactMap { item in
    let actual = stem(item.word)
    return actual == item.stem ? nil : "\(item.word): expected \(item.stem), got \(actual)"
  }
}
