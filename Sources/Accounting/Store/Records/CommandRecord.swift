import LedgerModel
import Foundation
import GRDB

/// A row of `command`: an idempotency key (hashed), the request it was used for, its result.
///
/// `kind` stays text: the column has no CHECK, and a replay compares it with the command's own name.
struct CommandRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "command"

    var keyHash: Data
    var kind: String
    var requestHash: Data
    var result: String
    var sealedCode: Data?
    var at: Int64

    enum CodingKeys: String, CodingKey {
        case kind, result, at
        case keyHash = "key_hash"
        case requestHash = "request_hash"
        case sealedCode = "sealed_code"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let keyHash = Column(CodingKeys.keyHash)
        static let kind = Column(CodingKeys.kind)
        static let requestHash = Column(CodingKeys.requestHash)
        static let result = Column(CodingKeys.result)
        static let sealedCode = Column(CodingKeys.sealedCode)
        static let at = Column(CodingKeys.at)
    }
}
