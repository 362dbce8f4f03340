import Foundation

/// One file of a built index: where it goes under `/search/index/<lang>/`, and its bytes.
public struct IndexFile: Sendable, Equatable {
  /// Path relative to the index folder, e.g. `manifest.json` or `shards/ab.1f2e3d4c.json`.
  public var path: String
  public var contents: Data

  public init(path: String, contents: Data) {
    self.path = path
    self.contents = contents
  }
}
