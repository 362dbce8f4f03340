import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Which `Host` headers the server answers, against DNS rebinding: a page on a foreign name
/// that resolves to 127.0.0.1 must not read the site through the browser.
public struct HostPolicy: Sendable, Equatable {
  /// The address the server listens on, as given (`127.0.0.1`, `::1`, `0.0.0.0`).
  public var boundAddress: String
  /// Names the user allowed with `--allowed-host`, lowercased.
  public var extraNames: Set<String>
  /// This machine's host name, allowed when the server listens beyond loopback.
  public var machineName: String?

  public init(boundAddress: String, extraNames: [String] = [], machineName: String? = nil) {
    self.boundAddress = boundAddress
    self.extraNames = Set(extraNames.map { $0.lowercased() })
    self.machineName = machineName?.lowercased()
  }

  /// Whether the server listens on a loopback address only.
  public var isLoopback: Bool {
    let address = Self.unbracketed(boundAddress.lowercased())
    return address == "localhost" || address == "::1" || address.hasPrefix("127.")
  }

  /// Whether a request with this `Host` header value is answered.
  public func allows(hostHeader: String?) -> Bool {
    guard let hostHeader, let host = Self.hostName(hostHeader) else { return false }
    if ["localhost", "127.0.0.1", "[::1]"].contains(host) { return true }
    let bound = Self.unbracketed(boundAddress.lowercased())
    if Self.unbracketed(host) == bound { return true }
    if isLoopback { return false }
    if Self.isIPLiteral(host) { return true }
    if let machineName, host == machineName { return true }
    return extraNames.contains(host)
  }

  /// Whether an `Origin` header is acceptable for a request that came with `hostHeader`:
  /// absent, or `http://` + the same host and port.
  public func allows(origin: String?, hostHeader: String?) -> Bool {
    guard let origin else { return true }
    guard let hostHeader, allows(hostHeader: hostHeader) else { return false }
    return origin.lowercased() == "http://" + hostHeader.lowercased()
  }

  /// The host of a `Host` header without its port, lowercased, IPv6 literals bracketed;
  /// nil when malformed.
  public static func hostName(_ header: String) -> String? {
    var value = header.trimmingCharacters(in: .whitespaces).lowercased()
    guard !value.isEmpty else { return nil }
    if value.hasPrefix("[") {
      guard let close = value.firstIndex(of: "]") else { return nil }
      let rest = value[value.index(after: close)...]
      guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else {
        return nil
      }
      return String(value[...close])
    }
    if let colon = value.firstIndex(of: ":") {
      guard value[value.index(after: colon)...].allSatisfy(\.isNumber) else { return nil }
      value = String(value[..<colon])
    }
    if value.hasSuffix(".") { value.removeLast() }
    guard !value.isEmpty,
      value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
    else { return nil }
    return value
  }

  static func unbracketed(_ host: String) -> String {
    host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
  }

  /// Whether `host` (as `hostName` returns it) is an IPv4 or bracketed IPv6 literal.
  static func isIPLiteral(_ host: String) -> Bool {
    var buffer = [UInt8](repeating: 0, count: 16)
    if host.hasPrefix("[") {
      return inet_pton(AF_INET6, unbracketed(host), &buffer) == 1
    }
    return inet_pton(AF_INET, host, &buffer) == 1
  }

  /// This machine's host name, if the system knows one.
  public static func currentMachineName() -> String? {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count) == 0 else { return nil }
    let name = String(
      decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return name.isEmpty ? nil : name
  }
}
