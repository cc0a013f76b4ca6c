import TiplineCore

/// A year's reward activity per centre and tier, with totals and a CSV rendering.
///
/// Flows (approved, paid, expired) count the events whose journal entry falls in the year (China time, `CivilTime.chinaYearBounds`);
/// `outstanding` counts vouchers issued before the year's end and not settled by then.
public struct LedgerReport: Sendable, Equatable, Codable {
    /// One centre and tier.
    public struct Row: Sendable, Equatable, Codable {
        /// The centre id (`all` in the totals row).
        public let centre: String
        /// The tier (`all` in the totals row).
        public let tier: String
        /// Rewards approved in the year.
        public var approvedCount = 0
        /// Their amount.
        public var approved = Fen.zero
        /// Vouchers paid in the year.
        public var paidCount = 0
        /// Their amount.
        public var paid = Fen.zero
        /// Vouchers that lapsed in the year.
        public var expiredCount = 0
        /// Their amount.
        public var expired = Fen.zero
        /// Vouchers outstanding at the end of the year.
        public var outstandingCount = 0
        /// Their amount.
        public var outstanding = Fen.zero

        /// An empty row for `centre` and `tier`.
        public init(centre: String, tier: String) {
            self.centre = centre
            self.tier = tier
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

    /// The UTC calendar year.
    public let year: Int
    /// Top-ups posted in the year.
    public let funded: Fen
    /// One row per centre and tier with any activity, sorted by centre then tier.
    public let rows: [Row]
    /// The sum of all rows.
    public let totals: Row

    /// A report.
    public init(year: Int, funded: Fen, rows: [Row]) {
        self.year = year
        self.funded = funded
        self.rows = rows
        var totals = Row(centre: "all", tier: "all")
        for row in rows { totals.add(row) }
        self.totals = totals
    }

    /// CSV (RFC 4180, `\r\n` line ends), each amount in yuan with two decimals and beside it in
    /// integer fen (issue 13, item 3), a totals row last.
    public var csv: String {
        var lines = ["year,centre,tier,approved_count,approved_yuan,approved_fen,paid_count,paid_yuan,paid_fen,"
                     + "expired_count,expired_yuan,expired_fen,outstanding_count,outstanding_yuan,outstanding_fen"]
        for row in rows + [totals] {
            var fields = [String(year), Self.field(row.centre), Self.field(row.tier)]
            for (count, amount) in [(row.approvedCount, row.approved), (row.paidCount, row.paid), (row.expiredCount, row.expired),
                                    (row.outstandingCount, row.outstanding)] {
                fields += [String(count), amount.decimalYuan, String(amount.rawValue)]
            }
            lines.append(fields.joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quotes a field when it needs it, and defuses spreadsheet formulas.
    static func field(_ text: String) -> String { CSVText.field(text) }
}
