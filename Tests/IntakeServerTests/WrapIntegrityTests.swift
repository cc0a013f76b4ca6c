import AsyncHTTPClient
import Foundation
import GRDB
import NIOCore
import NIOHTTP1
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineAdminAPI
import TiplineDeployment
import TiplineStore

/// Issue 11, items 2 and 4, against a real server and the real `tipline-admin`: wraps are append-only
/// (a re-routing cannot replace another centre's wraps), a wrap added after intake that does not open
/// to the tip's data key is caught by its recipient with who added it, and `audit verify` checks every
/// stored wrap and every clear column of a tip against the signed entries.
struct IntegrityStory: Sendable {
    let live: LiveServer
    /// nanming tip with identity and one evidence file, re-routed to the city by the real CLI after
    /// a refused attack; `cityWraps` are its city wraps as received.
    let routedToCity: String
    let cityWraps: [String: Data]
    /// nanming tip re-routed to huaxi with two garbage wraps (accepted: huaxi had none).
    let garbage: String
    /// nanming tip re-routed to baiyun with a content wrap of another key.
    let otherKey: String
    /// nanming tip: assigned, urgency raised, triaged → verifying → verified (outcome), wants a reward.
    let verified: String
    /// nanming tip marked a duplicate of `verified`.
    let duplicate: String
    /// What the live steps saw (checked by the tests).
    let attackStatus: Int
    let attackBody: String
    let cityRouteStatus: Int32
    let cityWrapsAfter: [String: Data]
    let garbageShow: CLIRunner.Result
    let garbageUnseal: CLIRunner.Result
    let otherKeyShow: CLIRunner.Result
    let nanmingKeyID: String
    let replaceIdentityStatus: Int

    var root: URL { live.root }

