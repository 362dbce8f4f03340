import Synchronization

/// The analyses of the words met so far by one index build, shared by its runs, so a word is
/// stemmed once per build rather than once per run that meets it. Words are as `forEachWord`
/// gives them, and all must be analysed by the same analyzer.
final class StemCache: Sendable {
  private let entries = Mutex<[[UInt32]: Analyzer.AnalysedWord?]>([:])

  /// Words analysed so far (stop words included).
  var count: Int { entries.withLock { $0.count } }

  /// `analyzer.analyse(word)`, computed once per word.
  func analysis(of word: [UInt32], by analyzer: Analyzer) -> Analyzer.AnalysedWord? {
    if let known = entries.withLock({ $0[word] }) { return known }
    let analysed = analyzer.analyse(word)
    entries.withLock { $0[word] = analysed }
    return analysed
  }
}
