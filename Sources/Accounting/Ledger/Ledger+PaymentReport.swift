public import LedgerModel
import GRDB
import TiplineCore

extension Ledger {
    /// Remuneration and subsidies of a calendar year in China time (UTC+8), by scheme, payee type and
    /// unit (see `PaymentReport`). An informant appears as the payee type `informant`, never by name.
    public func paymentReport(year: Int) async throws(LedgerError) -> PaymentReport {
        guard (1970...9998).contains(year) else { throw .invalidArgument("year must be between 1970 and 9998") }
        let (start, end) = CivilTime.chinaYearBounds(year)
        return try await read { db in
            func funded(_ account: LedgerAccount) throws -> Int64 {
                try Int64.fetchOne(db, sql: """
                    SELECT COALESCE(SUM(e.total), 0) FROM journal_entry e JOIN posting p ON p.entry_seq = e.seq
                    WHERE e.kind = 'fund' AND p.side = 'C' AND p.account = ? AND e.at >= ? AND e.at < ?
                    """, arguments: [account.rawValue, start, end]) ?? 0
            }
            let rows = try Row.fetchAll(db, sql: """
                SELECT p.scheme, p.unit, (SELECT kind FROM payment_payee WHERE payment_id = p.id AND line = 1) AS payee,
                       p.amount, a.at AS approved_at, s.outcome, se.at AS settled_at
                FROM payment_proposal p
                JOIN payment_decision d ON d.payment_id = p.id AND d.decision = 'approved'
                JOIN journal_entry a ON a.seq = d.entry_seq
                LEFT JOIN payment_settlement s ON s.payment_id = p.id
                LEFT JOIN journal_entry se ON se.seq = s.entry_seq
                WHERE a.at < ?
                """, arguments: [end])
            var byKey: [String: PaymentReport.Row] = [:]
            for row in rows {
                let scheme: String = row["scheme"]
                let unit: String = row["unit"]
                let payee: String = row["payee"] ?? "?"
                let amount: Int64 = row["amount"]
                let approvedAt: Int64 = row["approved_at"]
                let outcome: String? = row["outcome"]
                let settledAt: Int64? = row["settled_at"]
                let key = [scheme, payee, unit].joined(separator: "\u{0}")
                var entry = byKey[key] ?? PaymentReport.Row(scheme: scheme, payee: payee, unit: unit)
                entry.figures.count(amount: amount, approvedAt: approvedAt, settledAt: settledAt, lapsed: outcome == "expired",
                                    start: start, end: end)
                byKey[key] = entry
            }
            let sorted = byKey.values
                .filter { !$0.figures.isEmpty }
                .sorted { ($0.scheme, $0.payee, $0.unit) < ($1.scheme, $1.payee, $1.unit) }
            return PaymentReport(year: year, fundedInformation: Fen(try funded(.informationFund)),
                                 fundedSubsidy: Fen(try funded(.subsidyFund)), rows: sorted)
        }
    }
}
