public import Foundation
public import GRDB
public import TiplineCore

/// A row of `tip`: only the columns that may be in clear (rule 1). Everything a reporter wrote
/// lives in `tip_field` / `tip_evidence` as ciphertext.
public struct TipRecord: Sendable, Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// The SQLite table, `tip`.
    public static let databaseTableName = "tip"

    /// Row id; nil until inserted.
    public var id: Int64?
    /// The envelope record id (32 lower-case hex digits, random at intake) bound into every ciphertext of the tip.
    public var uid: String
    /// The public reference number the reporter was given.
    public var reference: String
    /// Unix seconds (UTC) when the tip was received.
    public var receivedAt: Int64
    /// The category id (`CategoryID`).
    public var category: String
    /// The district the reporter chose (`TipDistrict`).
    public var district: String
    /// The centre the tip is currently routed to.
    public var centre: CentreID
    /// The urgency tier: `major`, `important` or `routine`.
    public var urgency: Urgency
    /// The tip's status.
    public var status: TipStatus
    /// Unix seconds (UTC) of the last status change.
    public var statusChangedAt: Int64
    /// Unix seconds (UTC) by which the tip must be acted on (S-4.1); runs from arrival.
    public var dueAt: Int64
    /// Whether the reporter asked to be considered for a reward.
    public var wantsReward: Bool
    /// Whether the reporter gave identity fields (sealed under the identity key).
    public var hasIdentity: Bool
    /// How many evidence files were sealed at intake.
    public var evidenceCount: Int
    /// The receipt verifier (first 32 bytes of scrypt output); for legacy receipts also the lookup key.
    public var receiptLookup: Data
    /// The tip's reporter X25519 public key (32 bytes).
    public var reporterPublicKey: Data
    /// The reporter's X25519 private key sealed under the key derived from the receipt.
    public var reporterKeySealed: Data
    /// The submission hash (`SubmissionHash`, 32 bytes) the proof of report signs.
    public var submissionHash: Data
    /// The server's Ed25519 signature over `ProofOfReport.message(...)` (64 bytes).
    public var proof: Data
    /// The routing rule that chose the intake centre.
    public var routingRule: String
    /// The hash of the routing policy in force at intake.
    public var routingPolicyHash: String
    /// Row id of the original tip when this one was marked a duplicate.
    public var duplicateOf: Int64?
    /// Key id of the staff member the tip is assigned to, if any.
    public var assignedTo: String?
    /// Unix seconds (UTC) when the tip was closed.
    public var closedAt: Int64?
    /// How the tip was resolved: `verified`, `unfounded` or `rejected`.
    public var resolution: TipStatus?
    /// The enforcement unit the tip was passed to for verification.
    public var enforcementUnit: String?
    /// The verified outcome (figures in fen), stored as JSON with sorted keys (`databaseJSONEncoder`).
    public var outcome: VerifiedOutcome?
    /// Unix seconds (UTC) when retention destroyed the identity fields and wraps.
    public var identityShreddedAt: Int64?
    /// Unix seconds (UTC) when retention destroyed the tip's content (fields, evidence, messages, notes, wraps).
    public var contentShreddedAt: Int64?
    /// Unix seconds (UTC) of the first action taken on the tip (S-4.1 timeliness).
    public var actedAt: Int64?
    /// Whether the first action came by the due time.
    public var actedOnTime: Bool?
    /// 1 = legacy receipt (deployment salt, `receiptLookup` is a global lookup key); 2 = located receipt.
    public var receiptScheme: Int = 2
    /// SHA-256 of the receipt's locator (scheme 2).
    public var receiptLocator: Data?
    /// The tip's own scrypt salt (scheme 2).
    public var receiptSalt: Data?
    /// scrypt cost parameter N the receipt was derived with.
    public var receiptKDFN: Int64?
    /// scrypt block size r the receipt was derived with.
    public var receiptKDFR: Int64?
    /// scrypt parallelism p the receipt was derived with.
    public var receiptKDFP: Int64?
    /// Key commitments to the content and identity data keys (docs/ENVELOPE.md §11).
    public var contentKeyCommitment: Data?
    /// Key commitment to the identity data key; nil when none was recorded.
    public var identityKeyCommitment: Data?
    /// How the tip came (v12-channel): `web`, or the channel a triage officer recorded.
    public var channel: TipChannel = .web

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

    /// Structured columns (`outcome`) are JSON with sorted keys: byte for byte the text the audit
    /// entry of the change records, which `audit verify` compares with the column.
    public static func databaseJSONEncoder(for column: String) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return encoder
    }

    /// The table's columns, for the query interface (no column name written as a string literal).
    public enum Columns {
        /// `id`.
        public static let id = Column(CodingKeys.id)
        /// `uid`.
        public static let uid = Column(CodingKeys.uid)
        /// `reference`.
        public static let reference = Column(CodingKeys.reference)
        /// `centre`.
        public static let centre = Column(CodingKeys.centre)
        /// `status`.
        public static let status = Column(CodingKeys.status)
        /// `urgency`.
        public static let urgency = Column(CodingKeys.urgency)
        /// `received_at`.
        public static let receivedAt = Column(CodingKeys.receivedAt)
        /// `due_at`.
        public static let dueAt = Column(CodingKeys.dueAt)
        /// `receipt_lookup`.
        public static let receiptLookup = Column(CodingKeys.receiptLookup)
        /// `receipt_scheme`.
        public static let receiptScheme = Column(CodingKeys.receiptScheme)
        /// `receipt_locator`.
        public static let receiptLocator = Column(CodingKeys.receiptLocator)
        /// `channel`.
        public static let channel = Column(CodingKeys.channel)
    }

    /// Records the row id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}

/// A sealed message of a tip's thread.
public struct MessageRecord: Sendable, Codable, Equatable, FetchableRecord, MutablePersistableRecord {
    /// The SQLite table, `tip_message`.
    public static let databaseTableName = "tip_message"
    /// Row id; nil until inserted.
    public var id: Int64?
    /// The message's envelope record id.
    public var uid: String
    /// Row id of the tip the message belongs to.
    public var tipID: Int64
    /// Who wrote it: `reporter` or `centre`.
    public var author: String
    /// Unix seconds (UTC) when the message was stored.
    public var createdAt: Int64
    /// The sealed message: a JSON envelope (docs/ENVELOPE.md §6) wrapped for the reporter key and the centres' content keys.
    public var envelope: Data
    /// Key id of the staff member who wrote a centre message; nil for the reporter's.
    public var authorKeyID: String?

    enum CodingKeys: String, CodingKey {
        case id, uid, author, envelope
        case authorKeyID = "author_key_id"
        case tipID = "tip_id"
        case createdAt = "created_at"
    }

    /// The table's columns, for the query interface.
    public enum Columns {
        /// `id`.
        public static let id = Column(CodingKeys.id)
        /// `tip_id`.
        public static let tipID = Column(CodingKeys.tipID)
        /// `created_at`.
        public static let createdAt = Column(CodingKeys.createdAt)
    }

    /// Records the row id SQLite assigned.
    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }
}
