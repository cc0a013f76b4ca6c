import LedgerModel
import GRDB

/// A row of `ledger_account`: the chart of accounts with running balances.
struct AccountRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "ledger_account"

    var code: LedgerAccount
    var normalSide: EntrySide
    var name: String
    var netDebit: Int64

    enum CodingKeys: String, CodingKey {
        case code, name
        case normalSide = "normal_side"
        case netDebit = "net_debit"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let code = Column(CodingKeys.code)
        static let normalSide = Column(CodingKeys.normalSide)
        static let name = Column(CodingKeys.name)
        static let netDebit = Column(CodingKeys.netDebit)
    }
}
