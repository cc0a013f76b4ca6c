import Foundation
import GRDB
import Sealing
import TiplineCore

/// The yearly assessment as the audit entries tell it (issue 17): adjustments per year, and each
/// year's freeze with the results hash the assessor's request signed.
struct AssessmentTrack {
    /// Per year: `unit|criterion|points|reason` of every `assess.adjust`, in log order.
    var adjustments: [Int: [String]] = [:]
    /// Per frozen year: the entry and its results hash.
    var frozen: [Int: (seq: Int64, hash: String)] = [:]
}

extension ChainReplay {
    /// `assess.adjust` and `assess.freeze`: adjustments with a criterion, non-zero points and a reason,
    /// never after their year's freeze; one freeze per year, with a results hash.
    mutating func applyAssessmentAction(seq: Int64, action: String, subject: String, details: [String: String]) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        guard let year = details["year"].flatMap({ Int($0) }), AssessmentScoring.isValidYear(year) else { fail("\(action) without a year"); return }
        switch action {
        case "assess.adjust":
            guard let criterion = details["criterion"], let points = details["points"].flatMap({ Int($0) }), points != 0,
                  let reason = ReasonText.clean(details["reason"]) else { fail("an adjustment without a criterion, points or a reason"); return }
            if assessment.frozen[year] != nil { fail("an adjustment of the \(year) assessment after it was frozen") }
            assessment.adjustments[year, default: []].append("\(subject)|\(criterion)|\(points)|\(reason)")
        case "assess.freeze":
            guard subject == String(year), let hash = details["results_sha256"], hash.utf8.count == 64 else {
                fail("assess.freeze without its year or results hash"); return
            }
            guard assessment.frozen[year] == nil else { fail("the \(year) assessment frozen twice"); return }
            assessment.frozen[year] = (seq, hash)
        default:
            fail("\(action) is not an action the server records")
        }
    }

    /// The assessment tables against the log: the adjustments are the entries' exactly; every frozen
    /// year's stored rows and totals hash to what its `assess.freeze` entry recorded, the totals add up
    /// and the ranks follow them; nothing frozen without an entry.
    mutating func checkAssessment(_ db: Database) throws {
        guard try db.tableExists("assessment_freeze") else { return }
        var stored: [Int: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT year, unit, criterion, points, reason FROM assessment_adjustment ORDER BY id") {
            stored[row["year"] as Int, default: []].append("\(row["unit"] as String)|\(row["criterion"] as String)|\(row["points"] as Int)|\(row["reason"] as String)")
        }
        for year in Set(stored.keys).union(assessment.adjustments.keys) {
            authority.checked += 1
            if (stored[year] ?? []) != (assessment.adjustments[year] ?? []) {
                authority.fail(seq: nil, subject: String(year), "the assessment adjustments differ from the assess.adjust entries")
            }
        }
        var seen = Set<Int>()
        for freeze in try Row.fetchAll(db, sql: "SELECT year, results_sha256 FROM assessment_freeze") {
            let year: Int = freeze["year"]
            seen.insert(year)
            authority.checked += 1
            guard let entry = assessment.frozen[year] else {
                authority.fail(seq: nil, subject: String(year), "a frozen assessment no assess.freeze entry records"); continue
            }
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM assessment_result WHERE year = ?", arguments: [year]).map {
                AssessmentScoreRow(unit: $0["unit"], criterion: $0["criterion"], measure: $0["measure"], computed: $0["computed"], adjusted: $0["adjusted"])
            }
            let totals = try Row.fetchAll(db, sql: "SELECT * FROM assessment_total WHERE year = ? ORDER BY rank, unit", arguments: [year]).map {
                AssessmentTotal(unit: $0["unit"], rank: $0["rank"], total: $0["total"])
            }
            let hash = AssessmentScoring.resultsSHA256(year: year, totals: totals, rows: rows)
            if hash != entry.hash || (freeze["results_sha256"] as String) != entry.hash {
                authority.fail(seq: entry.seq, subject: String(year), "the frozen assessment results differ from those its assess.freeze entry recorded")
            }
            var sums: [String: Int] = [:]
            for row in rows { sums[row.unit, default: 0] += row.points }
            if AssessmentScoring.ranked(sums.map { (unit: $0.key, total: $0.value) }) != totals {
                authority.fail(seq: entry.seq, subject: String(year), "the frozen assessment's totals or ranks do not follow from its rows")
            }
        }
        for (year, entry) in assessment.frozen where !seen.contains(year) {
            authority.fail(seq: entry.seq, subject: String(year), "a frozen assessment is missing from the database")
        }
    }
}
