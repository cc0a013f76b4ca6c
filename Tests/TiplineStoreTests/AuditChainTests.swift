import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

@Suite("Audit chain (rule 3)")
struct AuditChainTests {
    /// A database with `count` entries appended.
    private func populated(_ count: Int) throws -> TemporaryDatabase {
        let fixture = try TemporaryDatabase()
        try fixture.database.writer.write { db in
            for i in 1...count {
                try AuditLog.append(AuditEvent(actor: "server", action: "test.event", subject: "S-\(i)", details: ["n": String(i)]),
                                    at: 1_780_000_000 + Int64(i), signer: fixture.signer, in: db)
            }
        }
        return fixture
    }

    @Test("An untouched chain verifies")
    func intact() throws {
        let fixture = try populated(20)
        let verdict = try fixture.verify()
        #expect(verdict.isIntact && verdict.entries == 20, "\(verdict)")
    }

    @Test("Changing any byte of any column of any entry is detected at that entry", arguments: [
        "at", "actor", "action", "subject", "details", "prev_hash", "hash", "signer_key_id", "signature",
    ])
    func anyColumn(column: String) throws {
        for seq in [1, 7, 20] {
            let fixture = try populated(20)
            switch column {
            case "prev_hash", "hash", "signature":
                try fixture.tamper("UPDATE audit_entry SET \(column) = randomblob(length(\(column))) WHERE seq = \(seq)")
            case "at":
                try fixture.tamper("UPDATE audit_entry SET at = at + 1 WHERE seq = \(seq)")
            default:
                try fixture.tamper("UPDATE audit_entry SET \(column) = \(column) || 'x' WHERE seq = \(seq)")
            }
            let result = try fixture.verify()
            guard let broken = result.brokenSeq else {
                Issue.record("tampering \(column) at \(seq) went unnoticed")
                continue
            }
            // A changed prev_hash/hash may surface at this entry or (for `hash`) be caught here by the
            // hash check; either way it is reported no later than the next entry.
            #expect(broken == Int64(seq) || broken == Int64(seq) + 1, "\(column)@\(seq) reported at \(broken)")
        }
    }

    @Test("Flipping a single bit inside the details is detected")
    func bitFlip() throws {
        let fixture = try populated(5)
        try fixture.tamper("UPDATE audit_entry SET details = replace(details, '\"3\"', '\"2\"') WHERE seq = 3")
        #expect(try fixture.verify().broken(at: 3, "hash does not match"))
    }

    @Test("Deleting, reordering and truncating are detected")
    func structural() throws {
        let deleted = try populated(10)
        try deleted.tamper("DELETE FROM audit_entry WHERE seq = 4")
        #expect(try deleted.verify().broken(at: 5, "gap"))

        let swapped = try populated(10)
        try swapped.tamper("""
            UPDATE audit_entry SET seq = -1 WHERE seq = 4; UPDATE audit_entry SET seq = 4 WHERE seq = 5;
            UPDATE audit_entry SET seq = 5 WHERE seq = -1;
            """)
        guard let at = try swapped.verify().brokenSeq else { Issue.record("reorder unnoticed"); return }
        #expect(at == 4)

        // Truncation of the tail leaves a valid shorter chain: only checkpoints (audit issue) catch it.
        let truncated = try populated(10)
        try truncated.tamper("DELETE FROM audit_entry WHERE seq > 8")
        #expect(try truncated.verify().isIntact)
    }

    @Test("A re-signed entry with another key is refused (unknown signer)")
    func foreignSigner() throws {
        let fixture = try populated(3)
        let intruder = Ed25519PrivateKey.generate()
        let entry = try fixture.database.writer.read { db in try AuditEntry.fetchOne(db, sql: "SELECT * FROM audit_entry WHERE seq = 2")! }
        var forged = entry
        forged.signerKeyID = intruder.publicKey.keyID
        forged.hash = Data(Hashing.sha256(forged.canonicalBytes))
        forged.signature = Data(try intruder.signature(for: AuditEntry.signedMessage(hash: forged.hash)))
        try fixture.tamper("UPDATE audit_entry SET signer_key_id = '\(forged.signerKeyID)', hash = x'\(Hex.encode(forged.hash))', signature = x'\(Hex.encode(forged.signature))' WHERE seq = 2")
        #expect(try fixture.verify().broken(at: 2, "not the server key"))
    }

    @Test("The log refuses UPDATE and DELETE through the normal connection")
    func appendOnly() throws {
        let fixture = try populated(2)
        #expect(throws: DatabaseError.self) {
            try fixture.database.writer.write { db in try db.execute(sql: "UPDATE audit_entry SET actor = 'x'") }
        }
        #expect(throws: DatabaseError.self) {
            try fixture.database.writer.write { db in try db.execute(sql: "DELETE FROM audit_entry") }
        }
    }
}
