import Foundation

/// `audit.jsonl`: one audit entry per line, every column as stored (binary as base64, hashes as hex).
struct ExportedEntry: Encodable {
    let seq: Int64
    let at: Int64
    let actor: String
    let action: String
    let subject: String
    /// The exact canonical JSON text the hash covers.
    let details: String
    let request: Data?
    let requestSignature: Data?
    let prevHash: String
    let hash: String
    let signerKeyID: String
    let signature: Data
    /// For people reading the export (issue 13, item 5): the actor's name from the staff table
    /// (nil for `server` or an unknown key) and the time in China time. Not covered by the hash.
    var actorName: String? = nil
    var atChina: String = ""

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, subject, details, request, hash, signature
        case actorName = "actor_name"
        case atChina = "at_china"
        case requestSignature = "request_signature"
        case prevHash = "prev_hash"
        case signerKeyID = "signer_key_id"
    }
}

/// `tips.jsonl`: one tip per line: routing, copies, status, shredding and wraps (no sealed field).
struct ExportedTip: Encodable {
    struct Wrap: Encodable {
        let keyClass: String
        let recipientKeyID: String
        let centre: String
        let sealed: Data
        enum CodingKeys: String, CodingKey {
            case centre, sealed
            case keyClass = "key_class"
            case recipientKeyID = "recipient_key_id"
        }
    }
    let reference: String
    let centre: String
    let status: String
    let hasIdentity: Bool
    let identityShreddedAt: Int64?
    let contentShreddedAt: Int64?
    let routes: [String]
    let copies: [String]
    let wraps: [Wrap]

    enum CodingKeys: String, CodingKey {
        case reference, centre, status, routes, copies, wraps
        case hasIdentity = "has_identity"
        case identityShreddedAt = "identity_shredded_at"
        case contentShreddedAt = "content_shredded_at"
    }
}

/// `staff.jsonl`: each staff key as the audit entries enrolled and revoked it.
struct ExportedStaff: Encodable {
    let keyID: String
    let publicKey: String
    let role: String
    let centre: String
    let enrolledSeq: Int64
    let enrolledAt: Int64
    let enrolledBy: String
    let revokedSeq: Int64?
    let revokedAt: Int64?
    let revokedBy: String?

    enum CodingKeys: String, CodingKey {
        case role, centre
        case keyID = "key_id"
        case publicKey = "public_key"
        case enrolledSeq = "enrolled_seq"
        case enrolledAt = "enrolled_at"
        case enrolledBy = "enrolled_by"
        case revokedSeq = "revoked_seq"
        case revokedAt = "revoked_at"
        case revokedBy = "revoked_by"
    }
}

/// `export.json`: what the export is, the chain head, and the SHA-256 of every other file.
struct ExportManifest: Encodable {
    let format: String
    let exportedAt: String
    let deployment: String?
    let city: String
    let centres: [String]
    let checkpointIntervalSeconds: Int
    let entries: Int64
    let tips: Int
    let headSeq: Int64
    let headHash: String
    let files: [String: String]

    enum CodingKeys: String, CodingKey {
        case format, deployment, city, centres, entries, tips, files
        case exportedAt = "exported_at"
        case checkpointIntervalSeconds = "checkpoint_interval_seconds"
        case headSeq = "head_seq"
        case headHash = "head_hash"
    }
}
