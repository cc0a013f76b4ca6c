import LedgerModel
import GRDB

/// A row of `reward_decision`: a proposal approved or declined by a supervisor.
struct DecisionRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "reward_decision"

    /// How a proposal (a reward's or a payment's) was decided, as `reward_decision` and
    /// `payment_decision` store it.
    enum Decision: String, Codable, CaseIterable, DatabaseValueConvertible {
        case approved, declined
    }

    var proposalID: Int64
    var decision: Decision
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

    /// The table's columns, for the query interface.
    enum Columns {
        static let proposalID = Column(CodingKeys.proposalID)
        static let decision = Column(CodingKeys.decision)
        static let decidedAt = Column(CodingKeys.decidedAt)
        static let actionID = Column(CodingKeys.actionID)
        static let entrySeq = Column(CodingKeys.entrySeq)
    }
}
