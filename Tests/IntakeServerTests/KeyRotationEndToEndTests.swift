import Foundation
import GRDB
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment
import TiplineStore

/// Issue 11, key rotation, against the real server and the real `tipline-admin`: an administrator
/// rotates nanming's content key; a new tip is sealed to the new key only, at once, without a restart;
/// a triage officer re-wraps the old tips in batches of two from the old key file; `tips show` with only
/// the new key opens the old tips; retiring the old key is refused until the re-wrap is done, then
/// accepted; `audit verify` passes, and fails when a re-wrap's bytes are replaced or a wrap is added for
/// the retired key.
@Suite("Key rotation: rotate, re-wrap in batches, retire, verify", .serialized)
struct KeyRotationEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    static func copy(_ root: URL) throws -> URL { try AuditStory.copy(of: root) }

    static func tamper(_ root: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: DeploymentLayout(root: root).database.path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: sql) }
    }

    static func contentWraps(_ live: LiveServer, _ reference: String) throws -> [String: Data] {
        try live.readDatabase { db in
            var out: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT recipient_key_id, sealed FROM tip_wrap WHERE centre = 'nanming' AND key_class = 'content'
                  AND tip_id = (SELECT id FROM tip WHERE reference = ?)
                """, arguments: [reference]) {
                out[row["recipient_key_id"]] = row["sealed"]
            }
            return out
        }
    }

    @Test("rotate → new tips sealed to the new key → re-wrap in batches → show with the new key → retire → verify; tampering caught")
    func rotation() async throws {
        let live = try LiveServer()
        let layout = DeploymentLayout(root: live.root)
        let oldKeyFile = live.holders.appendingPathComponent("nanming-content.key.pem")
        let oldPrivate = try X25519PrivateKey(encryptedPEM: String(contentsOf: oldKeyFile, encoding: .utf8), passphrase: live.passphrase)
        let workstations = live.holders.appendingPathComponent("workstations")
        let newKeyFile = workstations.appendingPathComponent("nanming-content-2.key.pem")
        nonisolated(unsafe) var newTip = ""
        nonisolated(unsafe) var rewrapped = ""
        try await live.run { live in
            let staff = Staff(live: live, dir: workstations)
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            let photo = try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent("baseline.jpg")))
            var receipts: [String: String] = [:]
            func submit(_ name: String) async throws -> String {
                let tip: [String: Any] = ["category": "illegal-av", "district": "nanming", "description": "出售淫秽光盘 \(name)",
                                          "reporter": ["name": name, "phone": "13800001111"]]
                let reply = try await live.postMultipart("/api/v1/tips", tip: tip, files: [photo])
                #expect(reply.status == 201, "\(reply.text)")
                let reference = try reply.json()["reference"] as! String
                receipts[reference] = try reply.json()["receipt"] as? String
                return reference
            }
            let old = [try await submit("举报人甲"), try await submit("举报人乙"), try await submit("举报人丙")]
            // The first old tip also gets a reply, a note and a file the reporter adds: records with their own wraps.
            let oldKeyArgs = staff.common("nm-triage") + ["--content-key", oldKeyFile.path]
            let replied = try await staff.cli(["tips", "reply", old[0], "--message", "已收到，正在核查"] + oldKeyArgs)
            #expect(replied.status == 0, "\(replied.stderr)")
            let noted = try await staff.cli(["tips", "note", old[0], "--message", "内部备注甲"] + oldKeyArgs)
            #expect(noted.status == 0, "\(noted.stderr)")
            let (type, body) = try LiveServer.multipartBody(tip: nil, files: [photo], fields: [("receipt", try #require(receipts[old[0]]))])
            let addedFile = try await live.request("/followup/evidence", method: .POST, contentType: type, body: body)
            #expect(addedFile.status == 200, "\(addedFile.status)")
            let fingerprintBefore = try PublicKeyManifest.load(from: layout.keyManifest).fingerprint

            // A triage officer cannot rotate; the administrator can, from their workstation.
            let byTriage = try await staff.cli(["keys", "rotate", "--centre", "nanming", "--class", "content",
                                                "--out", workstations.appendingPathComponent("x.pem").path] + staff.common("nm-triage"))
            #expect(byTriage.status == 4, "\(byTriage.stderr)")
            let rotate = try await staff.cli(["keys", "rotate", "--centre", "nanming", "--class", "content", "--out", newKeyFile.path] + staff.admin())
            #expect(rotate.status == 0, "\(rotate.stderr)")
            let mode = try FileManager.default.attributesOfItem(atPath: newKeyFile.path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let newPrivate = try X25519PrivateKey(encryptedPEM: String(contentsOf: newKeyFile, encoding: .utf8), passphrase: live.passphrase)
            let manifest = try PublicKeyManifest.load(from: layout.keyManifest)
            let nanming = try #require(manifest.centres.first { $0.centre == "nanming" })
            #expect(nanming.content.keyID == newPrivate.publicKey.keyID)
            #expect(nanming.former?.map(\.key.keyID) == [oldPrivate.publicKey.keyID])
            #expect(manifest.fingerprint != fingerprintBefore)
            #expect(rotate.stdout.contains(manifest.fingerprint))
            // A second rotation to the same key is refused.

            // A new tip is sealed to the new key only, at once (no restart): the old key cannot open it, the new one can.
            newTip = try await submit("举报人丁")
            let wraps = try Self.contentWraps(live, newTip)
            #expect(Array(wraps.keys) == [newPrivate.publicKey.keyID])
            let uid = try live.readDatabase { try String.fetchOne($0, sql: "SELECT uid FROM tip WHERE reference = ?", arguments: [newTip])! }
            let wrap = try RecipientWrap(keyClass: .content, recipientKeyID: newPrivate.publicKey.keyID,
                                         serialized: Array(try #require(wraps[newPrivate.publicKey.keyID])))
            #expect(throws: (any Error).self) { _ = try EnvelopeCrypto.unwrap(wrap, recordID: uid, with: oldPrivate) }
            let commitment = try live.readDatabase { try Data.fetchOne($0, sql: "SELECT content_key_commitment FROM tip WHERE reference = ?", arguments: [newTip])! }
            let dataKey = try EnvelopeCrypto.unwrap(wrap, recordID: uid, with: newPrivate)
            #expect(KeyCommitment.matches(Array(commitment), key: dataKey, recordID: uid))
            let nm = staff.common("nm-triage")
            let showNew = try await staff.cli(["tips", "show", newTip, "--json"] + nm + ["--content-key", newKeyFile.path])
            #expect(showNew.status == 0 && showNew.stdout.contains("出售淫秽光盘 举报人丁"), "\(showNew.stderr)")

            // Before the re-wrap, the new key alone does not open an old tip, and the old key cannot be retired.
            let early = try await staff.cli(["tips", "show", old[0]] + nm + ["--content-key", newKeyFile.path])
            #expect(early.status == 4, "\(early.stderr)")
            let retireEarly = try await staff.cli(["keys", "retire", "--centre", "nanming", "--class", "content",
                                                   "--key-id", oldPrivate.publicKey.keyID] + staff.admin())
            #expect(retireEarly.status == 4, "\(retireEarly.stderr)")

            // The re-wrap, from the old key file, in batches of two: two entries, one per batch.
            let rewrap = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "content", "--old-key", oldKeyFile.path,
                                              "--new-key-id", newPrivate.publicKey.keyID, "--batch", "2"] + nm)
            #expect(rewrap.status == 0, "\(rewrap.stderr)")
            let entries = try live.readDatabase { db in
                try Row.fetchAll(db, sql: "SELECT details, request FROM audit_entry WHERE action = 'keys.rewrap' ORDER BY seq")
            }
            // Two batches of tips, then one each for the reply, the note and the added file.
            #expect(entries.count == 5)
            let details = entries.map { (try? JSONSerialization.jsonObject(with: Data(($0["details"] as String).utf8))) as? [String: String] ?? [:] }
            let named = details.flatMap { ($0["tips"] ?? "").split(separator: ",").map(String.init) }
            #expect(named.sorted() == old.sorted())
            #expect(details.filter { !($0["tips"] ?? "").isEmpty }.count == 2)
            let records = details.flatMap { ($0["records"] ?? "").split(separator: ",").map { String($0.split(separator: ":")[0]) } }
            #expect(records.sorted() == ["file", "message", "note"])
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM envelope_wrap") } == 3)
            for entry in entries {
                // The stored request keeps the wraps only as a hash.
                let request = String(decoding: entry["request"] as Data, as: UTF8.self)
                #expect(request.contains("\"wraps\":{\"sha256\""))
            }
            for reference in old {
                let stored = try Self.contentWraps(live, reference)
                #expect(Set(stored.keys) == [oldPrivate.publicKey.keyID, newPrivate.publicKey.keyID])
            }
            rewrapped = old[0]
            // Again: nothing left, nothing written.
            let again = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "content", "--old-key", oldKeyFile.path] + nm)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'keys.rewrap'") } == 5)

            // The new key alone opens the old tips now, with their reply, note and both files.
            let saved = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-rotation-files-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: saved) }
            let thread = try await staff.cli(["tips", "show", old[0], "--json", "--save-evidence", saved.path] + nm + ["--content-key", newKeyFile.path])
            #expect(thread.status == 0, "\(thread.stderr)")
            #expect(thread.stdout.contains("已收到，正在核查") && thread.stdout.contains("内部备注甲"), "\(thread.stdout)")
            #expect(!thread.stdout.contains("not sealed to your key") && !thread.stdout.contains("bad message"))
            #expect(try FileManager.default.contentsOfDirectory(atPath: saved.path).count == 2)
            for reference in old {
                let show = try await staff.cli(["tips", "show", reference, "--json"] + nm + ["--content-key", newKeyFile.path])
                #expect(show.status == 0, "\(show.stderr)")
                #expect(show.stdout.contains("出售淫秽光盘 举报人"))
            }

            // Retired now; the CLI no longer offers the old key, and nothing is wrapped for it any more.
            let retire = try await staff.cli(["keys", "retire", "--centre", "nanming", "--class", "content",
                                              "--key-id", oldPrivate.publicKey.keyID] + staff.admin())
            #expect(retire.status == 0, "\(retire.stderr)")
            let retired = try PublicKeyManifest.load(from: layout.keyManifest)
            #expect(retired.centres.first { $0.centre == "nanming" }?.former?.first?.retiredSeq != nil)
            let afterRetire = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "content", "--old-key", oldKeyFile.path] + nm)
            #expect(afterRetire.status == 4, "\(afterRetire.stderr)")

            let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
            // The report names who rotated and retired which key, and when.
            #expect(verify.stdout.contains("key rotation #") && verify.stdout.contains("nanming content \(oldPrivate.publicKey.keyID) → \(newPrivate.publicKey.keyID)"),
                    "\(verify.stdout)")
            #expect(verify.stdout.contains("key retired #") && verify.stdout.contains(oldPrivate.publicKey.keyID))
        }

        // Tampering, each on its own copy.
        let replaced = try Self.copy(live.root)
        defer { try? FileManager.default.removeItem(at: replaced) }
        try Self.tamper(replaced, """
            DROP TRIGGER IF EXISTS tip_wrap_no_update;
            UPDATE tip_wrap SET sealed = X'01\(String(repeating: "ab", count: 80))'
            WHERE recipient_key_id = '\(try newKeyID(live))' AND tip_id = (SELECT id FROM tip WHERE reference = '\(rewrapped)')
            """)
        let replacedReport = try AuditVerifier(sources: try AuditSources.deployment(at: replaced)).verify()
        #expect(!replacedReport.passed)
        #expect(replacedReport.result(.envelopes)?.first?.problem.contains("differ from the hash") == true,
                "\(String(describing: replacedReport.result(.envelopes)?.first))")

        let added = try Self.copy(live.root)
        defer { try? FileManager.default.removeItem(at: added) }
        try Self.tamper(added, """
            DROP TRIGGER IF EXISTS tip_wrap_not_retired;
            INSERT INTO tip_wrap(tip_id, key_class, recipient_key_id, centre, sealed, added_at, added_by)
            SELECT id, 'content', '\(oldPrivate.publicKey.keyID)', 'nanming', X'01\(String(repeating: "cd", count: 80))', received_at, 'server'
            FROM tip WHERE reference = '\(newTip)'
            """)
        let addedReport = try AuditVerifier(sources: try AuditSources.deployment(at: added)).verify()
        #expect(!addedReport.passed)
        #expect(addedReport.result(.envelopes)?.first?.problem.contains("retired") == true,
                "\(String(describing: addedReport.result(.envelopes)?.first))")

        let replacedRecord = try Self.copy(live.root)
        defer { try? FileManager.default.removeItem(at: replacedRecord) }
        try Self.tamper(replacedRecord, """
            DROP TRIGGER IF EXISTS envelope_wrap_no_update;
            UPDATE envelope_wrap SET sealed = X'01\(String(repeating: "ef", count: 80))' WHERE record_kind = 'note'
            """)
        let recordReport = try AuditVerifier(sources: try AuditSources.deployment(at: replacedRecord)).verify()
        #expect(!recordReport.passed)
        #expect(recordReport.result(.envelopes)?.first?.problem.contains("differs from the hash") == true,
                "\(String(describing: recordReport.result(.envelopes)?.first))")

        // keys.json edited to un-retire the old key (so that something could be sealed to it again): caught.
        let unretired = try Self.copy(live.root)
        defer { try? FileManager.default.removeItem(at: unretired) }
        var manifest = try PublicKeyManifest.load(from: DeploymentLayout(root: unretired).keyManifest)
        let index = try #require(manifest.centres.firstIndex { $0.centre == "nanming" })
        manifest.centres[index].former?[0].retiredSeq = nil
        manifest.centres[index].former?[0].retiredAt = nil
        try manifest.write(to: DeploymentLayout(root: unretired).keyManifest)
        let unretiredReport = try AuditVerifier(sources: try AuditSources.deployment(at: unretired)).verify()
        #expect(unretiredReport.result(.authority)?.first?.problem.contains("retired") == true,
                "\(String(describing: unretiredReport.result(.authority)?.first))")

        // The untouched deployment still verifies (the findings above come from the tampering alone).
        #expect(try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify().passed)
    }

    @Test("Identity key: the identity holder re-wraps with the old key; only then does the new key unseal; another centre's holder may not re-wrap; verify passes")
    func identityRotation() async throws {
        let live = try LiveServer()
        let workstations = live.holders.appendingPathComponent("workstations")
        let oldKeyFile = live.holders.appendingPathComponent("nanming-identity.key.pem")
        let newKeyFile = workstations.appendingPathComponent("nanming-identity-2.key.pem")
        try await live.run { live in
            let staff = Staff(live: live, dir: workstations)
            try await staff.enrol("nm-holder", role: "identity-holder", centre: "nanming")
            try await staff.enrol("hx-holder", role: "identity-holder", centre: "huaxi")
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版光盘",
                                                                "reporter": ["name": "举报人戊", "phone": "13800002222"]])
            #expect(reply.status == 201, "\(reply.text)")
            let reference = try reply.json()["reference"] as! String

            let rotate = try await staff.cli(["keys", "rotate", "--centre", "nanming", "--class", "identity", "--out", newKeyFile.path] + staff.admin())
            #expect(rotate.status == 0, "\(rotate.stderr)")
            let holder = staff.common("nm-holder")
            let early = try await staff.cli(["tips", "unseal", reference, "--reason", "联系举报人", "--json"] + holder + ["--identity-key", newKeyFile.path])
            #expect(early.status != 0, "\(early.stdout)")

            // A triage officer holds no identity key, and another centre's holder not nanming's: both refused, nothing written.
            let byTriage = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "identity", "--old-key", oldKeyFile.path]
                                               + staff.common("nm-triage"))
            #expect(byTriage.status == 4, "\(byTriage.stderr)")
            let byHuaxi = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "identity", "--old-key", oldKeyFile.path]
                                              + staff.common("hx-holder"))
            #expect(byHuaxi.status == 4, "\(byHuaxi.stderr)")
            // The wrong old key (nanming's content key) is refused before anything is sent.
            let wrongKey = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "identity",
                                                "--old-key", live.holders.appendingPathComponent("nanming-content.key.pem").path] + holder)
            #expect(wrongKey.status == 4, "\(wrongKey.stderr)")
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'keys.rewrap'") } == 0)

            let rewrap = try await staff.cli(["keys", "rewrap", "--centre", "nanming", "--class", "identity", "--old-key", oldKeyFile.path] + holder)
            #expect(rewrap.status == 0, "\(rewrap.stderr)")
            let unseal = try await staff.cli(["tips", "unseal", reference, "--reason", "联系举报人", "--json"] + holder + ["--identity-key", newKeyFile.path])
            #expect(unseal.status == 0 && unseal.stdout.contains("举报人戊"), "\(unseal.stderr)")

            let oldID = try X25519PrivateKey(encryptedPEM: String(contentsOf: oldKeyFile, encoding: .utf8), passphrase: live.passphrase).publicKey.keyID
            let retire = try await staff.cli(["keys", "retire", "--centre", "nanming", "--class", "identity", "--key-id", oldID] + staff.admin())
            #expect(retire.status == 0, "\(retire.stderr)")
            let list = try await staff.cli(["keys", "list", "--json", "--deployment", live.root.path])
            let rows = try #require(try list.json() as? [[String: Any]])
            #expect(rows.contains { $0["key_id"] as? String == oldID && $0["state"] as? String == "retired" })

            let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
    }

    @Test("Another workstation re-pins deliberately: the right fingerprint and only a rotation accepted; a wrong fingerprint refused")
    func repin() async throws {
        let live = try LiveServer()
        let workstations = live.holders.appendingPathComponent("workstations")
        try await live.run { live in
            let staff = Staff(live: live, dir: workstations)
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            // The triage officer's workstation keeps its own pinned copy of keys.json.
            let pinned = workstations.appendingPathComponent("keys.json")
            try FileManager.default.copyItem(at: DeploymentLayout(root: live.root).keyManifest, to: pinned)
            let before = try PublicKeyManifest.load(from: pinned)
            let own = ["--server", live.adminURL, "--ca", DeploymentLayout(root: live.root).tlsCA.path, "--keys", pinned.path,
                       "--key", workstations.appendingPathComponent("staff-nm-triage.key.pem").path]
            let rotate = try await staff.cli(["keys", "rotate", "--centre", "nanming", "--class", "content",
                                              "--out", workstations.appendingPathComponent("nm-content-2.pem").path] + staff.admin())
            #expect(rotate.status == 0, "\(rotate.stderr)")
            let fingerprint = try PublicKeyManifest.load(from: DeploymentLayout(root: live.root).keyManifest).fingerprint

            // A stale pin seals a note to the old key: the server refuses it (409) and stores nothing; the new key
            // file does not even match the stale pin (refused before anything is sent).
            let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版光盘"])
            let reference = try reply.json()["reference"] as! String
            let stale = try await staff.cli(["tips", "note", reference, "--message", "备注"] + own
                                            + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path])
            #expect(stale.status == 4, "\(stale.stdout)\(stale.stderr)")
            let mismatch = try await staff.cli(["tips", "note", reference, "--message", "备注"] + own
                                               + ["--content-key", workstations.appendingPathComponent("nm-content-2.pem").path])
            #expect(mismatch.status == 4, "\(mismatch.stderr)")
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip_note") } == 0)

            let wrong = try await staff.cli(["keys", "pin", "--fingerprint", before.fingerprint] + own)
            #expect(wrong.status == 4, "\(wrong.stderr)")
            #expect(try PublicKeyManifest.load(from: pinned) == before)
            let pin = try await staff.cli(["keys", "pin", "--fingerprint", fingerprint] + own)
            #expect(pin.status == 0, "\(pin.stderr)")
            #expect(try PublicKeyManifest.load(from: pinned).fingerprint == fingerprint)
            let note = try await staff.cli(["tips", "note", reference, "--message", "备注"] + own
                                           + ["--content-key", workstations.appendingPathComponent("nm-content-2.pem").path])
            #expect(note.status == 0, "\(note.stderr)")
        }
    }

    @Test("A tip routed back to a centre after its key was rotated gets a wrap for the new key (not a replacement): verify passes; after a restart new tips still seal to the new key")
    func routeBackAfterRotation() async throws {
        let live = try LiveServer()
        let workstations = live.holders.appendingPathComponent("workstations")
        let newKeyFile = workstations.appendingPathComponent("nanming-content-2.key.pem")
        try await live.run { live in
            let staff = Staff(live: live, dir: workstations)
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            try await staff.enrol("hx-triage", role: "triage", centre: "huaxi")
            let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版光盘 甲"])
            let reference = try reply.json()["reference"] as! String
            let away = try await staff.cli(["tips", "route", reference, "--to", "huaxi", "--reason", "地点在花溪区"] + staff.common("nm-triage")
                                           + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path])
            #expect(away.status == 0, "\(away.stderr)")
            let rotate = try await staff.cli(["keys", "rotate", "--centre", "nanming", "--class", "content", "--out", newKeyFile.path] + staff.admin())
            #expect(rotate.status == 0, "\(rotate.stderr)")
            let back = try await staff.cli(["tips", "route", reference, "--to", "nanming", "--reason", "地点核实在南明区"] + staff.common("hx-triage")
                                           + ["--content-key", live.holders.appendingPathComponent("huaxi-content.key.pem").path])
            #expect(back.status == 0, "\(back.stderr)")
            let show = try await staff.cli(["tips", "show", reference, "--json"] + staff.common("nm-triage") + ["--content-key", newKeyFile.path])
            #expect(show.status == 0 && show.stdout.contains("出售盗版光盘 甲"), "\(show.stderr)")
            let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
            #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        }
        // After a restart the server reads the rotated key set from keys.json: new tips still go to the new key only.
        let newKeyID = try X25519PrivateKey(encryptedPEM: String(contentsOf: newKeyFile, encoding: .utf8), passphrase: live.passphrase).publicKey.keyID
        try await live.run { live in
            let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版光盘 乙"])
            let reference = try reply.json()["reference"] as! String
            #expect(Array(try Self.contentWraps(live, reference).keys) == [newKeyID])
        }
    }

    @Test("A wrap that does not open to the tip's data key is refused and reported by the re-wrap (exit 7), the others re-wrapped; retire stays refused")
    func badWrapReported() async throws {
        let live = try LiveServer()
        let workstations = live.holders.appendingPathComponent("workstations")
        try await live.run { live in
            let staff = Staff(live: live, dir: workstations)
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            try await staff.enrol("hx-triage", role: "triage", centre: "huaxi")
            func submit() async throws -> String {
                let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版光盘"])
                return try reply.json()["reference"] as! String
            }
            let good = try await submit(), bad = try await submit()
            let nm = staff.common("nm-triage") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let routed = try await staff.cli(["tips", "route", good, "--to", "huaxi", "--reason", "地点在花溪区"] + nm)
            #expect(routed.status == 0, "\(routed.stderr)")
            // A modified client re-routes the other with a garbage content wrap (accepted: huaxi had none).
            let pem = try String(contentsOf: workstations.appendingPathComponent("staff-nm-triage.key.pem"), encoding: .utf8)
            let (status, body) = try await IntegrityStory.signedPOST(live, "/admin/v1/tips/\(bad)/route", body: [
                "to": "huaxi", "reason": "地点在花溪区", "content_wrap": IntegrityStory.garbageWrap(),
            ], key: try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase))
            #expect(status == 200, "\(body)")

            let newKeyFile = workstations.appendingPathComponent("huaxi-content-2.key.pem")
            let rotate = try await staff.cli(["keys", "rotate", "--centre", "huaxi", "--class", "content", "--out", newKeyFile.path] + staff.admin())
            #expect(rotate.status == 0, "\(rotate.stderr)")
            let oldKeyFile = live.holders.appendingPathComponent("huaxi-content.key.pem")
            let rewrap = try await staff.cli(["keys", "rewrap", "--centre", "huaxi", "--class", "content", "--old-key", oldKeyFile.path]
                                             + staff.common("hx-triage"))
            #expect(rewrap.status == 7, "\(rewrap.stdout)\(rewrap.stderr)")
            #expect(rewrap.stderr.contains(bad) && !rewrap.stderr.contains(good), "\(rewrap.stderr)")
            let tips = try live.readDatabase { db in
                try String.fetchAll(db, sql: "SELECT details FROM audit_entry WHERE action = 'keys.rewrap'")
            }
            #expect(tips.count == 1 && tips[0].contains(good) && !tips[0].contains(bad))
            let oldID = try X25519PrivateKey(encryptedPEM: String(contentsOf: oldKeyFile, encoding: .utf8), passphrase: live.passphrase).publicKey.keyID
            let retire = try await staff.cli(["keys", "retire", "--centre", "huaxi", "--class", "content", "--key-id", oldID] + staff.admin())
            #expect(retire.status == 4, "\(retire.stderr)")
        }
    }

    func newKeyID(_ live: LiveServer) throws -> String {
        try PublicKeyManifest.load(from: DeploymentLayout(root: live.root).keyManifest).centres.first { $0.centre == "nanming" }!.content.keyID
    }
}
