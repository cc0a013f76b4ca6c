import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// Issue 16 (the city desk), against the real server and CLI: the city office accepts items, records
/// an adoption, builds a quick report, edits an item into a signed version (the author's original
/// stays), is refused publication while the text holds a pseudonym or a phone number (naming the
/// item), publishes a clean issue sealed to every receiving unit (its items adopted); a receiving
/// unit fetches and reads it, a non-receiving unit cannot; adoption statistics and the monthly
/// feedback sheets; `audit verify` passes and catches a dropped adoption, version or altered issue.
@Suite("City desk: adoption, versions, the quick report, statistics and feedback", .serialized)
struct CityDeskEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("Adopt, edit, scan, publish, fetch; statistics and feedback sheets; verify catches tampering")
    func cityDeskStory() async throws {
        let live = try LiveServer()
        let root = live.root
        let now = Int64(Date().timeIntervalSince1970)
        let month = String(CivilTime.iso8601China(now).prefix(7)), year = String(month.prefix(4))
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            let units = ["lz.nm": "nanming-office", "lz.ps": "public-security", "lz.cu": "customs", "ed": "city-office"]
            func cli(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let key = ["--content-key", live.holders.appendingPathComponent("unit-\(units[who]!)-content.key.pem").path]
                return try await staff.cli(arguments + staff.common(who) + key)
            }
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await cli(arguments, who)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("lz.nm", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("lz.ps", role: "liaison", centre: "city", unit: "public-security")
            try await staff.enrol("lz.cu", role: "liaison", centre: "city", unit: "customs")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            let dir = live.holders
            func file(_ name: String, _ text: String) throws -> String {
                let url = dir.appendingPathComponent(name)
                try text.write(to: url, atomically: true, encoding: .utf8)
                return url.path
            }
            let original = "南明区开展校园周边出版物专项检查，收缴非法出版物 320 册。原文段落。"
            func item(_ who: String, _ title: String) async throws -> String {
                let result = try await ok(["info", "new", "--kind", "dynamic", "--sub-kind", "campaigns", "--title", title, "--body", try file("b.txt", original),
                                           "--event-at", CivilTime.iso8601China(now - 3600), "--not-classified"], who)
                let reference = try #require(result.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
                _ = try await ok(["info", "submit", reference], who)
                _ = try await ok(["info", "accept", reference], "ed")
                return reference
            }
            let x1 = try await item("lz.nm", "校园周边专项检查")
            let x2 = try await item("lz.nm", "出版物市场检查")
            let x3 = try await item("lz.ps", "网络专项行动")

            // An adoption record: forwarded to the province.
            _ = try await ok(["info", "adopt", x1, "--level", "province-forwarded", "--ref", "黔扫黄办〔\(year)〕12号"], "ed")
            #expect(try await cli(["info", "adopt", x1, "--level", "province-forwarded"], "ed").status != 0, "once per level")
            #expect(try await cli(["info", "adopt", x3, "--level", "kuaibao"], "lz.nm").status != 0, "editors only")

            // A quick report: an edit with a pseudonym, then a phone number, is refused naming the item; a clean edit publishes.
            let issue = try #require(try await ok(["bulletin", "new", "--type", "kuaibao"], "ed").stdout.split(separator: " ").first { $0.hasPrefix("KB-") }
                .map { String($0.prefix { $0 != "（" && $0 != " " }) })
            _ = try await ok(["bulletin", "add", issue, x1], "ed")
            _ = try await ok(["bulletin", "add", issue, x2, "--edit", try file("e1.txt", "经信息员 nm-7 反映，检查发现问题。")], "ed")
            var refused = try await cli(["bulletin", "publish", issue], "ed")
            #expect(refused.status != 0 && refused.stderr.contains(x2) && refused.stderr.contains("pseudonym"), "\(refused.stderr)")
            _ = try await ok(["bulletin", "add", issue, x2, "--edit", try file("e2.txt", "群众来电 13912345678 反映，检查发现问题。")], "ed")
            refused = try await cli(["bulletin", "publish", issue], "ed")
            #expect(refused.status != 0 && refused.stderr.contains(x2) && refused.stderr.contains("mobile number"), "\(refused.stderr)")
            let edited = "市办编辑后的文字：检查发现问题并已整改。"
            _ = try await ok(["bulletin", "add", issue, x2, "--edit", try file("e3.txt", edited)], "ed")
            let preview = dir.appendingPathComponent("preview.html")
            _ = try await ok(["bulletin", "preview", issue, "--out", preview.path], "ed")
            let previewText = try String(contentsOf: preview, encoding: .utf8)
            #expect(previewText.contains("贵阳市“扫黄打非”快报") && previewText.contains("\(year)年第1期") && previewText.contains(edited) && previewText.contains("分送"))
            #expect(!previewText.contains("<script") && !previewText.contains("http"), "no script, no external resource")
            let published = try await ok(["bulletin", "publish", issue], "ed")
            #expect(published.stdout.contains("published"), "\(published.stdout)")
            #expect(try await cli(["bulletin", "add", issue, x3], "ed").status != 0, "a published issue never changes")

            // The author's signed original stays; the bulletin carries the edit.
            let shown = try await ok(["info", "show", x2], "lz.nm")
            #expect(shown.stdout.contains(original) && !shown.stdout.contains(edited))
            let states = try #require(try (try await ok(["info", "list", "--json"], "ed")).json() as? [[String: Any]])
            func state(_ reference: String) -> String? { states.first { $0["reference"] as? String == reference }?["state"] as? String }
            #expect(state(x1) == "forwarded" && state(x2) == "adopted" && state(x3) == "accepted")

            // A receiving unit fetches and opens it; a unit outside the distribution cannot.
            let fetched = dir.appendingPathComponent("fetched.html")
            _ = try await ok(["bulletin", "fetch", issue, "--out", fetched.path], "lz.ps")
            let fetchedText = try String(contentsOf: fetched, encoding: .utf8)
            #expect(fetchedText.contains(edited) && fetchedText.contains("快报") && !fetchedText.contains("13912345678") && !fetchedText.contains("NM-0007"))
            let outside = try await cli(["bulletin", "fetch", issue, "--out", dir.appendingPathComponent("no.html").path], "lz.cu")
            #expect(outside.status != 0 && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("no.html").path))

            // Statistics by unit (and CSV, HTML), and the monthly feedback sheets.
            let stats = try #require(try (try await ok(["info", "adoption", "--year", year, "--by", "unit", "--json"], "ed")).json() as? [String: Any])
            let rows = try #require(stats["rows"] as? [[String: Any]])
            let nanming = try #require(rows.first { $0["key"] as? String == "nanming-office" })
            #expect(nanming["submitted"] as? Int == 2 && nanming["adopted_items"] as? Int == 2)
            #expect((nanming["adopted"] as? [String: Int]) == ["kuaibao": 2, "province-forwarded": 1])
            let police = try #require(rows.first { $0["key"] as? String == "public-security" })
            #expect(police["submitted"] as? Int == 1 && police["adopted_items"] as? Int == 0)
            let csv = dir.appendingPathComponent("adoption.csv"), html = dir.appendingPathComponent("adoption.html")
            _ = try await ok(["info", "adoption", "--year", year, "--by", "author", "--csv", csv.path, "--html", html.path], "ed")
            #expect(try String(contentsOf: csv, encoding: .utf8).contains("lz.nm,lz.nm,2,0,2,100.0,0"))
            #expect(try String(contentsOf: html, encoding: .utf8).contains("<svg"))
            let sheets = dir.appendingPathComponent("feedback")
            _ = try await ok(["info", "feedback", "--month", month, "--out", sheets.path], "ed")
            let files = try FileManager.default.contentsOfDirectory(atPath: sheets.path)
            #expect(files.contains("\(month)-nanming-office.html") && files.contains("\(month)-customs.csv"))
            #expect(try String(contentsOf: sheets.appendingPathComponent("\(month)-nanming-office.csv"), encoding: .utf8).contains("nanming-office,\(month),2,0,2,100.0,0"))
        }

        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DROP TRIGGER info_adoption_no_delete; DELETE FROM info_adoption WHERE level = 'kuaibao' AND rowid = (SELECT min(rowid) FROM info_adoption WHERE level = 'kuaibao')",
            "DROP TRIGGER info_item_version_no_delete; DELETE FROM info_item_version WHERE version = 3",
            "DROP TRIGGER bulletin_published_fixed; UPDATE bulletin SET document_sha256 = '00' || substr(document_sha256, 3)",
        ])
    }

    @Test("stats --from/--to: by outcome (a closed tip counts as what it was found to be), by channel, on-time per centre; --html with charts")
    func periodStatistics() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("tr.nm", role: "triage", centre: "nanming")
            let triage = staff.common("tr.nm")
            var references: [String] = []
            for description in ["出售盗版书", "出售淫秽光盘", "网络传播有害信息"] {
                let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-publication", "district": "nanming", "description": description])
                references.append(try #require(try reply.json()["reference"] as? String))
            }
            for step in [["triaged"], ["verifying", "--unit", "南明区文化市场综合执法大队"], ["verified", "--outcome", "administrative"], ["closed"]] {
                let moved = try await staff.cli(["tips", "status", references[0]] + step + triage)
                #expect(moved.status == 0, "\(moved.stderr)")
            }
            #expect(try await staff.cli(["tips", "status", references[1], "rejected", "--reason", "不属于扫黄打非范围"] + triage).status == 0)
            let today = CivilDate.today(at: Int64(Date().timeIntervalSince1970))
            let html = live.holders.appendingPathComponent("stats.html")
            let result = try await staff.cli(["stats", "--from", today, "--to", today, "--json"] + triage)
            #expect(result.status == 0, "\(result.stderr)")
            let stats = try #require(try result.json() as? [String: Any])
            #expect(stats["total"] as? Int == 3)
            let outcome = Dictionary(uniqueKeysWithValues: ((stats["by_outcome"] as? [[String: Any]]) ?? []).map { ($0["key"] as! String, $0["count"] as! Int) })
            #expect(outcome == ["verified": 1, "rejected": 1, "received": 1], "\(outcome)")
            let status = Dictionary(uniqueKeysWithValues: ((stats["by_status"] as? [[String: Any]]) ?? []).map { ($0["key"] as! String, $0["count"] as! Int) })
            #expect(status["closed"] == 1)
            let onTime = try #require((stats["on_time_by_centre"] as? [[String: Any]])?.first)
            #expect(onTime["centre"] as? String == "nanming" && onTime["acted"] as? Int == 2)
            let report = try await staff.cli(["stats", "--from", today, "--html", html.path] + triage)
            #expect(report.status == 0, "\(report.stderr)")
            let text = try String(contentsOf: html, encoding: .utf8)
            #expect(text.contains("<svg") && text.contains("by outcome") && !text.contains("<script") && !text.contains("src=") && !text.contains("href="))
            let before = try await staff.cli(["stats", "--from", "2020-01-01", "--to", "2020-12-31", "--json"] + triage)
            #expect((try before.json() as? [String: Any])?["total"] as? Int == 0)
        }
    }

    @Test("stats results: the results table per node from the ledgers, tips, items and manual figures (S-5.4), CSV and HTML")
    func resultsTable() async throws {
        let live = try LiveServer()
        let root = live.root
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            let keys = ["clerk.nm": "unit-nanming-office-content", "lz.nm": "unit-nanming-office-content", "ed": "unit-city-office-content"]
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let key = keys[who].map { ["--content-key", live.holders.appendingPathComponent("\($0).key.pem").path] } ?? []
                let result = try await staff.cli(arguments + staff.common(who) + key)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("clerk.nm", role: "clerk", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("lz.nm", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            try await staff.enrol("tr.nm", role: "triage", centre: "nanming")
            let now = Int64(Date().timeIntervalSince1970)
            let today = CivilDate.today(at: now), year = String(today.prefix(4))
            for (officers, places, seized) in [("10", "3", "320册"), ("5", "2", "12盘")] {
                _ = try await ok(["books", "add", "inspections", "--field", "date=\(today)", "--field", "officers=\(officers)", "--field", "places_checked=\(places)",
                                  "--field", "seized=\(seized)"], "clerk.nm")
            }
            let venue = live.holders.appendingPathComponent("venue.json")
            try JSONSerialization.data(withJSONObject: ["name": "花果园图书批发市场", "area_code": "520102016000", "venue_type": "图书市场",
                                                        "stalls": 40, "risk_level": "high"]).write(to: venue)
            _ = try await ok(["books", "add", "venues", "--file", venue.path], "clerk.nm")
            let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-publication", "district": "nanming", "description": "出售盗版书"])
            let tip = try #require(try reply.json()["reference"] as? String)
            for step in [["triaged"], ["verifying", "--unit", "南明区文化市场综合执法大队"], ["verified", "--outcome", "administrative"]] {
                _ = try await ok(["tips", "status", tip] + step, "tr.nm")
            }
            let body = live.holders.appendingPathComponent("b.txt")
            try "南明区开展专项检查。".write(to: body, atomically: true, encoding: .utf8)
            let written = try await ok(["info", "new", "--kind", "dynamic", "--sub-kind", "campaigns", "--title", "专项检查", "--body", body.path,
                                        "--event-at", CivilTime.iso8601China(now - 3600), "--not-classified"], "lz.nm")
            let item = try #require(written.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            _ = try await ok(["info", "submit", item], "lz.nm")
            _ = try await ok(["info", "accept", item], "ed")
            _ = try await ok(["info", "adopt", item, "--level", "jianbao"], "ed")
            let manual = live.holders.appendingPathComponent("manual.json")
            try JSONSerialization.data(withJSONObject: ["nanming-office": ["publicity": 3]]).write(to: manual)
            let deployment = ["--deployment", root.path]
            let results = try await ok(["stats", "results", "--period", year, "--manual", manual.path, "--json"] + deployment, "ed")
            let table = try #require((try? results.json()) as? [String: [String: Int]], "\(results.stdout.prefix(300))")
            #expect(table["nanming-office"] == ["inspections": 2, "officers": 15, "places-checked": 5, "seized": 332, "venues": 1, "supervised-cases": 0,
                                                 "tips-received": 1, "tips-verified": 1, "items-submitted": 1, "items-adopted": 1, "publicity": 3],
                    "\(table["nanming-office"] ?? [:])")
            #expect(table["yunyan-office"]?.values.allSatisfy { $0 == 0 } == true && table["city-office"] == nil, "the hub is not a row")
            let badManual = live.holders.appendingPathComponent("bad.json")
            try JSONSerialization.data(withJSONObject: ["nanming-office": ["officers": 3]]).write(to: badManual)
            let refused = try await staff.cli(["stats", "results", "--period", year, "--manual", badManual.path] + deployment + staff.common("ed"))
            #expect(refused.status != 0 && refused.stderr.contains("not a manual column"), "\(refused.stderr)")
            let csv = live.holders.appendingPathComponent("results.csv"), html = live.holders.appendingPathComponent("results.html")
            _ = try await ok(["stats", "results", "--period", year, "--csv", csv.path, "--html", html.path] + deployment, "ed")
            let csvText = try String(contentsOf: csv, encoding: .utf8)
            #expect(csvText.contains("nanming-office,") && csvText.contains(",2,15,5,332,1,0,1,1,1,1,0\r\n"), "\(csvText.prefix(400))")
            #expect(try String(contentsOf: html, encoding: .utf8).contains("出动执法人员（人次）"))
        }
    }
}