    static func wrapsOf(_ live: LiveServer, _ reference: String, centre: String) throws -> [String: Data] {
        try live.readDatabase { db in
            var out: [String: Data] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT key_class, sealed FROM tip_wrap WHERE centre = ? AND tip_id = (SELECT id FROM tip WHERE reference = ?)
                """, arguments: [centre, reference]) {
                out[row["key_class"]] = row["sealed"]
            }
            return out
        }
    }

    /// A staff request signed with `key`, sent as the real CLI sends it (what a modified CLI could send).
    static func signedPOST(_ live: LiveServer, _ target: String, body: [String: Any], key: Ed25519PrivateKey) async throws -> (Int, String) {
        let data = Array(try JSONSerialization.data(withJSONObject: body))
        let (signature, _) = try AdminRequestSignature.sign(method: "POST", target: target, body: data, key: key,
                                                            timestamp: Int64(Date().timeIntervalSince1970))
        var request = HTTPClientRequest(url: live.adminURL + target)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: data))
        let response = try await live.client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), String(decoding: collected.readableBytesView, as: UTF8.self))
    }

    static func garbageWrap() -> String { Data([1] + SecureRandom.bytes(80)).base64EncodedString() }

    static func build() async throws -> IntegrityStory {
        let live = try LiveServer()
        nonisolated(unsafe) var story: IntegrityStory?
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            try await staff.enrol("hx-triage", role: "triage", centre: "huaxi")
            try await staff.enrol("by-triage", role: "triage", centre: "baiyun")
            try await staff.enrol("hx-holder", role: "identity-holder", centre: "huaxi")
            let key = { (centre: String, keyClass: String) in live.holders.appendingPathComponent("\(centre)-\(keyClass).key.pem").path }
            let nm = staff.common("nm-triage") + ["--content-key", key("nanming", "content")]
            let pem = try String(contentsOf: staff.dir.appendingPathComponent("staff-nm-triage.key.pem"), encoding: .utf8)
            let nmKey = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase)
            func submit(_ name: String?, evidence: Bool = false) async throws -> String {
                var tip: [String: Any] = ["category": "illegal-av", "district": "nanming", "description": "出售淫秽光盘", "wants_reward": true]
                if let name { tip["reporter"] = ["name": name, "phone": "13800001111"] }
                let reply = evidence
                    ? try await live.postMultipart("/api/v1/tips", tip: tip, files: [try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent("baseline.jpg")))])
                    : try await live.postJSON("/api/v1/tips", tip)
                #expect(reply.status == 201, "\(reply.text)")
                return try reply.json()["reference"] as! String
            }
            func ok(_ arguments: [String]) async throws {
                let result = try await staff.cli(arguments)
                #expect(result.status == 0, "\(arguments.prefix(3)): \(result.stderr)")
            }

            // The black-box attack: route to the city with two random 81-byte wraps.
            let a = try await submit("举报人甲", evidence: true)
            let cityWraps = try wrapsOf(live, a, centre: "city")
            #expect(cityWraps.count == 2)
            let (attackStatus, attackBody) = try await signedPOST(live, "/admin/v1/tips/\(a)/route", body: [
                "to": "city", "reason": "上报市级", "content_wrap": garbageWrap(), "identity_wrap": garbageWrap(),
            ], key: nmKey)
            // The legitimate re-routing to the city, with the real CLI: it sends no wrap for keys that have one.
            let cityRoute = try await staff.cli(["tips", "route", a, "--to", "city", "--reason", "上报市级",
                                                 "--identity-key", key("nanming", "identity")] + nm)
            #expect(cityRoute.status == 0, "\(cityRoute.stderr)")
            let cityWrapsAfter = try wrapsOf(live, a, centre: "city")

            // Wraps added after intake that do not open to the tip's key.
            let c = try await submit("举报人丙")
            let (garbageStatus, garbageBody) = try await signedPOST(live, "/admin/v1/tips/\(c)/route", body: [
                "to": "huaxi", "reason": "地点在花溪区", "content_wrap": garbageWrap(), "identity_wrap": garbageWrap(),
            ], key: nmKey)
            #expect(garbageStatus == 200, "\(garbageBody)")
            let garbageShow = try await staff.cli(["tips", "show", c] + staff.common("hx-triage") + ["--content-key", key("huaxi", "content")])
            let garbageUnseal = try await staff.cli(["tips", "unseal", c, "--reason", "联系举报人"] + staff.common("hx-holder")
                                                    + ["--identity-key", key("huaxi", "identity")])
            // A second identity wrap for huaxi (replacing the garbage one), by an identity holder, is refused.
            let holderPEM = try String(contentsOf: staff.dir.appendingPathComponent("staff-hx-holder.key.pem"), encoding: .utf8)
            let (replaceIdentityStatus, _) = try await signedPOST(live, "/admin/v1/tips/\(c)/identity-wraps", body: [
                "centre": "huaxi", "wrap": garbageWrap(),
            ], key: try Ed25519PrivateKey(encryptedPEM: holderPEM, passphrase: live.passphrase))

            let d = try await submit(nil)
            let uid = try live.readDatabase { try String.fetchOne($0, sql: "SELECT uid FROM tip WHERE reference = ?", arguments: [d])! }
            let baiyunHex = try #require(live.deployment.manifest.centres.first { $0.centre == "baiyun" }).content.publicKey
            let baiyun = try X25519PublicKey(rawRepresentation: try #require(Hex.decode(baiyunHex)))
            let otherWrap = try EnvelopeCrypto.wrap(DataKey.random(.content), recordID: uid, for: baiyun)
            let (otherStatus, otherBody) = try await signedPOST(live, "/admin/v1/tips/\(d)/route", body: [
                "to": "baiyun", "reason": "地点在白云区", "content_wrap": Data(otherWrap.serialized()).base64EncodedString(),
            ], key: nmKey)
            #expect(otherStatus == 200, "\(otherBody)")
            let otherKeyShow = try await staff.cli(["tips", "show", d] + staff.common("by-triage") + ["--content-key", key("baiyun", "content")])

            // A tip with every clear column set by staff actions.
            let v = try await submit("举报人戊")
            let dup = try await submit(nil)
            try await ok(["tips", "assign", v, "--to", nmKey.publicKey.keyID] + nm)
            try await ok(["tips", "urgency", v, "major", "--reason", "涉及未成年人"] + nm)
            try await ok(["tips", "status", v, "triaged"] + nm)
            try await ok(["tips", "status", v, "verifying", "--unit", "南明区文化市场综合执法大队"] + nm)
            try await ok(["tips", "status", v, "verified", "--outcome", "administrative", "--fines", "20000"] + nm)
            try await ok(["tips", "duplicate", dup, "--of", v, "--reason", "同一线索"] + nm)

            story = IntegrityStory(
                live: live, routedToCity: a, cityWraps: cityWraps, garbage: c, otherKey: d, verified: v, duplicate: dup,
                attackStatus: attackStatus, attackBody: attackBody, cityRouteStatus: cityRoute.status, cityWrapsAfter: cityWrapsAfter,
                garbageShow: garbageShow, garbageUnseal: garbageUnseal, otherKeyShow: otherKeyShow, nanmingKeyID: nmKey.publicKey.keyID,
                replaceIdentityStatus: replaceIdentityStatus)
        }
        return try #require(story)
    }

    func copy() throws -> URL {
        try AuditStory(live: live, withIdentity: routedToCity, anonymous: otherKey, rerouted: garbage, canary: "").copy()
    }
}

actor IntegrityStoryCache {
    static let shared = IntegrityStoryCache()
    private var task: Task<IntegrityStory, any Error>?

    func story() async throws -> IntegrityStory {
        if let task { return try await task.value }
        let task = Task { try await IntegrityStory.build() }
        self.task = task
        return try await task.value
    }
}

@Suite("Wraps are append-only and checkable; audit verify checks every tip column", .serialized)
struct WrapIntegrityTests {
    let audit = AuditEndToEndTests()

    @Test("▶ Re-routing to the city with two random wraps is refused (409) and the city's wraps stay byte-identical; the real CLI re-routes without replacing them")
    func routeWithGarbageWraps() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        #expect(story.attackStatus == 409, "\(story.attackBody)")
        #expect(story.attackBody.contains("append-only"))
        #expect(story.cityRouteStatus == 0)
        #expect(story.cityWrapsAfter == story.cityWraps, "the city's wraps changed")
        let (centre, pending) = try story.live.readDatabase { db in
            (try String.fetchOne(db, sql: "SELECT centre FROM tip WHERE reference = ?", arguments: [story.routedToCity]),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM pending_identity_wrap WHERE tip_id = (SELECT id FROM tip WHERE reference = ?)",
                              arguments: [story.routedToCity]))
        }
        #expect(centre == "city" && pending == 0)
        // The city's holder still opens the content with the untouched wrap.
        let key = try story.live.holderKey("city", .content)
        let uid = try story.live.readDatabase { try String.fetchOne($0, sql: "SELECT uid FROM tip WHERE reference = ?", arguments: [story.routedToCity])! }
        let wrap = try RecipientWrap(keyClass: .content, recipientKeyID: key.publicKey.keyID, serialized: Array(try #require(story.cityWraps["content"])))
        _ = try EnvelopeCrypto.unwrap(wrap, recordID: uid, with: key)
        // A second identity wrap for a centre that has one is refused too.
        #expect(story.replaceIdentityStatus == 409)
    }

    @Test("Garbage wraps added by a re-routing are refused when opened (tips show, unseal), Chinese first, naming who added them")
    func garbageFlaggedOnOpen() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        for result in [story.garbageShow, story.garbageUnseal] {
            #expect(result.status == 7, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("包装无效"))
            #expect(result.stderr.contains(story.nanmingKeyID))
            let zh = try #require(result.stderr.range(of: "包装无效"))
            let en = try #require(result.stderr.range(of: "bad wrap"))
            #expect(zh.lowerBound < en.lowerBound)
        }
    }

    @Test("A wrap that decrypts, but to another key, fails the key commitment check when opened")
    func otherKeyFlaggedOnOpen() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        #expect(story.otherKeyShow.status == 7, "\(story.otherKeyShow.stdout)\(story.otherKeyShow.stderr)")
        #expect(story.otherKeyShow.stderr.contains("密钥承诺"))
        #expect(story.otherKeyShow.stderr.contains(story.nanmingKeyID))
    }

    @Test("The story passes audit verify: refused attacks changed nothing, added wraps are recorded with their hashes")
    func untouchedPasses() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let report = try audit.verify(copy)
        #expect(report.passed, "\(report.checks.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.first?.text ?? "")" })")
        #expect(report.tips == 5)
        let hashes = try story.live.readDatabase { db in
            try String.fetchAll(db, sql: "SELECT json_extract(details, '$.wrap_hashes') FROM audit_entry WHERE action = 'tip.route' ORDER BY seq")
        }
        // To the city: nothing added; to huaxi: two wraps; to baiyun: one.
        #expect(hashes.map { $0.split(separator: ",").count } == [0, 2, 1])
    }

    @Test("The wrap table refuses UPDATE, DELETE and INSERT OR REPLACE (only retention deletes wraps)")
    func triggers() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        let queue = try DatabaseQueue(path: DeploymentLayout(root: copy).database.path)
        for sql in ["UPDATE tip_wrap SET sealed = x'00'",
                    "DELETE FROM tip_wrap",
                    "INSERT OR REPLACE INTO tip_wrap(tip_id, key_class, recipient_key_id, centre, sealed, added_at) SELECT tip_id, key_class, recipient_key_id, centre, x'01', added_at FROM tip_wrap LIMIT 1"] {
            #expect(throws: DatabaseError.self, "\(sql)") { try queue.write { try $0.execute(sql: sql) } }
        }
        #expect(story.cityWrapsAfter == story.cityWraps)
    }

    // MARK: audit verify against a database writer

    private func tampered(_ sql: String, _ arguments: StatementArguments = [], expect problem: String? = nil) async throws {
        let story = try await IntegrityStoryCache.shared.story()
        let copy = try story.copy()
        defer { try? FileManager.default.removeItem(at: copy) }
        try audit.tamper(copy, "DROP TRIGGER IF EXISTS tip_wrap_no_update; DROP TRIGGER IF EXISTS tip_wrap_delete_only_shredded; " + sql,
                         arguments: arguments)
        let report = try audit.verify(copy)
        audit.expectFailure(report, .envelopes)
        #expect(report.result(.chain)?.passed == true)
        if let problem { #expect(report.result(.envelopes)?.first?.problem.contains(problem) == true, "\(report.result(.envelopes)?.first?.problem ?? "")") }
    }

    private func tip(_ column: String = "id") -> String { "(SELECT \(column) FROM tip WHERE reference = ?)" }

    @Test("verify: one byte of an intake wrap changed in the database")
    func intakeWrapByte() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        var sealed = try #require(try IntegrityStory.wrapsOf(story.live, story.verified, centre: "city")["identity"])
        sealed[40] ^= 0x01
        try await tampered("UPDATE tip_wrap SET sealed = ? WHERE centre = 'city' AND key_class = 'identity' AND tip_id = \(tip())",
                           [sealed, story.verified], expect: "differ from the hash recorded at intake")
    }

    @Test("verify: the city's wraps replaced, as the old INSERT OR REPLACE did")
    func cityWrapsReplaced() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip_wrap SET sealed = ? WHERE centre = 'city' AND tip_id = \(tip())",
                           [Data([1] + SecureRandom.bytes(80)), story.routedToCity], expect: "differ from the hash recorded")
    }

    @Test("verify: a wrap added by a re-routing changed in the database")
    func laterWrapByte() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip_wrap SET sealed = ? WHERE centre = 'baiyun' AND tip_id = \(tip())",
                           [Data([1] + SecureRandom.bytes(80)), story.otherKey], expect: "differ from the hash recorded when")
    }

    @Test("verify: reporter_public_key replaced (vouchers and replies would go to the writer)")
    func reporterKey() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip SET reporter_public_key = ? WHERE reference = ?",
                           [Data(X25519PrivateKey.generate().publicKey.rawRepresentation), story.verified], expect: "reporter_public_key")
    }

    @Test("verify: an evidence file deleted")
    func evidenceDeleted() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("DELETE FROM tip_evidence WHERE tip_id = \(tip())", [story.routedToCity], expect: "content")
    }

    @Test("verify: a content field deleted")
    func contentFieldDeleted() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("DELETE FROM tip_field WHERE key_class = 'content' AND name = 'description' AND tip_id = \(tip())", [story.verified],
                           expect: "content")
    }

    @Test("verify: an identity field deleted")
    func identityFieldDeleted() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("DELETE FROM tip_field WHERE key_class = 'identity' AND name = 'reporter.phone' AND tip_id = \(tip())", [story.verified],
                           expect: "identity")
    }

    @Test("verify: two tips' uids swapped")
    func uidsSwapped() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        let (a, b) = (story.verified, story.duplicate)
        let (ua, ub) = try story.live.readDatabase { db in
            (try String.fetchOne(db, sql: "SELECT uid FROM tip WHERE reference = ?", arguments: [a])!,
             try String.fetchOne(db, sql: "SELECT uid FROM tip WHERE reference = ?", arguments: [b])!)
        }
        try await tampered("""
            UPDATE tip SET uid = '\(String(repeating: "f", count: 32))' WHERE reference = '\(a)';
            UPDATE tip SET uid = '\(ua)' WHERE reference = '\(b)';
            UPDATE tip SET uid = '\(ub)' WHERE reference = '\(a)';
            """, expect: "uid")
    }

    @Test("verify: outcome inflated")
    func outcomeInflated() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip SET outcome = replace(outcome, '2000000', '200000000') WHERE reference = ?", [story.verified], expect: "outcome")
    }

    @Test("verify: wants_reward flipped")
    func wantsRewardFlipped() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip SET wants_reward = 1 - wants_reward WHERE reference = ?", [story.garbage], expect: "wants_reward")
    }

    @Test("verify: duplicate_of cleared, and set on a tip that is no duplicate")
    func duplicateFlipped() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip SET duplicate_of = NULL WHERE reference = ?", [story.duplicate], expect: "duplicate_of")
        try await tampered("UPDATE tip SET duplicate_of = \(tip()) WHERE reference = ?", [story.verified, story.otherKey], expect: "duplicate_of")
    }

    @Test("verify: urgency, assignee and status-related columns changed")
    func otherColumns() async throws {
        let story = try await IntegrityStoryCache.shared.story()
        try await tampered("UPDATE tip SET urgency = 'routine' WHERE reference = ?", [story.verified], expect: "urgency")
        try await tampered("UPDATE tip SET assigned_to = NULL WHERE reference = ?", [story.verified], expect: "assigned_to")
        try await tampered("UPDATE tip SET enforcement_unit = '别的单位' WHERE reference = ?", [story.verified], expect: "enforcement_unit")
        try await tampered("UPDATE tip SET content_key_commitment = ? WHERE reference = ?", [Data(SecureRandom.bytes(32)), story.verified],
                           expect: "content")
    }
}
