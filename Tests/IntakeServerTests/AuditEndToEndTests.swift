import Foundation
import GRDB
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineAdminAPI
import TiplineDeployment
import TiplineStore

/// A real deployment after a realistic story, built once with the real server and the real
/// `tipline-admin`: enrolment, tips with and without identity, status changes, a reply, a re-routing
/// with a pending identity wrap completed by a holder, two unseals with reasons, a retention pass that
/// crypto-shreds a closed tip's identity, a revocation.
/// The server was stopped gracefully, so its final checkpoint is in `data/checkpoints.log`.
struct AuditStory: Sendable {
    let live: LiveServer
    let withIdentity: String
    let anonymous: String
    let rerouted: String
    let canary: String

    var root: URL { live.root }

    static func build() async throws -> AuditStory {
        let live = try LiveServer()
        let canary = "AuditStory\(UUID().uuidString.prefix(8))"
        nonisolated(unsafe) var references: [String] = []
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage-nm", role: "triage", centre: "nanming")
            try await staff.enrol("triage-by", role: "triage", centre: "baiyun")
            try await staff.enrol("holder-city", role: "identity-holder", centre: "city")
            try await staff.enrol("holder-ym", role: "identity-holder", centre: "yunyan")
            try await staff.enrol("leaver", role: "triage", centre: "huaxi")
            func submit(_ district: String, name: String?) async throws -> String {
                var tip: [String: Any] = ["category": "illegal-av", "district": district, "description": "出售淫秽光盘", "wants_reward": true]
                if let name { tip["reporter"] = ["name": name, "phone": "13800001111"] }
                let reply = try await live.postJSON("/api/v1/tips", tip)
                #expect(reply.status == 201, "\(reply.text)")
                return try reply.json()["reference"] as! String
            }
            let a = try await submit("nanming", name: canary)
            let b = try await submit("huaxi", name: nil)
            let c = try await submit("baiyun", name: "另一位举报人")
            let key = { (centre: String, keyClass: String) in live.holders.appendingPathComponent("\(centre)-\(keyClass).key.pem").path }
            let nm = staff.common("triage-nm") + ["--content-key", key("nanming", "content")]
            let by = staff.common("triage-by") + ["--content-key", key("baiyun", "content")]
            func ok(_ arguments: [String]) async throws {
                let result = try await staff.cli(arguments)
                #expect(result.status == 0, "\(arguments.prefix(3)): \(result.stderr)")
            }
            try await ok(["tips", "status", a, "triaged"] + nm)
            try await ok(["tips", "reply", a, "--message", "已收到，正在核查。"] + nm)
            try await ok(["tips", "urgency", a, "major", "--reason", "涉及未成年人"] + nm)
            try await ok(["tips", "route", a, "--to", "yunyan", "--reason", "经营地点在云岩区"] + nm)
            try await ok(["tips", "wrap-identity", a, "--centre", "yunyan"] + staff.common("holder-city")
                         + ["--identity-key", key("city", "identity")])
            try await ok(["tips", "unseal", a, "--reason", "核实举报人身份以便联系", "--json"] + staff.common("holder-ym")
                         + ["--identity-key", key("yunyan", "identity")])
            try await ok(["tips", "status", c, "rejected", "--reason", "不属于扫黄打非范围"] + by)
            try await ok(["tips", "unseal", c, "--reason", "复核举报人身份", "--json"] + staff.common("holder-city")
                         + ["--identity-key", key("city", "identity")])
            // Closed, and 31 days later its identity is crypto-shredded by the retention pass.
            try await ok(["tips", "status", c, "closed"] + by)
            let shredded = try await live.triageStore().applyRetention(at: Int64(Date().timeIntervalSince1970) + 31 * 86_400)
            #expect(shredded.identitiesShredded == [c])
            let leaver = try String(contentsOf: staff.dir.appendingPathComponent("staff-leaver.enrol.json"), encoding: .utf8)
            let leaverHex = (try JSONSerialization.jsonObject(with: Data(leaver.utf8)) as? [String: Any])?["public_key"] as? String
            let leaverKey = try #require(Hex.decode(leaverHex ?? ""))
            try await ok(["staff", "revoke", Hashing.sha256Hex(leaverKey).prefix(32).description, "--reason", "调离岗位"] + staff.admin())
            references = [a, b, c]
        }
        return AuditStory(live: live, withIdentity: references[2], anonymous: references[1], rerouted: references[0], canary: canary)
    }

    /// A copy of the deployment (public part and data) to tamper with.
    func copy() throws -> URL { try Self.copy(of: root) }

    /// A copy of the deployment at `root` (public part and data), in a fresh temporary directory.
    static func copy(of root: URL) throws -> URL {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-audit-copy-\(UUID().uuidString)")
        let fm = FileManager.default
        let enumerator = try #require(fm.enumerator(at: root, includingPropertiesForKeys: [.isDirectoryKey]))
        for case let url as URL in enumerator {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            let destination = target.appendingPathComponent(relative)
            if (try? url.resourceValues(forKeys: [.isDirectoryKey]))?.isDirectory == true {
                try fm.createDirectory(at: destination, withIntermediateDirectories: true)
            } else if !relative.hasSuffix("-shm") {
                // A -shm is shared memory of a closing connection, not data: a copy never needs it.
                try fm.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? fm.copyItem(at: url, to: destination)
            }
        }
        return target
    }
}

