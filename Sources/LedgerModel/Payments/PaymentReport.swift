import TiplineCore

/// A year's remuneration and subsidies (China time) by scheme, payee type and unit (issue 17):
/// approved, paid, lapsed in the year and outstanding at its end, with top-ups per fund.
public struct PaymentReport: Sendable, Equatable, Codable {
    /// One scheme, payee type and unit.
    public struct Row: Sendable, Equatable, Codable {
        public let scheme: String
        public let payee: String
        public let unit: String
        public var approvedCount = 0
        public var approved = Fen.zero
        public var paidCount = 0
        public var paid = Fen.zero
        public var expiredCount = 0
        public var expired = Fen.zero
        public var outstandingCount = 0
        public var outstanding = Fen.zero

        public init(scheme: String, payee: String, unit: String) {
            self.scheme = scheme
            self.payee = payee
            self.unit = unit
        }

        mutating func add(_ other: Row) {
            approvedCount += other.approvedCount
            approved = Fen(approved.rawValue &+ other.approved.rawValue)
            paidCount += other.paidCount
            paid = Fen(paid.rawValue &+ other.paid.rawValue)
            expiredCount += other.expiredCount
            expired = Fen(expired.rawValue &+ other.expired.rawValue)
            outstandingCount += other.outstandingCount
            outstanding = Fen(outstanding.rawValue &+ other.outstanding.rawValue)
        }
    }

    public let year: Int
    /// Top-ups of the information and subsidy funds in the year.
    public let fundedInformation: Fen
    public let fundedSubsidy: Fen
    /// Sorted by scheme, payee type, unit.
    public let rows: [Row]
    public let totals: Row

    public init(year: Int, fundedInformation: Fen, fundedSubsidy: Fen, rows: [Row]) {
        self.year = year
        self.fundedInformation = fundedInformation
        self.fundedSubsidy = fundedSubsidy
        self.rows = rows
        var totals = Row(scheme: "all", payee: "all", unit: "all")
        for row in rows { totals.add(row) }
        self.totals = totals
    }

    /// CSV (RFC 4180, `\r\n`), amounts in yuan with two decimals and in integer fen, totals last.
    public var csv: String {
        var lines = ["year,scheme,payee_type,unit,approved_count,approved_yuan,approved_fen,paid_count,paid_yuan,paid_fen,"
                     + "expired_count,expired_yuan,expired_fen,outstanding_count,outstanding_yuan,outstanding_fen"]
        for row in rows + [totals] {
            var fields = [String(year), CSVText.field(row.scheme), CSVText.field(row.payee), CSVText.field(row.unit)]
            for (count, amount) in [(row.approvedCount, row.approved), (row.paidCount, row.paid), (row.expiredCount, row.expired),
                                    (row.outstandingCount, row.outstanding)] {
                fields += [String(count), amount.decimalYuan, String(amount.rawValue)]
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
