import Foundation

/// The global budget of request-body bytes held in memory at once (rule 5: bound every input).
///
/// Every body is charged as its bytes arrive and released when its request is answered, so the
/// bodies in flight never hold more than `total` bytes, however many uploads are open or stall.
/// Large bodies (multipart with evidence) may use all but `smallReserve`; that reserve is kept
/// for small bodies (JSON tips, forms, follow-ups), so stalled uploads cannot starve plain tips.
/// When a body does not fit, the request is answered 503 with Retry-After at once.
final class BodyBudget: @unchecked Sendable {
    let total: Int
    let smallReserve: Int
    private let lock = NSLock()
    private var used = 0
    private var highWater = 0

    init(total: Int, smallReserve: Int) {
        self.total = total
        self.smallReserve = min(smallReserve, total)
    }

    /// Bytes held now, and the most ever held (for metrics and tests).
    var inUse: Int { lock.withLock { used } }
    var peak: Int { lock.withLock { highWater } }

    /// Whether `bytes` more would fit now (admission before reading).
    func fits(_ bytes: Int, small: Bool) -> Bool {
        lock.withLock { used + bytes <= (small ? total : total - smallReserve) }
    }

    /// Takes `bytes` if they fit.
    func take(_ bytes: Int, small: Bool) -> Bool {
        lock.withLock {
            guard used + bytes <= (small ? total : total - smallReserve) else { return false }
            used += bytes
            highWater = max(highWater, used)
            return true
        }
    }

    func give(_ bytes: Int) {
        lock.withLock { used -= bytes }
    }
}

/// One request's share of the `BodyBudget`; `release()` (idempotent) returns all of it.
/// Controllers release it when the request is answered (`defer`).
final class BodyLease: @unchecked Sendable {
    let budget: BodyBudget
    private let lock = NSLock()
    private var held = 0

    init(_ budget: BodyBudget) { self.budget = budget }

    func take(_ bytes: Int, small: Bool) -> Bool {
        guard budget.take(bytes, small: small) else { return false }
        lock.withLock { held += bytes }
        return true
    }

    func release() {
        let bytes = lock.withLock { () -> Int in
            defer { held = 0 }
            return held
        }
        if bytes > 0 { budget.give(bytes) }
    }

    deinit { release() }
}

/// How request bodies are read on the public listener: within the budget and before the deadline.
struct BodyLimits: Sendable {
    let budget: BodyBudget
    /// A whole body must arrive within this time (a drip-feed cannot hold a slot forever).
    let readTimeout: Duration
    /// Bodies up to this size may use the budget's small reserve.
    let smallBodyBytes: Int
    let retryAfterSeconds: Int

    func lease() -> BodyLease { BodyLease(budget) }
}
