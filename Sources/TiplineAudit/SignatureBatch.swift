import Dispatch
import Foundation
import Sealing

/// Ed25519 verifications collected while the chain is replayed and checked in parallel batches:
/// they are the costliest part of `verify` and independent of one another once the keys are known.
struct SignatureBatch {
    struct Job {
        let seq: Int64
        let subject: String?
        let key: Ed25519PublicKey
        let message: [UInt8]
        let signature: [UInt8]
        let check: AuditCheckName
        let problem: String
    }

    static let capacity = 2048
    private(set) var jobs: [Job] = []
    private let workers: Int

    init() {
        jobs.reserveCapacity(Self.capacity)
        workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
    }

    var isFull: Bool { jobs.count >= Self.capacity }

    mutating func add(_ job: Job) { jobs.append(job) }

    /// Verifies every job; returns the failed ones, and empties the batch.
    mutating func run() -> [Job] {
        guard !jobs.isEmpty else { return [] }
        let all = jobs
        let valid = UnsafeMutableBufferPointer<Bool>.allocate(capacity: all.count)
        defer { valid.deallocate() }
        valid.initialize(repeating: false)
        let base = valid.baseAddress!
        let workers = min(self.workers, all.count)
        let pointer = UncheckedPointer(base)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            var index = worker
            while index < all.count {
                let job = all[index]
                pointer.base[index] = job.key.isValidSignature(job.signature, for: job.message)
                index += workers
            }
        }
        var failed: [Job] = []
        for (index, job) in all.enumerated() where !valid[index] { failed.append(job) }
        jobs.removeAll(keepingCapacity: true)
        return failed
    }
}

/// Each worker writes only its own indexes of the results buffer.
private struct UncheckedPointer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Bool>
    init(_ base: UnsafeMutablePointer<Bool>) { self.base = base }
}
