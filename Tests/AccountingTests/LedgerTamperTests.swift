import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger: tampering with the file is detected")
struct LedgerTamperTests {
    /// fund (1), approve (2), redeem (3), fund (4).
    static func populated() async throws -> LedgerFixture {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000300", yuan: 3_000)
        let issue = try await f.approve("GY-2026-000300")
        _ = try await f.redeem(issue.code!.text, at: LedgerFixture.t0 + 60)
        try await f.fund(1_000)
        #expect(try await f.ledger.verify(signers: f.signers).passed)
        return f
    }

    @Test("The triggers refuse UPDATE and DELETE on the journal and its records")
    func appendOnly() async throws {
        let f = try await Self.populated()
        for sql in ["UPDATE posting SET amount = 1 WHERE entry_seq = 1",
                    "DELETE FROM journal_entry WHERE seq = 4",
                    "UPDATE staff_action SET key_id = 'abcdef0123456789'",
                    "DELETE FROM voucher_settlement",
                    "DELETE FROM command",
                    "INSERT INTO ledger_account (code, normal_side, name) VALUES ('x', 'D', 'x')",
                    "INSERT INTO posting (entry_seq, line, account, side, amount) VALUES (1, 3, 'fund', 'D', 5)"] {
            #expect(throws: (any Error).self, "\(sql)") { try f.tamper(sql) }
        }
        #expect(try await f.ledger.verify(signers: f.signers).passed)
    }

    @Test("Changing an amount (both lines and the total) breaks the chain at that entry and the balances")
    func changeAmount() async throws {
        let f = try await Self.populated()
        try f.dropTriggers()
        try f.tamper("UPDATE posting SET amount = 100 WHERE entry_seq = 3; UPDATE journal_entry SET total = 100 WHERE seq = 3")
        let report = try await f.ledger.verify()
        #expect(!report.passed)
        #expect(report.result(.balanced)?.passed == true, "the entry still balances")
        #expect(report.result(.chain)?.firstProblem == "entry 3: hash does not match its contents")
        #expect(report.result(.balances)?.passed == false)
        #expect(report.result(.vouchers)?.firstProblem?.hasPrefix("entry 3:") == true)
    }

    @Test("A value no version writes (the CHECK constraints bypassed) fails verify instead of stopping it")
    func unknownStoredValue() async throws {
        let f = try await Self.populated()
        let head = try await f.ledger.head()
        try f.dropTriggers()
        try f.tamper("PRAGMA ignore_check_constraints = ON; UPDATE journal_entry SET kind = 'bonus' WHERE seq = 4")
        let report = try await f.ledger.verify(signers: f.signers)
        #expect(!report.passed && report.failedChecks == [.chain], "\(report.summary)")
        #expect(report.result(.chain)?.firstProblem?.contains("never writes") == true)
        #expect(report.entries == 4 && report.head == head)
        #expect(try await f.ledger.head() == head, "the head is still readable")
    }

    @Test("Deleting an entry leaves a gap that names the first missing entry")
    func deleteEntry() async throws {
        let f = try await Self.populated()
        try f.dropTriggers()
        try f.tamper("PRAGMA foreign_keys = OFF; DELETE FROM posting WHERE entry_seq = 2; DELETE FROM journal_entry WHERE seq = 2")
        let report = try await f.ledger.verify()
        #expect(report.result(.chain)?.firstProblem == "entry 3: expected entry 2 (an entry is missing or out of order)")
        #expect(report.result(.balances)?.passed == false)
        #expect(report.result(.approvals)?.passed == false, "the approval lost its payable entry")
    }

    @Test("Deleting the last entry is caught by the running balances and by a checkpoint")
    func truncate() async throws {
        let f = try await Self.populated()
        let checkpoint = try await f.ledger.head()
        try f.dropTriggers()
        try f.tamper("PRAGMA foreign_keys = OFF; DELETE FROM posting WHERE entry_seq = 4; DELETE FROM journal_entry WHERE seq = 4")
        let report = try await f.ledger.verify(checkpoint: checkpoint)
        #expect(report.result(.chain)?.firstProblem == "entry 4: in the checkpoint but missing from the journal")
        #expect(report.result(.balances)?.firstProblem?.hasPrefix("account appropriation:") == true)
    }

