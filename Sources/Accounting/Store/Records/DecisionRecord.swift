import LedgerModel
import GRDB

/// A row of `reward_decision`: a proposal approved or declined by a supervisor.
struct DecisionRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "reward_decision"

    var proposalID: Int64
    var decision: String
    var decidedAt: Int64
    var actionID: Int64
    var entrySeq: Int64?

    enum CodingKeys: String, CodingKey {
        case decision
        case proposalID = "proposal_id"
        case decidedAt = "decided_at"
        case actionID = "action_id"
        case entrySeq = "entry_seq"
    }
}
