import LedgerModel
import Foundation
import GRDB

/// A row of `reward_proposal`.
struct ProposalRecord: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "reward_proposal"

    var id: Int64?
    var reference: String
    var centre: String
    /// The outcome's canonical text (`RewardBasis.canonicalText`), as the approval's evidence hashes it.
    var outcome: String
    var tier: RewardTier
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

    /// The table's columns, for the query interface.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let reference = Column(CodingKeys.reference)
        static let centre = Column(CodingKeys.centre)
        static let outcome = Column(CodingKeys.outcome)
        static let tier = Column(CodingKeys.tier)
        static let minAmount = Column(CodingKeys.minAmount)
        static let maxAmount = Column(CodingKeys.maxAmount)
        static let capped = Column(CodingKeys.capped)
        static let amount = Column(CodingKeys.amount)
        static let policyDigest = Column(CodingKeys.policyDigest)
        static let proposedAt = Column(CodingKeys.proposedAt)
        static let actionID = Column(CodingKeys.actionID)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
