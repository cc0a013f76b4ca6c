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

/// The triage issue end to end: the real server, the real `tipline-admin` binary, signed requests.
@Suite("Triage over the signed admin API", .serialized)
struct TriageEndToEndTests {
    /// Staff of a live deployment, enrolled through the CLI as an administrator would.
    struct Staff {
        let live: LiveServer
        let dir: URL
        var passphrase: String { String(decoding: live.passphrase, as: UTF8.self) }

        func common(_ key: String) -> [String] {
            ["--deployment", live.root.path, "--server", live.adminURL, "--key", dir.appendingPathComponent("staff-\(key).key.pem").path]
        }

        func admin() -> [String] {
            ["--deployment", live.root.path, "--server", live.adminURL, "--key", live.holders.appendingPathComponent("staff-admin.key.pem").path]
        }

        /// The second administrator (enrolled by the first alone, the one single-approval enrolment).
        func admin2() -> [String] {
            ["--deployment", live.root.path, "--server", live.adminURL, "--key", dir.appendingPathComponent("staff-admin2.key.pem").path]
        }

        func cli(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments, passphrase: passphrase)
        }

        /// Enrols through the CLI; a privileged role gets its second approval from `admin2` (enrolled first if needed).
        func enrol(_ name: String, role: String, centre: String, unit: String? = nil) async throws {
            let privileged = StaffRole(rawValue: role)?.needsSecondApproval ?? false
            let hasAdmin2 = FileManager.default.fileExists(atPath: dir.appendingPathComponent("staff-admin2.key.pem").path)
            if privileged, !hasAdmin2, name != "admin2" { try await enrol("admin2", role: "admin", centre: "city") }
            let enrol = try await cli(["staff", "enroll", "--name", name, "--role", role, "--centre", centre, "--out", dir.path]
                                      + (unit.map { ["--unit", $0] } ?? []))
            #expect(enrol.status == 0, "\(enrol.stderr)")
            let file = dir.appendingPathComponent("staff-\(name).enrol.json").path
            let approve = try await cli(["staff", "approve"] + admin() + [file])
            #expect(approve.status == 0, "\(approve.stderr)")
            if privileged, name != "admin2" {
                let second = try await cli(["staff", "approve"] + admin2() + [file])
                #expect(second.status == 0 && second.stdout.contains("enrolled"), "\(second.stderr)")
            }
        }
    }

    private func submit(_ live: LiveServer, district: String, name: String? = nil, description: String = "出售淫秽光盘") async throws -> (reference: String, receipt: String) {
        var tip: [String: Any] = ["category": "illegal-av", "district": district, "description": description, "wants_reward": true]
        if let name { tip["reporter"] = ["name": name, "phone": "13800001111"] }
        let reply = try await live.postJSON("/api/v1/tips", tip)
        let json = try reply.json()
        return (json["reference"] as! String, json["receipt"] as! String)
    }

    @Test("A tip goes received → triaged → verifying → verified → closed with the CLI; a reply reaches the reporter; an identity holder unseals with a reason")
    func lifecycle() async throws {
        let live = try LiveServer()
        let canary = "CanaryReporter\(UUID().uuidString.prefix(6))"
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("holder1", role: "identity-holder", centre: "city")
            let list = try await staff.cli(["staff", "list", "--json"] + staff.admin())
            #expect((try list.json() as? [[String: String]])?.map { $0["name"]! }.sorted() == ["admin", "admin2", "holder1", "triage1"])

            let tip = try await submit(live, district: "nanming", name: canary, description: "南明区某书店出售盗版书")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]

            let queue = try await staff.cli(["tips", "queue", "--json"] + triage)
            #expect(queue.status == 0, "\(queue.stderr)")
            #expect((try queue.json() as? [[String: Any]])?.contains { $0["reference"] as? String == tip.reference } == true)

            let shown = try await staff.cli(["tips", "show", tip.reference, "--json"] + triage)
            #expect(shown.status == 0, "\(shown.stderr)")
            let detail = try #require(try shown.json() as? [String: Any])
            #expect((detail["fields"] as? [String: String])?["description"] == "南明区某书店出售盗版书")
            #expect((detail["identity"] as? String)?.hasPrefix("sealed") == true)
            #expect(!shown.stdout.contains(canary))

            for step in [["triaged"], ["verifying", "--unit", "南明区文化市场综合执法大队"]] {
                let moved = try await staff.cli(["tips", "status", tip.reference] + step + triage)
                #expect(moved.status == 0, "\(moved.stderr)")
            }
            let reply = try await staff.cli(["tips", "reply", tip.reference, "--message", "已收到，正在核查。"] + triage)
            #expect(reply.status == 0, "\(reply.stderr)")
            let followup = try await live.postJSON("/api/v1/followup", ["receipt": tip.receipt])
            let messages = try #require(try followup.json()["messages"] as? [[String: Any]])
            #expect(messages.first?["author"] as? String == "centre" && messages.first?["text"] as? String == "已收到，正在核查。")
            #expect(try followup.json()["status"] as? String == "verifying")

            let verified = try await staff.cli(["tips", "status", tip.reference, "verified", "--outcome", "administrative", "--fines", "20000"] + triage)
            #expect(verified.status == 0, "\(verified.stderr)")
            #expect(try await staff.cli(["tips", "status", tip.reference, "closed"] + triage).status == 0)

            let holder = staff.common("holder1") + ["--identity-key", live.holders.appendingPathComponent("city-identity.key.pem").path]
            let unseal = try await staff.cli(["tips", "unseal", tip.reference, "--reason", "核实举报人身份以发放奖励", "--json"] + holder)
            #expect(unseal.status == 0, "\(unseal.stderr)")
            #expect((try unseal.json() as? [String: String])?["name"] == canary)
            let noReason = try await staff.cli(["tips", "unseal", tip.reference, "--reason", " "] + holder)
            #expect(noReason.status == 4)

            let stats = try await staff.cli(["stats", "--json"] + triage)
            #expect(stats.status == 0, "\(stats.stderr)")
        }
        let (actions, unsealReason) = try live.readDatabase { db in
            (try String.fetchAll(db, sql: "SELECT action FROM audit_entry ORDER BY seq"),
             try String.fetchOne(db, sql: "SELECT json_extract(details, '$.reason') FROM audit_entry WHERE action = 'tip.unseal'"))
        }
        #expect(actions.filter { $0 == "tip.status" }.count == 4)
        #expect(actions.contains("tip.reply") && actions.contains("staff.enrol") && actions.contains("staff.bootstrap"))
        #expect(actions.filter { $0 == "tip.unseal" }.count == 1)
        #expect(unsealReason == "核实举报人身份以发放奖励")
        // Issue 13 item 8: "who opened this reporter's identity" is one command, by name, in China time.
        let reference = try live.readDatabase { try String.fetchOne($0, sql: "SELECT subject FROM audit_entry WHERE action = 'tip.unseal'")! }
        let typed = "2026-" + String(Int(reference.split(separator: "-").last!)!)
        let opened = try await CLIRunner.run(["audit", "log", "--tip", typed, "--action", "unseal", "--json", "--deployment", live.root.path],
                                            passphrase: "")
        #expect(opened.status == 0, "\(opened.stderr)")
        let lines = try #require(try opened.json() as? [[String: String]])
        #expect(lines.count == 1 && lines[0]["actor_name"] == "holder1" && lines[0]["reason"] == "核实举报人身份以发放奖励", "\(lines)")
        #expect(lines.first?["at"]?.hasSuffix("+08:00") == true)
        let zh = try await CLIRunner.run(["audit", "log", "--tip", reference, "--deployment", live.root.path], passphrase: "",
                                        environment: ["TIPLINE_LANG": "zh"])
        #expect(zh.stdout.contains("打开举报人身份") && zh.stdout.contains("holder1（身份保管人@") && zh.stdout.contains("收到举报"), "\(zh.stdout)")
        #expect(zh.stdout.contains("核查中 → 查证属实"))
        // The staff requests are kept with their entries and verify under the staff keys.
        let staffEntries = try live.readDatabase { db in
            try Row.fetchAll(db, sql: "SELECT e.request, e.request_signature, s.public_key FROM audit_entry e JOIN staff s ON s.key_id = e.actor")
        }
        #expect(staffEntries.count >= 8)
        for row in staffEntries {
            let key = try Ed25519PublicKey(rawRepresentation: Array(row["public_key"] as Data))
            let parts = try #require(SignedAdminRequest.parse(Array(row["request"] as Data)))
            // A body with a secret field (a note's or reply's envelope) is kept redacted (issue 11, item 1), and
            // the staff member signed the hash of exactly that redacted body (v2): every stored body matches.
            #expect(parts.signsRedactedBody && Hashing.sha256Hex(parts.body) == parts.bodyHashHex)
            #expect(key.isValidSignature(Array(row["request_signature"] as Data), for: parts.message))
        }
        for (file, bytes) in live.dataFiles() {
            #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(file.lastPathComponent)")
        }
    }

    @Test("Refusals: another district's tip, unseal by triage, illegal transition, bad signature, stale timestamp, replayed nonce, unknown key")
    func refusals() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let huaxi = try await submit(live, district: "huaxi", name: "x")
            let nanming = try await submit(live, district: "nanming", name: "y")

            let other = try await staff.cli(["tips", "show", huaxi.reference] + triage)
            #expect(other.status == 3, "a nanming officer read a huaxi tip: \(other.stdout)")
            let queue = try await staff.cli(["tips", "queue", "--json"] + triage)
            #expect((try queue.json() as? [[String: Any]])?.contains { $0["reference"] as? String == huaxi.reference } == false)
            let unseal = try await staff.cli(["tips", "unseal", nanming.reference, "--reason", "curious",
                                              "--identity-key", live.holders.appendingPathComponent("nanming-identity.key.pem").path] + triage)
            #expect(unseal.status == 4, "triage unsealed: \(unseal.stderr)")

            let illegal = try await staff.cli(["tips", "status", nanming.reference, "verified", "--outcome", "criminal"] + triage)
            #expect(illegal.status == 4)
            #expect(illegal.stderr.contains("cannot move from received to verified"))
            let status = try live.readDatabase { try String.fetchOne($0, sql: "SELECT status FROM tip WHERE reference = ?", arguments: [nanming.reference]) }
            #expect(status == "received")
            let rejectedWithoutReason = try await staff.cli(["tips", "status", nanming.reference, "rejected"] + triage)
            #expect(rejectedWithoutReason.status == 4)

            // Raw signed requests: each flaw alone gets 401.
            let pem = try String(contentsOf: staff.dir.appendingPathComponent("staff-triage1.key.pem"), encoding: .utf8)
            let key = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase)
            func send(_ target: String, timestamp: Int64 = Int64(Date().timeIntervalSince1970), nonce: String = Hex.encode(SecureRandom.bytes(16)),
                      signWith signer: Ed25519PrivateKey? = nil, tamper: Bool = false) async throws -> Int {
                let (signature, _) = try AdminRequestSignature.sign(method: "GET", target: target, body: [], key: signer ?? key,
                                                                    timestamp: timestamp, nonce: nonce)
                var request = HTTPClientRequest(url: live.adminURL + (tamper ? target + "?limit=1" : target))
                for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
                return Int(try await live.client.execute(request, timeout: .seconds(30)).status.code)
            }
            #expect(try await send("/admin/v1/tips") == 200)
            #expect(try await send("/admin/v1/tips", tamper: true) == 401)
            #expect(try await send("/admin/v1/tips", timestamp: Int64(Date().timeIntervalSince1970) - 600) == 401)
            let nonce = Hex.encode(SecureRandom.bytes(16))
            #expect(try await send("/admin/v1/tips", nonce: nonce) == 200)
            #expect(try await send("/admin/v1/tips", nonce: nonce) == 401)
            #expect(try await send("/admin/v1/tips", signWith: Ed25519PrivateKey.generate()) == 401)
            #expect(try await live.request("/admin/v1/tips", admin: true).status == 401)
            // Triage reads the staff directory (names, issue 13) but not the ledger.
            #expect(try await send("/admin/v1/staff") == 200)
            #expect(try await send("/admin/v1/ledger/balance") == 403)
        }
    }

    @Test("Re-routing: nanming triage re-wraps content for huaxi; the identity wrap is left pending until an identity holder adds it; then huaxi can unseal")
    func reroute() async throws {
        let live = try LiveServer()
        let canary = "CanaryRoute\(UUID().uuidString.prefix(6))"
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            try await staff.enrol("hx-triage", role: "triage", centre: "huaxi")
            try await staff.enrol("city-holder", role: "identity-holder", centre: "city")
            try await staff.enrol("hx-holder", role: "identity-holder", centre: "huaxi")
            let tip = try await submit(live, district: "nanming", name: canary, description: "其实发生在花溪区")
            let nanming = staff.common("nm-triage") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let huaxi = staff.common("hx-triage") + ["--content-key", live.holders.appendingPathComponent("huaxi-content.key.pem").path]

            #expect(try await staff.cli(["tips", "show", tip.reference] + huaxi).status == 3)
            let routed = try await staff.cli(["tips", "route", tip.reference, "--to", "huaxi", "--reason", "地点在花溪区"] + nanming)
            #expect(routed.status == 0, "\(routed.stderr)")
            #expect(routed.stdout.contains("identity wrap pending"))
            let shown = try await staff.cli(["tips", "show", tip.reference, "--json"] + huaxi)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect(((try shown.json() as? [String: Any])?["fields"] as? [String: String])?["description"] == "其实发生在花溪区")
            #expect(try await staff.cli(["tips", "show", tip.reference] + nanming).status == 3)

            let hxHolder = staff.common("hx-holder") + ["--identity-key", live.holders.appendingPathComponent("huaxi-identity.key.pem").path]
            let early = try await staff.cli(["tips", "unseal", tip.reference, "--reason", "联系举报人"] + hxHolder)
            #expect(early.status == 4, "huaxi unsealed before its identity wrap existed")

            let cityHolder = staff.common("city-holder") + ["--identity-key", live.holders.appendingPathComponent("city-identity.key.pem").path]
            let pending = try await staff.cli(["tips", "pending", "--json"] + cityHolder)
            #expect((try pending.json() as? [[String: Any]])?.first?["centre"] as? String == "huaxi")
            let wrapped = try await staff.cli(["tips", "wrap-identity", tip.reference, "--centre", "huaxi"] + cityHolder)
            #expect(wrapped.status == 0, "\(wrapped.stderr)")
            let unseal = try await staff.cli(["tips", "unseal", tip.reference, "--reason", "联系举报人核实地点", "--json"] + hxHolder)
            #expect(unseal.status == 0, "\(unseal.stderr)")
            #expect((try unseal.json() as? [String: String])?["name"] == canary)
        }
        let routes = try live.readDatabase { try String.fetchAll($0, sql: "SELECT centre FROM tip_route ORDER BY seq") }
        #expect(routes == ["nanming", "huaxi"])
    }

    @Test("Overdue: a major tip shows after its hour (S-4.1); metrics answer in Prometheus format without personal data")
    func overdueAndMetrics() async throws {
        let live = try LiveServer()
        let clock = AdjustableClock(offset: -2 * 3600)
        let canary = "CanaryMetrics\(UUID().uuidString.prefix(6))"
        try await live.run(time: clock) { live in
            let old = try await submit(live, district: "baiyun", name: canary)
            clock.offset = 0
            let fresh = try await submit(live, district: "baiyun")
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage2", role: "triage", centre: "baiyun")
            let triage = staff.common("triage2") + ["--content-key", live.holders.appendingPathComponent("baiyun-content.key.pem").path]
            // Raise the old tip to major (1 hour): received two hours ago, it is overdue now.
            clock.offset = 0
            let raised = try await staff.cli(["tips", "urgency", old.reference, "major", "--reason", "涉及未成年人"] + triage)
            #expect(raised.status == 0, "\(raised.stderr)")
            // Raising to major adds the city's copy, as a major tip gets at intake (issue 12 item 12) ...
            let copies = try live.readDatabase { db in
                try String.fetchAll(db, sql: "SELECT c.centre FROM tip_copy c JOIN tip t ON t.id = c.tip_id WHERE t.reference = ?",
                                    arguments: [old.reference])
            }
            #expect(copies == ["city"])
            // ... and a status change does not reset the S-4.1 clock, which runs from arrival: still overdue.
            let triaged = try await staff.cli(["tips", "status", old.reference, "triaged"] + triage)
            #expect(triaged.status == 0, "\(triaged.stderr)")
            let overdue = try await staff.cli(["tips", "overdue", "--json"] + triage)
            let references = (try overdue.json() as? [[String: Any]])?.compactMap { $0["reference"] as? String } ?? []
            #expect(references.contains(old.reference))
            #expect(!references.contains(fresh.reference))
            // Paged: the most overdue first, at most --limit of them; an out-of-range limit is refused locally.
            let one = try await staff.cli(["tips", "overdue", "--limit", "1", "--json"] + triage)
            #expect((try one.json() as? [[String: Any]])?.compactMap { $0["reference"] as? String } == [old.reference])
            let tooMany = try await staff.cli(["tips", "overdue", "--limit", "10001"] + triage)
            #expect(tooMany.status != 0 && tooMany.stderr.contains("--limit"))

            let metrics = try await AdminListenerTests.signedGet(live, "/metrics", keyFile: live.holders.appendingPathComponent("staff-admin.key.pem"))
            #expect(metrics.status == 200)
            #expect(metrics.text.contains("# TYPE tipline_http_requests_total counter"))
            #expect(metrics.text.contains("tipline_tips_overdue{centre=\"baiyun\"} 1"))
            #expect(metrics.text.contains("tipline_kdf_gate_capacity"))
            #expect(!metrics.text.contains(canary) && !metrics.text.contains(old.receipt) && !metrics.text.contains("13800001111"))
        }
        // The auditor accepts the copy the urgency change added (and would refuse one for another centre).
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test("Retention: past its period a closed tip's identity wraps and fields are destroyed, unseal is refused, an audit entry records it")
    func retention() async throws {
        let live = try LiveServer()
        let canary = "CanaryRetention\(UUID().uuidString.prefix(6))"
        try await live.run { live in
            let tip = try await submit(live, district: "nanming", name: canary)
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("holder1", role: "identity-holder", centre: "nanming")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            #expect(try await staff.cli(["tips", "status", tip.reference, "rejected", "--reason", "不属于扫黄打非范围"] + triage).status == 0)
            #expect(try await staff.cli(["tips", "status", tip.reference, "closed"] + triage).status == 0)

            // 31 days later (rejected: identity kept 30 days) the retention pass runs.
            let server = try await live.triageStore()
            let result = try await server.applyRetention(at: Int64(Date().timeIntervalSince1970) + 31 * 86_400)
            #expect(result.identitiesShredded == [tip.reference])
            #expect(result.contentsShredded.isEmpty)

            let holder = staff.common("holder1") + ["--identity-key", live.holders.appendingPathComponent("nanming-identity.key.pem").path]
            let unseal = try await staff.cli(["tips", "unseal", tip.reference, "--reason", "需要联系举报人"] + holder)
            #expect(unseal.status == 4)
            #expect(unseal.stderr.contains("destroyed"))
        }
        let (wraps, fields, entries) = try live.readDatabase { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_wrap WHERE key_class = 'identity'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_field WHERE key_class = 'identity'"),
             try String.fetchAll(db, sql: "SELECT subject FROM audit_entry WHERE action = 'retention.identity-destroyed'"))
        }
        #expect(wraps == 0 && fields == 0 && entries.count == 1)
    }
}

/// A clock tests can move; the server reads it through `TimeSource`.
final class AdjustableClock: TimeSource, @unchecked Sendable {
    private let lock = NSLock()
    private var _offset: Int64
    init(offset: Int64) { _offset = offset }
    var offset: Int64 {
        get { lock.withLock { _offset } }
        set { lock.withLock { _offset = newValue } }
    }
    func now() -> Int64 { Int64(Date().timeIntervalSince1970) + offset }
}
