import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import Sealing
import Testing
import TiplineCore
import TiplineAdminAPI
import TiplineDeployment
import TiplineStore

/// Issue 11, "Also": privileged enrolments need two administrators; a duplicate needs a reason;
/// every release of a tip's content to staff is an audit entry. Real server, real CLI, real auditor.
@Suite("Staff governance and read auditing, end to end", .serialized)
struct StaffGovernanceEndToEndTests {
    @Test("A privileged role needs a second, different administrator; the same one twice is refused; triage needs one; audit verify passes")
    func twoAdministrators() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            // The sole administrator enrols a second administrator alone (the one exception).
            try await staff.enrol("admin2", role: "admin", centre: "city")
            try await staff.enrol("triage1", role: "triage", centre: "nanming")  // one approval is enough

            for (name, role) in [("holder1", "identity-holder"), ("super1", "supervisor"), ("cashier", "accountant"), ("admin3", "admin")] {
                let enroll = try await staff.cli(["staff", "enroll", "--name", name, "--role", role, "--centre", "city", "--out", staff.dir.path])
                #expect(enroll.status == 0, "\(enroll.stderr)")
                let file = staff.dir.appendingPathComponent("staff-\(name).enrol.json").path
                let first = try await staff.cli(["staff", "approve"] + staff.admin() + [file])
                #expect(first.status == 0 && !first.stdout.contains("enrolled"), "\(role): \(first.stdout) \(first.stderr)")
                // Pending: the key cannot act yet.
                let names = try live.readDatabase { try String.fetchAll($0, sql: "SELECT name FROM staff") }
                #expect(!names.contains(name), "\(role) enrolled on one approval")
                let again = try await staff.cli(["staff", "approve"] + staff.admin() + [file])
                #expect(again.status == 4, "the same administrator approved twice: \(again.stdout)")
                let second = try await staff.cli(["staff", "approve"] + staff.admin2() + [file])
                #expect(second.status == 0 && second.stdout.contains("enrolled"), "\(second.stderr)")
            }
            let entries = try live.readDatabase { db in
                try Row.fetchAll(db, sql: "SELECT action, actor, json_extract(details, '$.approval') AS approval FROM audit_entry WHERE action LIKE 'staff.enrol%' ORDER BY seq")
            }
            #expect(entries.filter { ($0["action"] as String) == "staff.enrol-pending" }.count == 4)
            #expect(entries.filter { ($0["approval"] as String?) == "second" }.count == 4)
        }
        let audit = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
    }

    @Test("The auditor fails a privileged enrolment recorded on one approval (a server that skipped the rule)")
    func auditorCatchesSingleApproval() async throws {
        let live = try LiveServer()
        try await live.run { _ in }
        // Append, with the server's own key, what a tampered server would record: an identity holder
        // enrolled by one administrator's signed request, no first approval.
        let adminPEM = try String(contentsOf: live.holders.appendingPathComponent("staff-admin.key.pem"), encoding: .utf8)
        let admin = try Ed25519PrivateKey(encryptedPEM: adminPEM, passphrase: live.passphrase)
        let holder = Ed25519PrivateKey.generate()
        let now = Int64(Date().timeIntervalSince1970)
        let request = try EnrolmentRequest.make(name: "rogue", role: .identityHolder, centre: "city", key: holder, at: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = Array(try encoder.encode(request))
        let (signature, message) = try AdminRequestSignature.sign(method: "POST", target: "/admin/v1/staff", body: body, key: admin, timestamp: now)
        let pem = try String(contentsOf: live.deployment.layout.serverSigningKey, encoding: .utf8)
        let signer = AuditSigner(key: try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase))
        let queue = try DatabaseQueue(path: live.deployment.layout.database.path)
        try await queue.write { db in
            try AuditLog.append(AuditEvent(actor: admin.publicKey.keyID, action: "staff.enrol", subject: holder.publicKey.keyID, details: [
                "name": "rogue", "staff_role": "identity-holder", "staff_centre": "city", "public_key": Hex.encode(holder.publicKey.rawRepresentation),
                "role": "admin", "centre": "city",
            ], request: Data(SignedAdminRequest.record(message: message, body: body)), requestSignature: Data(signature.signature)),
                               at: now, signer: signer, in: db)
        }
        let audit = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(audit.status == 1, "\(audit.stdout)")
        #expect(audit.stdout.contains("without a first approval"), "\(audit.stdout)")
    }

    @Test("Marking a duplicate needs a reason (server and auditor); it is recorded")
    func duplicateNeedsReason() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let triage = staff.common("triage1")
            var references: [String] = []
            for _ in 0..<2 {
                let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "同一书店"])
                references.append(try reply.json()["reference"] as! String)
            }
            let blank = try await staff.cli(["tips", "duplicate", references[1], "--of", references[0], "--reason", "  "] + triage)
            #expect(blank.status == 4, "\(blank.stdout) \(blank.stderr)")
            let missing = try await staff.cli(["tips", "duplicate", references[1], "--of", references[0]] + triage)
            #expect(missing.status != 0)
            // The raw API without a reason: 400.
            let pem = try String(contentsOf: staff.dir.appendingPathComponent("staff-triage1.key.pem"), encoding: .utf8)
            let key = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase)
            let target = "/admin/v1/tips/\(references[1])/duplicate"
            let body = Array(#"{"of":"\#(references[0])"}"#.utf8)
            let (signature, _) = try AdminRequestSignature.sign(method: "POST", target: target, body: body, key: key, timestamp: Int64(Date().timeIntervalSince1970))
            var request = HTTPClientRequest(url: live.adminURL + target)
            request.method = .POST
            for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
            #expect(try await live.client.execute(request, timeout: .seconds(30)).status.code == 400)

            let ok = try await staff.cli(["tips", "duplicate", references[1], "--of", references[0], "--reason", "同一书店同一天"] + triage)
            #expect(ok.status == 0, "\(ok.stderr)")
            let reason = try live.readDatabase {
                try String.fetchOne($0, sql: "SELECT json_extract(details, '$.reason') FROM audit_entry WHERE json_extract(details, '$.duplicate_of') IS NOT NULL")
            }
            #expect(reason == "同一书店同一天")
        }
        let audit = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
    }

    @Test("`tips show` is an audit entry (who, which tip, when) before the content is released; the auditor knows it")
    func readsAreAudited() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售淫秽光盘"])
            let reference = try reply.json()["reference"] as! String
            let before = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'tip.read'") }
            #expect(before == 0)
            let shown = try await staff.cli(["tips", "show", reference, "--json"] + triage)
            #expect(shown.status == 0, "\(shown.stderr)")
            let triageKeyID = try live.readDatabase { try String.fetchOne($0, sql: "SELECT key_id FROM staff WHERE name = 'triage1'") }
            let reads = try live.readDatabase { db in
                try Row.fetchAll(db, sql: "SELECT actor, subject, at, json_extract(details, '$.content') AS content FROM audit_entry WHERE action = 'tip.read'")
            }
            #expect(reads.count == 1)
            #expect(reads.first?["actor"] as String? == triageKeyID && reads.first?["subject"] as String? == reference)
            #expect(reads.first?["content"] as String? == "released")
        }
        let audit = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
    }
}
