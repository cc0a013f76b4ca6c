public import Foundation
public import GRDB
import TiplineCore

/// A row of `tip`: only the columns that may be in clear (rule 1). Everything a reporter wrote
/// lives in `tip_field` / `tip_evidence` as ciphertext.
public struct TipRecord: Sendable, Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "tip"

    public var id: Int64?
    public var uid: String
    public var reference: String
    public var receivedAt: Int64
    public var category: String
    public var district: String
    public var centre: String
    public var urgency: String
    public var status: String
    public var statusChangedAt: Int64
    public var dueAt: Int64
    public var wantsReward: Bool
    public var hasIdentity: Bool
    public var evidenceCount: Int
    public var receiptLookup: Data
    public var reporterPublicKey: Data
    public var reporterKeySealed: Data
    public var submissionHash: Data
    public var proof: Data
    public var routingRule: String
    public var routingPolicyHash: String
    public var duplicateOf: Int64?
    public var assignedTo: String?
    public var closedAt: Int64?
    public var resolution: String?
    public var enforcementUnit: String?
    /// JSON of `VerifiedOutcome` (figures in fen).
    public var outcome: String?
    public var identityShreddedAt: Int64?
    public var contentShreddedAt: Int64?
    public var actedAt: Int64?
    public var actedOnTime: Bool?
    /// 1 = legacy receipt (deployment salt, `receiptLookup` is a global lookup key); 2 = located receipt.
    public var receiptScheme: Int = 2
    /// SHA-256 of the receipt's locator (scheme 2).
    public var receiptLocator: Data?
    /// The tip's own scrypt salt (scheme 2).
    public var receiptSalt: Data?
    public var receiptKDFN: Int64?
    public var receiptKDFR: Int64?
    public var receiptKDFP: Int64?
    /// Key commitments to the content and identity data keys (docs/ENVELOPE.md §11).
    public var contentKeyCommitment: Data?
    public var identityKeyCommitment: Data?
    /// How the tip came (`TipChannel`; v12-channel): `web`, or the channel a triage officer recorded.
    public var channel: String = TipChannel.web.rawValue

    enum CodingKeys: String, CodingKey {
        case id, uid, reference, category, district, centre, urgency, status, proof, channel
        case receivedAt = "received_at"
        case statusChangedAt = "status_changed_at"
        case dueAt = "due_at"
        case wantsReward = "wants_reward"
        case hasIdentity = "has_identity"
        case evidenceCount = "evidence_count"
        case receiptLookup = "receipt_lookup"
        case reporterPublicKey = "reporter_public_key"
        case reporterKeySealed = "reporter_key_sealed"
        case submissionHash = "submission_hash"
        case routingRule = "routing_rule"
        case routingPolicyHash = "routing_policy_hash"
        case duplicateOf = "duplicate_of"
        case assignedTo = "assigned_to"
        case closedAt = "closed_at"
        case resolution
        case enforcementUnit = "enforcement_unit"
        case outcome
        case identityShreddedAt = "identity_shredded_at"
        case contentShreddedAt = "content_shredded_at"
        case actedAt = "acted_at"
        case actedOnTime = "acted_on_time"
        case receiptScheme = "receipt_scheme"
        case receiptLocator = "receipt_locator"
        case receiptSalt = "receipt_salt"
        case receiptKDFN = "receipt_kdf_n"
        case receiptKDFR = "receipt_kdf_r"
        case receiptKDFP = "receipt_kdf_p"
        case contentKeyCommitment = "content_key_commitment"
        case identityKeyCommitment = "identity_key_commitment"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A sealed message of a tip's thread.
public struct MessageRecord: Sendable, Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "tip_message"
    public var id: Int64?
    public var uid: String
    public var tipID: Int64
    public var author: String
    public var createdAt: Int64
    public var envelope: Data
    public var authorKeyID: String?

    enum CodingKeys: String, CodingKey {
        case id, uid, author, envelope
        case authorKeyID = "author_key_id"
        case tipID = "tip_id"
        case createdAt = "created_at"
    }

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
