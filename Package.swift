// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "Proximus",
  platforms: [.macOS(.v14)],
  products: [
    .executable(name: "proximus", targets: ["proximus"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
    .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
  ],
  targets: [
    // C shim over Debian's libcmark-gfm-dev and libcmark-gfm-extensions-dev.
    .systemLibrary(
      name: "CCmarkGFM",
      pkgConfig: "libcmark-gfm",
      providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
    ),
    // Linux file-system calls Swift's Glibc module does not expose (renameat2).
    .target(name: "CFileSystem"),
    // mimalloc, linked in place of glibc's malloc (Debian's libmimalloc-dev).
    .systemLibrary(name: "CMimalloc", providers: [.apt(["libmimalloc-dev"])]),
    // parallelMap: the build's one tool for spreading work over every core.
    .target(name: "Parallelism", dependencies: ["CMimalloc"]),
    // The one diagnostic type (file, line, column, message) every module reports with.
    .target(name: "Diagnostics"),
    // Rules of text that several modules apply alike (white space, slugs).
    .target(name: "TextRules"),
    // Markdown → HTML through cmark-gfm; the only module that touches C.
    .target(name: "Markdown", dependencies: ["CCmarkGFM", "Diagnostics", "TextRules"]),
    // The template engine: lexer → parser → AST → renderer, contextual autoescape.
    .target(name: "Templates", dependencies: ["Diagnostics"]),
    // Text analysis (Snowball stemmers) and the sharded JSON search index.
    .target(name: "Search", dependencies: ["Parallelism"]),
    // The portal model: config, front matter, cases, posts, pages, localities, vocabularies.
    .target(
      name: "Content",
      dependencies: [
        "Diagnostics", "Parallelism", "TextRules",
        .product(name: "Yams", package: "Yams"),
        .product(name: "SwiftCSV", package: "SwiftCSV"),
      ]
    ),
    // themes/default embedded into the binary by a build-tool plugin.
    .executableTarget(name: "ThemeEmbedder"),
    .plugin(name: "EmbedThemePlugin", capability: .buildTool(), dependencies: ["ThemeEmbedder"]),
    .target(name: "DefaultTheme", plugins: ["EmbedThemePlugin"]),
    // The build, as ordered named phases: load → parse → resolve → render → index → write.
    .target(
      name: "Site",
      dependencies: [
        "Diagnostics", "Parallelism", "Markdown", "Templates", "Content", "Search", "DefaultTheme",
        "CFileSystem",
      ]
    ),
    // `proximus serve`: in-memory builds served over HTTP, inotify watching, live reload.
    .target(
      name: "DevServer",
      dependencies: [
        "Site", "Diagnostics",
        .product(name: "FlyingFox", package: "FlyingFox"),
        .product(name: "FlyingSocks", package: "FlyingFox"),
      ]
    ),
    // The thin command-line front end.
    .executableTarget(
      name: "proximus",
      dependencies: [
        "Site", "Diagnostics", "Content", "DevServer", "Parallelism",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ]
    ),
    .testTarget(name: "ParallelismTests", dependencies: ["Parallelism"]),
    .testTarget(name: "TextRulesTests", dependencies: ["TextRules"]),
    .testTarget(name: "MarkdownTests", dependencies: ["Markdown", "TextRules"]),
    .testTarget(name: "TemplatesTests", dependencies: ["Templates", "Diagnostics"]),
    .testTarget(name: "SearchTests", dependencies: ["Search"], resources: [.copy("Fixtures")]),
    .testTarget(name: "ContentTests", dependencies: ["Content", "Diagnostics"]),
    .testTarget(name: "DevServerTests", dependencies: ["DevServer", "Diagnostics"]),
    .testTarget(
      name: "SiteTests",
      dependencies: ["Site", "Content", "Diagnostics", "Markdown", "Search"],
      resources: [.copy("Fixtures")]
    ),
  ],
  swiftLanguageModes: [.v6]
)
