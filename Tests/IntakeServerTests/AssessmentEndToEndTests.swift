import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// Issue 17 (the yearly assessment, S-3.5, S-3.6, S-6.3), against the real server and CLI: a small
/// network's year — items of two kinds (one late), adoptions at three levels, a call answered, zero
/// reports, a ledger zero report, a liaison trained, an informant covering three townships, a tip acted
/// on in time — then `assess compute` equals the scores computed by hand below; an adjustment needs a
/// reason; the ranking (CSV, HTML with a chart) and the notice name the right units; freeze, then adjust
/// and a second freeze are refused; the frozen ranking route answers; `audit verify` passes and fails
/// after a frozen score, a total or an adjustment is altered.
@Suite("Assessment: compute from a year's data, adjust, freeze, ranking, notice; verify catches a changed score", .serialized)
struct AssessmentEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("A year of a small network: exact hand-computed scores, adjust with a reason, freeze refuses changes, verify catches tampering")
    func assessmentStory() async throws {
        let live = try LiveServer()
        let root = live.root
        let now = Int64(Date().timeIntervalSince1970)
        let today = CivilDate.today(at: now)
        let year = CivilTime.chinaYear(now)
        // M: the months of the year begun so far (what months.silent counts); Q: the quarters begun.
        let m = Int(today.dropFirst(5).prefix(2))!
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
            try await staff.enrol("lz.cu", role: "liaison", centre: "city", unit: "customs")
            try await staff.enrol("hd.nm", role: "handler", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("tr.nm", role: "triage", centre: "nanming")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            try await staff.enrol("as", role: "assessor", centre: "city", unit: "city-office")

            // The year's data.
            let body = live.holders.appendingPathComponent("item.txt")
            try "南明区开展出版物市场专项检查，出动执法人员 40 人次。".write(to: body, atomically: true, encoding: .utf8)
            let research = live.holders.appendingPathComponent("research.txt")
            try "一、情况\n网售盗版增多。\n二、分析\n物流环节监管薄弱。\n三、思考\n源头治理。\n四、建议\n加强寄递检查。\n".write(to: research, atomically: true, encoding: .utf8)
            func at(_ secondsAgo: Int64) -> String { CivilTime.iso8601China(now - secondsAgo) }
            func item(_ who: String, _ extra: [String], accept: Bool = true) async throws -> String {
                let result = try await ok(["info", "new", "--title", "信息", "--not-classified"] + extra, who)
                let reference = try #require(result.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
                _ = try await ok(["info", "submit", reference], who)
                if accept { _ = try await ok(["info", "accept", reference], "ed") }
                return reference
            }
            let dynamic = ["--kind", "dynamic", "--sub-kind", "campaigns", "--body", body.path, "--timeliness", "deployment", "--event-at", at(7200), "--known-at", at(3600)]
            let x1 = try await item("lz.nm", dynamic)
            let x2 = try await item("lz.nm", dynamic)
            _ = try await item("lz.nm", ["--kind", "dynamic", "--sub-kind", "major-cases", "--body", body.path, "--timeliness", "major-event",
                                         "--event-at", at(4 * 3600), "--known-at", at(3 * 3600)], accept: false)  // late (S-4.1)
            let call = try await ok(["info", "call", "new", "--topic", "出版物市场新动向", "--kind", "research", "--due", today,
                                     "--units", "nanming-office,public-security"], "ed")
            let callID = try #require(call.stdout.split(separator: " ").first { $0.hasPrefix("YG-") }.map(String.init))
            _ = try await item("lz.nm", ["--kind", "research", "--sub-kind", "market", "--body", research.path, "--event-at", at(86_400), "--call", callID],
                               accept: false)
            let p1 = try await item("lz.ps", dynamic)
            _ = try await ok(["info", "adopt", x1, "--level", "kuaibao", "--ref", "快报\(year)年第1期"], "ed")
            _ = try await ok(["info", "adopt", x1, "--level", "province-forwarded"], "ed")
            _ = try await ok(["info", "adopt", x2, "--level", "jianbao"], "ed")
            _ = try await ok(["info", "adopt", p1, "--level", "kuaibao"], "ed")
            // Zero reports: Nanming for each earlier month, customs for the whole year; a ledger zero report.
            for month in 1..<m { _ = try await ok(["info", "zero-report", "--period", String(format: "%04d-%02d", year, month)], "lz.nm") }
            _ = try await ok(["info", "zero-report", "--period", String(year)], "lz.cu")
            _ = try await ok(["books", "zero-report", "venues", "--period", String(year)], "lz.nm")
            // Training, an informant over three of Nanming's 23 townships, two tips (one acted on).
            _ = try await ok(["network", "training", "add", "--unit", "city-office", "--date", today, "--topic", "信息报送业务培训", "--attendees", "lz.nm"], "ed")
            let identity = live.holders.appendingPathComponent("identity.json")
            try JSONSerialization.data(withJSONObject: ["name": "信息员甲", "phone": "13900000001"]).write(to: identity)
            _ = try await ok(["network", "informant", "add", "--areas", "520102016000,520102017000,520102018000", "--source-role", "网格管理员",
                              "--review-due", "\(year + 1)-06-30", "--identity-file", identity.path, "--json"], "hd.nm")
            var tips: [String] = []
            for _ in 0..<2 {
                let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售淫秽光盘"])
                tips.append(try #require(try reply.json()["reference"] as? String))
            }
            _ = try await ok(["tips", "status", tips[0], "triaged"], "tr.nm")

            // Hand-computed scores (assessment.yaml; points = ⌊measure ÷ per⌋ × points, capped):
            // nanming-office (district office):
            //   items-dynamic 3 items × 1 = 3; items-research 1 × 3 = 3; adopted-kuaibao 1 × 2 = 2; adopted-jianbao 1 × 3 = 3;
            //   adopted-province-forwarded 1 × 4 = 4; late-items 1 × −2 = −2; zero-reports min(M−1, 3); silent-months 0;
            //   research-duty 0 (filed one); calls-answered 1 × 2 = 2; calls-missed 0 (due today, not past);
            //   books-complete: venues has a zero report for the year → Q of 6·Q slots = 16% → ⌊16/10⌋ = 1;
            //   coverage 3/23 = 13% → 1; liaisons-in-post 5; liaisons-trained 1 × 2 = 2; tips-on-time 1 of 1 = 100% → 10;
            //   tips-overdue 0 (the other tip is not yet due)  ⇒ 34 + min(M−1, 3); +5 adjustment below.
            // public-security (member unit): items-dynamic 1; adopted-kuaibao 2; silent-months (M−1) × −3 ≥ −18;
            //   calls-missed 0; liaisons-in-post 5; books 0 of 2 ledgers  ⇒ 8 + max(−3(M−1), −18).
            // customs (member unit): zero-reports 1 (the year's covers every month: silent 0); liaisons-in-post 5  ⇒ 6.
            // huaxi-office (district office, nothing filed): silent max(−3M, −18); research-duty −10; tips-on-time 100% → 10
            //   (no tip due)  ⇒ max(−3M, −18).
            // detachment (city centre, no tip): silent max(−3M, −18); tips-on-time 10  ⇒ 10 + max(−3M, −18).
            let nanming = 34 + min(m - 1, 3), police = 8 + max(-3 * (m - 1), -18), customs = 6
            let huaxi = max(-3 * m, -18), detachment = 10 + max(-3 * m, -18)

            func results() async throws -> [String: Any] { try #require(try (try await ok(["assess", "compute", "--year", String(year), "--json"], "as")).json() as? [String: Any]) }
            func total(_ reply: [String: Any], _ unit: String) -> Int? {
                (reply["units"] as? [[String: Any]])?.first { $0["unit"] as? String == unit }?["total"] as? Int
            }
            var draft = try await results()
            #expect(draft["state"] as? String == "draft")
            #expect(total(draft, "nanming-office") == nanming && total(draft, "public-security") == police && total(draft, "customs") == customs)
            #expect(total(draft, "huaxi-office") == huaxi && total(draft, "detachment") == detachment && total(draft, "city-office") == nil)
            let nmScores = try #require((draft["units"] as? [[String: Any]])?.first { $0["unit"] as? String == "nanming-office" }?["scores"] as? [[String: Any]])
            func score(_ id: String) -> (Int?, Int?) {
                let row = nmScores.first { $0["criterion"] as? String == id }
                return (row?["measure"] as? Int, row?["computed"] as? Int)
            }
            #expect(score("items-dynamic") == (3, 3) && score("late-items") == (1, -2) && score("coverage") == (13, 1) && score("books-complete") == (16, 1))
            #expect(score("silent-months") == (0, 0) && score("calls-answered") == (1, 2) && score("tips-on-time") == (100, 10))
            let text = try await ok(["assess", "compute", "--year", String(year), "--unit", "nanming-office"], "as")
            #expect(text.stdout.contains("draft") && text.stdout.contains("Late items"), "\(text.stdout)")

            // Adjustments: a reason is required (nothing sent); a criterion that does not apply is refused; an editor cannot.
            let noReason = try await cli(["assess", "adjust", "nanming-office", "--year", String(year), "--criterion", "other", "--points", "5", "--reason", " "], "as")
            #expect(noReason.status == 2 && noReason.stderr.contains("reason"), "\(noReason.stderr)")
            let notApplying = try await cli(["assess", "adjust", "customs", "--year", String(year), "--criterion", "coverage", "--points", "2", "--reason", "补录"], "as")
            #expect(notApplying.status == 2, "\(notApplying.stderr)")
            let byEditor = try await cli(["assess", "adjust", "nanming-office", "--year", String(year), "--criterion", "other", "--points", "5", "--reason", "协助查办大案"], "ed")
            #expect(byEditor.status == 4, "\(byEditor.stderr)")
            _ = try await ok(["assess", "adjust", "nanming-office", "--year", String(year), "--criterion", "other", "--points", "5", "--reason", "协助查办大案"], "as")
            draft = try await results()
            #expect(total(draft, "nanming-office") == nanming + 5)
            #expect((draft["adjustments"] as? [[String: Any]])?.first?["reason"] as? String == "协助查办大案")

            // Ranking: CSV and a printable page with a chart; the notice names the commended and the criticised.
            let csv = live.holders.appendingPathComponent("ranking.csv"), html = live.holders.appendingPathComponent("ranking.html")
            let ranking = try await ok(["assess", "ranking", "--year", String(year), "--csv", csv.path, "--html", html.path], "ed")
            #expect(ranking.stdout.contains("draft"))
            let csvText = try String(contentsOf: csv, encoding: .utf8)
            #expect(csvText.contains("nanming-office,") && csvText.split(separator: "\r\n").dropFirst().first?.hasPrefix("nanming-office,") == true, "first in rank")
            let page = try String(contentsOf: html, encoding: .utf8)
            #expect(page.contains("<svg") && page.contains("草稿") && !page.contains("<script") && !page.contains("src="))
            let notice = live.holders.appendingPathComponent("notice.html")
            _ = try await ok(["assess", "notice", "--year", String(year), "--out", notice.path], "as")
            let noticeText = try String(contentsOf: notice, encoding: .utf8)
            let nanmingZh = "南明区"
            #expect(noticeText.contains("通报") && noticeText.contains("表扬") && noticeText.contains("批评") && noticeText.contains("UTC+8"))
            let commended = try #require(draft["commended"] as? [String]), criticised = try #require(draft["criticised"] as? [String])
            #expect(commended == (nanming + 5 >= 40 ? ["nanming-office"] : []))
            #expect(criticised.contains("huaxi-office") == (huaxi < 0) && !criticised.contains("nanming-office") && !criticised.contains("customs"))
            if nanming + 5 >= 40 {
                let section = noticeText.components(separatedBy: "一、表扬的单位").last?.components(separatedBy: "二、").first ?? ""
                #expect(section.contains(nanmingZh), "\(section)")
            }

            // Subsidies follow the frozen ranking only (三(五)).
            let early = try await cli(["assess", "subsidy", "--year", String(year)], "as")
            #expect(early.status != 0 && early.stderr.contains("not frozen"), "\(early.stderr)")
            // Freeze (the assessor signs the reviewed draft's hash); then adjusting and a second freeze are refused.
            let frozenOut = try await ok(["assess", "freeze", "--year", String(year)], "as")
            #expect(frozenOut.stdout.contains("froze"), "\(frozenOut.stdout)")
            let late = try await cli(["assess", "adjust", "customs", "--year", String(year), "--criterion", "other", "--points", "1", "--reason", "补录"], "as")
            #expect(late.status == 4 && late.stderr.contains("frozen"), "\(late.stderr)")
            #expect(try await cli(["assess", "freeze", "--year", String(year)], "as").status == 4)
            let frozen = try await results()
            #expect(frozen["state"] as? String == "frozen" && frozen["results_sha256"] as? String == draft["results_sha256"] as? String)
            #expect(total(frozen, "nanming-office") == nanming + 5)
            // The frozen ranking route other features build on; the ranking now says frozen.
            let rankedOut = try await ok(["assess", "ranking", "--year", String(year), "--frozen", "--json"], "ed")
            let ranked = try JSONDecoder().decode(FrozenRankingProbe.self, from: Data(rankedOut.stdout.utf8))
            #expect(ranked.year == year && ranked.units.first?.unit == "nanming-office" && ranked.units.first?.total == nanming + 5)
            #expect(ranked.results_sha256 == frozen["results_sha256"] as? String && ranked.frozen_at.hasSuffix("+08:00"))
            #expect(try await ok(["assess", "ranking", "--year", String(year)], "ed").stdout.contains("frozen"))

            // Subsidies (三(五), S-3.5): an assessor proposes the grants of remuneration.yaml to the units ranked 1–3
            // (a shared rank shares its grant), the unit as payee; an accountant funds, approves and pays.
            try await staff.enrol("ac1", role: "accountant", centre: "city")
            let grants = [3_000_000, 2_000_000, 1_000_000]
            let winners = ranked.units.filter { $0.rank <= grants.count }
            let proposedOut = try await ok(["assess", "subsidy", "--year", String(year)], "as")
            #expect(proposedOut.stdout.contains("nanming-office ¥30,000.00"), "\(proposedOut.stdout)")
            #expect(try await ok(["assess", "subsidy", "--year", String(year)], "as").stdout.contains("no new subsidy"), "a retry proposes nothing twice")
            let subsidies = try #require(try (try await ok(["ledger", "subsidy", "list", "--json"], "ac1")).json() as? [[String: Any]])
            #expect(subsidies.count == winners.count)
            #expect(Set(subsidies.compactMap { $0["unit"] as? String }) == Set(winners.map(\.unit)))
            let top = try #require(subsidies.first { $0["unit"] as? String == "nanming-office" })
            let topID = String(try #require(top["id"] as? Int))
            #expect(try await cli(["ledger", "subsidy", "approve", topID], "ac1").status != 0, "the subsidy fund is empty")
            #expect(try await cli(["ledger", "subsidy", "approve", topID], "as").status != 0, "the proposer does not approve")
            let needed = winners.reduce(0) { $0 + grants[$1.rank - 1] }
            _ = try await ok(["ledger", "fund", "--amount", String(needed / 100), "--memo", "专项经费", "--into", "subsidy"], "ac1")
            _ = try await ok(["ledger", "subsidy", "approve", topID], "ac1")
            _ = try await ok(["ledger", "subsidy", "pay", topID], "ac1")
            let yearReport = try await ok(["ledger", "report", "--year", String(year)], "ac1")
            #expect(yearReport.stdout.contains("\(year),subsidy,unit,nanming-office,1,30000.00,3000000,1,30000.00,3000000"), "\(yearReport.stdout)")
            #expect(try await ok(["ledger", "verify"], "ac1").stdout.contains("payments: ok"))
        }

        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DROP TRIGGER assessment_result_no_update; UPDATE assessment_result SET computed = computed + 5 WHERE unit = 'huaxi-office' AND criterion = 'research-duty'",
            "DROP TRIGGER assessment_total_no_update; UPDATE assessment_total SET total = total + 1 WHERE year = \(year) AND rank = 1",
            "DROP TRIGGER assessment_adjustment_no_update; UPDATE assessment_adjustment SET points = 15",
            "DROP TRIGGER assessment_result_no_delete; DELETE FROM assessment_result WHERE unit = 'customs' AND criterion = 'zero-reports'",
        ])
    }
}

/// The frozen ranking as a client reads it (the wire names of `FrozenRanking`).
private struct FrozenRankingProbe: Decodable {
    struct Entry: Decodable { let unit: String; let rank: Int; let total: Int }
    let year: Int
    let frozen_at: String
    let results_sha256: String
    let units: [Entry]
}
