import Foundation
import GRDB
import Sealing
import Testing
import TiplineAudit
import TiplineCore

/// Issue 13 item 10, over the real server: follow-up tells the reporter which centre handles the tip
/// (name and public address from centres.yaml), what its status means, why a reward was not given,
/// and lets the reporter add files after submitting — stripped, sealed to the tip's content
/// recipients, bounded with the intake evidence, each an `evidence.reporter` audit entry that
/// `tipline-audit verify` checks.
@Suite("Follow-up: centre, status in words, reward note, adding files", .serialized)
struct FollowupViewEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    static func fixture(_ name: String) throws -> [UInt8] {
        try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent(name)))
    }

    /// The web form's multipart body for `POST /followup/evidence`.
    static func addFilesForm(receipt: String, files: [[UInt8]]) throws -> (String, [UInt8]) {
        try LiveServer.multipartBody(tip: nil, files: files, fields: [("receipt", receipt)])
    }

    @Test("Centre and address, six statuses with explanations, declined-reward note; files added by form and API are stripped, sealed to the tip's centres, bounded, audited and verified")
    func followupStory() async throws {
        let live = try LiveServer()
        let jpeg = try Self.fixture("baseline.jpg"), png = try Self.fixture("metadata.png")
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            try await staff.enrol("nm-super", role: "supervisor", centre: "nanming")
            let triage = staff.common("nm-triage") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]

            let created = try await live.postMultipart("/api/v1/tips", tip: [
                "category": "illegal-publication", "district": "nanming", "description": "地下印刷厂", "wants_reward": true,
            ], files: [png])
            #expect(created.status == 201)
            let reference = try #require(try created.json()["reference"] as? String)
            let receipt = try #require(try created.json()["receipt"] as? String)
            let digits = receipt.filter(\.isNumber)

            func page(_ lang: String = "") async throws -> String {
                let reply = try await live.request("/followup\(lang)", method: .POST, contentType: "application/x-www-form-urlencoded",
                                                   body: Array("receipt=\(digits)".utf8))
                #expect(reply.status == 200)
                return reply.text
            }
            func api() async throws -> [String: Any] {
                try await live.postJSON("/api/v1/followup", ["receipt": receipt]).json()
            }

            // Received: 已受理, its explanation, the centre and its public address.
            var html = try await page()
            #expect(html.contains("已受理") && html.contains(PublicStatus.accepted.explanation(.zh)))
            #expect(html.contains("南明区&quot;扫黄打非&quot;举报中心") || html.contains("南明区\"扫黄打非\"举报中心"))
            #expect(html.contains("南明区文化市场综合执法大队"))
            #expect(html.contains("action=\"/followup/evidence\""))
            let english = try await page("?lang=en")
            #expect(english.contains("Nanming District Reporting Centre") && english.contains(PublicStatus.accepted.explanation(.en)))
            var json = try await api()
            #expect(json["status"] as? String == "accepted" && json["status_explanation"] as? String == PublicStatus.accepted.explanation(.zh))
            let centre = try #require(json["centre"] as? [String: Any])
            #expect(centre["id"] as? String == "nanming" && (centre["address"] as? String)?.contains("南明区") == true)
            #expect(json["files"] as? Int == 1 && json["files_allowed"] as? Int == 4)

            // Two files through the web form: stripped, sealed, one audit entry each, the intake evidence untouched.
            let (type, body) = try Self.addFilesForm(receipt: digits, files: [jpeg, png])
            let added = try await live.request("/followup/evidence", method: .POST, contentType: type, body: body)
            #expect(added.status == 200, "\(added.status)")
            #expect(added.text.contains("已补充 2 张照片"))
            let rows = try live.readDatabase { db in
                try Row.fetchAll(db, sql: "SELECT uid, envelope FROM tip_evidence_added ORDER BY id").map { ($0["uid"] as String, $0["envelope"] as Data) }
            }
            #expect(rows.count == 2)
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT evidence_count FROM tip") } == 1)
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'evidence.reporter' AND subject = ?", arguments: [reference]) } == 2)
            // Sealed to the same recipients as the intake evidence: the routed centre and the city open them,
            // another district does not; what they open is the stripped image, not the upload.
            for (index, original) in [jpeg, png].enumerated() {
                let envelope = try JSONDecoder().decode(Envelope.self, from: rows[index].1)
                let stripped = try ImageSanitizer.strip(original).bytes
                #expect(stripped != original, "the fixture carries metadata")
                #expect(try EnvelopeCrypto.openMessage(envelope, name: "evidence", with: live.holderKey("nanming", .content)) == stripped)
                #expect(try EnvelopeCrypto.openMessage(envelope, name: "evidence", with: live.holderKey("city", .content)) == stripped)
                #expect(throws: (any Error).self) { try EnvelopeCrypto.openMessage(envelope, name: "evidence", with: try live.holderKey("huaxi", .content)) }
                #expect(throws: (any Error).self) { try EnvelopeCrypto.openMessage(envelope, name: "evidence", with: try live.holderKey("nanming", .identity)) }
            }

            // The bound counts intake and added files: 1 + 2 + 3 > 5 is refused whole; 2 more fit exactly.
            func apiAdd(_ files: [[UInt8]], receipt: String = receipt) async throws -> LiveServer.Reply {
                try await live.postMultipart("/api/v1/followup/evidence", tip: nil, files: files, fields: [("receipt", receipt)])
            }
            #expect(try await apiAdd([png, png, png]).status == 413)
            #expect(try await apiAdd([Array("%PDF-1.7\n%%EOF\n".utf8)]).status == 415)
            #expect(try await apiAdd([png], receipt: ReceiptEndToEndTests.wrongSecret(receipt)).status == 404)
            #expect(try await apiAdd([]).status == 400)
            let crossSite = try await live.request("/followup/evidence", method: .POST, contentType: type, body: body,
                                                   headers: [("Sec-Fetch-Site", "cross-site")])
            #expect(crossSite.status == 403)
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip_evidence_added") } == 2, "a refused upload stored a file")
            let fits = try await apiAdd([jpeg, png])
            #expect(fits.status == 201)
            #expect(try fits.json()["files"] as? Int == 5 && fits.json()["added"] as? Int == 2)
            #expect(try await apiAdd([png]).status == 413)
            html = try await page()
            #expect(!html.contains("action=\"/followup/evidence\"") && html.contains("证据文件已达上限"))
            #expect(try await api()["files_allowed"] as? Int == 0)

            // Staff see the added files too: `tips show` counts them and saves them, stripped, beside the intake file.
            let saveDir = live.holders.appendingPathComponent("saved-\(UUID().uuidString.prefix(6))")
            let shown = try await staff.cli(["tips", "show", reference, "--json", "--save-evidence", saveDir.path] + triage)
            #expect(shown.status == 0, "\(shown.stderr)")
            #expect((try shown.json() as? [String: Any])?["evidence"] as? Int == 5, "\(shown.stdout)")
            let saved = try FileManager.default.contentsOfDirectory(atPath: saveDir.path).sorted()
            #expect(saved.count == 5, "\(saved)")
            let second = try Data(contentsOf: saveDir.appendingPathComponent(saved[1]))
            #expect(Array(second) == (try ImageSanitizer.strip(jpeg).bytes))

            // Statuses in words as the tip moves; the outcome of a closed tip; a declined reward explained.
            let steps: [([String], PublicStatus)] = [
                (["triaged"], .accepted), (["verifying", "--unit", "南明区文化执法大队"], .verifying),
                (["verified", "--outcome", "administrative", "--fines", "20000"], .verified),
            ]
            for (step, expected) in steps {
                let moved = try await staff.cli(["tips", "status", reference] + step + triage)
                #expect(moved.status == 0, "\(moved.stderr)")
                json = try await api()
                #expect(json["status"] as? String == expected.rawValue && json["status_label"] as? String == expected.label(.zh))
                #expect(try await page().contains(expected.explanation(.zh)))
            }
            #expect(try await staff.cli(["ledger", "propose", reference, "--amount", "3000"] + triage).status == 0)
            // The reason is for the reporter; one with a phone number never leaves the workstation.
            let leaky = try await staff.cli(["ledger", "decline", reference, "--reason", "请致电 13800001111"] + staff.common("nm-super"))
            #expect(leaky.status == 2, "\(leaky.stderr)")
            let declined = try await staff.cli(["ledger", "decline", reference, "--reason", "线索与已奖励的举报重复"] + staff.common("nm-super"))
            #expect(declined.status == 0, "\(declined.stderr)")
            #expect(try await staff.cli(["tips", "status", reference, "closed"] + triage).status == 0)
            html = try await page()
            #expect(html.contains("已办结") && html.contains("查证属实") && html.contains(PublicStatus.verified.explanation(.zh)))
            #expect(html.contains("未予奖励") && html.contains("未获批准") && html.contains("举报中心说明：线索与已奖励的举报重复"))
            #expect(!html.contains("nm-super") && !html.contains("nm-triage"), "a staff name reached the reporter")
            json = try await api()
            #expect(json["status"] as? String == "concluded" && json["outcome"] as? String == "verified" && json["outcome_label"] as? String == "查证属实")
            let reward = try #require(json["reward"] as? [String: Any])
            #expect(reward["state"] as? String == "declined" && (reward["note"] as? String)?.contains("未获批准") == true)
            #expect(!live.logs.all.contains(digits) && !live.logs.all.contains(receipt))
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify()
        #expect(report.passed, "\(report.failedChecks)")

        // An added file changed on disk: verify names it.
        let database = try DatabaseQueue(path: live.deployment.layout.database.path)
        try await database.write { db in
            try db.execute(sql: "UPDATE tip_evidence_added SET envelope = CAST(replace(CAST(envelope AS TEXT), 'a', 'b') AS BLOB) WHERE id = 1")
        }
        try database.close()
        let tampered = try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify()
        #expect(!tampered.passed)
        #expect(tampered.failedChecks.contains(.envelopes), "\(tampered.failedChecks)")
    }

    @Test("Retention destroys added files with the content; afterwards adding is refused (409, nothing stored) and audit verify passes")
    func retentionDestroysAddedFiles() async throws {
        let live = try LiveServer()
        let png = try Self.fixture("palette.png")
        try await live.run { live in
            let created = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "retention"])
            let reference = try #require(try created.json()["reference"] as? String)
            let receipt = try #require(try created.json()["receipt"] as? String)
            func add() async throws -> LiveServer.Reply {
                try await live.postMultipart("/api/v1/followup/evidence", tip: nil, files: [png], fields: [("receipt", receipt)])
            }
            #expect(try await add().status == 201)
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            #expect(try await staff.cli(["tips", "status", reference, "rejected", "--reason", "不属于扫黄打非范围"] + triage).status == 0)
            #expect(try await staff.cli(["tips", "status", reference, "closed"] + triage).status == 0)
            // 91 days later (rejected: content kept 90 days) the retention pass destroys identity and content.
            let result = try await live.triageStore().applyRetention(at: Int64(Date().timeIntervalSince1970) + 91 * 86_400)
            #expect(result.contentsShredded == [reference])
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip_evidence_added") } == 0)
            let refused = try await add()
            #expect(refused.status == 409, "\(refused.status) \(refused.text)")
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip_evidence_added") } == 0)
            #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'evidence.reporter'") } == 1)
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify()
        #expect(report.passed, "\(report.failedChecks)")
    }

    @Test("Every TipStatus maps to one of the six reporter statuses, each with a label and a one-sentence explanation in zh-CN and en")
    func statusWords() {
        let expected: [TipStatus: String] = [.received: "已受理", .triaged: "已受理", .verifying: "核查中", .verified: "查证属实",
                                             .unfounded: "未查实", .rejected: "不予受理", .closed: "已办结"]
        for status in TipStatus.allCases {
            #expect(status.publicStatus.label(.zh) == expected[status])
        }
        #expect(Set(TipStatus.allCases.map(\.publicStatus)) == Set(PublicStatus.allCases))
        for status in PublicStatus.allCases {
            for language in Language.allCases {
                let text = status.explanation(language)
                #expect(!text.isEmpty && text.count < (language == .zh ? 60 : 120), "\(status) \(language)")
            }
        }
    }
}
