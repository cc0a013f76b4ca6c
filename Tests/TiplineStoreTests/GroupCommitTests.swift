import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

/// Group commit of intake inserts (`TipWriteBatcher`): tips that queue behind a commit share the
/// next transaction, each in its own savepoint, and are acknowledged only after it commits.
@Suite("Group commit")
struct GroupCommitTests {
    /// Holds the database's single writer until `release()`, so that inserts pile up behind it.
    final class WriterHold: @unchecked Sendable {
        private let lock = NSLock()
        private var inside = false
        private let gate = DispatchSemaphore(value: 0)
        private var task: Task<Void, any Error>?

        static func start(_ database: AppDatabase) async throws -> WriterHold {
            let hold = WriterHold()
            hold.task = Task {
                try await database.writer.write { _ in
                    hold.lock.withLock { hold.inside = true }
                    hold.gate.wait()  // blocks GRDB's writer queue, not a cooperative thread
                }
            }
            while !hold.lock.withLock({ hold.inside }) { try await Task.sleep(for: .milliseconds(5)) }
            return hold
        }

        func release() async throws {
            gate.signal()
            try await task?.value
        }
    }

    @Test("A failing tip in a batch rolls back alone: the others commit with gap-free references and audit entries")
    func savepointPerTip() async throws {
        let fixture = try TemporaryDatabase()
        var bad = try fixture.newTip()
        bad.wrapCentres = [:]  // fails after its tip row, inside its savepoint
        let tips = [try fixture.newTip(), bad, try fixture.newTip()]
        let results = await TipWriteBatcher.write(tips.map { ($0, $0.digest) }, database: fixture.database,
                                                  signer: fixture.signer)
        #expect(results.count == 3)
        let first = try results[0].get()
        #expect(throws: StoreError.self) { try results[1].get() }
        let third = try results[2].get()
        #expect(first.reference.serial == 1)
        #expect(third.reference.serial == 2)
        let badUID = bad.uid
        let counts = try await fixture.database.writer.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM tip"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry WHERE action = 'tip.received'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM tip WHERE uid = ?", arguments: [badUID])]
        }
        #expect(counts == [2, 2, 0])
        #expect(try fixture.verify().isIntact)
    }

    @Test("Inserts that queue behind a commit share one transaction; each is answered after it commits")
    func batching() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let tips = try (0..<20).map { _ in try fixture.newTip() }
        let hold = try await WriterHold.start(fixture.database)
        let inserts = Task {
            try await withThrowingTaskGroup(of: StoredTip.self) { group in
                for tip in tips { group.addTask { try await store.insert(tip) } }
                return try await group.reduce(into: [StoredTip]()) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        // Nothing is acknowledged while the writer is held: nothing has committed.
        #expect(await store.batcher.tipsWritten == 0)
        try await hold.release()
        let stored = try await inserts.value
        #expect(Set(stored.map(\.reference.serial)) == Set(1...20))
        let batches = await store.batcher.batches
        #expect(batches <= 2, "20 queued inserts took \(batches) transactions")
        #expect(try await store.tipCount() == 20)
        #expect(try fixture.verify().isIntact)
    }

    @Test("maxBatch bounds a transaction")
    func maxBatch() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer, maxBatch: 4)
        let tips = try (0..<20).map { _ in try fixture.newTip() }
        let hold = try await WriterHold.start(fixture.database)
        let inserts = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for tip in tips { group.addTask { _ = try await store.insert(tip) } }
                try await group.waitForAll()
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        try await hold.release()
        try await inserts.value
        #expect(await store.batcher.batches >= 5)
        #expect(await store.batcher.tipsWritten == 20)
        #expect(try fixture.verify().isIntact)
    }
}
