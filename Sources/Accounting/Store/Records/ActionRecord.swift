import LedgerModel
import Foundation
import GRDB

/// A row of `staff_action`: a signed staff request, stored as given.
struct ActionRecord: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "staff_action"

    /// What a staff action did; `staff_action` and `payment_action` each allow a subset (their CHECKs).
    enum Kind: String, Codable, CaseIterable, DatabaseValueConvertible {
        case fund, propose, approve, decline, redeem, pay
    }

    var id: Int64?
    var kind: Kind
    var at: Int64
    var keyID: String
    /// Kept as text: `payment_action` admits any role name (its CHECK is on length only), and the
    /// verifier reports a role it does not know instead of failing to read the row.
    var role: String
    var request: Data
    var signature: Data
    var entrySeq: Int64?

    enum CodingKeys: String, CodingKey {
        case id, kind, at, role, request, signature
        case keyID = "key_id"
        case entrySeq = "entry_seq"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let kind = Column(CodingKeys.kind)
        static let at = Column(CodingKeys.at)
        static let keyID = Column(CodingKeys.keyID)
        static let role = Column(CodingKeys.role)
        static let request = Column(CodingKeys.request)
        static let signature = Column(CodingKeys.signature)
        static let entrySeq = Column(CodingKeys.entrySeq)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
