public import LedgerModel
import GRDB
import TiplineCore

extension Ledger {
    /// The reward activity of a calendar year in China time (UTC+8), per centre and tier (see `LedgerReport`).
    public func report(year: Int) async throws(LedgerError) -> LedgerReport {
        guard (1970...9998).contains(year) else { throw .invalidArgument("year must be between 1970 and 9998") }
        let (start, end) = CivilTime.chinaYearBounds(year)
        return try await read { db in
            let funded = try Int64.fetchOne(
                db, sql: """
                    SELECT COALESCE(SUM(e.total), 0) FROM journal_entry e JOIN posting p ON p.entry_seq = e.seq
                    WHERE e.kind = 'fund' AND p.side = 'C' AND p.account = 'fund' AND e.at >= ? AND e.at < ?
                    """,
                arguments: [start, end]) ?? 0
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.centre, p.tier, v.amount, a.at AS approved_at, s.outcome, se.at AS settled_at
                FROM voucher v
                JOIN reward_proposal p ON p.id = v.proposal_id
                JOIN reward_decision d ON d.proposal_id = p.id
                JOIN journal_entry a ON a.seq = d.entry_seq
                LEFT JOIN voucher_settlement s ON s.voucher_hash = v.hash
                LEFT JOIN journal_entry se ON se.seq = s.entry_seq
                WHERE a.at < ?
                """, arguments: [end])
            var byKey: [String: LedgerReport.Row] = [:]
            for row in rows {
                let centre: String = row["centre"]
                let tier: String = row["tier"]
                let amount: Int64 = row["amount"]
                let approvedAt: Int64 = row["approved_at"]
                let outcome: String? = row["outcome"]
                let settledAt: Int64? = row["settled_at"]
                let key = centre + "\u{0}" + tier
                var entry = byKey[key] ?? LedgerReport.Row(centre: centre, tier: tier)
                entry.figures.count(amount: amount, approvedAt: approvedAt, settledAt: settledAt, lapsed: outcome == "expired",
                                    start: start, end: end)
                byKey[key] = entry
            }
            let active = byKey.values.filter { !$0.figures.isEmpty }
            let sorted = active.sorted {
                ($0.centre, RewardTier(rawValue: $0.tier).map { RewardTier.allCases.firstIndex(of: $0)! } ?? 99)
                    < ($1.centre, RewardTier(rawValue: $1.tier).map { RewardTier.allCases.firstIndex(of: $0)! } ?? 99)
            }
            return LedgerReport(year: year, funded: Fen(funded), rows: sorted)
        }
    }
}
