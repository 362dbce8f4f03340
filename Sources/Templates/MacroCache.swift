import Foundation
import Synchronization

/// Remembers what macro calls rendered, so the same card is not rendered again on every page
/// that lists it.
///
/// A macro sees nothing but its arguments (its frame is isolated) and filters are pure
/// functions of their input, arguments and the render environment, so a macro's output is a
/// function of (macro, argument values, environment). Macros that contain `include`, `block` or
/// `super()` (whose output also depends on where they are rendered), or call such a macro, are
/// never cached (``TemplateLibrary`` decides at compile time).
///
/// Lists and objects are matched by identity: the model builds each case's card value once and
/// every page shares it, so a key compares in a few instructions instead of walking a whole
/// card. Identity is safe because an entry keeps its arguments alive: a list or object cannot
/// be freed and another take its address while an entry names it, and a storage shared with
/// the cache is never written in place (copy on write). Equal values with different storage
/// only miss the cache and render again, with the same result.
///
/// Shared by the threads rendering one build, in stripes each behind its own lock (a key's hash
/// picks its stripe): a hit costs one short critical section instead of rendering a card with
/// its dozen filters, and two threads rarely wait for each other (behind one lock, the waits in
/// the kernel alone were a twentieth of the template engine's time at 10,000 cases). A miss
/// renders outside the lock. Two threads missing at once both render the same bytes, so output
/// stays identical whoever stores first.
final class MacroCache: Sendable {
  /// A call: the macro's number (``CompiledTemplate/cacheableMacros``), the render
  /// environment's number (``environmentNumber(_:)``) and the argument values. Small and
  /// built per call, so copying it touches no reference shared with other threads.
  struct Key: Hashable, Sendable {
    var macro: Int
    var environment: Int
    var arguments: [Value]

    static func == (lhs: Key, rhs: Key) -> Bool {
      guard lhs.macro == rhs.macro, lhs.environment == rhs.environment,
        lhs.arguments.count == rhs.arguments.count
      else { return false }
      for (left, right) in zip(lhs.arguments, rhs.arguments)
      where !MacroCache.same(left, right) {
        return false
      }
      return true
    }

    func hash(into hasher: inout Hasher) {
      hasher.combine(macro)
      hasher.combine(environment)
      for argument in arguments { MacroCache.hash(argument, into: &hasher) }
    }
  }

  enum Lookup {
    case hit([UInt8])
    /// Not cached yet: render, then ``store(_:for:)`` the output under this key.
    case miss(HashedKey)
    /// The macro's calls rarely repeat: render without storing.
    case skip
  }

  /// A key with its hash, worked out once to pick the stripe and reused by its dictionary, and
  /// by the store after a miss.
  struct HashedKey: Hashable {
    let key: Key
    let hash: Int

    init(_ key: Key) {
      self.key = key
      hash = key.hashValue
    }

    static func == (lhs: HashedKey, rhs: HashedKey) -> Bool {
      lhs.hash == rhs.hash && lhs.key == rhs.key
    }

    func hash(into hasher: inout Hasher) { hasher.combine(hash) }
  }

  private struct Usage {
    var calls = 0
    var hits = 0
    /// Calls rarely repeat (a page's own body, a page's list of cards): looking them up only
    /// costs, and keeping their output would hold whole pages in memory.
    var unrewarding = false
  }

  /// One stripe's entries, and the calls of each macro (by number) it saw, changed by one
  /// call per operation: a class's `var` properties are each checked for exclusivity at run
  /// time, and four checks per lookup cost more than the lookup.
  private final class Stripe: Sendable {
    let state = Mutex(StripeState())
  }

  private struct StripeState {
    var entries: [HashedKey: [UInt8]] = [:]
    var usage: [Usage] = []

