import Foundation

/// FNV-1a, 64 bits: a fast, stable hash of file contents for fingerprinted names and for
/// telling unchanged output files from changed ones. Not for security.
public enum ContentHash {
  public static func value(_ data: Data) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    data.withUnsafeBytes { buffer in
      for byte in buffer {
        hash ^= UInt64(byte)
        hash &*= 0x100_0000_01b3
      }
    }
    return hash
  }

  public static func hex(_ data: Data, length: Int = 16) -> String {
    let text = String(value(data), radix: 16)
    return String((String(repeating: "0", count: 16 - text.count) + text).prefix(length))
  }
}
