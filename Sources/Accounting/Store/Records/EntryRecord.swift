import LedgerModel
import Foundation
import GRDB

/// A row of `journal_entry`.
struct EntryRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "journal_entry"

    var seq: Int64
    var at: Int64
    var kind: JournalEntry.Kind
    var total: Int64
    var rewardID: Int64?
    var actor: String
    var memo: String
    var evidence: Data
    var prevHash: Data
    var hash: Data

    enum CodingKeys: String, CodingKey {
        case seq, at, kind, total, actor, memo, evidence, hash
        case rewardID = "reward_id"
        case prevHash = "prev_hash"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let seq = Column(CodingKeys.seq)
        static let at = Column(CodingKeys.at)
        static let kind = Column(CodingKeys.kind)
        static let total = Column(CodingKeys.total)
        static let rewardID = Column(CodingKeys.rewardID)
        static let actor = Column(CodingKeys.actor)
        static let memo = Column(CodingKeys.memo)
        static let evidence = Column(CodingKeys.evidence)
        static let prevHash = Column(CodingKeys.prevHash)
        static let hash = Column(CodingKeys.hash)
    }
}