    mutating func lookup(_ key: HashedKey) -> Lookup {
      let macro = key.key.macro
      if usage.count <= macro {
        usage += Array(repeating: Usage(), count: macro + 1 - usage.count)
      }
      if usage[macro].unrewarding { return .skip }
      let found = entries[key]
      usage[macro].calls += 1
      if found != nil { usage[macro].hits += 1 }
      let counts = usage[macro]
      if counts.calls >= MacroCache.trialCalls, counts.hits * 32 < counts.calls {
        usage[macro].unrewarding = true
      }
      return found.map(Lookup.hit) ?? .miss(key)
    }
  }

  private static let stripeCount = 16
  private let stripes = (0..<MacroCache.stripeCount).map { _ in Stripe() }
  private let environments = Mutex<[RenderEnvironment]>([])
  /// The most UTF-8 bytes of cached output held at once (a bound on memory for very large
  /// sites; see ``store(_:for:)``).
  private let byteLimit: Int
  private let bytes = Atomic<Int>(0)
  /// Larger outputs are not kept: a big output is a page's own content, rarely repeated.
  static let entryLimit = 16 * 1024
  /// After this many calls of a macro in a stripe (about a thousand in all), it stays cached
  /// there only if a 32nd of them were hits.
  static let trialCalls = 1000 / stripeCount

  init(byteLimit: Int = 256 * 1024 * 1024) {
    self.byteLimit = byteLimit
  }

  /// A number for `environment`, the same for equal environments (one lookup per page).
  func environmentNumber(_ environment: RenderEnvironment) -> Int {
    environments.withLock { environments in
      for (number, known) in environments.enumerated()
      where known.language == environment.language && known.basePath == environment.basePath
        && known.baseURL == environment.baseURL && known.translations == environment.translations
      {
        return number
      }
      environments.append(environment)
      return environments.count - 1
    }
  }

  private func stripe(of key: HashedKey) -> Stripe {
    stripes[Int(UInt(bitPattern: key.hash) % UInt(Self.stripeCount))]
  }

  func lookup(_ key: Key) -> Lookup {
    let key = HashedKey(key)
    return stripe(of: key).state.withLock { $0.lookup(key) }
  }

  /// Keeps `output` for `key`. When that would pass the byte limit, every entry is dropped
  /// first: a build renders in stages (case pages, then each language's lists, topics and
  /// places), each asking again for cards of its own language, so the entries of earlier stages
  /// are the least likely to be asked for. Keeping the first entries instead left the lists of
  /// 100,000 cases rendering 44% of their cards again. Of threads passing the limit at once,
  /// one clears: the one that still finds the total it made when it resets the count.
  func store(_ output: [UInt8], for key: HashedKey) {
    let size = output.count
    guard size <= Self.entryLimit, size <= byteLimit else { return }
    let total = bytes.add(size, ordering: .relaxed).newValue
    if total > byteLimit,
      bytes.compareExchange(expected: total, desired: size, ordering: .relaxed).exchanged
    {
      for stripe in stripes {
        stripe.state.withLock { $0.entries.removeAll(keepingCapacity: true) }
      }
    }
    let replaced = stripe(of: key).state.withLock {
      $0.entries.updateValue(output, forKey: key) != nil
    }
    if replaced { bytes.subtract(size, ordering: .relaxed) }
  }

  var count: Int {
    stripes.reduce(0) { total, stripe in total + stripe.state.withLock { $0.entries.count } }
  }

  /// Scalars by value, lists and objects by identity (``Value/storageIdentity``).
  static func same(_ left: Value, _ right: Value) -> Bool {
    guard let identity = left.storageIdentity else {
      return right.storageIdentity == nil && left == right
    }
    return identity == right.storageIdentity
  }

  static func hash(_ value: Value, into hasher: inout Hasher) {
    switch value {
    case .null: hasher.combine(0)
    case .bool(let flag): hasher.combine(flag)
    case .int(let number): hasher.combine(number)
    case .double(let number): hasher.combine(number)
    case .string(let text), .html(let text): hasher.combine(text)
    case .date(let date): hasher.combine(date)
    case .array, .object: hasher.combine(value.storageIdentity)
    }
  }
}
