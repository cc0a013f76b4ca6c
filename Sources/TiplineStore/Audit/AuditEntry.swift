public import Foundation
import TiplineCore
public import GRDB

/// One entry of the audit chain, as stored.
///
/// `details` is canonical JSON (sorted keys) holding ids, codes and reasons, never personal data.
/// `request` and `requestSignature` hold a staff member's original signed request, so an auditor
/// can prove the server did not invent the action.
public struct AuditEntry: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "audit_entry"

    public var seq: Int64
    public var at: Int64
    public var actor: String
    public var action: String
    public var subject: String
    public var details: String
    public var request: Data?
    public var requestSignature: Data?
    public var prevHash: Data
    public var hash: Data
    public var signerKeyID: String
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
        for text in [actor, action, subject, details, signerKeyID] { out.text(text) }
        out.blob(request ?? Data())
        out.blob(requestSignature ?? Data())
        out.blob(fixed: prevHash)
        return out.bytes
    }

    /// The message the signer signs: a domain prefix and the entry's hash.
    public static func signedMessage(hash: some Sequence<UInt8>) -> [UInt8] {
        Array("tipline-audit-sig-v1:".utf8) + Array(hash)
    }
}
