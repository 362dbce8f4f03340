/// A word's term number and its unaccented variant's (-1 for none); -1 terms for stop words.
private struct WordTerms {
  var term: Int32
  var variant: Int32
}

private struct TermCount {
  var frequency: Int32 = 0
  var fieldBits: Int32 = 0
}

/// The postings of a contiguous run of documents, built by one worker.
struct PartialIndex: Sendable {
  /// Local term number → term.
  var terms: [String] = []
  /// Term → local term number.
  var termNumbers: [String: Int32] = [:]
  /// Flat quadruples in document order: local term number, document number, term frequency,
  /// field bits.
  var postings: [Int32] = []
  /// Per document of the run, the number of terms in each field.
  var fieldLengths: [[Int32]] = []

  /// Analyses `documents[range]`, numbering them from `range.lowerBound`; words new to the run
  /// are looked up in `stems` first.
  init(_ documents: [SearchDocument], range: Range<Int>, analyzer: Analyzer, stems: StemCache) {
    var run = Run(analyzer: analyzer, stems: stems)
    for documentNumber in range {
      let document = documents[documentNumber]
      var lengths = [Int32](repeating: 0, count: IndexedField.allCases.count)
      for field in IndexedField.allCases {
        var length: Int32 = 0
        for text in field.texts(of: document) where !text.isEmpty {
          analyzer.forEachWord(in: text) { word in
            if run.count(word, in: field) { length += 1 }
          }
        }
        lengths[field.rawValue] = length
      }
      run.endDocument(Int32(documentNumber), into: &postings)
      fieldLengths.append(lengths)
    }
    terms = run.terms
    termNumbers = run.termNumbers
  }

  /// The counting state of one run, in one value so its methods mutate it without the dynamic
  /// exclusivity checks that variables captured by nested functions get.
  private struct Run {
    let analyzer: Analyzer
    var terms: [String] = []
    var termNumbers: [String: Int32] = [:]
    /// Word as tokenised → its term numbers.
    var wordTerms = WordTable<WordTerms>()
    /// Per term, its frequency and field bits in the current document.
    var counts: [TermCount] = []
    /// Terms counted in the current document.
    var touched: [Int32] = []

    let stems: StemCache

    init(analyzer: Analyzer, stems: StemCache) {
      self.analyzer = analyzer
      self.stems = stems
    }

    /// Counts the word's terms; false for a stop word.
    mutating func count(_ word: UnsafeBufferPointer<UInt32>, in field: IndexedField) -> Bool {
      let numbers: WordTerms
      if let known = wordTerms[word] {
        numbers = known
      } else {
        numbers = analyse(word)
        wordTerms.insert(numbers, for: word)
      }
      guard numbers.term >= 0 else { return false }
      count(numbers.term, bit: field.bit)
      if numbers.variant >= 0 { count(numbers.variant, bit: field.bit) }
      return true
    }

    private mutating func analyse(_ word: UnsafeBufferPointer<UInt32>) -> WordTerms {
      guard let analysed = stems.analysis(of: Array(word), by: analyzer) else {
        return WordTerms(term: -1, variant: -1)
      }
      let term = number(of: analysed.term)
      let variant = analysed.unaccentedVariant.map { number(of: $0) } ?? -1
      return WordTerms(term: term, variant: variant)
    }

    private mutating func number(of term: String) -> Int32 {
      if let known = termNumbers[term] { return known }
      let new = Int32(terms.count)
      termNumbers[term] = new
      terms.append(term)
      counts.append(TermCount())
      return new
    }

    private mutating func count(_ term: Int32, bit: Int32) {
      let index = Int(term)
      if counts[index].frequency == 0 { touched.append(term) }
      counts[index].frequency += 1
      counts[index].fieldBits |= bit
    }

    /// Appends a posting for each term of the document, and starts the next one.
    mutating func endDocument(_ document: Int32, into postings: inout [Int32]) {
      for term in touched {
        let index = Int(term)
        postings.append(term)
        postings.append(document)
        postings.append(counts[index].frequency)
        postings.append(counts[index].fieldBits)
        counts[index] = TermCount()
      }
      touched.removeAll(keepingCapacity: true)
    }
  }
}
