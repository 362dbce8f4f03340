import Foundation

/// A text's letters and digits, folded to lower case without diacritics, with `-` between runs
/// of them: heading ids (`Markdown`, which takes a faster path for Latin text first) and the
/// file names of new documents (`Content.Scaffold`).
public enum Slug {
  /// With `asciiOnly`, a letter still outside ASCII after folding (`Ω`, `ß`) separates runs as
  /// punctuation does, so the slug is a plain file name.
  public static func folded(_ text: String, asciiOnly: Bool = false) -> String {
    let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
    var slug = ""
    var pendingDash = false
    for scalar in folded.unicodeScalars {
      if !asciiOnly || scalar.isASCII,
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
      {
        if pendingDash, !slug.isEmpty { slug += "-" }
        pendingDash = false
        slug.unicodeScalars.append(scalar)
      } else {
        pendingDash = true
      }
    }
    return slug
  }
}