    @Test("Unbalancing a posting fails the balance check, naming the entry")
    func unbalance() async throws {
        let f = try await Self.populated()
        try f.dropTriggers()
        try f.tamper("UPDATE posting SET amount = amount + 1 WHERE entry_seq = 1 AND line = 1")
        let report = try await f.ledger.verify()
        #expect(report.result(.balanced)?.firstProblem == "entry 1: debits ¥10,000.01, credits ¥10,000.00, total ¥10,000.00")
        #expect(report.result(.chain)?.firstProblem == "entry 1: hash does not match its contents")
        #expect(report.failedChecks.contains(.balances))
    }

    @Test("The schema itself refuses an unbalanced entry, even with the code bypassed")
    func schemaRefusesUnbalanced() async throws {
        let f = try await Self.populated()
        let zero = String(repeating: "00", count: 32)
        #expect(throws: (any Error).self) {
            try f.tamperInTransaction("""
                INSERT INTO posting (entry_seq, line, account, side, amount) VALUES (5, 1, 'appropriation', 'D', 500);
                INSERT INTO posting (entry_seq, line, account, side, amount) VALUES (5, 2, 'fund', 'C', 400);
                INSERT INTO journal_entry (seq, at, kind, total, reward_id, actor, memo, evidence, prev_hash, hash)
                  VALUES (5, 0, 'fund', 500, NULL, 'intruder', '', x'\(zero)', x'\(zero)', x'\(String(repeating: "11", count: 32))');
                """)
        }
        #expect(try await f.ledger.verify().passed)
    }

    @Test("Forging an approval by the proposer, or another voucher hash, fails the approvals check")
    func forgeApproval() async throws {
        let f = try await Self.populated()
        try f.dropTriggers()
        try f.tamper("UPDATE staff_action SET key_id = '\(f.triage.keyID)' WHERE kind = 'approve'")
        var report = try await f.ledger.verify(signers: f.signers)
        #expect(report.result(.approvals)?.firstProblem == "entry 2: reward 1 approved by its proposer")
        #expect(report.result(.signatures)?.passed == false)

        let g = try await Self.populated()
        try g.dropTriggers()
        let other = Hex.encode(VoucherCode.generate().hash)
        try g.tamper("""
            PRAGMA foreign_keys = OFF;
            UPDATE voucher_settlement SET voucher_hash = x'\(other)';
            UPDATE voucher SET hash = x'\(other)';
            """)
        report = try await g.ledger.verify()
        #expect(report.result(.approvals)?.firstProblem == "entry 2: evidence does not match the proposal and approval of reward 1")
    }

    @Test("A second payment of the same voucher is reported")
    func paidTwice() async throws {
        let f = try await Self.populated()
        try f.dropTriggers()
        // Copy the redemption as a fifth entry (the intruder even keeps the chain link plausible).
        try f.tamper("""
            PRAGMA foreign_keys = OFF;
            INSERT INTO posting SELECT 5, line, account, side, amount FROM posting WHERE entry_seq = 3;
            INSERT INTO journal_entry SELECT 5, at, kind, total, reward_id, actor, memo, evidence,
              (SELECT hash FROM journal_entry WHERE seq = 4), randomblob(32) FROM journal_entry WHERE seq = 3;
            UPDATE ledger_account SET net_debit = net_debit + 300000 WHERE code = 'payable';
            UPDATE ledger_account SET net_debit = net_debit - 300000 WHERE code = 'paid';
            """)
        let report = try await f.ledger.verify()
        #expect(report.result(.vouchers)?.passed == false)
        #expect(report.result(.vouchers)?.firstProblem == "entry 5: redemption of reward 1 has no matching settlement")
        #expect(report.result(.chain)?.firstProblem == "entry 5: hash does not match its contents")
        #expect(report.result(.balances)?.passed == false, "payable no longer equals the outstanding vouchers")
    }

    @Test("Signatures: an unknown key or a flipped bit in a request is reported")
    func signatures() async throws {
        let f = try await Self.populated()
        var signers = f.signers
        signers[f.accountant.keyID] = nil
        var report = try await f.ledger.verify(signers: signers)
        #expect(report.result(.signatures)?.firstProblem?.contains("unknown staff key") == true)
        #expect(report.failedChecks == [.signatures])
        try f.dropTriggers()
        try f.tamper("UPDATE staff_action SET request = CAST('tipline-admin:v1:propose GY-2026-000300 3001' AS BLOB) WHERE kind = 'propose'")
        report = try await f.ledger.verify(signers: f.signers)
        #expect(report.result(.signatures)?.firstProblem == "action 2 (propose): signature does not verify")
        #expect(report.result(.approvals)?.passed == false, "the approval evidence covers the proposal's request")
    }
}