/// Builds the story once for the whole suite.
actor AuditStoryCache {
    static let shared = AuditStoryCache()
    private var task: Task<AuditStory, any Error>?

    func story() async throws -> AuditStory {
        if let task { return try await task.value }
        let task = Task { try await AuditStory.build() }
        self.task = task
        return try await task.value
    }
}

@Suite("Audit: verify a real deployment and detect tampering", .serialized)
struct AuditEndToEndTests {
    func verify(_ root: URL) throws -> AuditReport {
        try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
    }

    /// Edits the copy's database with plain SQL, as an attacker holding the file would.
    func tamper(_ root: URL, _ sql: String, arguments: StatementArguments = []) throws {
        let queue = try DatabaseQueue(path: DeploymentLayout(root: root).database.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete;")
            try db.execute(sql: sql, arguments: arguments)
        }
    }

    /// Recomputes every entry's hash, link and server signature from `seq` on, as an attacker who
    /// also stole the server's signing key would after an edit.
    func reseal(_ root: URL, from seq: Int64, passphrase: [UInt8]) throws {
        let layout = DeploymentLayout(root: root)
        let pem = try String(contentsOf: layout.serverSigningKey, encoding: .utf8)
        let signer = AuditSigner(key: try Ed25519PrivateKey(encryptedPEM: pem, passphrase: passphrase))
        let queue = try DatabaseQueue(path: layout.database.path)
        try queue.write { db in
            var previous = try Data.fetchOne(db, sql: "SELECT hash FROM audit_entry WHERE seq = ?", arguments: [seq - 1]) ?? AuditLog.genesisHash
            for var entry in try AuditEntry.fetchAll(db, sql: "SELECT * FROM audit_entry WHERE seq >= ? ORDER BY seq", arguments: [seq]) {
                entry.prevHash = previous
                let hash = Hashing.sha256(entry.canonicalBytes)
                entry.hash = Data(hash)
                entry.signature = Data(try signer.key.signature(for: AuditEntry.signedMessage(hash: hash)))
                try entry.update(db)
                previous = entry.hash
            }
        }
    }

