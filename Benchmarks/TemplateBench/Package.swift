// swift-tools-version: 6.0
import PackageDescription

// Renders one realistic case page through Proximus' Templates, Stencil and swift-mustache.
// Run: swift run -c release TemplateBench
//
// The root package exports no library product and its manifest is not ours to change, so the
// two modules are reached through symlinks (Sources/Templates, Sources/Diagnostics →
// ../../../Sources/…): the very same files, compiled here.
let package = Package(
  name: "TemplateBench",
  platforms: [.macOS(.v14)],
  dependencies: [
    .package(url: "https://github.com/stencilproject/Stencil", from: "0.15.1"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
  ],
  targets: [
    .target(name: "Diagnostics"),
    .target(name: "Templates", dependencies: ["Diagnostics"]),
    .executableTarget(
      name: "TemplateBench",
      dependencies: [
        "Templates",
        .product(name: "Stencil", package: "Stencil"),
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      swiftSettings: [.swiftLanguageMode(.v5)]
    ),
  ],
  swiftLanguageModes: [.v6]
)
