import Foundation
public import Sealing
public import TiplineCore

/// A sealed tip ready to be stored: everything was encrypted before the write transaction,
/// so the transaction itself does only cheap work (allocate the reference, insert, sign).
public struct NewTip: Sendable {
    /// The envelope record id (random, 32 hex chars); binds every ciphertext to this tip.
    public var uid: String
    /// Unix seconds (UTC) when the tip was received.
    public var receivedAt: Int64
    /// The category the reporter chose.
    public var category: CategoryID
    /// The district the reporter chose.
    public var district: TipDistrict
    /// The centre the routing policy chose, and the rule and policy hash that chose it.
    public var routing: RoutingDecision
    /// The urgency tier the tip starts with.
    public var urgency: Urgency
    /// Unix seconds (UTC) by which the tip must be acted on (S-4.1).
    public var dueAt: Int64
    /// Whether the reporter asked to be considered for a reward.
    public var wantsReward: Bool
    /// Whether the envelope holds identity fields.
    public var hasIdentity: Bool
    /// What the row keeps of the receipt: scheme, locator hash, per-tip salt, KDF parameters, verifier.
    public var receipt: ReceiptRecord
    /// The tip's reporter X25519 public key (32 bytes).
    public var reporterPublicKey: [UInt8]
    /// The reporter's X25519 private key sealed under the key derived from the receipt.
    public var reporterKeySealed: [UInt8]
    /// The sealed fields and the HPKE wraps of the tip's data keys.
    public var envelope: Envelope
    /// Which centre each wrap's recipient key belongs to, by key id.
    public var wrapCentres: [String: CentreID]
    /// Sealed evidence blobs in submission order.
    public var evidence: [[UInt8]]
    /// `KeyCommitment`s to the content and identity data keys (docs/ENVELOPE.md §11).
    public var contentKeyCommitment: [UInt8]?
    /// Key commitment to the identity data key; nil when the tip has none.
    public var identityKeyCommitment: [UInt8]?
    /// How the tip came: `web` for intake; a triage officer's recorded channel (`tips record`).
    public var channel: TipChannel = .web

    /// A sealed tip; `channel` starts as `web`.
    public init(uid: String, receivedAt: Int64, category: CategoryID, district: TipDistrict, routing: RoutingDecision,
                urgency: Urgency, dueAt: Int64, wantsReward: Bool, hasIdentity: Bool, receipt: ReceiptRecord,
                reporterPublicKey: [UInt8], reporterKeySealed: [UInt8], envelope: Envelope,
                wrapCentres: [String: CentreID], evidence: [[UInt8]], contentKeyCommitment: [UInt8]? = nil,
                identityKeyCommitment: [UInt8]? = nil) {
        self.uid = uid
        self.receivedAt = receivedAt
        self.category = category
        self.district = district
        self.routing = routing
        self.urgency = urgency
        self.dueAt = dueAt
        self.wantsReward = wantsReward
        self.hasIdentity = hasIdentity
        self.receipt = receipt
        self.reporterPublicKey = reporterPublicKey
        self.reporterKeySealed = reporterKeySealed
        self.envelope = envelope
        self.wrapCentres = wrapCentres
        self.evidence = evidence
        self.contentKeyCommitment = contentKeyCommitment
        self.identityKeyCommitment = identityKeyCommitment
    }

    /// The submission's parts of one key class, as `SubmissionHash` hashes them.
    public func part(_ keyClass: KeyClass) -> SubmissionHash.Part {
        var part = SubmissionHash.Part(keyClass: keyClass, commitment: keyClass == .content ? contentKeyCommitment : identityKeyCommitment)
        part.fields = envelope.fields.filter { $0.keyClass == keyClass }.map { ($0.name, $0.serialized()) }
        part.wraps = envelope.wraps.filter { $0.keyClass == keyClass }.map { ($0.recipientKeyID, $0.serialized()) }
        if keyClass == .content { part.evidence = evidence }
        return part
    }

    /// The submission hash (`SubmissionHash`, version 2): what the proof of report signs. Anyone
    /// holding the ciphertext and the reporter public key can recompute it.
    public var submissionHash: [UInt8] { digest.submissionHash }

    /// Every hash intake records, computed once before the write transaction.
    public var digest: SubmissionDigest {
        let contentPart = part(.content).hash(uid: uid)
        let identityPart = part(.identity).hash(uid: uid)
        return SubmissionDigest(
            submissionHash: SubmissionHash.combine(uid: uid, reporterPublicKey: reporterPublicKey,
                                                   contentPart: contentPart, identityPart: identityPart),
            contentPart: contentPart, identityPart: identityPart,
            wrapHashes: envelope.wraps.map {
                SubmissionHash.wrapHashItem(keyClass: $0.keyClass, recipientKeyID: $0.recipientKeyID, sealed: $0.serialized())
            }.sorted())
    }
}

/// The hashes of a sealed submission: the submission hash, its two part hashes and each wrap's
/// `class:keyid:sha256hex` (what the `tip.received` entry records).
public struct SubmissionDigest: Sendable, Equatable {
    /// The submission hash (`SubmissionHash.combine`).
    public let submissionHash: [UInt8]
    /// `part(content)`.
    public let contentPart: [UInt8]
    /// `part(identity)`.
    public let identityPart: [UInt8]
    /// Each intake wrap as `class:keyid:sha256hex`, sorted.
    public let wrapHashes: [String]
}

/// What the reporter gets back once the tip is durably stored.
public struct StoredTip: Sendable, Equatable {
    /// Row id of the stored tip.
    public let id: Int64
    /// The reference number allocated in the write transaction.
    public let reference: TipReference
    /// Unix seconds (UTC) when the tip was received.
    public let receivedAt: Int64
    /// The submission hash the proof signs.
    public let submissionHash: [UInt8]
    /// The server's Ed25519 signature over `ProofOfReport.message(...)`.
    public let proof: [UInt8]
}

/// The proof of report: a signature anyone can check against the server's public key.
public enum ProofOfReport {
    /// The signed message: `tipline:v1:proof:<reference>:<received-at-iso8601>:<submission-hash-hex>`.
    public static func message(reference: TipReference, receivedAt: Int64, submissionHash: [UInt8]) -> [UInt8] {
        let time = ISO8601.string(fromSeconds: receivedAt)
        let hex = Hex.encode(submissionHash)
        return Array("tipline:v1:proof:\(reference.rawValue):\(time):\(hex)".utf8)
    }
}
