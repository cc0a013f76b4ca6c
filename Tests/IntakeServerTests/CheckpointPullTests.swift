import Accounting
import LedgerModel
import Foundation
import GRDB
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment
import TiplineStore

/// Issue 11, item 10: anchors kept off the host (`audit checkpoint pull`, `verify --checkpoints`),
/// the ledger's head in every checkpoint, and the ledger cross-checked against the audit log.
@Suite("Checkpoints pulled by the auditor; the ledger cross-checked", .serialized)
struct CheckpointPullTests {
    typealias Staff = TriageEndToEndTests.Staff

    /// A short story with reward money moving, and the auditor pulling twice on the way.
    func story(pulled: URL) async throws -> LiveServer {
        let live = try LiveServer()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("cashier", role: "accountant", centre: "city")
            try await staff.enrol("auditor1", role: "auditor", centre: "city")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let auditor = staff.common("auditor1")
            let tip = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "网站"])
            let reference = try #require(try tip.json()["reference"] as? String)
            #expect(try await staff.cli(["tips", "status", reference, "triaged"] + triage).status == 0)
            #expect(try await staff.cli(["ledger", "fund", "--amount", "1000", "--memo", "budget"] + staff.common("cashier")).status == 0)

            let first = try await staff.cli(["audit", "checkpoint", "pull", pulled.path] + auditor)
            #expect(first.status == 0, "\(first.stdout) \(first.stderr)")
            #expect(try await staff.cli(["tips", "status", reference, "verifying", "--unit", "网警"] + triage).status == 0)
            #expect(try await staff.cli(["ledger", "fund", "--amount", "500", "--memo", "top-up"] + staff.common("cashier")).status == 0)
            let second = try await staff.cli(["audit", "checkpoint", "pull", pulled.path] + auditor)
            #expect(second.status == 0, "\(second.stdout) \(second.stderr)")

            // Only auditors pull; an unsigned request is refused.
            #expect(try await staff.cli(["audit", "checkpoint", "pull", pulled.path + ".triage"] + staff.common("triage1")).status == 4)
            #expect(try await live.request("/admin/v1/audit/checkpoint", admin: true).status == 401)
        }
        return live
    }

    @Test("A rewritten history whose data/checkpoints.log is regenerated passes against the host's file, and fails against the auditor's pulled copy; every pulled checkpoint carries the ledger's head")
    func pulledCopyCatchesRewrite() async throws {
        let pulled = FileManager.default.temporaryDirectory.appendingPathComponent("auditor-checkpoints-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: pulled) }
        let live = try await story(pulled: pulled)
        let lines = try String(contentsOf: pulled, encoding: .utf8).split(separator: "\n").compactMap { AuditCheckpoint.parse(line: $0) }
        #expect(lines.count == 2)
        let server = try live.deployment.manifest.serverPublicKey()
        #expect(lines.allSatisfy { $0.isValid(under: server) })
        #expect(lines.map(\.ledgerSeq) == [1, 2], "the ledger's head is in every checkpoint")
        #expect(lines[1].seq > lines[0].seq)
        let before = try verify(live.root, checkpoints: pulled)
        #expect(before.passed, "\(before.checks)")
        #expect(before.result(.ledger)?.checked ?? 0 >= 4)

        // The attacker holds the server key: rewrites an entry before the first pull, re-seals the
        // chain and regenerates the host's checkpoint file from the new chain.
        let audit = AuditEndToEndTests()
        let target = try audit.seq(live.root, "SELECT min(seq) FROM audit_entry WHERE action = 'tip.status'")
        #expect(target < lines[0].seq)
        try audit.tamper(live.root, "UPDATE audit_entry SET at = at - 1 WHERE seq = ?", arguments: [target])
        try audit.reseal(live.root, from: target, passphrase: live.passphrase)
        let layout = live.deployment.layout
        let signer = AuditSigner(key: try Ed25519PrivateKey(encryptedPEM: String(contentsOf: layout.serverSigningKey, encoding: .utf8),
                                                            passphrase: live.passphrase))
        let head = try await DatabaseQueue(path: layout.database.path).read { try AuditLog.head(in: $0) }
        let ledgerHead = try await Ledger(path: layout.ledgerDatabase.path, policy: live.deployment.rewardPolicy, readOnly: true).head()
        try FileManager.default.removeItem(at: layout.checkpointFile)
        let forged = try AuditCheckpoint.make(seq: try #require(head).seq, hash: try #require(head).hash, at: Int64(Date().timeIntervalSince1970),
                                              signer: signer, ledger: (ledgerHead.seq, ledgerHead.hash))
        try CheckpointLog.append(forged, to: layout.checkpointFile)

        let host = try verify(live.root, checkpoints: nil)
        #expect(host.result(.chain)?.passed == true && host.result(.checkpoints)?.passed == true,
                "the rewrite is invisible to the host's own checkpoint file: \(host.checks)")
        let own = try verify(live.root, checkpoints: pulled)
        #expect(own.result(.checkpoints)?.passed == false, "the auditor's copy catches the rewrite")
        #expect(own.result(.checkpoints)?.first?.problem.contains("rewritten") == true, "\(String(describing: own.result(.checkpoints)?.first))")

        // The CLI: `audit verify --checkpoints FILE` exits 1 naming the check.
        let cli = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path, "--checkpoints", pulled.path], passphrase: "")
        #expect(cli.status == 1 && cli.stdout.contains("checkpoints"), "\(cli.stdout) \(cli.stderr)")
        let missing = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path, "--checkpoints", pulled.path + ".none"], passphrase: "")
        #expect(missing.status == 2)
    }

    @Test("A ledger posting without its audit entry (and a rolled-back ledger under a pulled checkpoint) is reported by `audit verify`")
    func ledgerPostingWithoutAuditEntry() async throws {
        let pulled = FileManager.default.temporaryDirectory.appendingPathComponent("auditor-checkpoints-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: pulled) }
        let live = try await story(pulled: pulled)
        let untouched = try verify(live.root, checkpoints: pulled)
        #expect(untouched.passed, "\(untouched.checks.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.first?.text ?? "")" })")

        // Someone with the ledger file posts a top-up the audit log never heard of.
        let ledger = try Ledger(path: live.deployment.layout.ledgerDatabase.path, policy: live.deployment.rewardPolicy)
        let forger = Ed25519PrivateKey.generate()
        let action = SignedStaffRequest(keyID: forger.publicKey.keyID, role: .accountant, request: Data("forged".utf8),
                                 signature: Data(try forger.signature(for: Array("forged".utf8))))
        let entry = try await ledger.fund(amount: Fen(77_700), memo: "side door", by: action, idempotencyKey: IdempotencyKey.generate(),
                                    now: Int64(Date().timeIntervalSince1970))
        let report = try verify(live.root, checkpoints: pulled)
        let result = try #require(report.result(.ledger))
        #expect(!result.passed && !report.passed)
        #expect(result.first?.problem.contains("#\(entry.seq)") == true && result.first?.problem.contains("no audit entry") == true,
                "\(String(describing: result.first))")
        let cli = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
        #expect(cli.status == 1 && cli.stdout.contains("ledger"), "\(cli.stdout)")

        // An audit entry whose amount disagrees with its posting is reported too.
        let audit = AuditEndToEndTests()
        let fund = try audit.seq(live.root, "SELECT min(seq) FROM audit_entry WHERE action = 'ledger.fund'")
        try audit.tamper(live.root, "UPDATE audit_entry SET details = replace(details, '\"amount_fen\":\"100000\"', '\"amount_fen\":\"900000\"') WHERE seq = ?",
                         arguments: [fund])
        try audit.reseal(live.root, from: fund, passphrase: live.passphrase)
        let amounts = try verify(live.root, checkpoints: nil)
        #expect(amounts.result(.ledger)?.first?.seq == fund, "\(String(describing: amounts.result(.ledger)?.first))")
    }

    func verify(_ root: URL, checkpoints: URL?) throws -> AuditReport {
        var sources = try AuditSources.deployment(at: root)
        if let checkpoints { sources.checkpointLog = checkpoints }
        return try AuditVerifier(sources: sources).verify()
    }
}
