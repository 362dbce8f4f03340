import Foundation
import TextRules

/// Starting files for `proximus new`: every field present and explained, in the
/// contributor's language, so a first case study needs no documentation at hand.
public enum Scaffold {
  /// A URL-safe slug: ASCII letters and digits, diacritics folded, words joined by `-`.
  public static func slug(from title: String) -> String {
    String(Slug.folded(title, asciiOnly: true).prefix(80))
  }

  /// Path relative to the root, and the file's text.
  public static func file(
    kind: DocumentKind, title: String, language: String, defaultLanguage: String, today: Date
  ) -> (path: String, text: String) {
    let slug = slug(from: title).isEmpty ? "sans-titre" : slug(from: title)
    let day = DateParser.isoDay(today)
    let suffix = language == defaultLanguage ? "" : ".\(language)"
    let french = language == "fr"
    let quotedTitle = "\"" + title.replacingOccurrences(of: "\"", with: "\\\"") + "\""
    switch kind {
    case .caseStudy:
      let text =
        french
        ? """
        ---
        title: \(quotedTitle)   # nom du projet (obligatoire)
        slug: \(slug)            # adresse de la page : /cases/\(slug)/
        lang: \(language)
        date: \(day)              # date de rédaction de l'étude
        authors: ["Votre nom"]
        description: ""          # une phrase qui résume le projet
        started: 2020            # année de début (nombre)
        # ended: 2023            # année de fin, si le projet s'est arrêté
        status: active           # active | ended | planned
        outcome: ongoing         # success | mixed | failure | ongoing
        topics: []               # identifiants de content/data/topics.yaml
        factors:
          success: []            # identifiants de content/data/factors.yaml (liste success)
          failure: []            # identifiants de content/data/factors.yaml (liste failure)
        localities: []           # identifiants de content/data/localities.csv
        links:                   # sources publiques qui permettent de vérifier les faits
          - title: "Site du projet"
            url: "https://example.org/"
        # translation_of: slug   # si ce fichier traduit une étude existante
        # draft: true            # exclue du site tant que ce n'est pas prêt
        ---
        ## Contexte

        ## Ce qui a fonctionné

        ## Ce qui a freiné le projet

        ## Leçons

        """
        : """
        ---
        title: \(quotedTitle)   # name of the project (required)
        slug: \(slug)            # page address: /\(language)/cases/\(slug)/
        lang: \(language)
        date: \(day)              # date the case study was written
        authors: ["Your name"]
        description: ""          # one sentence summing the project up
        started: 2020            # year it started (a number)
        # ended: 2023            # year it ended, if it did
        status: active           # active | ended | planned
        outcome: ongoing         # success | mixed | failure | ongoing
        topics: []               # ids from content/data/topics.yaml
        factors:
          success: []            # ids from content/data/factors.yaml (success list)
          failure: []            # ids from content/data/factors.yaml (failure list)
        localities: []           # ids from content/data/localities.csv
        links:                   # public sources to check the facts against
          - title: "Project website"
            url: "https://example.org/"
        # translation_of: slug   # if this file translates an existing case study
        # draft: true            # left out of the site until it is ready
        ---
        ## Context

        ## What worked

        ## What held it back

        ## Lessons

        """
      return ("content/cases/\(slug)\(suffix).md", text)
    case .post:
      let text = """
        ---
        layout: post
        title: \(quotedTitle)
        lang: \(language)
        date: \(day)
        authors: ["\(french ? "Votre nom" : "Your name")"]
        description: ""   # \(french ? "une phrase de résumé" : "a one-sentence summary")
        ---

        """
      return ("content/posts/\(day)-\(slug)\(suffix).md", text)
    case .page:
      let text = """
        ---
        title: \(quotedTitle)
        slug: \(slug)   # \(french ? "adresse" : "address"): /\(language == defaultLanguage ? "" : language + "/")\(slug)/
        lang: \(language)
        description: ""
        ---

        """
      return ("content/pages/\(slug)\(suffix).md", text)
    }
  }
}
