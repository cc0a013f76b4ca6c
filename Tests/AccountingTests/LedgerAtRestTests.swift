import Foundation
import GRDB
import Sealing
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger at rest: pragmas and no secrets in the file")
struct LedgerAtRestTests {
    @Test("Pragmas read back: WAL, synchronous FULL, secure_delete, trusted_schema off, foreign keys on")
    func pragmas() async throws {
        let f = try LedgerFixture()
        let pragmas = try await f.ledger.pragmas()
        #expect(pragmas["journal_mode"] == "wal")
        #expect(pragmas["synchronous"] == "2")
        #expect(pragmas["secure_delete"] == "1")
        #expect(pragmas["trusted_schema"] == "0")
        #expect(pragmas["foreign_keys"] == "1")
        // Reopening an existing file keeps them and does not migrate twice.
        let reopened = try Ledger(path: f.path, policy: .standard)
        #expect(try await reopened.pragmas()["synchronous"] == "2")
        #expect(try await reopened.verify().passed)
    }

    @Test("A byte scan of ledger.sqlite, -wal and -shm finds no voucher code and no approval key")
    func noCodeInClear() async throws {
        let f = try LedgerFixture()
        let t0 = LedgerFixture.t0
        try await f.fund(50_000)
        var codes: [VoucherCode] = []
        var approvalKeys: [String] = []
        for index in 1...6 {
            let reference = "GY-2026-\(String(format: "%06d", index))"
            try await f.propose(reference, yuan: 2_000)
            let key = IdempotencyKey.generate()
            approvalKeys.append(key)
            let issue = try await f.ledger.approve(reference: reference, approver: f.supervisorB.action("approve \(reference)"),
                                             idempotencyKey: key, now: t0, seal: f.seal)
            codes.append(issue.code!)
            // Retry, so the sealed retry copy has been read back too: the same sealed bytes, no code.
            let again = try await f.ledger.approve(reference: reference, approver: f.supervisorB.action("approve \(reference)"),
                                             idempotencyKey: key, now: t0, seal: f.seal)
            #expect(again.code == nil && again.sealedCode == issue.sealedCode && f.open(again.sealedCode) == issue.code)
        }
        _ = try await f.redeem(codes[0].text, at: t0 + 5)
        _ = try await f.redeem(codes[1].grouped, at: t0 + 6)
        var scanned = 0
        for suffix in ["", "-wal", "-shm"] {
            guard let data = FileManager.default.contents(atPath: f.path + suffix) else { continue }
            scanned += 1
            let bytes = [UInt8](data)
            for code in codes {
                for form in [code.text, code.grouped, code.text.lowercased()] {
                    #expect(!Self.contains(bytes, Array(form.utf8)), "a voucher code in clear in ledger.sqlite\(suffix)")
                }
            }
            for key in approvalKeys {
                #expect(!Self.contains(bytes, Array(key.utf8)), "an approval's idempotency key in clear in ledger.sqlite\(suffix)")
            }
            // Control: what should be there is found, so the scan itself works.
            if suffix == "-wal" || suffix == "" {
                scanned += Self.contains(bytes, Array("GY-2026-000001".utf8)) ? 10 : 0
            }
        }
        #expect(scanned >= 12, "the main file and its WAL were scanned and the control string was found")
    }

    @Test("The ledger's retry copy of a voucher code does not open with the approval's idempotency key (the pre-v5 copy did)")
    func retryCopyNeedsMoreThanTheKey() async throws {
        let f = try LedgerFixture()
        try await f.fund(50_000)
        try await f.propose("GY-2026-000001", yuan: 2_000)
        let key = IdempotencyKey.generate()
        let issue = try await f.ledger.approve(reference: "GY-2026-000001", approver: f.supervisorB.action("approve"),
                                         idempotencyKey: key, now: LedgerFixture.t0, seal: f.seal)
        let stored = try await f.ledger.pool.read { try Data?.fetchAll($0, sql: "SELECT sealed_code FROM command WHERE kind = 'approve'") }
        #expect(stored.count == 1)
        for sealed in stored.compactMap({ $0 }) {
            #expect(Self.openWithIdempotencyKey(sealed, key: key) == nil, "the voucher code opened with the idempotency key alone")
            #expect(f.open(sealed) == issue.code, "only the reporter's key opens it")
        }
        // Without a seal the ledger keeps no copy at all.
        try await f.propose("GY-2026-000002", yuan: 2_000)
        let bare = try await f.ledger.approve(reference: "GY-2026-000002", approver: f.supervisorB.action("approve 2"),
                                        idempotencyKey: IdempotencyKey.generate(), now: LedgerFixture.t0)
        #expect(bare.code != nil && bare.sealedCode == nil)
    }

    /// The pre-v5 derivation (HKDF of the idempotency key → AES-GCM): what an attacker holding an
    /// audit entry's idempotency key would try.
    static func openWithIdempotencyKey(_ sealed: Data, key: String) -> [UInt8]? {
        let hash = Hashing.sha256(Array("tipline-ledger-idempotency-v1:\(key)".utf8))
        guard let bytes = try? HKDFSHA256.derive(ikm: Array(key.utf8), salt: Array("tipline-ledger-v1".utf8),
                                                 info: Array("voucher-retry".utf8) + hash, length: 32),
              let secret = try? SecretKey(bytes: bytes) else { return nil }
        return try? AESGCM.openCombined(Array(sealed), key: secret, aad: hash)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        let first = needle[0]
        var index = 0
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first, Array(haystack[index..<(index + needle.count)]) == needle { return true }
            index += 1
        }
        return false
    }
}
