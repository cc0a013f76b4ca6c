import Testing
@testable import Sealing

/// Wycheproof `xdh_comp_schema.json` (only the fields used here).
struct WycheproofXDHFile: Decodable {
    struct Group: Decodable {
        let curve: String
        let tests: [Case]
    }

    struct Case: Decodable {
        let tcId: Int
        let `public`: String
        let `private`: String
        let shared: String
        let result: String
        let flags: [String]
    }

    let testGroups: [Group]
}

@Suite("X25519")
struct X25519Tests {
    /// Our rule for Wycheproof's "acceptable" cases: RFC 7748 §6.1's all-zero check is
    /// enforced (a low-order public key would let an attacker force a known shared secret),
    /// so every case whose shared secret is zero must throw `.invalidKey`; every other
    /// acceptable case (twist points, non-canonical encodings) must give exactly the
    /// RFC 7748 result, as OpenSSL computes it.
    @Test("Wycheproof X25519: valid give the shared secret, invalid refused, acceptable as documented")
    func wycheproof() throws {
        let file = try Vectors.decode(WycheproofXDHFile.self, from: "wycheproof-x25519_test.json")
        var counts: [String: Int] = [:]
        var zeroRefused = 0
        for group in file.testGroups {
            #expect(group.curve == "curve25519")
            for test in group.tests {
                counts[test.result, default: 0] += 1
                let expected = [UInt8](hex: test.shared)
                let isZero = expected.allSatisfy { $0 == 0 }
                let outcome: Result<[UInt8], SealingError> = { () -> Result<[UInt8], SealingError> in
                    do throws(SealingError) {
                        let priv = try X25519PrivateKey(rawRepresentation: [UInt8](hex: test.private))
                        let pub = try X25519PublicKey(rawRepresentation: [UInt8](hex: test.public))
                        return .success(try priv.sharedSecret(with: pub))
                    } catch {
                        return .failure(error)
                    }
                }()
                switch (test.result, outcome) {
                case ("valid", .success(let shared)):
                    #expect(shared == expected, "tcId \(test.tcId)")
                case ("valid", .failure(let error)):
                    Issue.record("valid tcId \(test.tcId) refused: \(error)")
                case ("invalid", .success):
                    Issue.record("invalid tcId \(test.tcId) accepted")
                case ("invalid", .failure):
                    break
                case ("acceptable", .success(let shared)):
                    #expect(!isZero, "tcId \(test.tcId): zero shared secret must be refused")
                    #expect(shared == expected, "tcId \(test.tcId)")
                case ("acceptable", .failure(let error)):
                    #expect(isZero, "acceptable tcId \(test.tcId) refused although its shared secret is non-zero: \(error)")
                    #expect(error == .invalidKey("X25519 shared secret is all zero (low-order public key)"))
                    zeroRefused += 1
                default:
                    Issue.record("unexpected result \(test.result) in tcId \(test.tcId)")
                }
            }
        }
        print("Wycheproof X25519: \(counts); \(zeroRefused) zero-shared-secret cases refused")
        #expect(counts["valid", default: 0] > 0)
        #expect(zeroRefused > 0)
    }

    @Test("RFC 7748 §6.1 Diffie–Hellman example")
    func rfc7748() throws {
        let alice = try X25519PrivateKey(rawRepresentation: [UInt8](hex: "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = try X25519PrivateKey(rawRepresentation: [UInt8](hex: "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        #expect(alice.publicKey.rawRepresentation.hex == "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        #expect(bob.publicKey.rawRepresentation.hex == "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let expected = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        #expect(try alice.sharedSecret(with: bob.publicKey).hex == expected)
        #expect(try bob.sharedSecret(with: alice.publicKey).hex == expected)
    }

    @Test("Key sizes, raw round trip, key ids")
    func keys() throws {
        let key = X25519PrivateKey.generate()
        let again = try X25519PrivateKey(rawRepresentation: key.rawRepresentation)
        #expect(again.publicKey == key.publicKey)
        #expect(key.publicKey.keyID.count == 32)
        #expect(key.publicKey.keyID.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(key.publicKey.keyID == String(Hashing.sha256Hex(key.publicKey.rawRepresentation).prefix(32)))
        #expect(X25519PrivateKey.generate().publicKey != key.publicKey)
        for size in [0, 31, 33] {
            expectSealingError(.invalidKey("X25519 private key must be 32 bytes")) { () throws(SealingError) in
                try X25519PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: size))
            }
            expectSealingError(.invalidKey("X25519 public key must be 32 bytes")) { () throws(SealingError) in
                try X25519PublicKey(rawRepresentation: [UInt8](repeating: 1, count: size))
            }
        }
        // The all-zero point (order 1) gives an all-zero secret.
        expectSealingError(.invalidKey("X25519 shared secret is all zero (low-order public key)")) { () throws(SealingError) in
            try key.sharedSecret(with: X25519PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32)))
        }
    }
}
