import Foundation

/// The browsers listening on the events channel; broadcasts Server-Sent Events to them.
public actor EventHub {
  private var listeners: [UUID: AsyncStream<Data>.Continuation] = [:]

  public init() {}

  /// A new listener's stream, starting with `initial` events.
  public func subscribe(initial: [Data]) -> AsyncStream<Data> {
    let id = UUID()
    let (stream, continuation) = AsyncStream<Data>.makeStream(bufferingPolicy: .bufferingNewest(64))
    for event in initial { continuation.yield(event) }
    continuation.onTermination = { [weak self] _ in
      Task { await self?.remove(id) }
    }
    listeners[id] = continuation
    return stream
  }

  private func remove(_ id: UUID) {
    listeners[id] = nil
  }

  public func broadcast(_ event: Data) {
    for continuation in listeners.values { continuation.yield(event) }
  }

  public var count: Int { listeners.count }

  /// Ends every stream (on shutdown).
  public func finishAll() {
    for continuation in listeners.values { continuation.finish() }
    listeners = [:]
  }
}
