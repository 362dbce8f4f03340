import Foundation

/// The default theme (`themes/default/` in the repository), compiled into the binary.
public enum DefaultTheme {
  /// Theme-relative path (`templates/base.html`) → file bytes.
  public static let files: [String: Data] = {
    var files: [String: Data] = [:]
    for (path, base64) in encodedFiles {
      files[path] = Data(base64Encoded: base64)
    }
    return files
  }()
}
