import Testing
@testable import Sealing

struct HPKEVectorFile: Decodable {
    struct Vector: Decodable {
        struct Encryption: Decodable {
            let aad: String
            let ct: String
            let nonce: String
            let pt: String
        }

        struct Export: Decodable {
            let exporter_context: String
            let L: Int
            let exported_value: String
        }

        let mode: Int
        let kem_id: Int
        let kdf_id: Int
        let aead_id: Int
        let info: String
        let skRm: String
        let skEm: String
        let pkRm: String
        let pkEm: String
        let enc: String
        let shared_secret: String
        let key: String
        let base_nonce: String
        let exporter_secret: String?
        let encryptions: [Encryption]
        let exports: [Export]?
    }

    let vectors: [Vector]
}

@Suite("HPKE RFC 9180 test vectors")
struct HPKEVectorTests {
    @Test("Base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM and AES-256-GCM")
    func vectors() throws {
        let file = try Vectors.decode(HPKEVectorFile.self, from: "hpke-base-x25519-sha256.json")
        var suites = Set<Int>()
        var encryptions = 0
        for vector in file.vectors {
            #expect(vector.mode == 0 && vector.kem_id == 0x20 && vector.kdf_id == 1)
            let aead = try #require(HPKEBaseMode.AEAD(rawValue: UInt16(vector.aead_id)))
            suites.insert(vector.aead_id)
            let info = [UInt8](hex: vector.info)
            let recipient = try X25519PrivateKey(rawRepresentation: [UInt8](hex: vector.skRm))
            let ephemeral = try X25519PrivateKey(rawRepresentation: [UInt8](hex: vector.skEm))
            #expect(recipient.publicKey.rawRepresentation.hex == vector.pkRm)
            #expect(ephemeral.publicKey.rawRepresentation.hex == vector.pkEm)

            let encap = try HPKEBaseMode.encapsulate(recipient: recipient.publicKey, ephemeralKey: ephemeral)
            #expect(encap.enc.hex == vector.enc)
            #expect(encap.sharedSecret.hex == vector.shared_secret)
            #expect(try HPKEBaseMode.decapsulate(encapsulatedKey: encap.enc, recipient: recipient).hex == vector.shared_secret)

            var (enc, sender) = try HPKEBaseMode.setupSender(recipient: recipient.publicKey, info: info, aead: aead, ephemeralKey: ephemeral)
            #expect(enc.hex == vector.enc)
            #expect(sender.key.bytesForExport.hex == vector.key)
            #expect(sender.baseNonce.hex == vector.base_nonce)
            if let exporterSecret = vector.exporter_secret {
                #expect(sender.exporterSecret.bytesForExport.hex == exporterSecret)
            }
            var receiver = try HPKEBaseMode.setupRecipient(encapsulatedKey: enc, recipient: recipient, info: info, aead: aead)
            #expect(receiver.key.bytesForExport.hex == vector.key)
            #expect(receiver.baseNonce.hex == vector.base_nonce)

            for (sequence, encryption) in vector.encryptions.enumerated() {
                #expect(sender.sequenceNumber == UInt64(sequence))
                #expect(sender.schedule.nonce(sequenceNumber: UInt64(sequence)).hex == encryption.nonce)
                let ciphertext = try sender.seal([UInt8](hex: encryption.pt), aad: [UInt8](hex: encryption.aad))
                #expect(ciphertext.hex == encryption.ct, "aead \(vector.aead_id) sequence \(sequence)")
                #expect(try receiver.open([UInt8](hex: encryption.ct), aad: [UInt8](hex: encryption.aad)).hex == encryption.pt)
                encryptions += 1
            }
            for export in vector.exports ?? [] {
                #expect(try sender.export(exporterContext: [UInt8](hex: export.exporter_context), length: export.L).hex == export.exported_value)
            }
        }
        print("RFC 9180 vectors: suites \(suites.sorted()), \(encryptions) encryptions checked")
        #expect(suites == [1, 2])
        #expect(encryptions >= 20)
    }

    @Test("A failed open does not advance the sequence number; wrong info/aad/enc fail")
    func failures() throws {
        let recipient = X25519PrivateKey.generate()
        var (enc, sender) = try HPKEBaseMode.setupSender(recipient: recipient.publicKey, info: [1], aead: .aes256GCM)
        let first = try sender.seal([UInt8](utf8: "one"), aad: [])
        let second = try sender.seal([UInt8](utf8: "two"), aad: [])
        var receiver = try HPKEBaseMode.setupRecipient(encapsulatedKey: enc, recipient: recipient, info: [1], aead: .aes256GCM)
        expectSealingError(.authenticationFailed) { () throws(SealingError) in try receiver.open(second, aad: []) }
        #expect(receiver.sequenceNumber == 0)
        #expect(try receiver.open(first, aad: []) == [UInt8](utf8: "one"))
        #expect(try receiver.open(second, aad: []) == [UInt8](utf8: "two"))

        let single = try HPKEBaseMode.seal([9, 9], to: recipient.publicKey, info: [2], aad: [3], aead: .aes128GCM)
        #expect(try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: single.encapsulatedKey, recipient: recipient, info: [2], aad: [3], aead: .aes128GCM) == [9, 9])
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: single.encapsulatedKey, recipient: recipient, info: [2, 0], aad: [3], aead: .aes128GCM)
        }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: single.encapsulatedKey, recipient: recipient, info: [2], aad: [], aead: .aes128GCM)
        }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: single.encapsulatedKey, recipient: recipient, info: [2], aad: [3], aead: .aes256GCM)
        }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in
            try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: single.encapsulatedKey, recipient: X25519PrivateKey.generate(), info: [2], aad: [3], aead: .aes128GCM)
        }
        expectSealingError(.invalidKey("HPKE encapsulated key must be 32 bytes")) { () throws(SealingError) in
            try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: Array(single.encapsulatedKey.prefix(31)), recipient: recipient, info: [2], aad: [3], aead: .aes128GCM)
        }
        expectSealingError(.invalidKey("X25519 shared secret is all zero (low-order public key)")) { () throws(SealingError) in
            try HPKEBaseMode.open(single.ciphertext, encapsulatedKey: [UInt8](repeating: 0, count: 32), recipient: recipient, info: [2], aad: [3], aead: .aes128GCM)
        }
        expectSealingError(.malformed("HPKE ciphertext shorter than the tag")) { () throws(SealingError) in
            try HPKEBaseMode.open(Array(single.ciphertext.prefix(15)), encapsulatedKey: single.encapsulatedKey, recipient: recipient, info: [2], aad: [3], aead: .aes128GCM)
        }
    }
}
