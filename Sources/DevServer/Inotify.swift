#if canImport(Glibc)
  import Glibc
#endif

/// A thin, blocking wrapper over one Linux inotify instance.
public final class Inotify: Sendable {
  /// One event as the kernel reported it; `name` is empty for events on the watched path itself.
  public struct Event: Sendable, Equatable {
    public var watch: Int32
    public var mask: UInt32
    public var cookie: UInt32
    public var name: String

    public var isDirectory: Bool { mask & Inotify.isDirectory != 0 }
  }

  public static let closeWrite: UInt32 = 0x0000_0008
  public static let movedFrom: UInt32 = 0x0000_0040
  public static let movedTo: UInt32 = 0x0000_0080
  public static let create: UInt32 = 0x0000_0100
  public static let delete: UInt32 = 0x0000_0200
  public static let deleteSelf: UInt32 = 0x0000_0400
  public static let moveSelf: UInt32 = 0x0000_0800
  public static let queueOverflow: UInt32 = 0x0000_4000
  public static let ignored: UInt32 = 0x0000_8000
  public static let onlyDirectory: UInt32 = 0x0100_0000
  public static let dontFollow: UInt32 = 0x0200_0000
  public static let isDirectory: UInt32 = 0x4000_0000
  /// Everything an editor's save can look like, including write-to-temp-then-rename.
  public static let changes: UInt32 =
    closeWrite | movedFrom | movedTo | create | delete | deleteSelf | moveSelf

  public struct Failure: Error, CustomStringConvertible {
    public var description: String
  }

  private let descriptor: Int32

  public init() throws(Failure) {
    let fd = inotify_init1(Int32(IN_CLOEXEC) | Int32(IN_NONBLOCK))
    guard fd >= 0 else {
      throw Failure(description: "inotify_init1 failed: \(String(cString: strerror(errno)))")
    }
    descriptor = fd
  }

  deinit {
    close(descriptor)
  }

  /// Watches `path` (never through a symbolic link); returns the watch descriptor.
  public func addWatch(_ path: String, mask: UInt32 = Inotify.changes) throws(Failure) -> Int32 {
    let watch = inotify_add_watch(descriptor, path, mask | Inotify.dontFollow)
    guard watch >= 0 else {
      throw Failure(description: "cannot watch \(path): \(String(cString: strerror(errno)))")
    }
    return watch
  }

  public func removeWatch(_ watch: Int32) {
    _ = inotify_rm_watch(descriptor, watch)
  }

  /// Waits up to `timeout` milliseconds for events and returns those available (maybe none).
  public func read(timeout: Int32) -> [Event] {
    var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
    guard poll(&poller, 1, timeout) > 0 else { return [] }
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
    guard count > 0 else { return [] }
    return Self.parse(buffer[0..<count])
  }

  /// Splits a buffer of `struct inotify_event` records (16-byte header, then a NUL-padded name).
  static func parse(_ bytes: ArraySlice<UInt8>) -> [Event] {
    var events: [Event] = []
    var offset = bytes.startIndex
    let header = 16
    while offset + header <= bytes.endIndex {
      func word(_ at: Int) -> UInt32 {
        bytes[offset + at..<offset + at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) }
      }
      let length = Int(word(12))
      let nameStart = offset + header
      guard nameStart + length <= bytes.endIndex else { break }
      let nameBytes = bytes[nameStart..<nameStart + length].prefix { $0 != 0 }
      events.append(
        Event(
          watch: Int32(bitPattern: word(0)), mask: word(4), cookie: word(8),
          name: String(decoding: nameBytes, as: UTF8.self)))
      offset = nameStart + length
    }
    return events
  }
}
