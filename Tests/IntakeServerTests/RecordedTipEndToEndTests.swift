import Foundation
import GRDB
import Sealing
import Testing
import TiplineAdminAPI
import TiplineAudit
import TiplineCore
import TiplineDeployment
import TiplineStore

/// Issue 15, "Tips that do not come over the web": a triage officer records a phone call (and a visit)
/// with the real CLI against the real server; the reporter follows up online with the receipt read back.
@Suite("Tips recorded by triage staff (phone, letter, visit, e-mail)", .serialized)
struct RecordedTipEndToEndTests {
    @Test("tips record: a phone tip with a canary identity is validated, routed, sealed and receipted as a web tip; the receipt opens the follow-up; queue, show and stats carry the channel; a wrong role and bad input change nothing; no identity or receipt in data/ or logs; verify passes and catches an edited channel")
    func recordPhoneTip() async throws {
        let live = try LiveServer()
        let canary = "RecordedCanary\(UUID().uuidString.prefix(8))"
        let phone = "139\(Int.random(in: 10_000_000...99_999_999))"
        let description = "电话举报：南明区某音像店出售非法光盘 \(UUID().uuidString.prefix(6))"
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: outside) }
        let identityFile = outside.appendingPathComponent("identity.json")
        try JSONSerialization.data(withJSONObject: ["name": canary, "phone": phone]).write(to: identityFile)
        let descriptionFile = outside.appendingPathComponent("description.txt")
        try Data(description.utf8).write(to: descriptionFile)
        nonisolated(unsafe) var receipts: [String] = []
        nonisolated(unsafe) var triageID = ""

        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("holder1", role: "identity-holder", centre: "city")
            try await staff.enrol("accountant1", role: "accountant", centre: "city")
            func key(_ name: String) throws -> Ed25519PrivateKey {
                try Ed25519PrivateKey(encryptedPEM: String(contentsOf: staff.dir.appendingPathComponent("staff-\(name).key.pem"), encoding: .utf8),
                                      passphrase: live.passphrase)
            }
            triageID = try key("triage1").publicKey.keyID
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let web = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "网站出售盗版"])
            #expect(web.status == 201)

            // The officer records the call: the identity is sealed on this machine, the receipt printed once.
            let recorded = try await staff.cli(["tips", "record", "--channel", "phone", "--category", "illegal-av", "--district", "nanming",
                                                "--description-file", descriptionFile.path, "--place", "南明区某路口",
                                                "--identity-file", identityFile.path, "--wants-reward", "--json"] + triage)
            #expect(recorded.status == 0, "\(recorded.stdout)\(recorded.stderr)")
            let reply = try #require(try recorded.json() as? [String: Any])
            let reference = try #require(reply["reference"] as? String)
            let receipt = try #require(reply["receipt"] as? String)
            receipts.append(receipt)
            #expect(reply["channel"] as? String == "phone" && reply["centre"] as? String == "nanming")

            // A visit, anonymous, in Chinese: the receipt line is what the officer reads back.
            let visit = try await CLIRunner.run(["tips", "record", "--channel", "来访", "--category", "online", "--district", "nanming",
                                             "--description", "来访举报：某网站传播淫秽视频", "--anonymous"] + triage,
                                                passphrase: staff.passphrase, environment: ["TIPLINE_LANG": "zh"])
            #expect(visit.status == 0, "\(visit.stdout)\(visit.stderr)")
            #expect(visit.stdout.contains("已代录来访举报") && visit.stdout.contains("回执号"), "\(visit.stdout)")
            let visitReceipt = try #require(visit.stdout.split(separator: "\n").first { $0.contains("回执号") }?
                .split(separator: "：").last.map { String($0).trimmingCharacters(in: .whitespaces) })
            receipts.append(visitReceipt)

            // The reporter follows up online exactly as after a web tip.
            let followup = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            #expect(followup.status == 200, "\(followup.text)")
            #expect(try followup.json()["reference"] as? String == reference)
            #expect(try followup.json()["status"] as? String != nil)
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": visitReceipt]).status == 200)
            let message = try await live.postJSON("/api/v1/followup/messages", ["receipt": receipt, "text": "补充：店在二楼"])
            #expect([200, 201].contains(message.status), "\(message.text)")

            // Queue and show carry the channel; the content opens with the centre key; the identity with the city's.
            let queue = try await staff.cli(["tips", "queue", "--json"] + triage)
            #expect(queue.status == 0, "\(queue.stderr)")
            let rows = try #require(try queue.json() as? [[String: Any]])
            #expect(rows.first { $0["reference"] as? String == reference }?["channel"] as? String == "phone")
            #expect(rows.filter { $0["channel"] as? String == "web" }.count == 1)
            let table = try await CLIRunner.run(["tips", "queue"] + triage, passphrase: staff.passphrase, environment: ["TIPLINE_LANG": "zh"])
            #expect(table.stdout.contains("电话") && table.stdout.contains("来访") && table.stdout.contains("网上"), "\(table.stdout)")
            let shown = try await staff.cli(["tips", "show", reference, "--json"] + triage)
            #expect(shown.status == 0, "\(shown.stderr)")
            let detail = try #require(try shown.json() as? [String: Any])
            #expect((detail["fields"] as? [String: String])?["description"] == description)
            #expect((detail["fields"] as? [String: String])?["location"] == "南明区某路口")
            #expect((detail["summary"] as? [String: Any])?["channel"] as? String == "phone")
            let shownZh = try await CLIRunner.run(["tips", "show", reference] + triage, passphrase: staff.passphrase, environment: ["TIPLINE_LANG": "zh"])
            #expect(shownZh.status == 0 && shownZh.stdout.contains("来源渠道: 电话"), "\(shownZh.stdout)")
            #expect(!shown.stdout.contains(canary))
            let holder = staff.common("holder1") + ["--identity-key", live.holders.appendingPathComponent("city-identity.key.pem").path]
            let unseal = try await staff.cli(["tips", "unseal", reference, "--reason", "核实电话举报人身份", "--json"] + holder)
            #expect(unseal.status == 0, "\(unseal.stderr)")
            #expect((try unseal.json() as? [String: String])?["name"] == canary)
            #expect((try unseal.json() as? [String: String])?["phone"] == phone)

            // Statistics count by channel.
            let stats = try await staff.cli(["stats", "--json"] + triage)
            #expect(stats.status == 0, "\(stats.stderr)")
            let byChannel = try #require((try stats.json() as? [String: Any])?["by_channel"] as? [[String: Any]])
            let counts = Dictionary(uniqueKeysWithValues: byChannel.map { ($0["key"] as! String, $0["count"] as! Int) })
            #expect(counts == ["web": 1, "phone": 1, "visit": 1])

            // Refusals change nothing: a role not allowed, bad input at the CLI and at the server.
            func state() throws -> [String] {
                try live.readDatabase { db in
                    try String.fetchAll(db, sql: "SELECT action || ':' || subject FROM audit_entry WHERE action NOT IN ('tip.read') ORDER BY seq")
                        + (try String.fetchAll(db, sql: "SELECT reference || ':' || channel FROM tip ORDER BY id"))
                }
            }
            let before = try state()
            let accountant = try await staff.cli(["tips", "record", "--channel", "phone", "--category", "illegal-av", "--district", "nanming",
                                                  "--description", "x", "--anonymous"] + staff.common("accountant1"))
            #expect(accountant.status == 4, "\(accountant.stdout)\(accountant.stderr)")
            let unknownCategory = try await staff.cli(["tips", "record", "--channel", "phone", "--category", "no-such", "--district", "nanming",
                                                       "--description", "x", "--anonymous"] + triage)
            #expect(unknownCategory.status == 2 && unknownCategory.stderr.contains("category"), "\(unknownCategory.stderr)")
            let badChannel = try await staff.cli(["tips", "record", "--channel", "web", "--category", "online", "--district", "nanming",
                                                  "--description", "x", "--anonymous"] + triage)
            #expect(badChannel.status == 2, "\(badChannel.stderr)")

            // The same request as the CLI sends, built by hand, to test the server's own checks.
            let manifest = live.deployment.manifest
            func identity(_ centres: [String], fields: [(name: String, value: [UInt8])] = []) throws -> Any {
                let keys = try centres.map { try #require(try manifest.centreKey(CentreID($0), .identity)) }
                let envelope = try EnvelopeCrypto.sealIdentity(recordID: Hex.encode(SecureRandom.bytes(16)), fields: fields, recipients: keys)
                return try JSONSerialization.jsonObject(with: JSONEncoder().encode(envelope))
            }
            func post(_ channel: String, _ form: [String: Any], identity: Any, by name: String = "triage1") async throws -> (Int, String) {
                try await IntegrityStory.signedPOST(live, AdminRoute.recordTip.target(), body: [
                    "channel": channel, "tip": ["salt": Hex.encode(SecureRandom.bytes(16)), "form": form], "identity": identity,
                ], key: try key(name))
            }
            let routed = try identity(["nanming", "city"])
            let good: [String: Any] = ["category": "online", "district": "nanming", "description": "电话举报"]
            var refusals: [(Int, String)] = []
            refusals.append(try await post("phone", good.merging(["category": "no-such"]) { $1 }, identity: routed))
            refusals.append(try await post("phone", good.merging(["description": String(repeating: "长", count: 20_001)]) { $1 }, identity: routed))
            refusals.append(try await post("phone", good.merging(["reporter": ["name": canary]]) { $1 }, identity: routed))
            refusals.append(try await post("phone", good.merging(["surprise": "1"]) { $1 }, identity: routed))
            refusals.append(try await post("web", good, identity: routed))
            refusals.append(try await post("fax", good, identity: routed))
            for refusal in refusals { #expect(refusal.0 == 400, "\(refusal)") }
            #expect(refusals[0].1.contains("category") && refusals[1].1.contains("description"), "\(refusals)")
            let elsewhere = try await post("phone", good, identity: try identity(["huaxi", "city"]))
            #expect(elsewhere.0 == 409, "\(elsewhere)")
            let cityOnly = try await post("phone", good, identity: try identity(["city"]))
            #expect(cityOnly.0 == 409, "\(cityOnly)")
            let contentKey = try #require(try manifest.centreKey(CentreID("nanming"), .content))
            let wrongClass = try JSONSerialization.jsonObject(with: JSONEncoder().encode(
                try EnvelopeCrypto.sealMessage(recordID: Hex.encode(SecureRandom.bytes(16)), name: "reporter.name", value: Array(canary.utf8),
                                               recipients: [contentKey])))
            #expect(try await post("phone", good, identity: wrongClass).0 == 400)
            #expect(try await post("phone", good, identity: routed, by: "holder1").0 == 403)
            for refusal in refusals + [elsewhere, cityOnly] { #expect(!refusal.1.contains(canary)) }
            #expect(try state() == before, "a refused recording changed nothing")

            // The raw request succeeds as the CLI's does (and a record id used twice is refused).
            let accepted = try await post("letter", good, identity: routed)
            #expect(accepted.0 == 201, "\(accepted)")
            let acceptedReceipt = try #require((try JSONSerialization.jsonObject(with: Data(accepted.1.utf8)) as? [String: Any])?["receipt"] as? String)
            receipts.append(acceptedReceipt)
            let again = try await post("letter", good, identity: routed)
            #expect(again.0 == 409, "\(again)")
        }

        // The audit log: tip.received (with the channel) and right after it the officer's tip.record.
        let entries = try live.readDatabase { db in
            try Row.fetchAll(db, sql: "SELECT seq, action, actor, subject, details, request FROM audit_entry WHERE action IN ('tip.received', 'tip.record') ORDER BY seq")
        }
        let records = entries.filter { $0["action"] as String == "tip.record" }
        #expect(records.count == 3)
        for record in records {
            let seq: Int64 = record["seq"]
            let received = try #require(entries.first { $0["seq"] as Int64 == seq - 1 })
            #expect(received["action"] as String == "tip.received" && received["subject"] as String == record["subject"] as String)
            #expect(record["actor"] as String == triageID)
            let details = try #require(try JSONSerialization.jsonObject(with: Data((record["details"] as String).utf8)) as? [String: String])
            let receivedDetails = try #require(try JSONSerialization.jsonObject(with: Data((received["details"] as String).utf8)) as? [String: String])
            #expect(details["channel"] != nil && details["channel"] == receivedDetails["channel"])
            let body = try #require(SignedAdminRequest.parse([UInt8](record["request"] as Data))).body
            #expect(RedactedRequestBody.hashedFields(body) == ["identity", "tip"] && RedactedRequestBody.isRedaction(body))
        }

        // No identity, description or receipt anywhere in the deployment's files or the server's logs.
        let corpus = live.dataFiles().map(\.bytes) + [Data(live.logs.all.utf8)]
        #expect(receipts.count == 3)
        var needles = [canary, phone, description, "南明区某路口"]
        for receipt in receipts { needles += [receipt, Receipt(normalizing: receipt)!.digits, Receipt(normalizing: receipt)!.grouped] }
        for needle in needles {
            for encoded in [Data(needle.utf8), needle.data(using: .utf16LittleEndian)!] {
                #expect(!corpus.contains { $0.range(of: encoded) != nil }, "a secret is stored in clear")
            }
        }

        // The auditor's verify replays the recordings; an edited channel, or a recorded tip passed off as web, is caught.
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        let audit = AuditEndToEndTests()
        #expect(try audit.verify(live.root).passed)
        try audit.tamper(live.root, "UPDATE tip SET channel = 'email' WHERE channel = 'phone'")
        let edited = try audit.verify(live.root)
        audit.expectFailure(edited, .envelopes)
        #expect(edited.result(.envelopes)?.first?.text.contains("channel") == true)
        try audit.tamper(live.root, "UPDATE tip SET channel = 'phone' WHERE channel = 'email'")
        #expect(try audit.verify(live.root).passed)
        try audit.tamper(live.root, "UPDATE tip SET channel = 'web' WHERE channel = 'visit'")
        audit.expectFailure(try audit.verify(live.root), .envelopes)
    }
}
