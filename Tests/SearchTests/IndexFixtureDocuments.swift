@testable import Search

/// A small French site: the documents of `Fixtures/index-roundtrip`, which the JS tests read.
enum IndexFixtureDocuments {
  static let french: [SearchDocument] = [
    SearchDocument(
      url: "/cas/incroyables-comestibles/", title: "Les Incroyables Comestibles",
      description: "Des potagers en libre service dans les rues.",
      headings: ["Origines", "Essaimage"],
      body: """
        Né à Todmorden en 2008, le mouvement plante des légumes dans l'espace public. \
        Les habitants partagent les récoltes et l'économie locale en profite.
        """,
      places: ["Todmorden", "Royaume-Uni"], labels: ["Alimentation", "Jardins partagés"],
      date: "2008-03-01", summary: "Des potagers partagés en pleine rue.",
      facets: [
        "topic": ["alimentation"], "factor": ["benevolat", "espace-public"],
        "outcome": ["success"], "country": ["gb"], "lang": ["fr"],
      ]),
    SearchDocument(
      url: "/cas/reseau-amap/", title: "Le réseau des AMAP",
      description: "Associations pour le maintien d'une agriculture paysanne.",
      headings: ["Fonctionnement"],
      body: """
        Les réseaux d'AMAP relient des paysans et des consommateurs. Chaque semaine, \
        un panier de légumes est distribué; l'activité repose sur des bénévoles.
        """,
      places: ["Aubagne", "France"], labels: ["Alimentation", "Économie solidaire"],
      date: "2001-04-01", summary: "Des paniers paysans en circuit court.",
      facets: [
        "topic": ["alimentation", "economie"], "factor": ["benevolat"],
        "outcome": ["success"], "country": ["fr"], "lang": ["fr"],
      ]),
    SearchDocument(
      url: "/cas/cooperative-energie/", title: "Une coopérative d'énergie citoyenne",
      description: "Des éoliennes financées par les habitants.",
      headings: ["Financement", "Gouvernance"],
      body: """
        La coopérative réunit des centaines de sociétaires. Les économies d'énergie et la \
        production locale financent de nouveaux projets. Le jardin partagé voisin en profite.
        """,
      places: ["Béganne", "France"], labels: ["Énergie", "Gouvernance partagée"],
      date: "2014-06-15", summary: "Des éoliennes citoyennes en Bretagne.",
      facets: [
        "topic": ["energie"], "factor": ["gouvernance", "financement"], "outcome": ["mixed"],
        "country": ["fr"], "lang": ["fr"],
      ]),
    SearchDocument(
      url: "/cas/repair-cafe/", title: "Repair Café",
      description: "Réparer ensemble plutôt que jeter.",
      headings: [],
      body: """
        Des bénévoles réparent gratuitement les objets du quotidien. Le premier Repair Café \
        a ouvert à Amsterdam. Un jardin partagé accueille parfois les ateliers.
        """,
      places: ["Amsterdam", "Pays-Bas"], labels: ["Réemploi"], date: nil,
      summary: "Réparer plutôt que jeter.",
      facets: [
        "topic": ["reemploi"], "factor": ["benevolat"], "outcome": ["success"],
        "country": ["nl"], "lang": ["fr"],
      ]),
    SearchDocument(
      url: "/cas/monnaie-locale/", title: "Une monnaie locale complémentaire",
      description: "Une monnaie pour relocaliser l'économie.",
      headings: ["Circulation"],
      body: """
        La monnaie circule entre commerçants du territoire. Le réseau des prestataires \
        s'agrandit, mais l'activité reste modeste.
        """,
      places: ["Toulouse", "France"], labels: ["Économie solidaire"], date: "2011-05-21",
      summary: "Une monnaie qui reste sur le territoire.",
      facets: [
        "topic": ["economie"], "factor": ["gouvernance"], "outcome": ["failure"],
        "country": ["fr"], "lang": ["fr"],
      ]),
  ]
}
