import Accounting
import Foundation
import GRDB
import LedgerModel
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// Issue 12 item 11: the ledger and the audit log never disagree silently. Every ledger command commits
/// in `ledger.sqlite` first and the server's audit entry (with the reporter's voucher copy) second; a
/// process stopped between the two leaves exactly the state built here — postings in the ledger, nothing
/// in the audit log. `audit verify` names them; the next start records them (`ledger.reconciled`) and
/// hands the reporter the voucher the ledger kept. Also: the server timer's expiry is an entry the
/// verifier accepts.
@Suite("Ledger and audit log: reconciled at start-up after a stop between the two writes", .serialized)
struct LedgerReconciliationTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("Stopped between the ledger's commit and the audit entry: verify names the postings; the next start records them and the reporter gets the voucher; the timer's expiry verifies")
    func reconcileAfterStop() async throws {
        let live = try LiveServer()
        let root = live.root
        final class Found: @unchecked Sendable { var reference = "", receipt = "", staffDir = URL(fileURLWithPath: "/"), passphrase = "" }
        let found = Found()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("super2", role: "supervisor", centre: "city")
            try await staff.enrol("cashier", role: "accountant", centre: "city")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let created = try await live.postJSON("/api/v1/tips", [
                "category": "illegal-publication", "district": "nanming", "description": "地下印刷厂", "wants_reward": true,
            ])
            found.reference = try #require(try created.json()["reference"] as? String)
            found.receipt = try #require(try created.json()["receipt"] as? String)
            for step in [["triaged"], ["verifying", "--unit", "南明区文化执法大队"], ["verified", "--outcome", "administrative", "--fines", "20000"]] {
                #expect(try await staff.cli(["tips", "status", found.reference] + step + triage).status == 0)
            }
            #expect(try await staff.cli(["ledger", "fund", "--amount", "5000", "--memo", "2026 budget"] + staff.common("cashier")).status == 0)
            #expect(try await staff.cli(["ledger", "propose", found.reference, "--amount", "3000"] + triage).status == 0)
            found.staffDir = staff.dir
            found.passphrase = staff.passphrase
        }

        // The stop: an approval and a top-up commit in ledger.sqlite (signed by the real staff keys, the code
        // sealed to the reporter's key as the server seals it) and the process dies before its audit entries.
        let deployment = try Deployment.open(at: root)
        let layout = DeploymentLayout(root: root)
        let ledger = try Ledger(path: layout.ledgerDatabase.path, policy: deployment.rewardPolicy, payments: deployment.remunerationPolicy)
        func signed(_ name: String, _ role: StaffRole, _ text: String) throws -> SignedStaffRequest {
            let pem = try String(contentsOf: found.staffDir.appendingPathComponent("staff-\(name).key.pem"), encoding: .utf8)
            let key = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: Array(found.passphrase.utf8))
            let request = Array("tipline-admin:v1:\(text)".utf8)
            return SignedStaffRequest(keyID: key.publicKey.keyID, role: role, request: Data(request), signature: Data(try key.signature(for: request)))
        }
        let reporter = try #require(try live.readDatabase {
            try Data.fetchOne($0, sql: "SELECT reporter_public_key FROM tip WHERE reference = ?", arguments: [found.reference])
        })
        let reporterKey = try X25519PublicKey(rawRepresentation: Array(reporter))
        let now = Int64(Date().timeIntervalSince1970)
        let topUp = try await ledger.fund(amount: Fen.yuan(1_000)!, memo: "top-up", by: try signed("cashier", .accountant, "fund"),
                                    idempotencyKey: IdempotencyKey.generate(), now: now)
        let issue = try await ledger.approve(reference: found.reference, approver: try signed("super2", .supervisor, "approve"),
                                       idempotencyKey: IdempotencyKey.generate(), now: now, seal: { code in
            let sealed = try EnvelopeCrypto.seal(recordID: Hex.encode(SecureRandom.bytes(16)), content: [("voucher", Array(code.text.utf8))],
                                                 identity: [], contentRecipients: [reporterKey], identityRecipients: [])
            return try JSONEncoder().encode(sealed.envelope)
        })
        let code = try #require(issue.code)
        let stopped = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        let ledgerCheck = try #require(stopped.checks.first { $0.name == .ledger })
        #expect(!stopped.passed && ledgerCheck.failures == 2, "\(ledgerCheck)")
        #expect(ledgerCheck.first?.problem.contains("has no audit entry") == true, "\(String(describing: ledgerCheck.first))")

        // The next start records both postings and stores the reporter's voucher before serving.
        try await live.run { live in
            let reconciled = try live.readDatabase {
                try Row.fetchAll($0, sql: "SELECT subject, details FROM audit_entry WHERE action = 'ledger.reconciled' ORDER BY seq")
            }
            #expect(reconciled.count == 2)
            #expect(reconciled.map { $0["subject"] as String } == ["ledger", found.reference])
            #expect((reconciled.first?["details"] as String?)?.contains("\"ledger_entry\":\"\(topUp.seq)\"") == true)
            let followup = try await live.postJSON("/api/v1/followup", ["receipt": found.receipt])
            let reward = try #require(try followup.json()["reward"] as? [String: Any])
            #expect(reward["state"] as? String == "approved" && reward["voucher_code"] as? String == code.grouped, "\(reward)")
            #expect(!live.logs.all.contains(code.text) && !live.logs.all.contains(code.grouped))
        }
        let after = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(after.passed, "\(after.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        #expect(after.notes.contains { $0.contains("ledger.reconciled") })

        // A start with nothing to reconcile records nothing; 61 days on, the timer lapses the voucher and its entry verifies.
        try await live.run(time: AdjustableClock(offset: 61 * 86_400)) { live in
            var expired = 0
            for _ in 0..<100 {
                expired = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'ledger.expire'")! }
                if expired > 0 { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(expired == 1)
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'ledger.reconciled'")! } == 2)
        }
        let lapsed = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(lapsed.passed, "\(lapsed.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        // The reporter's voucher copy (stored at start-up) is compared with the one its entry recorded.
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DROP TRIGGER tip_voucher_fixed; UPDATE tip_voucher SET envelope = CAST('{}' AS BLOB)",
            "DROP TRIGGER tip_voucher_no_delete; DELETE FROM tip_voucher",
        ])
    }
}
