import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

/// `v6-receipts` on a database that already holds tips: they keep their legacy receipts.
@Suite("Receipts: migrating tips made before v5")
struct ReceiptMigrationTests {
    @Test("A v4 tip becomes scheme 1 (legacy), gets its parameters recorded once with an audit entry, and is found by its old lookup key")
    func legacyTipAfterMigration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-v4-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("tipline.sqlite").path

        // A database at v4 holding one tip, written as the v4 server wrote it.
        let lookup = SecureRandom.bytes(32)
        let queue = try DatabaseQueue(path: path)
        try AppDatabase.migrator.migrate(queue, upTo: "v4-triage-at-scale")
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO tip(uid, reference, received_at, category, district, centre, urgency, status, status_changed_at,
                                due_at, wants_reward, has_identity, receipt_lookup, reporter_public_key, reporter_key_sealed,
                                submission_hash, proof, routing_rule, routing_policy_hash)
                VALUES (?, 'GY-2026-000001', 1780000000, 'online', 'nanming', 'nanming', 'routine', 'received', 1780000000,
                        1780600000, 0, 0, ?, ?, ?, ?, ?, 'district-centre', 'x')
                """, arguments: [Hex.encode(SecureRandom.bytes(16)), Data(lookup), Data(SecureRandom.bytes(32)),
                                 Data(SecureRandom.bytes(60)), Data(SecureRandom.bytes(32)), Data(SecureRandom.bytes(64))])
        }
        try queue.close()

        let database = try AppDatabase(path: path)
        let signerKey = Ed25519PrivateKey.generate()
        let store = SQLiteTipStore(database: database, signer: AuditSigner(key: signerKey))
        let row = try #require(try await database.writer.read { try Row.fetchOne($0, sql: "SELECT receipt_scheme, receipt_kdf_n, receipt_locator FROM tip") })
        #expect((row["receipt_scheme"] as Int?) == 1 && (row["receipt_kdf_n"] as Int64?) == nil && (row["receipt_locator"] as Data?) == nil)
        #expect(try await store.legacyReceiptParameters().isEmpty)

        let parameters = Scrypt.Parameters(n: 1 << 15, r: 8, p: 1)
        #expect(try await store.adoptLegacyReceiptParameters(parameters, at: 1_780_000_100) == 1)
        #expect(try await store.adoptLegacyReceiptParameters(.init(n: 1 << 16, r: 8, p: 1), at: 1_780_000_200) == 0)
        #expect(try await store.legacyReceiptParameters() == [parameters])
        let view = try #require(try await store.followup(lookupKey: lookup))
        #expect(view.reference.rawValue == "GY-2026-000001")
        let entries = try await database.writer.read {
            try Row.fetchAll($0, sql: "SELECT details FROM audit_entry WHERE action = 'receipts.legacy-parameters'")
        }
        #expect(entries.count == 1)
        let verdict = try ChainVerdict.of(path: path, serverKey: signerKey)
        #expect(verdict.isIntact, "\(verdict)")
    }
}
