import Testing
@testable import Sealing

/// Wycheproof `eddsa_verify_schema.json` (only the fields used here).
struct WycheproofEdDSAFile: Decodable {
    struct Group: Decodable {
        struct PublicKey: Decodable {
            let pk: String
        }

        let publicKey: PublicKey
        let publicKeyPem: String
        let tests: [Case]
    }

    struct Case: Decodable {
        let tcId: Int
        let msg: String
        let sig: String
        let result: String
        let flags: [String]
    }

    let testGroups: [Group]
}

@Suite("Ed25519")
struct Ed25519Tests {
    /// RFC 8032 §7.1 TEST 1–3 secret keys. The Wycheproof file carries only public keys; its
    /// Ktv groups for these three keys (with the RFC's messages and signatures) are where
    /// signing is checked.
    static let rfc8032Secrets = [
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
    ]

    @Test("Wycheproof Ed25519: valid verify, invalid refused; signing reproduces RFC 8032 signatures")
    func wycheproof() throws {
        let file = try Vectors.decode(WycheproofEdDSAFile.self, from: "wycheproof-ed25519_test.json")
        var signers: [String: Ed25519PrivateKey] = [:]
        for secret in Self.rfc8032Secrets {
            let key = try Ed25519PrivateKey(rawRepresentation: [UInt8](hex: secret))
            signers[key.publicKey.rawRepresentation.hex] = key
        }
        var valid = 0
        var invalid = 0
        var signed = 0
        for group in file.testGroups {
            let publicKey = try Ed25519PublicKey(rawRepresentation: [UInt8](hex: group.publicKey.pk))
            #expect(try Ed25519PublicKey(pem: group.publicKeyPem) == publicKey)
            for test in group.tests {
                let message = [UInt8](hex: test.msg)
                let signature = [UInt8](hex: test.sig)
                let verified = publicKey.isValidSignature(signature, for: message)
                switch test.result {
                case "valid":
                    #expect(verified, "valid tcId \(test.tcId) refused")
                    valid += 1
                    if let signer = signers[group.publicKey.pk] {
                        #expect(try signer.signature(for: message) == signature, "tcId \(test.tcId) signature")
                        signed += 1
                    }
                case "invalid":
                    #expect(!verified, "invalid tcId \(test.tcId) (\(test.flags)) accepted")
                    invalid += 1
                default:
                    Issue.record("unexpected result \(test.result) in tcId \(test.tcId)")
                }
            }
        }
        print("Wycheproof Ed25519: \(valid) valid, \(invalid) invalid; \(signed) signatures reproduced")
        #expect(valid > 0 && invalid > 0)
        #expect(signed == 3)
    }

    @Test("Sign/verify round trip, tampering, key sizes")
    func roundTrip() throws {
        let key = Ed25519PrivateKey.generate()
        let message = [UInt8](utf8: "audit entry 42")
        let signature = try key.signature(for: message)
        #expect(signature.count == 64)
        #expect(key.publicKey.isValidSignature(signature, for: message))
        #expect(!key.publicKey.isValidSignature(signature, for: message + [0]))
        #expect(!Ed25519PrivateKey.generate().publicKey.isValidSignature(signature, for: message))
        for index in signature.indices {
            var bad = signature
            bad[index] ^= 0x01
            #expect(!key.publicKey.isValidSignature(bad, for: message))
        }
        #expect(!key.publicKey.isValidSignature(Array(signature.prefix(63)), for: message))
        #expect(!key.publicKey.isValidSignature(signature + [0], for: message))
        let again = try Ed25519PrivateKey(rawRepresentation: key.rawRepresentation)
        #expect(try again.signature(for: message) == signature)
        #expect(again.publicKey.keyID == key.publicKey.keyID && key.publicKey.keyID.count == 32)
        expectSealingError(.invalidKey("Ed25519 private key must be 32 bytes")) { () throws(SealingError) in
            try Ed25519PrivateKey(rawRepresentation: [1, 2, 3])
        }
    }
}
