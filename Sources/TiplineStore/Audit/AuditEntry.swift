public import Foundation
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
        var out: [UInt8] = Array("tipline-audit-v1".utf8)
        out.append(0)
        out.appendBigEndian(UInt64(bitPattern: seq))
        out.appendBigEndian(UInt64(bitPattern: at))
        for text in [actor, action, subject, details, signerKeyID] { out.appendLengthPrefixed(Array(text.utf8)) }
        out.appendLengthPrefixed(request.map(Array.init) ?? [])
        out.appendLengthPrefixed(requestSignature.map(Array.init) ?? [])
        out.append(contentsOf: prevHash)
        return out
    }

    /// The message the signer signs: a domain prefix and the entry's hash.
    public static func signedMessage(hash: some Sequence<UInt8>) -> [UInt8] {
        Array("tipline-audit-sig-v1:".utf8) + Array(hash)
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    mutating func appendLengthPrefixed(_ bytes: [UInt8]) {
        let count = UInt32(bytes.count)
        for shift in stride(from: 24, through: 0, by: -8) { append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
        append(contentsOf: bytes)
    }
}
