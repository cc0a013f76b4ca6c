import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// Issue 15, the informant channel, against the real server over HTTPS and the real CLI: an
/// informant opens `/informant` with their code (a wrong one is refused alike), files a case lead
/// with a photo and a dynamic; the district's handler reads them (decrypted on the workstation,
/// each read audited), replies (the informant reads it on the page), turns one into a tip (channel
/// informant, no identity) and one into a unit-only item; another district cannot read them; the
/// identity and text canaries are nowhere in data/ or the logs; `audit verify` passes and catches a
/// deleted or altered report.
@Suite("Informant channel: code page, sealed reports, replies, report → tip and item", .serialized)
struct InformantChannelEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("An informant reports through /informant; the handler reads, replies, makes a tip and a unit-only item; verify catches tampering")
    func informantStory() async throws {
        let live = try LiveServer()
        let root = live.root
        let identityCanary = "信息员身份金丝雀\(UUID().uuidString.prefix(8))"
        let textCanary = "信息员报告金丝雀\(UUID().uuidString.prefix(8))"
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            // Each unit's content key file (the deployment's holders' copies; in use, the agent holds it).
            func unitKey(_ who: String) -> [String] {
                let unit = who == "ed" ? "city-office" : who == "hd.hx" ? "huaxi-office" : "nanming-office"
                return ["--content-key", live.holders.appendingPathComponent("unit-\(unit)-content.key.pem").path]
            }
            func cli(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                try await staff.cli(arguments + staff.common(who) + (["report", "reply", "to-tip", "new"].contains(arguments[1]) ? unitKey(who) : []))
            }
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await cli(arguments, who)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("hd.nm", role: "handler", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("hd.hx", role: "handler", centre: "huaxi", unit: "huaxi-office")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            let identity = live.holders.appendingPathComponent("identity.json")
            try JSONSerialization.data(withJSONObject: ["name": identityCanary, "phone": "13800001111"]).write(to: identity)
            let added = try await ok(["network", "informant", "add", "--areas", "520102016000,520102017000", "--source-role", "grid-worker",
                                      "--review-due", "2027-06-30", "--identity-file", identity.path, "--json"], "hd.nm")
            try FileManager.default.removeItem(at: identity)
            let registered = try #require(try added.json() as? [String: String])
            let codeDigits = try #require(registered["code"])
            let pseudonym = try #require(registered["pseudonym"])

            // The code page: plain HTML, the code in the body only.
            let form = try await live.request("/informant")
            #expect(form.status == 200 && form.text.contains("name=\"code\"") && !form.text.contains("<script"))
            func open(_ code: String) async throws -> LiveServer.Reply {
                try await live.request("/informant", method: .POST, contentType: "application/x-www-form-urlencoded", body: Array("code=\(code)".utf8))
            }
            let wrong = try await open(String(codeDigits.reversed()))
            #expect(wrong.status == 404 && wrong.text.contains("代码无效或已停用"), "\(wrong.status)")
            let page = try await open(codeDigits)
            #expect(page.status == 200 && page.text.contains(pseudonym) && page.text.contains("新华路街道") && page.text.contains("还没有报告"))

            // Reports: a case lead with a photo, and a dynamic.
            let png = try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent("metadata.png")))
            func report(_ fields: [(String, String)], files: [[UInt8]] = [], origin: String? = nil) async throws -> LiveServer.Reply {
                let (type, body) = try LiveServer.multipartBody(tip: nil, files: files, fields: [("code", codeDigits)] + fields)
                return try await live.request("/informant/report", method: .POST, contentType: type, body: body,
                                              headers: origin.map { [("Origin", $0)] } ?? [])
            }
            let count = { try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM informant_report")! } }
            let notMine = try await report([("kind", "case-lead"), ("area", "520103001000"), ("text", "x")])
            #expect(notMine.status == 400 && notMine.text.contains("格式或取值不正确"), "\(notMine.status)")
            let crossSite = try await report([("kind", "case-lead"), ("area", "520102016000"), ("text", "x")], origin: "https://evil.example")
            #expect(crossSite.status == 403)
            #expect(try count() == 0, "refusals store nothing")
            let lead = try await report([("kind", "case-lead"), ("area", "520102016000"), ("occurred_at", "2026-11-28 14:00"),
                                         ("text", "花果园某书店出售盗版教辅约 300 册。\(textCanary)")], files: [png])
            #expect(lead.status == 200 && lead.text.contains("已收到并加密保存"), "\(lead.status) \(lead.text.prefix(400))")
            let dynamic = try await report([("kind", "dynamic"), ("area", "520102017000"), ("text", "西湖路街道开展出版物市场检查。\(textCanary)")])
            #expect(dynamic.status == 200)
            let references = try live.readDatabase { try String.fetchAll($0, sql: "SELECT reference FROM informant_report ORDER BY id") }
            #expect(references.count == 2)
            let (leadRef, dynamicRef) = (references[0], references[1])

            // The handler lists and reads them (decrypted here; each read audited); the photo is stripped.
            let listed = try await ok(["info", "reports", "--json"], "hd.nm")
            #expect(!listed.stdout.contains(textCanary) && listed.stdout.contains(pseudonym))
            let photos = live.holders.appendingPathComponent("photos")
            let read = try await ok(["info", "report", leadRef, "--photos", photos.path], "hd.nm")
            #expect(read.stdout.contains(textCanary) && read.stdout.contains("520102016000"), "\(read.stdout) \(read.stderr)")
            let saved = try FileManager.default.contentsOfDirectory(atPath: photos.path)
            #expect(saved.count == 1)
            let savedBytes = try [UInt8](Data(contentsOf: photos.appendingPathComponent(saved[0])))
            #expect(savedBytes != png && ImageFormat.detect(savedBytes) == .png, "the photo arrives stripped")
            let reads = try live.readDatabase {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'informant.report-read' AND subject = ?", arguments: [leadRef])!
            }
            #expect(reads == 1)
            // Another district's handler cannot; the city office's editor can (its content key).
            let other = try await cli(["info", "report", leadRef], "hd.hx")
            #expect(other.status != 0 && !other.stdout.contains(textCanary))
            let city = try await ok(["info", "report", dynamicRef], "ed")
            let cityList = try await ok(["info", "reports", "--json"], "ed")
            let cityNames = ((try? cityList.json() as? [[String: Any]]) ?? []).compactMap { $0["pseudonym"] as? String }
            #expect(!cityList.stdout.contains(pseudonym) && cityNames == ["信息员（nanming）", "信息员（nanming）"], "the city sees 信息员（district）: \(cityNames)")
            #expect(city.stdout.contains(textCanary))

            // The handler replies; the informant reads it with the code.
            let replyText = "收到，已安排核查。REPLY-\(UUID().uuidString.prefix(6))"
            _ = try await ok(["info", "reply", leadRef, "--text", replyText], "hd.nm")
            #expect(try await cli(["info", "reply", leadRef, "--text", "x"], "ed").status != 0, "only the handler replies")

            // A report becomes a tip (channel informant, no identity) once, and an item (unit-only byline).
            let tip = try await ok(["info", "to-tip", leadRef, "--category", "illegal-publication", "--deployment", root.path], "hd.nm")
            #expect(tip.stdout.contains("became tip"), "\(tip.stdout)")
            let twice = try await cli(["info", "to-tip", leadRef, "--category", "illegal-publication", "--deployment", root.path], "hd.nm")
            #expect(twice.status != 0, "a report becomes a tip once")
            let tipRow = try #require(try live.readDatabase { try Row.fetchOne($0, sql: "SELECT t.reference, t.channel FROM tip t JOIN informant_report r ON r.tip_ref = t.reference") })
            #expect(tipRow["channel"] as String == "informant")
            let identityFields = try live.readDatabase {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM tip_field WHERE tip_id = (SELECT id FROM tip WHERE reference = ?) AND key_class = 'identity'",
                                 arguments: [tipRow["reference"] as String])!
            }
            #expect(identityFields == 0, "no identity travels with an informant's tip")
            let item = try await ok(["info", "new", "--from-report", dynamicRef, "--kind", "dynamic", "--sub-kind", "other", "--title", "西湖路街道检查",
                                     "--not-classified"], "hd.nm")
            let itemRef = try #require(item.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            let items = try #require(try (try await ok(["info", "list", "--json"], "hd.nm")).json() as? [[String: Any]])
            let mine = try #require(items.first { $0["reference"] as? String == itemRef })
            #expect(mine["unit_only"] as? Bool == true && (mine["authors"] as? [String]) == [])
            let links = try live.readDatabase { try Row.fetchAll($0, sql: "SELECT item_ref, tip_ref FROM informant_report ORDER BY id") }
            #expect(links[0]["tip_ref"] as String? == tipRow["reference"] as String && links[1]["item_ref"] as String? == itemRef)
            // A handler writes items only from reports.
            let body = live.holders.appendingPathComponent("b.txt")
            try "x".write(to: body, atomically: true, encoding: .utf8)
            let plain = try await cli(["info", "new", "--kind", "dynamic", "--sub-kind", "other", "--title", "t", "--body", body.path,
                                       "--event-at", "2026-11-28 10:00", "--not-classified"], "hd.nm")
            #expect(plain.status != 0)

            // The informant's page: both reports, what became of them, the reply.
            let after = try await open(codeDigits)
            #expect(after.text.contains(leadRef) && after.text.contains(replyText) && after.text.contains("已转为举报线索办理") && after.text.contains("已编为信息报送"))
            #expect(!after.text.contains(identityCanary))
            let english = try await live.request("/informant?lang=en", method: .POST, contentType: "application/x-www-form-urlencoded",
                                                 body: Array("code=\(codeDigits)".utf8))
            #expect(english.text.contains("My reports") && english.text.contains("handled as a tip"))
            // Nothing the informant typed, and not the code, reaches the logs.
            let logs = live.logs.all
            #expect(!logs.contains(textCanary) && !logs.contains(codeDigits) && !logs.contains(identityCanary))
        }

        // Sealed at rest: neither canary is anywhere in data/.
        for canary in [identityCanary, textCanary] {
            let scan = try await CLIRunner.run(["audit", "scan", "--deployment", root.path, "--canaries-only", "--canary", canary], passphrase: "")
            #expect(scan.status == 0, "\(scan.stdout) \(scan.stderr)")
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DELETE FROM informant_report WHERE serial = 2",
            "UPDATE informant_report SET envelope = CAST(replace(CAST(envelope AS TEXT), 'report', 'repOrt') AS BLOB) WHERE serial = 1",
            "UPDATE informant_report SET item_ref = NULL WHERE serial = 2",
            "DELETE FROM informant_reply",
        ])
    }
}
