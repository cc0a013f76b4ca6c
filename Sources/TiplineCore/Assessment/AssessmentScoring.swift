import Foundation
import Sealing

/// One unit's points on one criterion (a row of the results, S-3.5).
public struct AssessmentScoreRow: Sendable, Equatable, Codable {
    /// The unit's id.
    public let unit: String
    /// The criterion's id.
    public let criterion: String
    /// The measure's value; nil for a `manual` criterion.
    public let measure: Int?
    /// `criterion.points(for: measure)` (0 for `manual`).
    public let computed: Int
    /// The sum of the assessor's adjustments.
    public let adjusted: Int
    /// computed + adjusted.
    public var points: Int { computed + adjusted }

    /// A row.
    public init(unit: String, criterion: String, measure: Int?, computed: Int, adjusted: Int) {
        self.unit = unit
        self.criterion = criterion
        self.measure = measure
        self.computed = computed
        self.adjusted = adjusted
    }
}

/// One unit's total and rank.
public struct AssessmentTotal: Sendable, Equatable, Codable {
    /// The unit's id.
    public let unit: String
    /// 1 for the best; equal totals share a rank (1, 1, 3).
    public let rank: Int
    /// The sum of the unit's points over its criteria.
    public let total: Int
    /// A total.
    public init(unit: String, rank: Int, total: Int) {
        self.unit = unit
        self.rank = rank
        self.total = total
    }
}

/// The scoring of the yearly assessment (S-3.5, S-6.3): measures and adjustments in, integer points,
/// totals and ranks out, and the one canonical text whose SHA-256 the freeze records, the assessor
/// signs and the auditor recomputes from the stored rows. Pure: the store supplies the measures.
public enum AssessmentScoring {
    /// Every unit's rows (criteria in file order) and the totals in rank order (total descending, then unit id).
    /// `measures[unit][criterion]` for the computed criteria; `adjustments` as (unit, criterion, points).
    public static func score(policy: AssessmentPolicy, units: [NetworkUnit], measures: [String: [String: Int]],
                             adjustments: [(unit: String, criterion: String, points: Int)]) -> (rows: [AssessmentScoreRow], totals: [AssessmentTotal]) {
        var adjusted: [String: Int] = [:]
        for adjustment in adjustments { adjusted["\(adjustment.unit)|\(adjustment.criterion)", default: 0] += adjustment.points }
        var rows: [AssessmentScoreRow] = []
        var sums: [(unit: String, total: Int)] = []
        for unit in units where unit.isNode {
            var total = 0
            for criterion in policy.criteria(for: unit.kind) {
                let measure = criterion.measure == .manual ? nil : (measures[unit.id]?[criterion.id] ?? 0)
                let row = AssessmentScoreRow(unit: unit.id, criterion: criterion.id, measure: measure,
                                             computed: measure.map(criterion.points(for:)) ?? 0, adjusted: adjusted["\(unit.id)|\(criterion.id)"] ?? 0)
                total += row.points
                rows.append(row)
            }
            sums.append((unit.id, total))
        }
        return (rows, ranked(sums))
    }

    /// Totals in rank order: total descending, then unit id; equal totals share the rank.
    public static func ranked(_ sums: [(unit: String, total: Int)]) -> [AssessmentTotal] {
        let sorted = sums.sorted { ($0.total, $1.unit) > ($1.total, $0.unit) }
        var result: [AssessmentTotal] = []
        for (index, entry) in sorted.enumerated() {
            let rank = index > 0 && sorted[index - 1].total == entry.total ? result[index - 1].rank : index + 1
            result.append(AssessmentTotal(unit: entry.unit, rank: rank, total: entry.total))
        }
        return result
    }

    /// The canonical text of a year's results: `tipline-assessment-v1 <year>`, then each total in rank
    /// order (`T unit rank total`), then each row sorted by unit and criterion (`R unit criterion measure|- computed adjusted`).
    public static func canonicalText(year: Int, totals: [AssessmentTotal], rows: [AssessmentScoreRow]) -> String {
        var text = "tipline-assessment-v1 \(year)\n"
        for total in totals { text += "T \(total.unit) \(total.rank) \(total.total)\n" }
        for row in rows.sorted(by: { ($0.unit, $0.criterion) < ($1.unit, $1.criterion) }) {
            text += "R \(row.unit) \(row.criterion) \(row.measure.map(String.init) ?? "-") \(row.computed) \(row.adjusted)\n"
        }
        return text
    }

    /// SHA-256 (hex) of `canonicalText`: what `assess.freeze` records and the assessor signs.
    public static func resultsSHA256(year: Int, totals: [AssessmentTotal], rows: [AssessmentScoreRow]) -> String {
        Hashing.sha256Hex(Array(canonicalText(year: year, totals: totals, rows: rows).utf8))
    }

    /// The ranking as the freeze entry names it: `unit:total` in rank order, comma-separated.
    public static func rankingDetail(_ totals: [AssessmentTotal]) -> String {
        totals.map { "\($0.unit):\($0.total)" }.joined(separator: ",")
    }

    /// A year the assessment accepts: 2016 (the policy) to 2100.
    public static func isValidYear(_ year: Int) -> Bool { (2016...2100).contains(year) }
}
