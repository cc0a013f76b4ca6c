import Foundation
import Sealing
import TiplineCore
import TiplineStore

/// Everything the CLI decrypts or seals, locally, with keys that never leave the workstation.
enum LocalCrypto {
    /// Opens the tip's content key with the centre content key.
    static func contentKey(_ detail: TipDetail, with key: X25519PrivateKey) throws -> DataKey {
        guard let wrap = detail.wraps.first(where: { $0.recipientKeyID == key.publicKey.keyID }) else {
            throw CLIError.refused("this tip is not sealed to your centre's content key")
        }
        return try EnvelopeCrypto.unwrap(try RecipientWrap(keyClass: .content, recipientKeyID: wrap.recipientKeyID,
                                                           serialized: Array(wrap.sealed)), recordID: detail.uid, with: key)
    }

    static func openFields(_ blobs: [SealedBlob], uid: String, key: DataKey) throws -> [(String, [UInt8])] {
        try blobs.map { blob in
            let field = try SealedField(name: blob.name, keyClass: KeyClass(rawValue: blob.keyClass) ?? .content, serialized: Array(blob.sealed))
            return (blob.name, try EnvelopeCrypto.openField(field, recordID: uid, key: key))
        }
    }

    /// Opens one sealed message or note with the centre content key; nil if not sealed to it.
    static func openThreadItem(_ item: ThreadItem, with key: X25519PrivateKey) -> String? {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: item.envelope),
              let wrap = envelope.wraps.first(where: { $0.recipientKeyID == key.publicKey.keyID }),
              let field = envelope.fields.first(where: { $0.name == "text" }),
              let dataKey = try? EnvelopeCrypto.unwrap(wrap, recordID: envelope.recordID, with: key),
              let text = try? EnvelopeCrypto.openField(field, recordID: envelope.recordID, key: dataKey) else { return nil }
        return String(decoding: text, as: UTF8.self)
    }

    /// Seals a message to the given recipients (reply: reporter key + the tip's centres; note: centres).
    static func sealMessage(_ text: String, to recipients: [X25519PublicKey]) throws -> Envelope {
        let uid = Hex.encode(SecureRandom.bytes(16))
        return try EnvelopeCrypto.seal(recordID: uid, content: [("text", Array(text.utf8))], identity: [],
                                       contentRecipients: recipients, identityRecipients: []).envelope
    }

    /// Re-wraps a data key found in `wraps` (opened with `key`) for `recipient`.
    static func rewrap(_ wraps: [WrapBlob], keyClass: KeyClass, uid: String, with key: X25519PrivateKey,
                       for recipient: X25519PublicKey) throws -> RecipientWrap {
        guard let wrap = wraps.first(where: { $0.recipientKeyID == key.publicKey.keyID && $0.keyClass == keyClass.rawValue }) else {
            throw CLIError.refused("no \(keyClass.rawValue) wrap for your centre's key")
        }
        let dataKey = try EnvelopeCrypto.unwrap(try RecipientWrap(keyClass: keyClass, recipientKeyID: wrap.recipientKeyID,
                                                                  serialized: Array(wrap.sealed)), recordID: uid, with: key)
        return try EnvelopeCrypto.wrap(dataKey, recordID: uid, for: recipient)
    }
}
