import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

/// Issue 13 item 10 at the store: files a reporter adds are written with one signed audit entry each in
/// the same transaction; the per-tip bound is checked inside the write, so concurrent uploads never
/// exceed it and a refused batch writes nothing.
@Suite("SQLite store: files added by the reporter")
struct ReporterEvidenceStoreTests {
    static func file() -> (uid: String, envelope: Data) {
        (Hex.encode(SecureRandom.bytes(16)), Data(SecureRandom.bytes(64)))
    }

    @Test("Each file is a row and an evidence.reporter entry with its hash; a batch over the bound writes nothing; the chain verifies")
    func boundAndAudit() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let stored = try await store.insert(try fixture.newTip())
        let first = [Self.file(), Self.file()]
        #expect(try await store.addReporterEvidence(tipID: stored.id, files: first, maxFiles: 3, at: stored.receivedAt + 60) == 2)
        await #expect(throws: StoreError.self) {
            try await store.addReporterEvidence(tipID: stored.id, files: [Self.file(), Self.file()], maxFiles: 3, at: stored.receivedAt + 61)
        }
        let (rows, details) = try await fixture.database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_evidence_added") ?? -1,
             try String.fetchAll(db, sql: "SELECT details FROM audit_entry WHERE action = 'evidence.reporter' ORDER BY seq"))
        }
        #expect(rows == 2 && details.count == 2)
        #expect(details[0].contains(first[0].uid) && details[0].contains(Hashing.sha256Hex(Array(first[0].envelope))))
        #expect(details[1].contains("\"files\":\"2\""))
        #expect(try fixture.verify().isIntact)
        let view = try #require(try await store.followup(tipID: stored.id))
        #expect(view.addedEvidence == 2 && view.intakeEvidence == 0 && !view.contentDestroyed)
    }

    @Test("Concurrent uploads to one tip never exceed the bound")
    func concurrentUploads() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let stored = try await store.insert(try fixture.newTip())
        let accepted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    (try? await store.addReporterEvidence(tipID: stored.id, files: [Self.file()], maxFiles: 5, at: stored.receivedAt + 1)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(accepted == 5)
        #expect(try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip_evidence_added") } == 5)
    }
}
