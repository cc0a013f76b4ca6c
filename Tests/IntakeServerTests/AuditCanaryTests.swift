import Foundation
import GRDB
import Sealing
import Testing
import TiplineAdminAPI
import TiplineAudit
import TiplineCore
import TiplineDeployment
import TiplineStore

/// `audit canary` against a running server: a fresh identity submitted through the public API is
/// nowhere in the data in clear; a canary planted in a log file under data/ is found at its offset.
@Suite("Audit canary and scan over live HTTPS", .serialized)
struct AuditCanaryTests {
    @Test("audit canary finds 0 hits on a running server; without a key it marks nothing and says so; a planted plaintext is found with its offset")
    func canary() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let result = try await CLIRunner.run(["audit", "canary", "--public-server", live.publicURL, "--deployment", live.root.path], passphrase: "")
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains(" 0 hits"), "\(result.stdout)")
            #expect(result.stdout.contains("was not marked"), "\(result.stdout)")
            #expect(try live.tipCount() == 1)
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip WHERE canary_at IS NOT NULL") } == 0)
            let zh = try await CLIRunner.run(["audit", "canary", "--public-server", live.publicURL, "--deployment", live.root.path], passphrase: "",
                                             environment: ["TIPLINE_LANG": "zh"])
            #expect(zh.status == 0 && zh.stdout.contains("未提供审计员密钥"), "\(zh.stdout)\(zh.stderr)")

            let planted = "PlantedCanary-\(UUID().uuidString)"
            let logs = DeploymentLayout(root: live.root).logDir
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            let prefix = String(repeating: "request served in 3 ms\n", count: 100)
            try Data((prefix + "reporter=\(planted)\n").utf8).write(to: logs.appendingPathComponent("planted.log"))
            let offset = prefix.utf8.count + "reporter=".utf8.count
            let scan = try await CLIRunner.run(["audit", "scan", "--deployment", live.root.path, "--canary", planted], passphrase: "")
            #expect(scan.status == 1)
            #expect(scan.stdout.contains("logs/planted.log  offset \(offset)  canary/utf-8  \(planted)"), "\(scan.stdout)")
        }
        // The checkpoint service wrote one checkpoint at start and a final one on shutdown.
        let lines = try String(contentsOf: live.deployment.layout.checkpointFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { AuditCheckpoint.parse(line: $0)?.isValid(under: try! live.deployment.manifest.serverPublicKey()) == true })
    }

    @Test("audit canary with an auditor key marks its tip after a clean scan: out of the queue and stats; a second mark, a wrong receipt and a non-auditor are refused and change nothing; verify passes; no receipt is in data/")
    func canaryMarked() async throws {
        let live = try LiveServer()
        nonisolated(unsafe) var receipts: [String] = []
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("auditor1", role: "auditor", centre: "city")
            try await staff.enrol("triage1", role: "triage", centre: "city")
            let auditor = staff.common("auditor1")
            let triage = staff.common("triage1")
            func key(_ name: String) throws -> Ed25519PrivateKey {
                try Ed25519PrivateKey(encryptedPEM: String(contentsOf: staff.dir.appendingPathComponent("staff-\(name).key.pem"), encoding: .utf8),
                                      passphrase: live.passphrase)
            }
            func submit() async throws -> (reference: String, receipt: String) {
                let reply = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "网站出售盗版"])
                #expect(reply.status == 201)
                return (try reply.json()["reference"] as! String, try reply.json()["receipt"] as! String)
            }
            func queue() async throws -> [String] {
                let result = try await staff.cli(["tips", "queue", "--json"] + triage)
                #expect(result.status == 0, "\(result.stderr)")
                return (try result.json() as? [[String: Any]] ?? []).compactMap { $0["reference"] as? String }.sorted()
            }
            func total(_ who: [String]) async throws -> Int? {
                let result = try await staff.cli(["stats", "--json"] + who)
                #expect(result.status == 0, "\(result.stderr)")
                return (try result.json() as? [String: Any])?["total"] as? Int
            }
            let real = try await submit()

            // The CLI: submit, scan clean, then the signed auditor request marks the tip.
            let result = try await staff.cli(["audit", "canary", "--public-server", live.publicURL] + auditor)
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains(" 0 hits") && result.stdout.contains("marked"), "\(result.stdout)")
            let canary = try #require(try live.readDatabase { try String.fetchOne($0, sql: "SELECT reference FROM tip WHERE canary_at IS NOT NULL") })
            #expect(result.stdout.contains("canary tip \(canary) marked"), "\(result.stdout)")
            let entry = try live.readDatabase { try Row.fetchOne($0, sql: "SELECT actor, subject, at FROM audit_entry WHERE action = 'tip.canary'") }
            let auditorID = try key("auditor1").publicKey.keyID
            #expect(entry?["actor"] as String? == auditorID && entry?["subject"] as String? == canary)
            #expect(try live.readDatabase { try Int64.fetchOne($0, sql: "SELECT canary_at FROM tip WHERE reference = ?", arguments: [canary]) }
                    == entry?["at"] as Int64?)
            #expect(try await queue() == [real.reference])
            #expect(try await total(triage) == 1)
            #expect(try await total(auditor) == 1)

            // The same request as the CLI sends, to test refusals: a tip of our own, with its receipt.
            let own = try await submit()
            receipts = [real.receipt, own.receipt]
            #expect(try await queue() == [real.reference, own.reference].sorted())
            let target = AdminRoute.markCanary.target(own.reference)
            func mark(_ receipt: String, by name: String) async throws -> (Int, String) {
                try await IntegrityStory.signedPOST(live, target, body: ["receipt": ["digits": receipt, "salt": Hex.encode(SecureRandom.bytes(16))]],
                                                        key: try key(name))
            }
            func state() throws -> [String] {
                try live.readDatabase { db in
                    try String.fetchAll(db, sql: "SELECT action || ':' || subject FROM audit_entry ORDER BY seq")
                        + (try String.fetchAll(db, sql: "SELECT reference || ':' || ifnull(canary_at, '-') FROM tip ORDER BY id"))
                        + (try String.fetchAll(db, sql: "SELECT centre || status || n FROM tip_tally ORDER BY 1"))
                }
            }
            let before = try state()
            let wrong = try await mark(real.receipt, by: "auditor1")  // another tip's receipt
            #expect(wrong.0 == 403 && wrong.1.contains("wrong_receipt"), "\(wrong)")
            #expect(!wrong.1.contains(real.receipt))
            let last = own.receipt.last == "0" ? "1" : "0"
            #expect(try await mark(String(own.receipt.dropLast()) + last, by: "auditor1").0 == 403, "the right locator, a wrong secret")
            #expect(try await mark("12345", by: "auditor1").0 == 400)
            let noSalt = try await IntegrityStory.signedPOST(live, target, body: ["receipt": ["digits": own.receipt]], key: try key("auditor1"))
            #expect(noSalt.0 == 400)
            let flat = try await IntegrityStory.signedPOST(live, target, body: ["receipt": own.receipt], key: try key("auditor1"))
            #expect(flat.0 == 400)
            let notAuditor = try await mark(own.receipt, by: "triage1")
            #expect(notAuditor.0 == 403 && notAuditor.1.contains("forbidden"), "\(notAuditor)")
            #expect(try state() == before, "a refused marking changed nothing")

            let marked = try await mark(own.receipt, by: "auditor1")
            #expect(marked.0 == 200, "\(marked)")
            #expect(try await queue() == [real.reference])
            #expect(try await total(triage) == 1)
            let after = try state()
            let twice = try await mark(own.receipt, by: "auditor1")
            #expect(twice.0 == 409, "\(twice)")
            #expect(try state() == after, "a second marking changed nothing")

            // The stored request keeps the receipt only as a salted hash.
            let stored = try live.readDatabase { try Data.fetchAll($0, sql: "SELECT request FROM audit_entry WHERE action = 'tip.canary'") }
            #expect(stored.count == 2)
            for request in stored {
                let body = try #require(SignedAdminRequest.parse([UInt8](request))).body
                #expect(RedactedRequestBody.hashedFields(body) == ["receipt"] && RedactedRequestBody.isRedaction(body))
            }
            // The reporter's follow-up still opens the marked tip with its receipt.
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": own.receipt]).status == 200)
            // The CLI with a key that is not an auditor's: scanned clean, refused (exit 4), and it says the tip stays unmarked.
            let refused = try await staff.cli(["audit", "canary", "--public-server", live.publicURL] + triage)
            #expect(refused.status == 4, "\(refused.stdout)\(refused.stderr)")
            #expect(refused.stdout.contains(" 0 hits") && refused.stdout.contains("was not marked"), "\(refused.stdout)")
            #expect(try await queue().count == 2)
        }
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.contains("canaries"), "\(verify.stdout)")
        // A database writer who hides a real tip as a canary, or edits the counts, is caught.
        let audit = AuditEndToEndTests()
        let real = try live.readDatabase { try String.fetchOne($0, sql: "SELECT reference FROM tip WHERE canary_at IS NULL") }
        try audit.tamper(live.root, "UPDATE tip SET canary_at = 1 WHERE reference = ?", arguments: [real])
        let hidden = try audit.verify(live.root)
        audit.expectFailure(hidden, .envelopes)
        #expect(hidden.result(.envelopes)?.first?.text.contains("no tip.canary entry") == true)
        try audit.tamper(live.root, "UPDATE tip SET canary_at = NULL WHERE reference = ?", arguments: [real])
        #expect(try audit.verify(live.root).passed)
        try audit.tamper(live.root, "UPDATE tip_tally SET n = n + 1 WHERE n > 0")
        let counts = try audit.verify(live.root)
        audit.expectFailure(counts, .envelopes)
        #expect(counts.result(.envelopes)?.first?.text.contains("tip_tally") == true)
        // No receipt (digits or grouped) anywhere in the deployment's files or the server's logs.
        let corpus = live.dataFiles().map(\.bytes) + [Data(live.logs.all.utf8)]
        #expect(receipts.count == 2)
        for receipt in receipts {
            let grouped = Receipt(normalizing: receipt)!.grouped
            for needle in [receipt, grouped] {
                for encoded in [Data(needle.utf8), needle.data(using: .utf16LittleEndian)!] {
                    #expect(!corpus.contains { $0.range(of: encoded) != nil }, "a receipt is stored in clear")
                }
            }
        }
    }
}
