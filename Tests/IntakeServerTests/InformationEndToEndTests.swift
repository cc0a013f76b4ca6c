import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// Issue 15 (information items), against the real server and the real CLI: a liaison files dynamic
/// items on time and late; an event older than three days is refused; classified matter never leaves
/// the workstation; the city returns one and accepts one and reads them (decrypted and signature-checked
/// on its machine); a member unit files a zero report; `info silent` names the nodes that did neither;
/// the canary text is nowhere in data/; `audit verify` passes and detects a deleted or altered item.
@Suite("Information items: signed, sealed, on time, never withheld", .serialized)
struct InformationEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("File, submit (on time and late), refuse stale and classified, return and accept, zero report and silent nodes; verify catches a dropped or altered item")
    func itemStory() async throws {
        let live = try LiveServer()
        let root = live.root
        let canary = "信息金丝雀\(UUID().uuidString.prefix(8))"
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            func cli(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                try await staff.cli(arguments + staff.common(who))
            }
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await cli(arguments, who)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("lz.nm", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("lz.ps", role: "liaison", centre: "city", unit: "public-security")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            let body = live.holders.appendingPathComponent("item.txt")
            try "南明区开展出版物市场专项检查，出动执法人员 40 人次。\(canary)".write(to: body, atomically: true, encoding: .utf8)
            let facts = live.holders.appendingPathComponent("facts.json")
            try JSONSerialization.data(withJSONObject: ["地点": "南明区花果园", "数量": "盗版图书 1200 册"]).write(to: facts)
            let now = Int64(Date().timeIntervalSince1970)
            func at(_ secondsAgo: Int64) -> String { CivilTime.iso8601China(now - secondsAgo) }
            func new(_ extra: [String], title: String) async throws -> String {
                let result = try await ok(["info", "new", "--title", title, "--body", body.path, "--facts", facts.path, "--not-classified"] + extra, "lz.nm")
                return try #require(result.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            }
            let onTime = try await new(["--kind", "dynamic", "--sub-kind", "campaigns", "--aspect", "achievement", "--timeliness", "deployment",
                                        "--event-at", at(7200), "--known-at", at(3600)], title: "专项检查")
            let late = try await new(["--kind", "dynamic", "--sub-kind", "major-cases", "--timeliness", "major-event",
                                      "--event-at", at(4 * 3600), "--known-at", at(3 * 3600), "--unit-only", "--reason", "涉及办案秘密，以单位署名"], title: "重大案件")
            let stale = try await new(["--kind", "dynamic", "--sub-kind", "other", "--event-at", at(4 * 86_400), "--known-at", at(86_400)], title: "旧事")
            let submitted = try await ok(["info", "submit", onTime], "lz.nm")
            #expect(submitted.stdout.contains("on time"), "\(submitted.stdout)")
            let lateSubmit = try await ok(["info", "submit", late], "lz.nm")
            #expect(lateSubmit.stdout.contains("late"), "\(lateSubmit.stdout)")
            let refusedStale = try await cli(["info", "submit", stale], "lz.nm")
            #expect(refusedStale.status == 4 && refusedStale.stderr.contains("reclassify"), "\(refusedStale.stderr)")
            let again = try await cli(["info", "submit", onTime], "lz.nm")
            #expect(again.status == 4, "submitted once")

            // A follow-up (续报) links to its first report (首报) of the same unit; a reference that is none is refused.
            let followUp = try await new(["--kind", "dynamic", "--sub-kind", "campaigns", "--timeliness", "deployment", "--event-at", at(7200),
                                          "--first-report", onTime], title: "专项检查续报")
            let linked = try await ok(["info", "list", "--json"], "lz.nm")
            #expect(((try linked.json() as? [[String: Any]]) ?? []).first { $0["reference"] as? String == followUp }?["first_report"] as? String == onTime)
            let orphan = try await cli(["info", "new", "--kind", "dynamic", "--sub-kind", "other", "--title", "x", "--body", body.path,
                                        "--event-at", at(60), "--not-classified", "--first-report", "XX-2000-000001"], "lz.nm")
            #expect(orphan.status == 2 && orphan.stderr.contains("first report"), "\(orphan.stderr)")

            // Classified matter never leaves the workstation: refused before any request.
            let before = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry")! }
            let classified = try await cli(["info", "new", "--kind", "dynamic", "--sub-kind", "other", "--title", "x", "--body", body.path,
                                            "--event-at", at(60), "--classified"], "lz.nm")
            #expect(classified.status == 4 && classified.stderr.contains("confidential channel"), "\(classified.stderr)")
            let after = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry")! }
            #expect(after == before)
            // Another unit's liaison cannot submit it; a liaison cannot accept.
            #expect(try await cli(["info", "submit", stale], "lz.ps").status == 3)
            #expect(try await cli(["info", "accept", onTime], "lz.nm").status == 4)

            // The city office: lists submitted items, reads one (decrypted and verified here), returns one, accepts one.
            let lateList = try await ok(["info", "list", "--late", "--json"], "ed")
            #expect(((try lateList.json() as? [[String: Any]]) ?? []).map { $0["reference"] as? String } == [late])
            let cityKey = ["--content-key", live.holders.appendingPathComponent("unit-city-office-content.key.pem").path]
            let shown = try await ok(["info", "show", onTime, "--json"] + cityKey, "ed")
            let content = try #require(try shown.json() as? [String: String])
            #expect(content["title"] == "专项检查" && content["body"]?.contains(canary) == true && content["signed_by"] == "lz.nm")
            #expect(content["statement"]?.contains("署名单位和署名人对信息的真实性、准确性负全责") == true)
            let unitKey = ["--content-key", live.holders.appendingPathComponent("unit-nanming-office-content.key.pem").path]
            let ownRead = try await ok(["info", "show", late] + unitKey, "lz.nm")
            #expect(ownRead.stdout.contains("重大案件") && ownRead.stdout.contains("signature verified: lz.nm"), "\(ownRead.stdout)")
            let reads = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'info.read'")! }
            #expect(reads == 2)
            _ = try await ok(["info", "return", late, "--reason", "请补充案件查处结果"], "ed")
            _ = try await ok(["info", "accept", onTime], "ed")
            let mine = try await ok(["info", "list", "--json"], "lz.nm")
            let states = Dictionary(uniqueKeysWithValues: ((try mine.json() as? [[String: Any]]) ?? []).map { ($0["reference"] as! String, $0["state"] as! String) })
            #expect(states == [onTime: "accepted", late: "returned", stale: "draft", followUp: "draft"])  // (before the research item below)
            #expect(try await cli(["info", "list", "--unit", "public-security"], "lz.nm").status == 4)

            // A call for research (S-3.6): the four sections are required; who answered; the research duty.
            let call = try await ok(["info", "call", "new", "--topic", "出版物市场新动向", "--kind", "research", "--due", CivilDate.today(at: now + 7 * 86_400),
                                     "--units", "nanming-office,public-security"], "ed")
            let callID = try #require(call.stdout.split(separator: " ").first { $0.hasPrefix("YG-") }.map(String.init))
            let research = live.holders.appendingPathComponent("research.txt")
            try "一、情况\n网售盗版增多。\n二、分析\n物流环节监管薄弱。\n三、思考\n源头治理。\n四、建议\n加强寄递检查。\n".write(to: research, atomically: true, encoding: .utf8)
            let thin = try await cli(["info", "new", "--kind", "research", "--sub-kind", "market", "--title", "调研", "--body", body.path,
                                      "--event-at", at(86_400), "--not-classified", "--call", callID], "lz.nm")
            #expect(thin.status == 2 && thin.stderr.contains("情况"), "\(thin.stderr)")
            let answered = try await ok(["info", "new", "--kind", "research", "--sub-kind", "market", "--title", "网售盗版调研", "--body", research.path,
                                         "--event-at", at(86_400), "--not-classified", "--call", callID], "lz.nm")
            let researchRef = try #require(answered.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            _ = try await ok(["info", "submit", researchRef], "lz.nm")
            let calls = try await ok(["info", "calls", "--json"], "ed")
            let callRow = try #require((try calls.json() as? [[String: Any]])?.first)
            #expect(callRow["answered"] as? [String] == ["nanming-office"] && callRow["unanswered"] as? [String] == ["public-security"])
            let duty = try await ok(["info", "research-duty", "--year", String(CivilTime.chinaYear(now)), "--json"], "ed")
            let dutyReply = try #require(try duty.json() as? [String: Any])
            #expect((dutyReply["submitted"] as? [String: Int])?["nanming-office"] == 1)
            #expect((dutyReply["owing"] as? [String])?.contains("huaxi-office") == true && (dutyReply["owing"] as? [String])?.contains("nanming-office") == false)

            // Zero report and silent nodes for this month.
            let month = String(CivilDate.today(at: now).prefix(7))
            _ = try await ok(["info", "zero-report", "--period", month], "lz.ps")
            #expect(try await cli(["info", "zero-report", "--period", month], "lz.nm").status == 4, "a unit that submitted files no zero report")
            let silent = try await ok(["info", "silent", "--period", month, "--json"], "ed")
            let reply = try #require(try silent.json() as? [String: Any])
            let names = try #require(reply["silent"] as? [String])
            #expect(!names.contains("nanming-office") && !names.contains("public-security") && names.contains("detachment") && names.contains("huaxi-office"))
            #expect(!names.contains("city-office"), "the hub is not a node")
            #expect((reply["zero_reports"] as? [String]) == ["public-security"])
        }

        // The canary text is sealed: nowhere in data/.
        let scan = try await CLIRunner.run(["audit", "scan", "--deployment", root.path, "--canaries-only", "--canary", canary], passphrase: "")
        #expect(scan.status == 0, "\(scan.stdout) \(scan.stderr)")
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DELETE FROM info_item WHERE serial = 2",
            "UPDATE info_item SET envelope = CAST(replace(CAST(envelope AS TEXT), 'content', 'contenT') AS BLOB) WHERE serial = 1",
            "UPDATE info_item SET state = 'accepted' WHERE serial = 2",
        ])
    }

    @Test("Pictures: stripped and sealed on the writer's machine, signed with the text, opened and checked by the city; verify catches a dropped picture")
    func pictures() async throws {
        let live = try LiveServer()
        let root = live.root
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await staff.cli(arguments + staff.common(who))
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("lz.nm", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            let body = live.holders.appendingPathComponent("item.txt")
            try "花果园检查现场照片两张。".write(to: body, atomically: true, encoding: .utf8)
            let png = fixturesDirectory.appendingPathComponent("metadata.png"), jpeg = fixturesDirectory.appendingPathComponent("baseline.jpg")
            let notImage = live.holders.appendingPathComponent("x.txt")
            try "not an image".write(to: notImage, atomically: true, encoding: .utf8)
            let refused = try await staff.cli(["info", "new", "--kind", "dynamic", "--sub-kind", "other", "--title", "t", "--body", body.path,
                                               "--event-at", "2026-11-30 09:00", "--not-classified", "--attach", notImage.path] + staff.common("lz.nm"))
            #expect(refused.status != 0 && refused.stderr.contains("not a readable"), "\(refused.stderr)")
            let written = try await ok(["info", "new", "--kind", "dynamic", "--sub-kind", "other", "--title", "现场照片", "--body", body.path,
                                        "--event-at", CivilTime.iso8601China(Int64(Date().timeIntervalSince1970) - 600), "--not-classified",
                                        "--attach", png.path, "--attach", jpeg.path], "lz.nm")
            let reference = try #require(written.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            _ = try await ok(["info", "submit", reference], "lz.nm")
            let saved = live.holders.appendingPathComponent("pictures")
            let cityKey = ["--content-key", live.holders.appendingPathComponent("unit-city-office-content.key.pem").path]
            let shown = try await ok(["info", "show", reference, "--pictures", saved.path] + cityKey, "ed")
            #expect(shown.stdout.contains("2 pictures (signed)"), "\(shown.stdout)")
            let files = try FileManager.default.contentsOfDirectory(atPath: saved.path).sorted()
            #expect(files == ["\(reference)-1.png", "\(reference)-2.jpeg"])
            let first = try [UInt8](Data(contentsOf: saved.appendingPathComponent(files[0])))
            #expect(first != (try [UInt8](Data(contentsOf: png))) && ImageFormat.detect(first) == .png, "stripped before sealing")
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-pictures-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: root, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        try NetworkEndToEndTests.tamper(copy, "DROP TRIGGER info_item_picture_no_delete; DELETE FROM info_item_picture WHERE n = 1")
        #expect(!(try AuditVerifier(sources: try AuditSources.deployment(at: copy)).verify()).passed, "a dropped picture fails verify")
    }
}
