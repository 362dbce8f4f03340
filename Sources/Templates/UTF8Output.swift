/// Rendering writes UTF-8 bytes into one `[UInt8]`: appending a string's bytes is one copy,
/// where appending to a `String` also kept its counts and flags at every call (a fifth of the
/// renderer's instructions went to `String.append`). The page goes to disk as these bytes.
extension Array where Element == UInt8 {
  /// Appends the UTF-8 bytes of `text`.
  @inline(__always)
  mutating func appendUTF8(_ text: String) {
    var text = text
    text.withUTF8 { append(contentsOf: $0) }
  }
}
