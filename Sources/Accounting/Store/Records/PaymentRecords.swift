import LedgerModel
import Foundation
import GRDB

/// A row of `payment_action`: a signed staff request about a payment, stored as given.
struct PaymentActionRecord: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "payment_action"

    var id: Int64?
    var kind: ActionRecord.Kind
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

    /// The table's columns: `payment_action` has `reward_action`'s.
    typealias Columns = ActionRecord.Columns

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    /// The same fields as a reward action, for the one evidence encoding of an action.
    var asAction: ActionRecord {
        ActionRecord(id: id, kind: kind, at: at, keyID: keyID, role: role, request: request, signature: signature, entrySeq: entrySeq)
    }
}

/// A row of `payment_proposal`.
struct PaymentProposalRecord: Codable, FetchableRecord, MutablePersistableRecord, Equatable {
    static let databaseTableName = "payment_proposal"

    var id: Int64?
    var scheme: PaymentScheme
    var subject: String
    var unit: String
    var basis: String
    var amount: Int64
    var policyDigest: Data
    var proposedAt: Int64
    var actionID: Int64

    enum CodingKeys: String, CodingKey {
        case id, scheme, subject, unit, basis, amount
        case policyDigest = "policy_digest"
        case proposedAt = "proposed_at"
        case actionID = "action_id"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let scheme = Column(CodingKeys.scheme)
        static let subject = Column(CodingKeys.subject)
        static let unit = Column(CodingKeys.unit)
        static let basis = Column(CodingKeys.basis)
        static let amount = Column(CodingKeys.amount)
        static let policyDigest = Column(CodingKeys.policyDigest)
        static let proposedAt = Column(CodingKeys.proposedAt)
        static let actionID = Column(CodingKeys.actionID)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A row of `payment_payee`.
struct PayeeRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "payment_payee"

    var paymentID: Int64
    var line: Int64
    var kind: PayeeKind
    var name: String?
    var amount: Int64

    enum CodingKeys: String, CodingKey {
        case line, kind, name, amount
        case paymentID = "payment_id"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let paymentID = Column(CodingKeys.paymentID)
        static let line = Column(CodingKeys.line)
        static let kind = Column(CodingKeys.kind)
        static let name = Column(CodingKeys.name)
        static let amount = Column(CodingKeys.amount)
    }
}

/// A row of `payment_cover`.
struct CoverRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "payment_cover"

    var paymentID: Int64
    var cover: String

    enum CodingKeys: String, CodingKey {
        case cover
        case paymentID = "payment_id"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let paymentID = Column(CodingKeys.paymentID)
        static let cover = Column(CodingKeys.cover)
    }
}

/// A row of `payment_decision`.
struct PaymentDecisionRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "payment_decision"

    var paymentID: Int64
    var decision: DecisionRecord.Decision
    var decidedAt: Int64
    var actionID: Int64
    var entrySeq: Int64?

    enum CodingKeys: String, CodingKey {
        case decision
        case paymentID = "payment_id"
        case decidedAt = "decided_at"
        case actionID = "action_id"
        case entrySeq = "entry_seq"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let paymentID = Column(CodingKeys.paymentID)
        static let decision = Column(CodingKeys.decision)
        static let decidedAt = Column(CodingKeys.decidedAt)
        static let actionID = Column(CodingKeys.actionID)
        static let entrySeq = Column(CodingKeys.entrySeq)
    }
}

/// A row of `payment_voucher`: the hash of an informant's voucher code, never the code.
struct PaymentVoucherRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "payment_voucher"

    var hash: Data
    var paymentID: Int64
    var amount: Int64
    var issuedAt: Int64
    var expiresAt: Int64

    enum CodingKeys: String, CodingKey {
        case hash, amount
        case paymentID = "payment_id"
        case issuedAt = "issued_at"
        case expiresAt = "expires_at"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let hash = Column(CodingKeys.hash)
        static let paymentID = Column(CodingKeys.paymentID)
        static let amount = Column(CodingKeys.amount)
        static let issuedAt = Column(CodingKeys.issuedAt)
        static let expiresAt = Column(CodingKeys.expiresAt)
    }
}

/// A row of `payment_settlement`.
struct PaymentSettlementRecord: Codable, FetchableRecord, PersistableRecord, Equatable {
    static let databaseTableName = "payment_settlement"

    /// How a payment was settled: paid to named payees, its voucher redeemed, or lapsed.
    enum Outcome: String, Codable, CaseIterable, DatabaseValueConvertible {
        case paid, redeemed, expired
    }

    var paymentID: Int64
    var outcome: Outcome
    var settledAt: Int64
    var actionID: Int64?
    var entrySeq: Int64

    enum CodingKeys: String, CodingKey {
        case outcome
        case paymentID = "payment_id"
        case settledAt = "settled_at"
        case actionID = "action_id"
        case entrySeq = "entry_seq"
    }

    /// The table's columns, for the query interface.
    enum Columns {
        static let paymentID = Column(CodingKeys.paymentID)
        static let outcome = Column(CodingKeys.outcome)
        static let settledAt = Column(CodingKeys.settledAt)
        static let actionID = Column(CodingKeys.actionID)
        static let entrySeq = Column(CodingKeys.entrySeq)
    }
}
