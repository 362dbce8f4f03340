/// A word's term number and its unaccented variant's (-1 for none); -1 terms for stop words.
private struct WordTerms {
  var term: Int32
  var variant: Int32
}

/// The postings of a contiguous run of documents, built by one worker.
struct PartialIndex: Sendable {
  /// Local term number → term.
  var terms: [String] = []
  /// Local term number → flat triples: document number, term frequency, field bits.
  var postings: [[Int32]] = []
  /// Per document of the run, the number of terms in each field.
  var fieldLengths: [[Int32]] = []

  /// Analyses `documents[range]`, numbering them from `range.lowerBound`.
  init(_ documents: [SearchDocument], range: Range<Int>, analyzer: Analyzer) {
    var termNumbers: [String: Int32] = [:]
    // Word as tokenised → its term numbers.
    var wordTerms = WordTable<WordTerms>()
    var frequencies: [Int32] = []
    var fieldBits: [Int32] = []
    var touched: [Int32] = []

    func number(of term: String) -> Int32 {
      if let known = termNumbers[term] { return known }
      let new = Int32(terms.count)
      termNumbers[term] = new
      terms.append(term)
      postings.append([])
      frequencies.append(0)
      fieldBits.append(0)
      return new
    }

    func count(_ term: Int32, in field: IndexedField) {
      if frequencies[Int(term)] == 0 { touched.append(term) }
      frequencies[Int(term)] += 1
      fieldBits[Int(term)] |= field.bit
    }

    for documentNumber in range {
      let document = documents[documentNumber]
      var lengths = [Int32](repeating: 0, count: IndexedField.allCases.count)
      for field in IndexedField.allCases {
        for text in field.texts(of: document) where !text.isEmpty {
          analyzer.forEachWord(in: text) { word in
            let numbers: WordTerms
            if let known = wordTerms[word] {
              numbers = known
            } else {
              numbers =
                analyzer.analyse(word).map { analysed in
                  WordTerms(
                    term: number(of: analysed.term),
                    variant: analysed.unaccentedVariant.map(number(of:)) ?? -1)
                } ?? WordTerms(term: -1, variant: -1)
              wordTerms.insert(numbers, for: word)
            }
            guard numbers.term >= 0 else { return }
            lengths[field.rawValue] += 1
            count(numbers.term, in: field)
            if numbers.variant >= 0 { count(numbers.variant, in: field) }
          }
        }
      }
      for term in touched {
        postings[Int(term)].append(Int32(documentNumber))
        postings[Int(term)].append(frequencies[Int(term)])
        postings[Int(term)].append(fieldBits[Int(term)])
        frequencies[Int(term)] = 0
        fieldBits[Int(term)] = 0
      }
      touched.removeAll(keepingCapacity: true)
      fieldLengths.append(lengths)
    }
  }
}
