import TiplineCore

/// One row's year in a ledger report (rewards, remuneration, subsidies): what was approved, paid and
/// lapsed in the year, and what was outstanding at its end — the one home of how a year is counted
/// and how its figures are written in CSV (each amount in yuan with two decimals, then in fen).
public struct ReportFigures: Sendable, Equatable, Codable {
    /// Approved in the year.
    public var approvedCount = 0
    public var approved = Fen.zero
    /// Paid in the year.
    public var paidCount = 0
    public var paid = Fen.zero
    /// Lapsed in the year.
    public var expiredCount = 0
    public var expired = Fen.zero
    /// Approved before the year's end and not settled by then.
    public var outstandingCount = 0
    public var outstanding = Fen.zero

    public init() {}

    /// The CSV columns of the figures.
    public static let csvHeader = "approved_count,approved_yuan,approved_fen,paid_count,paid_yuan,paid_fen,"
        + "expired_count,expired_yuan,expired_fen,outstanding_count,outstanding_yuan,outstanding_fen"

    /// Counts one approved `amount` into the year `[start, end)`: approved at `approvedAt` (before `end`),
    /// settled at `settledAt` (nil: not yet) — paid, or lapsed when `lapsed`.
    public mutating func count(amount: Int64, approvedAt: Int64, settledAt: Int64?, lapsed: Bool, start: Int64, end: Int64) {
        if approvedAt >= start {
            approvedCount += 1
            approved = Fen(approved.rawValue &+ amount)
        }
        if let settledAt, settledAt >= start, settledAt < end {
            if lapsed {
                expiredCount += 1
                expired = Fen(expired.rawValue &+ amount)
            } else {
                paidCount += 1
                paid = Fen(paid.rawValue &+ amount)
            }
        }
        if settledAt.map({ $0 >= end }) ?? true {
            outstandingCount += 1
            outstanding = Fen(outstanding.rawValue &+ amount)
        }
    }

    /// Adds another row's figures (for the totals).
    public mutating func add(_ other: ReportFigures) {
        approvedCount += other.approvedCount
        approved = Fen(approved.rawValue &+ other.approved.rawValue)
        paidCount += other.paidCount
        paid = Fen(paid.rawValue &+ other.paid.rawValue)
        expiredCount += other.expiredCount
        expired = Fen(expired.rawValue &+ other.expired.rawValue)
        outstandingCount += other.outstandingCount
        outstanding = Fen(outstanding.rawValue &+ other.outstanding.rawValue)
    }

    /// Whether nothing happened in the year.
    public var isEmpty: Bool { approvedCount + paidCount + expiredCount + outstandingCount == 0 }

    /// The CSV fields, in `csvHeader` order.
    public var csvFields: [String] {
        [(approvedCount, approved), (paidCount, paid), (expiredCount, expired), (outstandingCount, outstanding)]
            .flatMap { [String($0.0), $0.1.decimalYuan, String($0.1.rawValue)] }
    }
}
