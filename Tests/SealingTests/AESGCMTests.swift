import Testing
@testable import Sealing

/// Wycheproof `aead_test_schema.json` (only the fields used here).
struct WycheproofAEADFile: Decodable {
    struct Group: Decodable {
        let ivSize: Int
        let keySize: Int
        let tagSize: Int
        let tests: [Case]
    }

    struct Case: Decodable {
        let tcId: Int
        let key: String
        let iv: String
        let aad: String
        let msg: String
        let ct: String
        let tag: String
        let result: String
        let flags: [String]
    }

    let numberOfTests: Int
    let testGroups: [Group]
}

@Suite("AES-GCM")
struct AESGCMTests {
    @Test("Wycheproof AES-GCM: every 128/256-bit key, 96-bit IV, 128-bit tag case")
    func wycheproof() throws {
        let file = try Vectors.decode(WycheproofAEADFile.self, from: "wycheproof-aes_gcm_test.json")
        var valid = 0
        var invalid = 0
        var refusedIVs = 0
        for group in file.testGroups where group.tagSize == 128 && (group.keySize == 128 || group.keySize == 256) {
            for test in group.tests {
                let key = try SecretKey(bytes: [UInt8](hex: test.key))
                let iv = [UInt8](hex: test.iv)
                let aad = [UInt8](hex: test.aad)
                let msg = [UInt8](hex: test.msg)
                let ct = [UInt8](hex: test.ct)
                let tag = [UInt8](hex: test.tag)
                guard group.ivSize == 96 else {
                    // Other IV sizes are refused by design (GHASH-derived counters; Wycheproof CounterWrap/ZeroLengthIv).
                    expectSealingError(.invalidInput("AES-GCM nonce must be 12 bytes")) { () throws(SealingError) in
                        try AESGCM.seal(msg, key: key, nonce: iv, aad: aad)
                    }
                    expectSealingError(.invalidInput("AES-GCM nonce must be 12 bytes")) { () throws(SealingError) in
                        try AESGCM.open(ciphertext: ct, tag: tag, key: key, nonce: iv, aad: aad)
                    }
                    refusedIVs += 1
                    continue
                }
                switch test.result {
                case "valid":
                    let sealed = try AESGCM.seal(msg, key: key, nonce: iv, aad: aad)
                    #expect(sealed.ciphertext == ct, "tcId \(test.tcId) ciphertext")
                    #expect(sealed.tag == tag, "tcId \(test.tcId) tag")
                    #expect(try AESGCM.open(ciphertext: ct, tag: tag, key: key, nonce: iv, aad: aad) == msg, "tcId \(test.tcId) open")
                    valid += 1
                case "invalid":
                    expectSealingError(.authenticationFailed) { () throws(SealingError) in
                        try AESGCM.open(ciphertext: ct, tag: tag, key: key, nonce: iv, aad: aad)
                    }
                    invalid += 1
                default:
                    Issue.record("unexpected result \(test.result) in tcId \(test.tcId)")
                }
            }
        }
        print("Wycheproof AES-GCM: \(valid) valid, \(invalid) invalid run; \(refusedIVs) non-96-bit-IV cases refused")
        #expect(valid > 0)
        #expect(invalid > 0)
        #expect(refusedIVs > 0)
    }

    @Test("192-bit keys are refused")
    func keySizes() {
        for size in [0, 15, 24, 31, 33, 64] {
            expectSealingError(.invalidKey("secret key must be 16 or 32 bytes")) { () throws(SealingError) in
                try SecretKey(bytes: [UInt8](repeating: 1, count: size))
            }
        }
    }

    @Test("NIST GCM spec (McGrew–Viega) test cases 13 and 14, AES-256")
    func nistGCM() throws {
        let key = try SecretKey(bytes: [UInt8](repeating: 0, count: 32))
        let nonce = [UInt8](repeating: 0, count: 12)
        let empty = try AESGCM.seal([], key: key, nonce: nonce, aad: [])
        #expect(empty.ciphertext.isEmpty)
        #expect(empty.tag.hex == "530f8afbc74536b9a963b4f1c4cb738b")
        let block = try AESGCM.seal([UInt8](repeating: 0, count: 16), key: key, nonce: nonce, aad: [])
        #expect(block.ciphertext.hex == "cea7403d4d606b6e074ec5d3baf39d18")
        #expect(block.tag.hex == "d0d1c8a799996bf0265b98b5d48ab919")
    }

    @Test("Combined form round trip, random nonces, tamper and truncation")
    func combined() throws {
        let key = SecretKey.random256()
        let message = [UInt8](utf8: "a tip about something")
        let aad = [UInt8](utf8: "context")
        let box = try AESGCM.sealCombined(message, key: key, aad: aad)
        #expect(box.count == 12 + message.count + 16)
        #expect(try AESGCM.openCombined(box, key: key, aad: aad) == message)
        #expect(try AESGCM.sealCombined(message, key: key, aad: aad) != box, "nonces must differ")
        for index in box.indices {
            var tampered = box
            tampered[index] ^= 0x01
            expectSealingError(.authenticationFailed) { () throws(SealingError) in try AESGCM.openCombined(tampered, key: key, aad: aad) }
        }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in try AESGCM.openCombined(box, key: key, aad: aad + [0]) }
        expectSealingError(.authenticationFailed) { () throws(SealingError) in try AESGCM.openCombined(box, key: .random256(), aad: aad) }
        for length in 0..<28 {
            expectSealingError(.malformed("AES-GCM box shorter than nonce and tag")) { () throws(SealingError) in
                try AESGCM.openCombined(Array(box.prefix(length)), key: key, aad: aad)
            }
        }
        for length in 28..<box.count {
            expectSealingError(.authenticationFailed) { () throws(SealingError) in try AESGCM.openCombined(Array(box.prefix(length)), key: key, aad: aad) }
        }
        // empty plaintext
        let emptyBox = try AESGCM.sealCombined([], key: key, aad: [])
        #expect(try AESGCM.openCombined(emptyBox, key: key, aad: []) == [])
    }

    @Test("Nonce and tag lengths are checked")
    func lengths() throws {
        let key = SecretKey.random256()
        let sealed = try AESGCM.seal([1, 2, 3], key: key, nonce: [UInt8](repeating: 7, count: 12), aad: [])
        expectSealingError(.invalidInput("AES-GCM tag must be 16 bytes")) { () throws(SealingError) in
            try AESGCM.open(ciphertext: sealed.ciphertext, tag: Array(sealed.tag.prefix(12)), key: key, nonce: [UInt8](repeating: 7, count: 12), aad: [])
        }
        expectSealingError(.invalidInput("AES-GCM nonce must be 12 bytes")) { () throws(SealingError) in
            try AESGCM.seal([1], key: key, nonce: [UInt8](repeating: 7, count: 16), aad: [])
        }
        #expect(try AESGCM.open(ciphertext: sealed.ciphertext, tag: sealed.tag, key: key, nonce: [UInt8](repeating: 7, count: 12), aad: []) == [1, 2, 3])
    }

    @Test("Large plaintext round trip (1 MiB, AES-128 and AES-256)")
    func large() throws {
        let data = SecureRandom.bytes(1 << 20)
        for key in [SecretKey.random256(), try SecretKey(bytes: SecureRandom.bytes(16))] {
            let box = try AESGCM.sealCombined(data, key: key, aad: [1])
            #expect(try AESGCM.openCombined(box, key: key, aad: [1]) == data)
        }
    }
}
