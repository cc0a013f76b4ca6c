import Dispatch
import Foundation
import Sealing

/// Ed25519 verifications collected while the chain is replayed and checked on worker threads (by
/// `IndependentEd25519`): they are the costliest part of `verify` (≈ 70 µs each, against ≈ 20 µs
/// for the rest of an entry) and independent of one another once the keys are known. Full
/// batches go to the workers at once, so the replay goes on while earlier batches are verified;
/// at most 64 batches (≈ 20 MB) wait, which bounds memory and lets the replay finish — and the
/// tip tables be checked — while the workers still verify.
struct SignatureBatch {
    struct Job: Sendable {
        let seq: Int64
        let subject: String?
        let key: Ed25519PublicKey
        let message: [UInt8]
        let signature: [UInt8]
        let check: AuditCheckName
        let problem: String
    }

    static let capacity = 2048
    private var jobs: [Job] = []
    private let pool = SignaturePool()

    init() {
        jobs.reserveCapacity(Self.capacity)
    }

    /// Queues one verification; a full batch is handed to the workers.
    mutating func add(_ job: Job) {
        jobs.append(job)
        if jobs.count >= Self.capacity { submit() }
    }

    /// Verifies what is still queued, waits for every batch, and returns the failed jobs.
    mutating func finish() -> [Job] {
        submit()
        return pool.finish()
    }

    private mutating func submit() {
        guard !jobs.isEmpty else { return }
        pool.verify(jobs)
        jobs = []
        jobs.reserveCapacity(Self.capacity)
    }
}

/// The worker side of `SignatureBatch`: a bounded number of batches in flight on the global
/// concurrent queue (which runs one per core), failures collected under a lock.
private final class SignaturePool: @unchecked Sendable {
    private let group = DispatchGroup()
    private let slots = DispatchSemaphore(value: 64)
    private let lock = NSLock()
    private var failed: [SignatureBatch.Job] = []

    /// Starts verifying `jobs`; blocks while 64 batches are already waiting.
    func verify(_ jobs: [SignatureBatch.Job]) {
        slots.wait()
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            let bad = jobs.filter {
                !IndependentEd25519.isValidSignature($0.signature, for: $0.message, publicKey: $0.key.rawRepresentation)
            }
            if !bad.isEmpty {
                lock.lock()
                failed += bad
                lock.unlock()
            }
            slots.signal()
        }
    }

    /// Waits for every batch; the failed jobs, in chain order.
    func finish() -> [SignatureBatch.Job] {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        let result = failed.sorted { $0.seq < $1.seq }
        failed = []
        return result
    }
}
