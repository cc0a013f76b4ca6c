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
        #expect(!pem.contains("BEGIN PRIVATE KEY"))
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
        #expect(!pem.contains("BEGIN PRIVATE KEY"))
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
}
