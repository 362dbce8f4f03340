import Content
import Foundation

/// Versions of one text (an original and its translations) seen as one entry: lists show it
/// once, counts count it once, and each language shows its own version when there is one.
struct TranslationGroups: Sendable {
  struct Group: Sendable {
    /// Document indices of every version, the original first.
    var members: [Int]
    var original: Int { members[0] }
  }

  let groups: [Group]
  /// Document index → group index.
  let groupOf: [Int: Int]

  init(documents: [Document], kind: DocumentKind, index: CrossIndex) {
    var groups: [Group] = []
    let keys = Set(
      documents.indices.filter { documents[$0].kind == kind }.map {
        CrossIndex.translationKey(of: documents[$0])
      })
    for key in keys.sorted() {
      guard let members = index.translations[key] else { continue }
      let ordered = members.sorted { lhs, rhs in
        (documents[lhs].translationOf == nil ? 0 : 1, documents[lhs].language)
          < (documents[rhs].translationOf == nil ? 0 : 1, documents[rhs].language)
      }
      groups.append(Group(members: ordered))
    }
    // The sort reads three fields of each original, not a copy of the whole document.
    let originals = groups.map { ListOrder(documents[$0.original]) }
    let order = groups.indices.sorted { originals[$0].precedes(originals[$1]) }
    var sortedGroups: [Group] = []
    var sortedGroupOf: [Int: Int] = [:]
    for old in order {
      for member in groups[old].members { sortedGroupOf[member] = sortedGroups.count }
      sortedGroups.append(groups[old])
    }
    self.groups = sortedGroups
    self.groupOf = sortedGroupOf
  }

  /// List order of group originals: newest first, then by title, so lists and previous/next
  /// follow one stable order.
  struct ListOrder {
    var date: Date
    var title: String
    var path: String

    init(_ document: Document) {
      (date, title, path) = (document.date ?? .distantPast, document.title, document.sourcePath)
    }

    func precedes(_ other: ListOrder) -> Bool {
      if date != other.date { return date > other.date }
      if title != other.title { return title < other.title }
      return path < other.path
    }
  }

  static func precedes(_ left: Document, _ right: Document) -> Bool {
    ListOrder(left).precedes(ListOrder(right))
  }

  /// Whether `group` still sorts between its neighbours in `documents` (after an edit of its
  /// original's title).
  func keepsOrder(of group: Int, in documents: [Document]) -> Bool {
    let original = documents[groups[group].original]
    if group > 0, !Self.precedes(documents[groups[group - 1].original], original) { return false }
    if group + 1 < groups.count, !Self.precedes(original, documents[groups[group + 1].original]) {
      return false
    }
    return true
  }

  /// The version of `group` to show on pages in `language`.
  func preferred(_ group: Int, language: String, documents: [Document]) -> Int {
    groups[group].members.first { documents[$0].language == language } ?? groups[group].original
  }

  /// Groups of the given documents, each once, in list order.
  func groupsOf(_ documentIndices: [Int]) -> [Int] {
    Array(Set(documentIndices.compactMap { groupOf[$0] })).sorted()
  }
}
