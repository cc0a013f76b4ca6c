import LedgerModel
import Foundation
import GRDB

/// A row of `staff_action`: a signed staff request, stored as given.
struct ActionRecord: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "staff_action"

    var id: Int64?
    var kind: String
    var at: Int64
    var keyID: String
    var role: String
    var request: Data
    var signature: Data
    var entrySeq: Int64?

    enum CodingKeys: String, CodingKey {
        case id, kind, at, role, request, signature
        case keyID = "key_id"
        case entrySeq = "entry_seq"
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
