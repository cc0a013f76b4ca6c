import LedgerModel
import Foundation
import GRDB

/// A row of `voucher_settlement`: a voucher redeemed or expired, once.
struct SettlementRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "voucher_settlement"

    /// How a reward's voucher was settled.
    enum Outcome: String, Codable, CaseIterable, DatabaseValueConvertible {
        case redeemed, expired
    }

    var voucherHash: Data
    var outcome: Outcome
    var settledAt: Int64
    var actionID: Int64?
    var entrySeq: Int64

    enum CodingKeys: String, CodingKey {
        case outcome
        case voucherHash = "voucher_hash"
        case settledAt = "settled_at"
        case actionID = "action_id"
        case entrySeq = "entry_seq"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let voucherHash = Column(CodingKeys.voucherHash)
        static let outcome = Column(CodingKeys.outcome)
        static let settledAt = Column(CodingKeys.settledAt)
        static let actionID = Column(CodingKeys.actionID)
        static let entrySeq = Column(CodingKeys.entrySeq)
    }
}
