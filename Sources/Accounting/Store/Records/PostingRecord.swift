import LedgerModel
import GRDB

/// A row of `posting`.
struct PostingRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "posting"

    var entrySeq: Int64
    var line: Int64
    var account: String
    var side: String
    var amount: Int64

    enum CodingKeys: String, CodingKey {
        case line, account, side, amount
        case entrySeq = "entry_seq"
    }
}