    func seq(_ root: URL, _ sql: String) throws -> Int64 {
        let queue = try DatabaseQueue(path: DeploymentLayout(root: root).database.path)
        return try queue.read { try #require(try Int64.fetchOne($0, sql: sql)) }
    }

    func expectFailure(_ report: AuditReport, _ check: AuditCheckName, _ comment: Comment? = nil) {
        #expect(!report.passed)
        #expect(report.result(check)?.passed == false, "\(check.rawValue) should fail: \(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        if let first = report.result(check)?.first { print("tamper → \(check.rawValue): \(first.text)") }
    }

    @Test("An untouched deployment passes every check, with the CLI too; its checkpoint file has the final head")
    func untouched() async throws {
        let story = try await AuditStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        func listing() throws -> [String] {
            let data = DeploymentLayout(root: copy).dataDir
            return try FileManager.default.contentsOfDirectory(atPath: data.path).sorted().map { name in
                let attributes = try FileManager.default.attributesOfItem(atPath: data.appendingPathComponent(name).path)
                return "\(name) \(attributes[.size] ?? 0) \(attributes[.modificationDate] ?? 0)"
            }
        }
        let before = try listing()
        let report = try verify(copy)
        #expect(try listing() == before, "verification must not write into the data")
        #expect(report.passed, "\(report.checks.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.first?.text ?? "")" })")
        #expect(report.entries >= 21 && report.tips == 3)
        for check in report.checks { #expect(check.checked > 0, "\(check.name.rawValue) checked nothing") }
        let last = try #require(CheckpointLog.last(in: DeploymentLayout(root: copy).checkpointFile))
        #expect(last.seq == report.headSeq && last.hash == report.headHash)

        let cli = try await CLIRunner.run(["audit", "verify", "--deployment", copy.path, "--json"], passphrase: "")
        #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)")
        #expect((try cli.json() as? [String: Any])?["passed"] as? Bool == true)
        let table = try await CLIRunner.run(["audit", "verify", "--deployment", copy.path], passphrase: "")
        #expect(table.stdout.contains("audit verify: all checks passed"))
        // The data can come from elsewhere (a copy of the host's data/), the public part from the auditor's copy.
        let layout = DeploymentLayout(root: copy)
        let data = try await CLIRunner.run(["audit", "verify", "--deployment", copy.path, "--data", layout.database.path,
                                            layout.checkpointFile.path, "--quiet"], passphrase: "")
        #expect(data.status == 0, "\(data.stdout)\(data.stderr)")
    }

    @Test("Changing one byte of an entry fails the chain")
    func oneByte() async throws {
        let copy = try await AuditStoryCache.shared.story().copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        try tamper(copy, "UPDATE audit_entry SET at = at + 1 WHERE seq = 5")
        let report = try verify(copy)
        expectFailure(report, .chain)
        #expect(report.result(.chain)?.first?.seq == 5)
    }

    @Test("Deleting an entry fails the chain (a gap)")
    func deleteEntry() async throws {
        let copy = try await AuditStoryCache.shared.story().copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        try tamper(copy, "DELETE FROM audit_entry WHERE seq = 7")
        let report = try verify(copy)
        expectFailure(report, .chain)
        #expect(report.result(.chain)?.first?.seq == 8)
    }

    @Test("Reordering two entries fails the chain")
    func reorder() async throws {
        let copy = try await AuditStoryCache.shared.story().copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        try tamper(copy, "UPDATE audit_entry SET seq = -6 WHERE seq = 6; UPDATE audit_entry SET seq = 6 WHERE seq = 9; UPDATE audit_entry SET seq = 9 WHERE seq = -6")
        expectFailure(try verify(copy), .chain)
    }

    @Test("A wrap for a stranger's key fails the envelopes check (extra recipient)")
    func strangerWrap() async throws {
        let story = try await AuditStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let stranger = X25519PrivateKey.generate().publicKey.keyID
        let blob = Data([1] + SecureRandom.bytes(80))
        try tamper(copy, """
            INSERT INTO tip_wrap(tip_id, key_class, recipient_key_id, centre, sealed, added_at)
            SELECT id, 'identity', ?, 'nanming', ?, received_at FROM tip WHERE reference = ?
            """, arguments: [stranger, blob, story.withIdentity])
        let report = try verify(copy)
        expectFailure(report, .envelopes)
        #expect(report.result(.envelopes)?.first?.problem.contains("extra recipient") == true)
        #expect(report.result(.chain)?.passed == true)
    }

    @Test("A district's own key added as a wrap of another district's tip fails the envelopes check")
    func insiderWrap() async throws {
        let story = try await AuditStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let huaxi = try #require(story.live.deployment.manifest.centres.first { $0.centre == "huaxi" }).identity.keyID
        try tamper(copy, """
            INSERT INTO tip_wrap(tip_id, key_class, recipient_key_id, centre, sealed, added_at)
            SELECT id, 'identity', ?, 'huaxi', ?, received_at FROM tip WHERE reference = ?
            """, arguments: [huaxi, Data([1] + SecureRandom.bytes(80)), story.withIdentity])
        expectFailure(try verify(copy), .envelopes)
    }

    @Test("Changing a tip's routed centre fails the envelopes check")
    func reroutedCentre() async throws {
        let story = try await AuditStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        try tamper(copy, """
            UPDATE tip SET centre = 'huaxi' WHERE reference = ?;
            UPDATE tip_route SET centre = 'huaxi' WHERE tip_id = (SELECT id FROM tip WHERE reference = ?) AND seq = 1;
            """, arguments: [story.withIdentity, story.withIdentity])
        let report = try verify(copy)
        expectFailure(report, .envelopes)
        #expect(report.result(.envelopes)?.first?.subject == story.withIdentity)
    }

    @Test("An unseal recorded without a reason fails the authority check — also when the attacker re-signs the chain")
    func unsealWithoutReason() async throws {
        let story = try await AuditStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let unseal = try seq(copy, "SELECT min(seq) FROM audit_entry WHERE action = 'tip.unseal'")
        try tamper(copy, "UPDATE audit_entry SET details = json_remove(details, '$.reason') WHERE seq = ?", arguments: [unseal])
        let plain = try verify(copy)
        expectFailure(plain, .authority)
        expectFailure(plain, .chain)
        #expect(plain.result(.authority)?.first?.seq == unseal)

        try reseal(copy, from: unseal, passphrase: story.live.passphrase)
        let resealed = try verify(copy)
        #expect(resealed.result(.chain)?.passed == true)
        expectFailure(resealed, .authority)
        // The checkpoint outside the database still names the old head.
        expectFailure(resealed, .checkpoints)
    }

    @Test("Replacing a staff signature fails the signatures check")
    func staffSignature() async throws {
        let copy = try await AuditStoryCache.shared.story().copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let target = try seq(copy, "SELECT min(seq) FROM audit_entry WHERE action = 'tip.status'")
        let forger = Ed25519PrivateKey.generate()
        let request = try await DatabaseQueue(path: DeploymentLayout(root: copy).database.path).read {
            try Data.fetchOne($0, sql: "SELECT request FROM audit_entry WHERE seq = ?", arguments: [target])
        }
        let recorded = try #require(request)
        let message = try #require(SignedAdminRequest.parse(Array(recorded))).message
        try tamper(copy, "UPDATE audit_entry SET request_signature = ? WHERE seq = ?",
                   arguments: [Data(try forger.signature(for: message)), target])
        let report = try verify(copy)
        expectFailure(report, .signatures)
        #expect(report.result(.signatures)?.first?.seq == target)
    }

    @Test("A clear field of a redacted staff request, rewritten by someone holding the server key, fails the signatures check: the staff member signed the redacted body (v2)")
    func redactedClearFieldBound() async throws {
        let story = try await AuditStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let row = try await DatabaseQueue(path: DeploymentLayout(root: copy).database.path).read { db in
            try Row.fetchOne(db, sql: """
                SELECT seq, request FROM audit_entry WHERE actor != 'server' AND instr(request, '"sha256"') > 0 AND instr(request, '"reason"') > 0
                ORDER BY seq LIMIT 1
                """)
        }
        let found = try #require(row)
        let target: Int64 = found["seq"]
        let parts = try #require(SignedAdminRequest.parse(Array(found["request"] as Data)))
        #expect(parts.signsRedactedBody && Hashing.sha256Hex(parts.body) == parts.bodyHashHex)
        // Untouched, the story verifies; now the reason is rewritten (the hashed secrets left alone).
        var body = try #require(try JSONSerialization.jsonObject(with: Data(parts.body)) as? [String: Any])
        body["reason"] = "另一个理由"
        let rewritten = SignedAdminRequest.record(message: parts.message, body: Array(try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        try tamper(copy, "UPDATE audit_entry SET request = ? WHERE seq = ?", arguments: [Data(rewritten), target])
        try reseal(copy, from: target, passphrase: story.live.passphrase)
        let report = try verify(copy)
        #expect(report.result(.chain)?.passed == true)
        expectFailure(report, .signatures)
        #expect(report.result(.signatures)?.first?.seq == target)
        #expect(report.result(.signatures)?.first?.problem.contains("does not match the hash that was signed") == true)
    }

    @Test("Truncating the log after a checkpoint fails the checkpoints check (the chain alone cannot tell)")
    func truncated() async throws {
        let copy = try await AuditStoryCache.shared.story().copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let head = try seq(copy, "SELECT max(seq) FROM audit_entry")
        try tamper(copy, "DELETE FROM audit_entry WHERE seq > ?", arguments: [head - 3])
        let report = try verify(copy)
        #expect(report.result(.chain)?.passed == true)
        expectFailure(report, .checkpoints)
    }

    @Test("The CLI exits 1 and names the failed check; export writes a re-verifiable bundle")
    func cliFailureAndExport() async throws {
        let copy = try await AuditStoryCache.shared.story().copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let export = copy.appendingPathComponent("export")
        let exported = try await CLIRunner.run(["audit", "export", export.path, "--deployment", copy.path], passphrase: "")
        #expect(exported.status == 0, "\(exported.stderr)")
        for file in ["export.json", "keys.json", "policy-hashes.json", "staff.jsonl", "checkpoints.log", "audit.jsonl", "tips.jsonl", "report.json"] {
            #expect(FileManager.default.fileExists(atPath: export.appendingPathComponent(file).path), "\(file)")
        }
        let staff = try String(contentsOf: export.appendingPathComponent("staff.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(staff.count == 7)  // admin, admin2 (second approvals of the identity holders), 5 enrolled
        #expect(staff.contains { $0.contains("\"revoked_seq\":") && !$0.contains("\"revoked_seq\":null") })
        // Issue 13 item 5: the export names people and shows China time beside the hashed columns.
        let entries = try String(contentsOf: export.appendingPathComponent("audit.jsonl"), encoding: .utf8).split(separator: "\n")
            .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(entries.contains { $0["actor"] as? String != "server" && ($0["actor_name"] as? String)?.isEmpty == false })
        #expect(entries.allSatisfy { ($0["at_china"] as? String)?.hasSuffix("+08:00") == true })

        try tamper(copy, "UPDATE audit_entry SET subject = subject || 'x' WHERE seq = 3")
        let cli = try await CLIRunner.run(["audit", "verify", "--deployment", copy.path], passphrase: "")
        #expect(cli.status == 1)
        #expect(cli.stdout.contains("FAILED (chain"))
    }
}
