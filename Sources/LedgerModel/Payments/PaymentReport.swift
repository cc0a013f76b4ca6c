import TiplineCore

/// A year's remuneration and subsidies (China time) by scheme, payee type and unit (issue 17):
/// approved, paid, lapsed in the year and outstanding at its end, with top-ups per fund.
public struct PaymentReport: Sendable, Equatable, Codable {
    /// One scheme, payee type and unit.
    @dynamicMemberLookup
    public struct Row: Sendable, Equatable, Codable {
        public let scheme: String
        public let payee: String
        public let unit: String
        /// Approved, paid and lapsed in the year; outstanding at its end.
        public var figures = ReportFigures()

        public init(scheme: String, payee: String, unit: String) {
            self.scheme = scheme
            self.payee = payee
            self.unit = unit
        }

        /// `row.paidCount`, `row.paid`, …: the row's figures.
        public subscript<T>(dynamicMember keyPath: WritableKeyPath<ReportFigures, T>) -> T {
            get { figures[keyPath: keyPath] }
            set { figures[keyPath: keyPath] = newValue }
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
        for row in rows { totals.figures.add(row.figures) }
        self.totals = totals
    }

    /// CSV (RFC 4180, `\r\n`), amounts in yuan with two decimals and in integer fen, totals last.
    public var csv: String {
        var lines = ["year,scheme,payee_type,unit," + ReportFigures.csvHeader]
        for row in rows + [totals] {
            lines.append(([String(year), CSVText.field(row.scheme), CSVText.field(row.payee), CSVText.field(row.unit)]
                          + row.figures.csvFields).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
