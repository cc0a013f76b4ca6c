import LedgerModel
import Foundation
import GRDB

/// A row of `journal_entry`.
struct EntryRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "journal_entry"

    var seq: Int64
    var at: Int64
    var kind: String
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
}
