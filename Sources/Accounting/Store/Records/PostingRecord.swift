import LedgerModel
import GRDB

/// A row of `posting`.
struct PostingRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "posting"

    var entrySeq: Int64
    var line: Int64
    var account: LedgerAccount
    var side: EntrySide
    var amount: Int64

    enum CodingKeys: String, CodingKey {
        case line, account, side, amount
        case entrySeq = "entry_seq"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let entrySeq = Column(CodingKeys.entrySeq)
        static let line = Column(CodingKeys.line)
        static let account = Column(CodingKeys.account)
        static let side = Column(CodingKeys.side)
        static let amount = Column(CodingKeys.amount)
    }
}
