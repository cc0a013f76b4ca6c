import LedgerModel
import TiplineCore
import Foundation
import GRDB
import Sealing

extension Ledger {
    /// A validated idempotency key and its hash (only the hash is stored).
    struct CommandKey {
        let text: String
        let hash: [UInt8]

        init(_ text: String) throws(LedgerError) {
            guard (16...128).contains(text.utf8.count), text.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
                throw .invalidArgument("an idempotency key is 16 to 128 printable ASCII characters")
            }
            self.text = text
            hash = Hashing.sha256(Array("tipline-ledger-idempotency-v1:\(text)".utf8))
        }
    }

    /// The stored command for `key`, if the key was used before for this very request; throws
    /// `.idempotencyKeyReused` if it was used for another one.
    static func replay(_ key: CommandKey, kind: String, requestHash: [UInt8], _ db: Database) throws -> CommandRecord? {
        guard let command = try CommandRecord.fetchOne(db, key: Data(key.hash)) else { return nil }
        guard command.kind == kind, ConstantTime.equals(Array(command.requestHash), requestHash) else {
            throw LedgerError.idempotencyKeyReused
        }
        return command
    }

    /// Records the command's result in the same transaction as its effects.
    static func remember(_ key: CommandKey, kind: String, requestHash: [UInt8], result: String,
                         sealedCode: Data? = nil, at: Int64, _ db: Database) throws {
        try CommandRecord(keyHash: Data(key.hash), kind: kind, requestHash: Data(requestHash), result: result,
                          sealedCode: sealedCode, at: at).insert(db)
    }

    /// The SHA-256 of a command's canonical request (everything but the time).
    static func requestHash(_ kind: String, _ fill: (inout CanonicalEncoder) -> Void) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-request-v1:\(kind)")
        fill(&out)
        return Hashing.sha256(out.bytes)
    }

    /// Who acts, for the request hash. The signed request itself is left out on purpose: a retry
    /// is a new signed request (new timestamp and nonce) carrying the same idempotency key, and
    /// must be recognised as the same command.
    static func encode(_ action: SignedStaffRequest, into out: inout CanonicalEncoder) {
        out.text(action.keyID)
        out.text(action.role.rawValue)
    }
}
