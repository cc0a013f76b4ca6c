import LedgerModel
import Foundation
import GRDB

/// A row of `voucher_settlement`: a voucher redeemed or expired, once.
struct SettlementRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "voucher_settlement"

    var voucherHash: Data
    var outcome: String
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
}
