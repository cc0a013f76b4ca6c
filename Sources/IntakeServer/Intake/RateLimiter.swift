import Foundation
import Sealing

/// Per-client rate limits that never store an address.
///
/// A client is keyed by HMAC-SHA256 of its address under a random key that lives only in memory
/// and is replaced every hour, together with all counters: a memory dump shows at most an hour of
/// unlinkable tags, and nothing is ever written down. The table is bounded; when it is full, new
/// clients are refused until the next rotation rather than growing without bound.
public actor RateLimiter {
    public enum Kind: Sendable { case submission, followup }
    public enum Decision: Sendable, Equatable {
        case allowed
        case limited(retryAfterSeconds: Int)
    }

    private let submissionsPerHour: Int
    private let followupsPerMinute: Int
    private let maxClients: Int
    private let time: @Sendable () -> Int64
    private var key: [UInt8] = SecureRandom.bytes(32)
    private var epochHour: Int64
    private var submissions: [[UInt8]: Int] = [:]
    private var followups: [[UInt8]: (minute: Int64, count: Int)] = [:]

    public init(submissionsPerHour: Int, followupsPerMinute: Int, maxClients: Int = 100_000,
                time: @escaping @Sendable () -> Int64) {
        self.submissionsPerHour = submissionsPerHour
        self.followupsPerMinute = followupsPerMinute
        self.maxClients = maxClients
        self.time = time
        self.epochHour = time() / 3600
    }

    /// Counts one request of `kind` from `address` and says whether it may proceed.
    public func check(_ kind: Kind, address: String) -> Decision {
        let now = time()
        rotateIfNeeded(now: now)
        let tag = HMACSHA256.authenticate(Array(address.utf8), key: key)
        switch kind {
        case .submission:
            let count = submissions[tag] ?? 0
            if count == 0 && submissions.count >= maxClients { return .limited(retryAfterSeconds: secondsToNextHour(now)) }
            guard count < submissionsPerHour else { return .limited(retryAfterSeconds: secondsToNextHour(now)) }
            submissions[tag] = count + 1
        case .followup:
            let minute = now / 60
            var entry = followups[tag] ?? (minute, 0)
            if entry.minute != minute { entry = (minute, 0) }
            if entry.count == 0 && followups[tag] == nil && followups.count >= maxClients {
                return .limited(retryAfterSeconds: 60 - Int(now % 60))
            }
            guard entry.count < followupsPerMinute else { return .limited(retryAfterSeconds: 60 - Int(now % 60)) }
            entry.count += 1
            followups[tag] = entry
        }
        return .allowed
    }

    private func secondsToNextHour(_ now: Int64) -> Int { max(1, Int(3600 - now % 3600)) }

    private func rotateIfNeeded(now: Int64) {
        let hour = now / 3600
        guard hour != epochHour else { return }
        epochHour = hour
        key = SecureRandom.bytes(32)
        submissions.removeAll(keepingCapacity: false)
        followups.removeAll(keepingCapacity: false)
    }
}
