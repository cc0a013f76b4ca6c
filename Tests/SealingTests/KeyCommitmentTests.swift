import Foundation
@testable import Sealing
import Testing

/// Issue 11, items 2 and 5: key commitments catch a wrap that opens, but to another key.
@Suite("Key commitments")
struct KeyCommitmentTests {
    @Test("The commitment is HMAC-SHA256(data key, \"tipline:v1:key-commitment:<record>:<class>\") and binds key, record and class")
    func definition() throws {
        let key = try DataKey(keyClass: .content, key: try SecretKey(bytes: Array(0..<32)))
        let commitment = try KeyCommitment.commit(key, recordID: "rec1")
        #expect(commitment == HMACSHA256.authenticate(Array("tipline:v1:key-commitment:rec1:content".utf8), key: Array(0..<32)))
        #expect(KeyCommitment.matches(commitment, key: key, recordID: "rec1"))
        #expect(!KeyCommitment.matches(commitment, key: key, recordID: "rec2"))
        #expect(!KeyCommitment.matches(commitment, key: DataKey.random(.content), recordID: "rec1"))
        let identity = try DataKey(keyClass: .identity, key: try SecretKey(bytes: Array(0..<32)))
        #expect(!KeyCommitment.matches(commitment, key: identity, recordID: "rec1"))
        #expect(!KeyCommitment.matches(Array(commitment.dropLast()), key: key, recordID: "rec1"))
    }

    @Test("A wrap that decrypts, but to another key, is caught by the commitment")
    func wrapToAnotherKey() throws {
        let recipient = X25519PrivateKey.generate()
        let real = DataKey.random(.content)
        let commitment = try KeyCommitment.commit(real, recordID: "tip1")
        let forged = try EnvelopeCrypto.wrap(DataKey.random(.content), recordID: "tip1", for: recipient.publicKey)
        let opened = try EnvelopeCrypto.unwrap(forged, recordID: "tip1", with: recipient)   // HPKE alone accepts it
        #expect(!KeyCommitment.matches(commitment, key: opened, recordID: "tip1"))
        let honest = try EnvelopeCrypto.wrap(real, recordID: "tip1", for: recipient.publicKey)
        #expect(KeyCommitment.matches(commitment, key: try EnvelopeCrypto.unwrap(honest, recordID: "tip1", with: recipient), recordID: "tip1"))
    }

    @Test("sealMessage: every recipient opens the same text; the commitment travels in the JSON form")
    func sealMessage() throws {
        let a = X25519PrivateKey.generate(), b = X25519PrivateKey.generate()
        let envelope = try EnvelopeCrypto.sealMessage(recordID: "msg1", name: "text", value: Array("你好".utf8), recipients: [a.publicKey, b.publicKey, a.publicKey])
        #expect(envelope.wraps.count == 2 && envelope.keyCommitment?.count == 32)
        let decoded = try Envelope(json: envelope.jsonRepresentation())
        #expect(decoded == envelope)
        for key in [a, b] { #expect(try EnvelopeCrypto.openMessage(decoded, name: "text", with: key) == Array("你好".utf8)) }
    }

    @Test("A message whose wraps do not all open to the same key is refused by the sender's check, and by the reader")
    func mixedKeys() throws {
        let a = X25519PrivateKey.generate(), b = X25519PrivateKey.generate()
        let key = DataKey.random(.content)
        var envelope = try Envelope(recordID: "msg2", fields: [try EnvelopeCrypto.sealField(name: "text", value: [1, 2, 3], recordID: "msg2", key: key)])
        envelope.keyCommitment = try KeyCommitment.commit(key, recordID: "msg2")
        let ea = X25519PrivateKey.generate(), eb = X25519PrivateKey.generate()
        envelope.wraps = [try EnvelopeCrypto.wrap(key, recordID: "msg2", for: a.publicKey, ephemeralKey: ea),
                          try EnvelopeCrypto.wrap(key, recordID: "msg2", for: b.publicKey, ephemeralKey: eb)]
        try EnvelopeCrypto.checkMessageWraps(envelope, key: key, recipients: [a.publicKey, b.publicKey],
                                             ephemeralKeys: [a.publicKey.keyID: ea, b.publicKey.keyID: eb])
        // b's wrap now carries another key: the sender refuses it, and b's reader flags it.
        envelope.wraps[1] = try EnvelopeCrypto.wrap(DataKey.random(.content), recordID: "msg2", for: b.publicKey, ephemeralKey: eb)
        #expect(throws: SealingError.self) {
            try EnvelopeCrypto.checkMessageWraps(envelope, key: key, recipients: [a.publicKey, b.publicKey],
                                                 ephemeralKeys: [a.publicKey.keyID: ea, b.publicKey.keyID: eb])
        }
        #expect(throws: SealingError.self) { try EnvelopeCrypto.openMessage(envelope, name: "text", with: b) }
        #expect(try EnvelopeCrypto.openMessage(envelope, name: "text", with: a) == [1, 2, 3])
    }

    @Test("The worked values of docs/ENVELOPE.md §11")
    func workedValues() throws {
        let content = try DataKey(keyClass: .content, key: try SecretKey(bytes: Array(0..<32)))
        let identity = try DataKey(keyClass: .identity, key: try SecretKey(bytes: Array(32..<64)))
        #expect(try KeyCommitment.commit(content, recordID: "TIP-2026-000042").hex == "f9d6df484b17effe071cc298db45dcb323392188a36a4eb746c6322b5aa7803b")
        #expect(try KeyCommitment.commit(identity, recordID: "TIP-2026-000042").hex == "e37e66ed3100d27ad09a0e2c10d294c3cb7962f590892c69fcd9f1904b141e61")
        let doc = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/ENVELOPE.md"), encoding: .utf8)
        #expect(doc.contains("f9d6df484b17effe071cc298db45dcb323392188a36a4eb746c6322b5aa7803b"))
        #expect(doc.contains("e37e66ed3100d27ad09a0e2c10d294c3cb7962f590892c69fcd9f1904b141e61"))
    }
}
