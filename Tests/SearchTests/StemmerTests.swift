import Testing

@testable import Search

@Suite struct StemmerTests {
  @Test func frenchSample() throws {
    let cases = try StemCase.sample(language: "french")
    #expect(cases.count >= 300)
    #expect(stemFailures(cases, FrenchStemmer.stem) == [])
  }

  @Test func englishSample() throws {
    let cases = try StemCase.sample(language: "english")
    #expect(cases.count >= 300)
    #expect(stemFailures(cases, EnglishStemmer.stem) == [])
  }

  @Test(.enabled(if: TestPaths.hasSnowballReference, "needs ../shared/data/snowball"))
  func frenchReferenceList() throws {
    let cases = try StemCase.reference(language: "french")
    let failures = stemFailures(cases, FrenchStemmer.stem)
    #expect(failures.isEmpty, "\(failures.count) of \(cases.count): \(failures.prefix(20))")
  }

  @Test(.enabled(if: TestPaths.hasSnowballReference, "needs ../shared/data/snowball"))
  func englishReferenceList() throws {
    let cases = try StemCase.reference(language: "english")
    let failures = stemFailures(cases, EnglishStemmer.stem)
    #expect(failures.isEmpty, "\(failures.count) of \(cases.count): \(failures.prefix(20))")
  }
}
