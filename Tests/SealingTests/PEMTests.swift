import Foundation
import Testing
@testable import Sealing

@Suite("PEM")
struct PEMTests {
    static let passphrase = [UInt8](utf8: "correct horse battery staple")

    /// The DER inside a PEM block.
    static func der(of pem: String) -> [UInt8] {
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return [UInt8](Data(base64Encoded: body)!)
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count else { return false }
        return (0...(haystack.count - needle.count)).contains { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }

    @Test("X25519 encrypted PEM round trip, scrypt N=2^15 r=8 p=1 + AES-256-CBC, wrong passphrase")
    func x25519EncryptedPEM() throws {
        let key = X25519PrivateKey.generate()
        let pem = try key.encryptedPEM(passphrase: Self.passphrase)
        #expect(pem.contains("-----BEGIN ENCRYPTED PRIVATE KEY-----"))
        #expect(!pem.contains("BEGIN " + "PRIVATE KEY"))
        let der = Self.der(of: pem)
        #expect(Self.contains(der, [0x06, 0x09] + EncryptedPrivateKeyPEM.pbes2OID))
        #expect(Self.contains(der, [0x06, 0x09] + EncryptedPrivateKeyPEM.scryptOID))
        #expect(Self.contains(der, [0x06, 0x09] + EncryptedPrivateKeyPEM.aes256CBCOID))
        #expect(Self.contains(der, [0x02, 0x03, 0x00, 0x80, 0x00, 0x02, 0x01, 0x08, 0x02, 0x01, 0x01]), "N=32768, r=8, p=1")
        #expect(!Self.contains(der, key.rawRepresentation))
        let back = try X25519PrivateKey(encryptedPEM: pem, passphrase: Self.passphrase)
        #expect(back.rawRepresentation == key.rawRepresentation)
        #expect(back.publicKey == key.publicKey)
        expectSealingError(.wrongPassphrase) { () throws(SealingError) in
            try X25519PrivateKey(encryptedPEM: pem, passphrase: [UInt8](utf8: "wrong"))
        }
        expectSealingError(.invalidKey("not an Ed25519 private key")) { () throws(SealingError) in
            try Ed25519PrivateKey(encryptedPEM: pem, passphrase: Self.passphrase)
        }
        #expect(try key.encryptedPEM(passphrase: Self.passphrase) != pem, "fresh salt and IV each time")
    }

    @Test("Ed25519 encrypted PEM round trip; empty passphrase")
    func ed25519EncryptedPEM() throws {
        let key = Ed25519PrivateKey.generate()
        let pem = try key.encryptedPEM(passphrase: [])
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED PRIVATE KEY-----\n"))
        #expect(!pem.contains("BEGIN " + "PRIVATE KEY"))
        let back = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: [])
        #expect(back.rawRepresentation == key.rawRepresentation)
        // Not [0]: HMAC zero-pads keys, so scrypt (PBKDF2-HMAC inside) cannot tell "" from "\0".
        expectSealingError(.wrongPassphrase) { () throws(SealingError) in
            try Ed25519PrivateKey(encryptedPEM: pem, passphrase: [1])
        }
    }

    /// Made with `openssl pkcs8 -topk8 -v2 aes-256-cbc` (PBKDF2) and `-scrypt` (N = 16384),
    /// passphrase "tipline": files from OpenSSL's own tools are read too.
    @Test("Reads OpenSSL-made encrypted PEMs (PBKDF2 and scrypt)")
    func openSSLMadePEMs() throws {
        for (pem, raw) in PEMFixtures.openSSLMade {
            let key = try X25519PrivateKey(encryptedPEM: pem, passphrase: [UInt8](utf8: "tipline"))
            #expect(key.rawRepresentation.hex == raw)
            expectSealingError(.wrongPassphrase) { () throws(SealingError) in
                try X25519PrivateKey(encryptedPEM: pem, passphrase: [UInt8](utf8: "tiplinE"))
            }
        }
    }

    @Test("Malformed and wrong-type PEMs")
    func malformed() throws {
        let key = X25519PrivateKey.generate()
        expectSealingError(.malformed("encrypted private key PEM")) { () throws(SealingError) in
            try X25519PrivateKey(encryptedPEM: "not a pem", passphrase: [])
        }
        expectSealingError(.malformed("PEM is not an ENCRYPTED PRIVATE KEY")) { () throws(SealingError) in
            try X25519PrivateKey(encryptedPEM: key.publicKey.pemRepresentation, passphrase: [])
        }
        let pem = try key.encryptedPEM(passphrase: [1])
        var der = Self.der(of: pem)
        der.removeLast(16)  // drop the last cipher block: length no longer consistent
        let truncated = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n\(Data(der).base64EncodedString())\n-----END ENCRYPTED PRIVATE KEY-----\n"
        #expect(expectAnySealingError { () throws(SealingError) in try X25519PrivateKey(encryptedPEM: truncated, passphrase: [1]) } != nil)
    }

