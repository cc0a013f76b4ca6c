public import Foundation
public import GRDB
public import Sealing

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

    /// Walks the whole chain in order and returns the first problem, if any.
    ///
    /// `signers` maps signer key ids to their public keys; an entry signed by a key not in it fails.
    public static func verifyChain(in db: Database, signers: [String: Ed25519PublicKey]) throws -> ChainVerification {
        var expectedSeq: Int64 = 1
        var prevHash = genesisHash
        var lastHash = genesisHash
        let cursor = try AuditEntry.fetchCursor(db, sql: "SELECT * FROM audit_entry ORDER BY seq")
        while let entry = try cursor.next() {
            if let problem = check(entry, expectedSeq: expectedSeq, prevHash: prevHash, signers: signers) {
                return .broken(seq: entry.seq, problem: problem)
            }
            prevHash = entry.hash
            lastHash = entry.hash
            expectedSeq += 1
        }
        return .intact(count: expectedSeq - 1, headHash: lastHash)
    }

    /// Checks one entry against its expected position; `nil` when it is sound.
    public static func check(_ entry: AuditEntry, expectedSeq: Int64, prevHash: Data,
                             signers: [String: Ed25519PublicKey]) -> ChainProblem? {
        if entry.seq != expectedSeq { return .gap(expected: expectedSeq) }
        if entry.prevHash != prevHash { return .brokenLink }
        let hash = Hashing.sha256(entry.canonicalBytes)
        if Data(hash) != entry.hash { return .hashMismatch }
        guard let key = signers[entry.signerKeyID] else { return .unknownSigner }
        if !key.isValidSignature(Array(entry.signature), for: AuditEntry.signedMessage(hash: hash)) {
            return .badSignature
        }
        return nil
    }
}

/// What `verifyChain` found.
public enum ChainVerification: Sendable, Equatable {
    case intact(count: Int64, headHash: Data)
    case broken(seq: Int64, problem: ChainProblem)

    public var isIntact: Bool { if case .intact = self { true } else { false } }
}

/// Why an audit entry fails verification.
public enum ChainProblem: String, Sendable, Equatable {
    /// The sequence number is not the next one (an entry was removed, added or reordered).
    case gap
    /// `prev_hash` is not the previous entry's hash.
    case brokenLink = "broken-link"
    /// The stored hash does not match the entry's contents.
    case hashMismatch = "hash-mismatch"
    /// The signature does not verify under the signer's key.
    case badSignature = "bad-signature"
    /// The signer key id is not a known signing key.
    case unknownSigner = "unknown-signer"

    static func gap(expected: Int64) -> ChainProblem { .gap }
}
