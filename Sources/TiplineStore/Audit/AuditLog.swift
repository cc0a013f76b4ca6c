public import Foundation
public import GRDB
import Sealing

/// The hash-chained, signed audit log (rule 3).
///
/// `append` must run inside the same write transaction as the change it records, so either both
/// are committed or neither is.
public enum AuditLog {
    /// The link of the first entry.
    public static let genesisHash = Data(repeating: 0, count: 32)

    /// Appends `event` at time `at` (UTC seconds), signed by `signer`. Call inside a write transaction.
    @discardableResult
    public static func append(_ event: AuditEvent, at: Int64, signer: AuditSigner, in db: Database) throws -> AuditEntry {
        let last = try Row.fetchOne(db.cachedStatement(sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1"))
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let prevHash: Data = last?["hash"] ?? genesisHash
        var entry = AuditEntry(
            seq: seq, at: at, actor: event.actor, action: event.action, subject: event.subject,
            details: event.canonicalDetails, request: event.request, requestSignature: event.requestSignature,
            prevHash: prevHash, hash: Data(), signerKeyID: signer.keyID, signature: Data())
        let hash = Hashing.sha256(entry.canonicalBytes)
        entry.hash = Data(hash)
        entry.signature = Data(try signer.key.signature(for: AuditEntry.signedMessage(hash: hash)))
        try entry.insert(db)
        return entry
    }

    /// The last entry's sequence number and hash (the chain head), if any.
    public static func head(in db: Database) throws -> (seq: Int64, hash: Data)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_entry ORDER BY seq DESC LIMIT 1") else {
            return nil
        }
        return (row["seq"], row["hash"])
    }
}
