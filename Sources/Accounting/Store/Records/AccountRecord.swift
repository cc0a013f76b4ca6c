import LedgerModel
import GRDB

/// A row of `ledger_account`: the chart of accounts with running balances.
struct AccountRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "ledger_account"

    var code: String
    var normalSide: String
    var name: String
    var netDebit: Int64

    enum CodingKeys: String, CodingKey {
        case code, name
        case normalSide = "normal_side"
        case netDebit = "net_debit"
    }
}
