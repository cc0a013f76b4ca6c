import Crypto
import Foundation
import Testing
@testable import Sealing

/// Our HPKE against swift-crypto's independent implementation (BoringSSL-based).
@Suite("HPKE cross-check with swift-crypto")
struct HPKECrossCheckTests {
    static func ciphersuite(_ aead: HPKEBaseMode.AEAD) -> Crypto.HPKE.Ciphersuite {
        Crypto.HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: aead == .aes256GCM ? .AES_GCM_256 : .AES_GCM_128)
    }

    static func randomLength(_ upper: Int) -> Int {
        Int(SecureRandom.bytes(2).reduce(0) { $0 << 8 | Int($1) }) % (upper + 1)
    }

    @Test("50 random inputs each way, both AEADs, several messages per context, exporter", arguments: HPKEBaseMode.AEAD.allCases)
    func crossCheck(aead: HPKEBaseMode.AEAD) throws {
        let suite = Self.ciphersuite(aead)
        for round in 0..<50 {
            let info = SecureRandom.bytes(Self.randomLength(64))
            let messages = (0..<3).map { _ in (pt: SecureRandom.bytes(Self.randomLength(300)), aad: SecureRandom.bytes(Self.randomLength(40))) }

            // ours → theirs
            let theirKey = Curve25519.KeyAgreement.PrivateKey()
            let theirPublic = try X25519PublicKey(rawRepresentation: [UInt8](theirKey.publicKey.rawRepresentation))
            var (enc, sender) = try HPKEBaseMode.setupSender(recipient: theirPublic, info: info, aead: aead)
            var theirRecipient = try Crypto.HPKE.Recipient(privateKey: theirKey, ciphersuite: suite, info: Data(info), encapsulatedKey: Data(enc))
            for message in messages {
                let ciphertext = try sender.seal(message.pt, aad: message.aad)
                #expect([UInt8](try theirRecipient.open(Data(ciphertext), authenticating: Data(message.aad))) == message.pt, "round \(round)")
            }
            let exporterContext = SecureRandom.bytes(10)
            let theirExport = try theirRecipient.exportSecret(context: Data(exporterContext), outputByteCount: 42)
            #expect(try sender.export(exporterContext: exporterContext, length: 42) == theirExport.withUnsafeBytes { [UInt8]($0) })

            // theirs → ours
            let ourKey = X25519PrivateKey.generate()
            let ourPublic = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: ourKey.publicKey.rawRepresentation)
            var theirSender = try Crypto.HPKE.Sender(recipientKey: ourPublic, ciphersuite: suite, info: Data(info))
            var recipient = try HPKEBaseMode.setupRecipient(encapsulatedKey: [UInt8](theirSender.encapsulatedKey), recipient: ourKey, info: info, aead: aead)
            for message in messages {
                let ciphertext = try theirSender.seal(message.pt, authenticating: message.aad)
                #expect(try recipient.open([UInt8](ciphertext), aad: message.aad) == message.pt, "round \(round)")
            }
            let theirSenderExport = try theirSender.exportSecret(context: Data(exporterContext), outputByteCount: 16)
            #expect(try recipient.export(exporterContext: exporterContext, length: 16) == theirSenderExport.withUnsafeBytes { [UInt8]($0) })
        }
    }

    @Test("An auditor opens a sealed envelope with swift-crypto only (HPKE + AES.GCM), following docs/ENVELOPE.md")
    func auditorOpensEnvelope() throws {
        let contentHolder = Curve25519.KeyAgreement.PrivateKey()
        let identityHolder = Curve25519.KeyAgreement.PrivateKey()
        let sealed = try EnvelopeCrypto.seal(
            recordID: "TIP-2026-000001",
            content: [("body", [UInt8](utf8: "the tip")), ("district", [UInt8](utf8: "north"))],
            identity: [("phone", [UInt8](utf8: "+86 555 0100"))],
            contentRecipients: [try X25519PublicKey(rawRepresentation: [UInt8](contentHolder.publicKey.rawRepresentation))],
            identityRecipients: [try X25519PublicKey(rawRepresentation: [UInt8](identityHolder.publicKey.rawRepresentation))])
        // Only the JSON export crosses over.
        let json = try JSONSerialization.jsonObject(with: Data(sealed.envelope.jsonRepresentation())) as! [String: Any]
        #expect(json["version"] as? Int == 1)
        let recordID = json["recordID"] as! String
        var opened: [String: String] = [:]
        for (holder, keyClass) in [(contentHolder, "content"), (identityHolder, "identity")] {
            let keyID = Crypto.SHA256.hash(data: holder.publicKey.rawRepresentation).prefix(16).map { String(format: "%02x", $0) }.joined()
            let wrap = (json["wraps"] as! [[String: Any]]).first { $0["keyClass"] as? String == keyClass && $0["recipientKeyID"] as? String == keyID }!
            var recipient = try Crypto.HPKE.Recipient(privateKey: holder, ciphersuite: Self.ciphersuite(.aes256GCM),
                                                      info: Data("tipline:v1:wrap:\(recordID):\(keyClass)".utf8),
                                                      encapsulatedKey: Data(base64Encoded: wrap["encapsulatedKey"] as! String)!)
            let dataKey = SymmetricKey(data: try recipient.open(Data(base64Encoded: wrap["wrappedKey"] as! String)!, authenticating: Data()))
            for field in (json["fields"] as! [[String: Any]]) where field["keyClass"] as? String == keyClass {
                let name = field["name"] as! String
                let combined = Data(base64Encoded: field["nonce"] as! String)! + Data(base64Encoded: field["ciphertextAndTag"] as! String)!
                let box = try AES.GCM.SealedBox(combined: combined)
                let plaintext = try AES.GCM.open(box, using: dataKey, authenticating: Data("tipline:v1:\(recordID):\(name)".utf8))
                opened[name] = String(decoding: plaintext, as: UTF8.self)
            }
        }
        #expect(opened == ["body": "the tip", "district": "north", "phone": "+86 555 0100"])
    }
}
