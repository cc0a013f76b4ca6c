import NIOPosix

/// Bounded concurrency in front of the slow receipt KDF (ARCHITECTURE "Receipts").
///
/// At most `concurrency` derivations run at once, on a dedicated thread pool so they never block
/// the event loops or the cooperative pool; at most `queueLimit` wait. Anything beyond is refused
/// at once (the caller answers 503 with Retry-After) so a flood costs memory in O(queueLimit).
public actor KDFGate {
    /// The gate and its queue are full.
    public struct Full: Error, Sendable {}

    public nonisolated let concurrency: Int
    public nonisolated let queueLimit: Int
    private let pool: NIOThreadPool
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private(set) public var rejected: Int = 0

    public init(concurrency: Int, queueLimit: Int) {
        self.concurrency = max(1, concurrency)
        self.queueLimit = max(0, queueLimit)
        self.pool = NIOThreadPool(numberOfThreads: max(1, concurrency))
        self.pool.start()
    }

    /// Derivations running and waiting now (for metrics).
    public var occupancy: (running: Int, waiting: Int) { (running, waiters.count) }

    /// Runs `work` on the gate's threads once a slot is free; throws `Full` if none will be soon.
    public nonisolated func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        do {
            let result = try await pool.runIfActive(work)
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private func acquire() async throws(Full) {
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
    }

    private func release() {
        if waiters.isEmpty {
            running -= 1
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// Stops the thread pool (at shutdown).
    public func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
