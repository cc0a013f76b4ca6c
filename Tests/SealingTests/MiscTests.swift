import Testing
@testable import Sealing

@Suite("ConstantTime, SecretKey, SecureRandom, errors")
struct MiscTests {
    @Test("ConstantTime.equals")
    func constantTime() {
        #expect(ConstantTime.equals([], []))
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
        let a = SecureRandom.bytes(1000)
        var b = a
        #expect(ConstantTime.equals(a, b))
        b[999] ^= 1
        #expect(!ConstantTime.equals(a, b))
    }

    @Test("SecretKey sizes, export, equality, redaction")
    func secretKey() throws {
        let sixteen = try SecretKey(bytes: [UInt8](repeating: 7, count: 16))
        #expect(sixteen.count == 16)
        #expect(sixteen.bytesForExport == [UInt8](repeating: 7, count: 16))
        let random = SecretKey.random256()
        #expect(random.count == 32)
        #expect(random != SecretKey.random256())
        #expect(try SecretKey(bytes: random.bytesForExport) == random)
        #expect(random.withUnsafeBytes { $0.count } == 32)
        #expect(String(describing: random) == "SecretKey(256 bits, redacted)")
        var dumped = ""
        dump(random, to: &dumped)
        #expect(!dumped.contains(random.bytesForExport.hex) && !dumped.contains("\(random.bytesForExport[0]),"))
        expectSealingError(.invalidKey("secret key must be 16 or 32 bytes")) { () throws(SealingError) in try SecretKey(bytes: []) }
        expectSealingError(.invalidKey("data key must be 32 bytes")) { () throws(SealingError) in
            try DataKey(keyClass: .content, key: sixteen)
        }
    }

    @Test("SecureRandom")
    func random() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(33).count == 33)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }

    @Test("Key ids are 32 lowercase hex characters of SHA-256(raw public key)")
    func keyIDs() throws {
        // RFC 7748 §6.1 Alice's public key
        let raw = [UInt8](hex: "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        let key = try X25519PublicKey(rawRepresentation: raw)
        #expect(key.keyID == String(Hashing.sha256Hex(raw).prefix(32)))
        #expect(key.keyID.count == 32 && key.keyID == key.keyID.lowercased())
        let ed = Ed25519PrivateKey.generate().publicKey
        #expect(ed.keyID == String(Hashing.sha256Hex(ed.rawRepresentation).prefix(32)))
    }

    @Test("Error descriptions carry no data")
    func descriptions() {
        #expect(SealingError.authenticationFailed.description.contains("authentication failed"))
        #expect(SealingError.unsupportedVersion(2).description == "unsupported format version 2")
        #expect(SealingError.openSSL(operation: "X", detail: "").description == "OpenSSL failure in X")
    }
}