    @Test("Public key PEM round trip and type checks")
    func publicPEM() throws {
        let x = X25519PrivateKey.generate().publicKey
        let pem = x.pemRepresentation
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(try X25519PublicKey(pem: pem) == x)
        let e = Ed25519PrivateKey.generate().publicKey
        #expect(try Ed25519PublicKey(pem: e.pemRepresentation) == e)
        expectSealingError(.invalidKey("PEM does not hold an X25519 public key")) { () throws(SealingError) in
            try X25519PublicKey(pem: e.pemRepresentation)
        }
        expectSealingError(.invalidKey("PEM does not hold an Ed25519 public key")) { () throws(SealingError) in
            try Ed25519PublicKey(pem: pem)
        }
        expectSealingError(.malformed("public key PEM")) { () throws(SealingError) in
            try X25519PublicKey(pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
        }
    }

    /// Every truncation and single-byte corruption of the DER fails cleanly. Made at N = 16
    /// so that corrupted cost parameters stay cheap (they are bounded anyway).
    ///
    /// PBES2 has no integrity check: a flip in a ciphertext block that only covers key bytes
    /// decrypts to a *different* valid key (and a flip of the PrivateKeyInfo version byte,
    /// which OpenSSL does not check, to the same key). Such a key's id no longer matches,
    /// which is why docs/ENVELOPE.md §8 says to compare key ids after loading.
    @Test("Corrupted or truncated EncryptedPrivateKeyInfo fails cleanly")
    func corruptedDER() throws {
        let key = X25519PrivateKey.generate()
        let pem = try EncryptedPrivateKeyPEM.encrypt(key: key.handle, kind: .x25519, passphrase: [7], parameters: .init(n: 16, r: 8, p: 1))
        #expect(try X25519PrivateKey(encryptedPEM: pem, passphrase: [7]).rawRepresentation == key.rawRepresentation)
        let der = Self.der(of: pem)
        func armored(_ bytes: [UInt8]) -> String {
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\n\(Data(bytes).base64EncodedString(options: .lineLength64Characters))\n-----END ENCRYPTED PRIVATE KEY-----\n"
        }
        for length in 0..<der.count {
            expectAnySealingError { () throws(SealingError) in try X25519PrivateKey(encryptedPEM: armored(Array(der.prefix(length))), passphrase: [7]) }
        }
        var refused = 0
        var differentKey = 0
        for index in der.indices {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var corrupted = der
                corrupted[index] ^= mask
                do {
                    _ = try X25519PrivateKey(encryptedPEM: armored(corrupted), passphrase: [7])
                    // Only the IV (16 bytes + 2 header) and the 64-byte ciphertext are unprotected.
                    #expect(index >= der.count - 82, "byte \(index): structure, parameters and salt must be checked")
                    differentKey += 1
                } catch {
                    refused += 1
                }
            }
        }
        print("corrupted key files: \(refused) refused, \(differentKey) decrypted (IV/ciphertext flips)")
        #expect(refused + differentKey == der.count * 3 && refused > differentKey)
        // scrypt parameters beyond the accepted bounds are refused before any work is done
        let huge = try EncryptedPrivateKeyPEM.encrypt(key: key.handle, kind: .x25519, passphrase: [7], parameters: .init(n: 16, r: 8, p: 1))
        var hugeDER = Self.der(of: huge)
        let nOffset = try #require((0..<(hugeDER.count - 3)).first { Array(hugeDER[$0..<($0 + 6)]) == [0x02, 0x01, 0x10, 0x02, 0x01, 0x08] })
        hugeDER[nOffset + 2] = 0x40  // N = 64 is fine …
        #expect(expectAnySealingError { () throws(SealingError) in try X25519PrivateKey(encryptedPEM: armored(hugeDER), passphrase: [7]) } == .wrongPassphrase)
        hugeDER[nOffset + 5] = 0x40  // … r = 64 is not
        #expect(expectAnySealingError { () throws(SealingError) in try X25519PrivateKey(encryptedPEM: armored(hugeDER), passphrase: [7]) }
            == .malformed("scrypt parameters out of accepted range"))
    }
}
