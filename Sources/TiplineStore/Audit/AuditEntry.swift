public import Foundation
import TiplineCore
public import GRDB

/// One entry of the audit chain, as stored.
///
/// `details` is canonical JSON (sorted keys) holding ids, codes and reasons, never personal data.
/// `request` and `requestSignature` hold a staff member's original signed request, so an auditor
/// can prove the server did not invent the action.
public struct AuditEntry: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table, `audit_entry`.
    public static let databaseTableName = "audit_entry"

    /// Position in the chain: 1, 2, 3, … without gaps.
    public var seq: Int64
    /// Unix seconds (UTC) when the server recorded the entry.
    public var at: Int64
    /// `server`, or the staff key id of the person acting.
    public var actor: String
    /// What was done, e.g. `tip.received` or `tip.status` (docs/AUDIT.md lists them).
    public var action: String
    /// What it was done to: a tip reference, a staff key id, or `policies`.
    public var subject: String
    /// Canonical JSON: one object of string values, keys sorted.
    public var details: String
    /// Staff actions: the recorded signed request; nil for server actions.
    public var request: Data?
    /// Staff actions: the 64-byte Ed25519 signature over the request's message.
    public var requestSignature: Data?
    /// `hash` of entry `seq − 1`; 32 zero bytes for entry 1.
    public var prevHash: Data
    /// SHA-256 of `canonicalBytes`.
    public var hash: Data
    /// Key id of the server key that signed the entry.
    public var signerKeyID: String
    /// The server's Ed25519 signature over `signedMessage(hash:)` (64 bytes).
    public var signature: Data

    enum CodingKeys: String, CodingKey {
        case seq, at, actor, action, subject, details, request, hash, signature
        case requestSignature = "request_signature"
        case prevHash = "prev_hash"
        case signerKeyID = "signer_key_id"
    }

    /// The bytes the entry's hash covers: every field but the hash and the signature,
    /// each length-prefixed so no two entries encode alike. Documented in docs/AUDIT.md.
    public var canonicalBytes: [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-audit-v1")
        out.int(seq)
        out.int(at)
        // The field order has one home, `AuditColumn.canonicalFields`, which the verifier reads too.
        for column in AuditColumn.canonicalFields {
            switch column {
            case .actor: out.text(actor)
            case .action: out.text(action)
            case .subject: out.text(subject)
            case .details: out.text(details)
            case .signerKeyID: out.text(signerKeyID)
            case .request: out.blob(request ?? Data())
            case .requestSignature: out.blob(requestSignature ?? Data())
            case .seq, .at, .prevHash, .hash, .signature: break
            }
        }
        out.blob(fixed: prevHash)
        return out.bytes
    }

    /// The message the signer signs: a domain prefix and the entry's hash.
    public static func signedMessage(hash: some Sequence<UInt8>) -> [UInt8] {
        Array("tipline-audit-sig-v1:".utf8) + Array(hash)
    }
}

/// The columns of `audit_entry` in the order readers select them (`selectList`), so a reader
/// that needs speed can index a row by position without spelling numbers: `row[AuditColumn.hash.index]`.
/// The canonical encoding (`AuditEntry.canonicalBytes`) covers seq, at, actor, action, subject,
/// details, signer key id, request, request signature and the previous hash.
public enum AuditColumn: Int, CaseIterable, Sendable {
    /// One case per column, in `selectList` order.
    case seq, at, actor, action, subject, details, request, requestSignature, prevHash, hash, signerKeyID, signature

    /// The SQL column name.
    public var name: String {
        switch self {
        case .requestSignature: "request_signature"
        case .prevHash: "prev_hash"
        case .signerKeyID: "signer_key_id"
        default: String(describing: self)
        }
    }

    /// The row position when selected with `selectList`.
    public var index: Int { rawValue }

    /// The column for GRDB's query interface.
    public var column: Column { Column(name) }

    /// `seq, at, actor, …, signature`: every column, in this order.
    public static let selectList = allCases.map(\.name).joined(separator: ", ")

    /// The text and blob columns the canonical encoding covers after seq and at, in its order.
    public static let canonicalFields: [AuditColumn] = [.actor, .action, .subject, .details, .signerKeyID, .request, .requestSignature]
}
