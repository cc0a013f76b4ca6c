import Foundation
import Testing
@testable import TiplineCore

/// `Policies/assessment.yaml` (issue 17, S-3.5, S-3.6, S-6.3): the shipped example loads; a broken file
/// names its line and key; scoring is integer arithmetic with caps; ranks and the results hash are canonical.
@Suite("Assessment policy and scoring")
struct AssessmentPolicyTests {
    static func parse(_ text: String) throws(PolicyError) -> AssessmentPolicy {
        let information = try! RepoPolicies.load().information
        return try AssessmentPolicy.parse(file: "assessment.yaml", text: text, information: information)
    }

    @Test("The shipped criteria: every measure of the issue, research duty and coverage for district offices only (S-3.6, S-3.1)")
    func shipped() throws {
        let policy = try RepoPolicies.load().assessment
        let measures = Set(policy.criteria.map(\.measure))
        #expect(measures == Set(AssessmentMeasure.allCases), "every measure is used by the example")
        #expect(policy.criterion("research-duty")?.appliesTo == [.districtOffice])
        #expect(policy.criterion("coverage")?.appliesTo == [.districtOffice])
        #expect(policy.criteria(for: .memberUnit).contains { $0.id == "coverage" } == false)
        #expect(policy.criterion("adopted-national")?.level == .national && policy.criterion("items-research")?.kind == "research")
        #expect(policy.notice == AssessmentNoticeRule(commendTop: 3, commendMin: 40, criticiseBelow: 0) && policy.maxAdjustment == 20)
        #expect(PolicySet.fileNames.contains("assessment.yaml") && PolicySet.networkFileNames.contains("assessment.yaml"))
    }

    @Test("Points: ⌊measure ÷ per⌋ × points, clipped to min/max; deductions negative")
    func points() {
        let coverage = AssessmentCriterion(id: "c", nameZh: "覆盖率", nameEn: "c", measure: .informantCoverage, points: 1, per: 10, max: 10, appliesTo: [.districtOffice])
        #expect(coverage.points(for: 0) == 0 && coverage.points(for: 19) == 1 && coverage.points(for: 100) == 10 && coverage.points(for: 13) == 1)
        let silent = AssessmentCriterion(id: "s", nameZh: "未报送", nameEn: "s", measure: .silentMonths, points: -3, min: -18, appliesTo: [.memberUnit])
        #expect(silent.points(for: 2) == -6 && silent.points(for: 12) == -18)
    }

    @Test("A broken file names the line and key, never a value")
    func refusals() {
        let head = "version: 1\nnotice: { commend_top: 3, commend_min: 40, criticise_below: 0 }\ncriteria:\n"
        let cases: [(String, String)] = [
            ("  - { id: a, name_zh: 甲, name_en: A, measure: items.sent, points: 1 }\n", "measure"),
            ("  - { id: a, name_zh: 甲, name_en: A, measure: items.adopted, points: 1 }\n", "level"),
            ("  - { id: a, name_zh: 甲, name_en: A, measure: items.submitted, kind: rumours, points: 1 }\n", "kind"),
            ("  - { id: a, name_zh: 甲, name_en: A, measure: research.owed, points: -10 }\n", "applies_to"),
            ("  - { id: a, name_zh: 甲, name_en: A, measure: zero-reports, points: 1, min: 5, max: 1 }\n", "min"),
            ("  - { id: A!, name_zh: 甲, name_en: A, measure: zero-reports, points: 1 }\n", "id"),
            ("  - { id: a, name_zh: 甲, name_en: A, measure: zero-reports, points: 1, weight: 3 }\n", "weight"),
            ("  - { id: a, name_zh: 甲, name_en: A, measure: zero-reports, points: 1 }\n  - { id: a, name_zh: 乙, name_en: B, measure: manual }\n", "criteria"),
        ]
        for (criteria, key) in cases {
            #expect(throws: PolicyError.self) { try Self.parse(head + criteria) }
            do {
                _ = try Self.parse(head + criteria)
            } catch {
                #expect(error.file == "assessment.yaml" && error.key.contains(key), "\(error)")
            }
        }
        #expect(throws: PolicyError.self) { try Self.parse("version: 1\ncriteria:\n  - { id: a, name_zh: 甲, name_en: A, measure: manual }\n") }
    }

    @Test("Scoring: rows per applicable criterion, adjustments after the caps, shared ranks, a canonical hash")
    func scoring() throws {
        let policies = try RepoPolicies.load()
        let units = policies.units.units
        let measures = ["nanming-office": ["items-dynamic": 30, "silent-months": 12], "customs": ["items-dynamic": 2], "postal": ["items-dynamic": 2]]
        let (rows, totals) = AssessmentScoring.score(policy: policies.assessment, units: units, measures: measures,
                                                     adjustments: [(unit: "nanming-office", criterion: "other", points: 5), (unit: "nanming-office", criterion: "items-dynamic", points: 3)])
        #expect(!rows.contains { $0.unit == "city-office" }, "the hub is not assessed")
        let dynamic = try #require(rows.first { $0.unit == "nanming-office" && $0.criterion == "items-dynamic" })
        #expect(dynamic.measure == 30 && dynamic.computed == 20 && dynamic.adjusted == 3 && dynamic.points == 23, "cap 20, then the adjustment")
        #expect(rows.first { $0.unit == "nanming-office" && $0.criterion == "other" }?.measure == nil)
        #expect(!rows.contains { $0.unit == "customs" && $0.criterion == "coverage" })
        let customs = try #require(totals.first { $0.unit == "customs" }), postal = try #require(totals.first { $0.unit == "postal" })
        #expect(customs.total == postal.total && customs.rank == postal.rank)
        #expect(totals.map(\.rank) == totals.map(\.rank).sorted())
        let hash = AssessmentScoring.resultsSHA256(year: 2026, totals: totals, rows: rows)
        #expect(hash == AssessmentScoring.resultsSHA256(year: 2026, totals: totals, rows: rows.reversed()), "row order does not matter")
        #expect(hash != AssessmentScoring.resultsSHA256(year: 2025, totals: totals, rows: rows))
        let named = policies.assessment.notice.named([AssessmentTotal(unit: "a", rank: 1, total: 50), AssessmentTotal(unit: "b", rank: 1, total: 50),
                                                      AssessmentTotal(unit: "c", rank: 3, total: 10), AssessmentTotal(unit: "d", rank: 4, total: -3)])
        #expect(named.commended == ["a", "b"] && named.criticised == ["d"])
    }
}
