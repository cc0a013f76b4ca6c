import Foundation
import Sealing

/// Per-client rate limits that never store an address.
///
/// A client is keyed by HMAC-SHA256 of its bucket key (`ClientResolver`) under a random key that
/// lives only in memory and is replaced every hour, together with all counters: a memory dump
/// shows at most an hour of unlinkable tags, and nothing is ever written down.
///
/// Callers `peek` before reading a body (an over-limit client is refused cheaply) and `charge`
/// only once the request has passed validation, so invalid requests cost nothing. The table is
/// bounded: when `maxClients` are tracked, the least recently seen client is forgotten, so a
/// flood of new clients can never lock out the next one.
public actor RateLimiter {
    /// Which limit a request counts against: submissions per hour or follow-ups per minute.
    public enum Kind: Sendable { case submission, followup }
    /// Whether a client may go on, and if not, for how long it must wait.
    public enum Decision: Sendable, Equatable {
        /// The client is within its limit.
        case allowed
        /// The client is over its limit and may retry after this many seconds.
        case limited(retryAfterSeconds: Int)
    }

    private struct Counter {
        var window: Int64
        var count: Int
        var stamp: UInt64
    }

    private let submissionsPerHour: Int
    private let followupsPerMinute: Int
    private let maxClients: Int
    private let time: @Sendable () -> Int64
    private var key: [UInt8] = SecureRandom.bytes(32)
    private var epochHour: Int64
    private var submissions = Table()
    private var followups = Table()
    /// Clients forgotten to make room (for tests and metrics).
    public private(set) var evictions = 0

    /// A limiter with the policy's limits; `time` gives Unix seconds.
    public init(submissionsPerHour: Int, followupsPerMinute: Int, maxClients: Int = 100_000,
                time: @escaping @Sendable () -> Int64) {
        self.submissionsPerHour = submissionsPerHour
        self.followupsPerMinute = followupsPerMinute
        self.maxClients = max(1, maxClients)
        self.time = time
        self.epochHour = time() / 3600
    }

    /// Counts one request of `kind` from `client` and says whether it may proceed.
    public func check(_ kind: Kind, address client: String) -> Decision {
        charge(kind, client: client)
    }

    /// Whether `client` is over its limit now, without counting anything.
    public func peek(_ kind: Kind, client: String) -> Decision {
        let now = time()
        rotateIfNeeded(now: now)
        let tag = self.tag(client)
        let (window, limit) = self.window(kind, now)
        let count = table(kind).count(tag, window: window)
        return count < limit ? .allowed : .limited(retryAfterSeconds: retryAfter(kind, now))
    }

    /// Counts one validated request of `kind` from `client`; `.limited` (and nothing counted) if over.
    public func charge(_ kind: Kind, client: String) -> Decision {
        let now = time()
        rotateIfNeeded(now: now)
        let tag = self.tag(client)
        let (window, limit) = self.window(kind, now)
        var evicted = 0
        let allowed: Bool
        switch kind {
        case .submission: allowed = submissions.increment(tag, window: window, limit: limit, capacity: maxClients, evicted: &evicted)
        case .followup: allowed = followups.increment(tag, window: window, limit: limit, capacity: maxClients, evicted: &evicted)
        }
        evictions += evicted
        return allowed ? .allowed : .limited(retryAfterSeconds: retryAfter(kind, now))
    }

    /// Clients tracked now per kind (for tests).
    public var tracked: (submissions: Int, followups: Int) { (submissions.count, followups.count) }

    private func tag(_ client: String) -> [UInt8] { HMACSHA256.authenticate(Array(client.utf8), key: key) }

    private func table(_ kind: Kind) -> Table { kind == .submission ? submissions : followups }

    private func window(_ kind: Kind, _ now: Int64) -> (Int64, Int) {
        kind == .submission ? (now / 3600, submissionsPerHour) : (now / 60, followupsPerMinute)
    }

    private func retryAfter(_ kind: Kind, _ now: Int64) -> Int {
        kind == .submission ? max(1, Int(3600 - now % 3600)) : max(1, 60 - Int(now % 60))
    }

    private func rotateIfNeeded(now: Int64) {
        let hour = now / 3600
        guard hour != epochHour else { return }
        epochHour = hour
        key = SecureRandom.bytes(32)
        submissions = Table()
        followups = Table()
    }

    /// Counters by tag with least-recently-used eviction in amortised O(1): every touch appends
    /// (tag, stamp) to `order`; eviction pops from the front, skipping entries touched since.
    private struct Table {
        private var counters: [[UInt8]: Counter] = [:]
        private var order: [(tag: [UInt8], stamp: UInt64)] = []
        private var head = 0
        private var clock: UInt64 = 0

        var count: Int { counters.count }

        func count(_ tag: [UInt8], window: Int64) -> Int {
            guard let counter = counters[tag], counter.window == window else { return 0 }
            return counter.count
        }

        mutating func increment(_ tag: [UInt8], window: Int64, limit: Int, capacity: Int, evicted: inout Int) -> Bool {
            clock += 1
            var counter = counters[tag] ?? Counter(window: window, count: 0, stamp: clock)
            if counter.window != window { counter = Counter(window: window, count: 0, stamp: clock) }
            counter.stamp = clock
            let allowed = counter.count < limit
            if allowed { counter.count += 1 }
            if counters[tag] == nil {
                while counters.count >= capacity, head < order.count {
                    let oldest = order[head]
                    head += 1
                    if counters[oldest.tag]?.stamp == oldest.stamp {
                        counters.removeValue(forKey: oldest.tag)
                        evicted += 1
                    }
                }
            }
            counters[tag] = counter
            order.append((tag, clock))
            compactIfNeeded()
            return allowed
        }

        /// Keeps `order` within a constant factor of the table.
        private mutating func compactIfNeeded() {
            guard order.count - head > 2 * counters.count + 1024 else { return }
            order = order[head...].filter { counters[$0.tag]?.stamp == $0.stamp }
            head = 0
        }
    }
}
