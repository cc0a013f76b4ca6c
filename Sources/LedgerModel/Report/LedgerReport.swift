import TiplineCore

/// A year's reward activity per centre and tier, with totals and a CSV rendering.
///
/// Flows (approved, paid, expired) count the events whose journal entry falls in the year (China time, `CivilTime.chinaYearBounds`);
/// `outstanding` counts vouchers issued before the year's end and not settled by then.
public struct LedgerReport: Sendable, Equatable, Codable {
    /// One centre and tier.
    @dynamicMemberLookup
    public struct Row: Sendable, Equatable, Codable {
        /// The centre id (`all` in the totals row).
        public let centre: String
        /// The tier (`all` in the totals row).
        public let tier: String
        /// Rewards approved, vouchers paid and lapsed in the year; outstanding at its end.
        public var figures = ReportFigures()

        /// An empty row for `centre` and `tier`.
        public init(centre: String, tier: String) {
            self.centre = centre
            self.tier = tier
        }

        /// `row.approvedCount`, `row.paid`, …: the row's figures.
        public subscript<T>(dynamicMember keyPath: WritableKeyPath<ReportFigures, T>) -> T {
            get { figures[keyPath: keyPath] }
            set { figures[keyPath: keyPath] = newValue }
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
        for row in rows { totals.figures.add(row.figures) }
        self.totals = totals
    }

    /// CSV (RFC 4180, `\r\n` line ends), each amount in yuan with two decimals and beside it in
    /// integer fen (issue 13, item 3), a totals row last.
    public var csv: String {
        var lines = ["year,centre,tier," + ReportFigures.csvHeader]
        for row in rows + [totals] {
            lines.append(([String(year), Self.field(row.centre), Self.field(row.tier)] + row.figures.csvFields).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Quotes a field when it needs it, and defuses spreadsheet formulas.
    static func field(_ text: String) -> String { CSVText.field(text) }
}
