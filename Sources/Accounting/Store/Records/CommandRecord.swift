import LedgerModel
import Foundation
import GRDB

/// A row of `command`: an idempotency key (hashed), the request it was used for, its result.
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
}
