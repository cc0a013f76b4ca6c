import LedgerModel
import Foundation
import GRDB

/// A row of `voucher`: the hash of a voucher code, never the code.
struct VoucherRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "voucher"

    var hash: Data
    var proposalID: Int64
    var amount: Int64
    var issuedAt: Int64
    var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case hash, amount
        case proposalID = "proposal_id"
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let hash = Column(CodingKeys.hash)
        static let proposalID = Column(CodingKeys.proposalID)
        static let amount = Column(CodingKeys.amount)
        static let issuedAt = Column(CodingKeys.issuedAt)
        static let expiresAt = Column(CodingKeys.expiresAt)
    }
}
