import Foundation
public import Sealing
import TiplineCore

/// A signed statement by the server of the audit chain's head at a moment: "at `at`, the entry with
/// sequence number `seq` had hash `hash`". Checkpoints are written to `data/checkpoints.log`, a file
/// outside the database, so that an auditor can detect a log that was truncated, rolled back or
/// rewritten after the checkpoint (docs/AUDIT.md, "Checkpoints").
///
/// One checkpoint is one line of JSON with sorted keys:
/// `{"at":…,"hash":"<hex>","key_id":"<server key id>","ledger_hash":"<hex>","ledger_seq":…,"seq":…,"signature":"<base64>"}`;
/// the signature is Ed25519 by the server key over `signedMessage`. `ledger_seq`/`ledger_hash`
/// (the reward ledger's head, issue 11) are absent from checkpoints made before them (v1).
public struct AuditCheckpoint: Sendable, Codable, Equatable {
    /// The sequence number of the chain head (0 for an empty log).
    public var seq: Int64
    /// Lowercase hex of the head entry's hash (64 zeros for an empty log).
    public var hash: String
    /// When the checkpoint was made, UTC seconds.
    public var at: Int64
    /// The key id of the server key that signed it.
    public var keyID: String
    /// Base64 Ed25519 signature over `signedMessage`.
    public var signature: String
    /// The reward ledger's head at the same moment: its last journal entry's `seq` (0 when empty).
    public var ledgerSeq: Int64?
    /// Lowercase hex of that journal entry's hash.
    public var ledgerHash: String?

    enum CodingKeys: String, CodingKey {
        case seq, hash, at, signature
        case keyID = "key_id"
        case ledgerSeq = "ledger_seq"
        case ledgerHash = "ledger_hash"
    }

    /// Assembles a checkpoint from its parts (signature already made).
    public init(seq: Int64, hash: String, at: Int64, keyID: String, signature: String, ledgerSeq: Int64? = nil, ledgerHash: String? = nil) {
        self.seq = seq
        self.hash = hash
        self.at = at
        self.keyID = keyID
        self.signature = signature
        self.ledgerSeq = ledgerSeq
        self.ledgerHash = ledgerHash
    }

    /// The exact bytes signed: `tipline-checkpoint-v1\n<seq>\n<hash hex>\n<at>`, or with the ledger's
    /// head `tipline-checkpoint-v2\n<seq>\n<hash hex>\n<at>\n<ledger seq>\n<ledger hash hex>`.
    public static func signedMessage(seq: Int64, hashHex: String, at: Int64, ledger: (seq: Int64, hash: String)? = nil) -> [UInt8] {
        guard let ledger else { return Array("tipline-checkpoint-v1\n\(seq)\n\(hashHex)\n\(at)".utf8) }
        return Array("tipline-checkpoint-v2\n\(seq)\n\(hashHex)\n\(at)\n\(ledger.seq)\n\(ledger.hash)".utf8)
    }

    /// Signs the head `(seq, hash)` (and the ledger's head, when given) at time `at` with the server's audit signer.
    public static func make(seq: Int64, hash: some Sequence<UInt8>, at: Int64, signer: AuditSigner,
                            ledger: (seq: Int64, hash: String)? = nil) throws(SealingError) -> AuditCheckpoint {
        let hashHex = Hex.encode(hash)
        let signature = try signer.key.signature(for: signedMessage(seq: seq, hashHex: hashHex, at: at, ledger: ledger))
        return AuditCheckpoint(seq: seq, hash: hashHex, at: at, keyID: signer.keyID, signature: Data(signature).base64EncodedString(),
                               ledgerSeq: ledger?.seq, ledgerHash: ledger?.hash)
    }

    /// The ledger's head, when the checkpoint carries one.
    public var ledger: (seq: Int64, hash: String)? {
        guard let ledgerSeq, let ledgerHash else { return nil }
        return (ledgerSeq, ledgerHash)
    }

    /// Whether the signature verifies under `key` (and names that key).
    public func isValid(under key: Ed25519PublicKey) -> Bool {
        guard keyID == key.keyID, let raw = Data(base64Encoded: signature), (ledgerSeq == nil) == (ledgerHash == nil) else { return false }
        return key.isValidSignature(Array(raw), for: Self.signedMessage(seq: seq, hashHex: hash, at: at, ledger: ledger))
    }

    /// The line written to the checkpoint file (without the newline).
    public var line: String {
        let ledgerPart = ledger.map { "\"ledger_hash\":\"\($0.hash)\",\"ledger_seq\":\($0.seq)," } ?? ""
        return "{\"at\":\(at),\"hash\":\"\(hash)\",\"key_id\":\"\(keyID)\",\(ledgerPart)\"seq\":\(seq),\"signature\":\"\(signature)\"}"
    }

    /// Parses one line of the checkpoint file; nil if it is not a checkpoint.
    public static func parse(line: some StringProtocol) -> AuditCheckpoint? {
        guard line.utf8.count <= 1024, let checkpoint = try? JSONDecoder().decode(AuditCheckpoint.self, from: Data(line.utf8)),
              checkpoint.seq >= 0, checkpoint.hash.utf8.count == 64,
              checkpoint.hash.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }),
              (checkpoint.ledgerSeq ?? 0) >= 0,
              checkpoint.ledgerHash.map({ $0.utf8.count == 64 && $0.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) }) ?? true
        else { return nil }
        return checkpoint
    }
}

/// The answer of `GET /admin/v1/audit/checkpoint` (docs/ADMIN-API.md): a fresh signed checkpoint and,
/// when the request named the auditor's last heads (`audit_seq`, `ledger_seq`), the hash each chain
/// has now at that point. One type for the server that writes it and the CLI that reads it.
public struct CheckpointAnswer: Sendable, Codable, Equatable {
    /// A fresh checkpoint, signed by the server.
    public let checkpoint: AuditCheckpoint
    /// The audit chain's hash (hex) at the requested `audit_seq`; nil when none was asked or there is no such entry.
    public let auditHashAt: String?
    /// The ledger chain's hash (hex) at the requested `ledger_seq`; nil when none was asked or there is no such entry.
    public let ledgerHashAt: String?

    /// An answer.
    public init(checkpoint: AuditCheckpoint, auditHashAt: String?, ledgerHashAt: String?) {
        self.checkpoint = checkpoint
        self.auditHashAt = auditHashAt
        self.ledgerHashAt = ledgerHashAt
    }

    enum CodingKeys: String, CodingKey {
        case checkpoint
        case auditHashAt = "audit_hash_at"
        case ledgerHashAt = "ledger_hash_at"
    }
}
