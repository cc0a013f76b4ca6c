import LedgerModel
import Foundation
import GRDB

/// A row of `reward_proposal`.
struct ProposalRecord: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "reward_proposal"

    var id: Int64?
    var reference: String
    var centre: String
    var outcome: String
    var tier: String
    var minAmount: Int64
    var maxAmount: Int64
    var capped: Bool
    var amount: Int64
    var policyDigest: Data
    var proposedAt: Int64
    var actionID: Int64

    enum CodingKeys: String, CodingKey {
        case id, reference, centre, outcome, tier, capped, amount
        case minAmount = "min_amount"
        case maxAmount = "max_amount"
        case policyDigest = "policy_digest"
        case proposedAt = "proposed_at"
        case actionID = "action_id"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
