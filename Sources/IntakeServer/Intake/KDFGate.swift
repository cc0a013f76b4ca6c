import NIOPosix

/// Bounded concurrency in front of the slow receipt KDF (ARCHITECTURE "Receipts").
///
/// At most `concurrency` derivations run at once, on a dedicated thread pool so they never block
/// the event loops or the cooperative pool; at most `queueLimit` wait. Anything beyond is refused
/// at once (the caller answers 503 with Retry-After) so a flood costs memory in O(queueLimit).
///
/// Follow-ups have their own share: at most `followupConcurrency` of the slots and their own queue
/// of `followupQueueLimit`, and a freed slot goes to a waiting submission first, so a follow-up
/// flood can neither fill the submissions' queue nor hold every slot.
public actor KDFGate {
    /// The gate and its queue are full.
    public struct Full: Error, Sendable {}

    /// Which share of the gate a derivation uses.
    public enum Lane: Sendable { case submission, followup }

    /// Derivations running at once, at least 1.
    public nonisolated let concurrency: Int
    /// Derivations that may wait for a slot.
    public nonisolated let queueLimit: Int
    /// Follow-up derivations running at once.
    public nonisolated let followupConcurrency: Int
    /// Follow-up derivations that may wait.
    public nonisolated let followupQueueLimit: Int
    private let pool: NIOThreadPool
    private var running = 0
    private var followupsRunning = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var followupWaiters: [CheckedContinuation<Void, Never>] = []
    /// Derivations refused because the gate was full, since start (for metrics).
    private(set) public var rejected: Int = 0

    /// `followupConcurrency` 0 means half of `concurrency` (at least one).
    public init(concurrency: Int, queueLimit: Int, followupConcurrency: Int = 0, followupQueueLimit: Int? = nil) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = max(0, queueLimit)
        self.followupConcurrency = followupConcurrency > 0 ? min(followupConcurrency, max(1, concurrency))
                                                           : max(1, max(1, concurrency) / 2)
        self.followupQueueLimit = max(0, followupQueueLimit ?? queueLimit)
        self.pool = NIOThreadPool(numberOfThreads: max(1, concurrency))
        self.pool.start()
    }

    /// Derivations running and waiting now (for metrics).
    public var occupancy: (running: Int, waiting: Int) { (running, waiters.count + followupWaiters.count) }

    /// Follow-up derivations running and waiting now.
    public var followupOccupancy: (running: Int, waiting: Int) { (followupsRunning, followupWaiters.count) }

    /// Runs `work` on the gate's threads once a slot is free; throws `Full` if none will be soon.
    public nonisolated func run<T: Sendable>(_ lane: Lane = .submission, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire(lane)
        do {
            let result = try await pool.runIfActive(work)
            await release(lane)
            return result
        } catch {
            await release(lane)
            throw error
        }
    }

    private func acquire(_ lane: Lane) async throws(Full) {
        switch lane {
        case .submission:
            if running < concurrency {
                running += 1
                return
            }
            guard waiters.count < queueLimit else {
                rejected += 1
                throw Full()
            }
            // The slot is handed over by `release` (running stays incremented for us).
            await withCheckedContinuation { waiters.append($0) }
        case .followup:
            if running < concurrency, followupsRunning < followupConcurrency {
                running += 1
                followupsRunning += 1
                return
            }
            guard followupWaiters.count < followupQueueLimit else {
                rejected += 1
                throw Full()
            }
            // `release` counts us in `running` and `followupsRunning` before resuming us.
            await withCheckedContinuation { followupWaiters.append($0) }
        }
    }

    private func release(_ lane: Lane) {
        if lane == .followup { followupsRunning -= 1 }
        if !waiters.isEmpty {
            waiters.removeFirst().resume()
        } else if !followupWaiters.isEmpty, followupsRunning < followupConcurrency {
            followupsRunning += 1
            followupWaiters.removeFirst().resume()
        } else {
            running -= 1
        }
    }

    /// Stops the thread pool (at shutdown).
    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
