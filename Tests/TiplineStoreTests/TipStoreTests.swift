import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

@Suite("SQLite store")
struct TipStoreTests {
    @Test("Pragmas: WAL, synchronous=FULL, secure_delete, foreign keys, trusted_schema off")
    func pragmas() throws {
        let fixture = try TemporaryDatabase()
        let pragmas = try fixture.database.pragmas()
        #expect(pragmas["journal_mode"] == "wal")
        #expect(pragmas["synchronous"] == "2")  // FULL
        #expect(pragmas["secure_delete"] == "1")
        #expect(pragmas["foreign_keys"] == "1")
        #expect(pragmas["trusted_schema"] == "0")
        #expect(pragmas["temp_store"] == "2")  // MEMORY: savepoint journals never reach a temporary file
    }

    @Test("ISO8601.string matches ISO8601DateFormatter (UTC, internet date-time) across centuries")
    func iso8601() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        var samples: [Int64] = [0, 1, 59, 60, 86_399, 86_400, 951_782_400, 951_868_799, 1_709_164_800, 1_780_000_000,
                                4_102_444_800, 253_402_300_799, -1, -86_400, -2_208_988_800]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2_000 { samples.append(Int64.random(in: -2_208_988_800...4_102_444_800, using: &rng)) }
        for seconds in samples {
            #expect(ISO8601.string(fromSeconds: seconds) == formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds))),
                    "\(seconds)")
        }
    }

    @Test("Insert stores the tip, its fields, wraps and one signed audit entry in one transaction")
    func insert() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let tip = try fixture.newTip(identity: [("reporter.name", Array("王五".utf8))])
        let stored = try await store.insert(tip)
        #expect(stored.reference.rawValue.hasPrefix("GY-2026-"))
        #expect(fixture.signerKey.publicKey.isValidSignature(stored.proof, for: ProofOfReport.message(
            reference: stored.reference, receivedAt: stored.receivedAt, submissionHash: stored.submissionHash)))
        let counts = try await fixture.database.writer.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_field"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_wrap"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry WHERE action = 'tip.received' AND subject = ?",
                              arguments: [stored.reference.rawValue])]
        }
        #expect(counts == [2, 4, 1])
        #expect(try fixture.verify().isIntact)
    }

    @Test("A failing insert leaves nothing behind: no tip, no audit entry, no reference used")
    func atomic() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        var tip = try fixture.newTip()
        tip.wrapCentres = [:]  // makes the insert fail after the tip row
        await #expect(throws: StoreError.self) { try await store.insert(tip) }
        let counts = try await fixture.database.writer.read { db in
            [try Int.fetchOne(db, sql: "SELECT count(*) FROM tip"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM reference_counter")]
        }
        #expect(counts == [0, 0, 0])
        let next = try await store.insert(try fixture.newTip())
        #expect(next.reference.serial == 1)
    }

    @Test("Concurrent inserts get distinct, gap-free references")
    func concurrentReferences() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let tips = try (0..<64).map { _ in try fixture.newTip() }
        let references = try await withThrowingTaskGroup(of: TipReference.self) { group in
            for tip in tips { group.addTask { try await store.insert(tip).reference } }
            return try await group.reduce(into: [TipReference]()) { $0.append($1) }
        }
        #expect(Set(references).count == 64)
        #expect(Set(references.map(\.serial)) == Set(1...64))
        #expect(try fixture.verify().isIntact)
    }

    @Test("Follow-up finds a tip by its receipt locator; the row gives back its own salt, parameters and verifier")
    func followup() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let tip = try fixture.newTip()
        let stored = try await store.insert(tip)
        let locator = try #require(tip.receipt.locatorHash)
        let receipt = try #require(try await store.receipt(locatorHash: locator))
        #expect(receipt.tipID == stored.id && receipt.record == tip.receipt)
        let view = try #require(try await store.followup(tipID: receipt.tipID))
        #expect(view.reference == stored.reference && view.status == .received)
        #expect(view.contentCentres == ["city", "nanming"])
        #expect(try await store.receipt(locatorHash: SecureRandom.bytes(32)) == nil)
        // A located tip is never reached by the legacy path, even with its verifier.
        #expect(try await store.followup(lookupKey: tip.receipt.verifier) == nil)
    }

    @Test("A second tip with a taken receipt locator is refused before anything is written")
    func locatorTaken() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let first = try fixture.newTip()
        _ = try await store.insert(first)
        var second = try fixture.newTip()
        second.receipt = ReceiptRecord(scheme: .located, locatorHash: first.receipt.locatorHash, salt: SecureRandom.bytes(16),
                                       parameters: .init(n: 2, r: 1, p: 1), verifier: SecureRandom.bytes(32))
        await #expect(throws: StoreError.receiptLocatorInUse) { _ = try await store.insert(second) }
        #expect(try await store.tipCount() == 1)
        #expect(try fixture.verify().isIntact)
    }

    @Test("Nothing of the sealed content is in the database file in clear")
    func noPlaintext() async throws {
        let fixture = try TemporaryDatabase()
        let store = SQLiteTipStore(database: fixture.database, signer: fixture.signer)
        let canary = "CANARY-\(UUID().uuidString)"
        _ = try await store.insert(try fixture.newTip(identity: [("reporter.phone", Array(canary.utf8))], description: canary + "-content"))
        for suffix in ["", "-wal", "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: fixture.path + suffix) else { continue }
            #expect(bytes.range(of: Data(canary.utf8)) == nil, "canary in tipline.sqlite\(suffix)")
        }
    }
}
