import Testing
@testable import Sealing

@Suite("SHA-256, HMAC-SHA256, HKDF (RFC 5869), scrypt (RFC 7914)")
struct HashingTests {
    @Test("SHA-256 FIPS 180-2 examples")
    func sha256KnownAnswers() {
        #expect(Hashing.sha256Hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hashing.sha256Hex([UInt8](utf8: "abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hashing.sha256([UInt8](utf8: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test("Incremental hasher equals one-shot for any chunking; copies fork the state")
    func incrementalHasher() {
        let data = SecureRandom.bytes(10_000)
        var hasher = SHA256Hasher()
        var offset = 0
        var step = 1
        while offset < data.count {
            let end = min(data.count, offset + step)
            hasher.update(Array(data[offset..<end]))
            offset = end
            step = step * 3 + 1
        }
        #expect(hasher.finalize() == Hashing.sha256(data))
        // finalize does not consume: feeding more continues the same stream
        var fork = hasher
        fork.update([1, 2, 3])
        #expect(hasher.finalize() == Hashing.sha256(data))
        #expect(fork.finalize() == Hashing.sha256(data + [1, 2, 3]))
        #expect(SHA256Hasher().finalize() == Hashing.sha256([]))
    }

    @Test("HMAC-SHA256 RFC 4231 test cases 1, 2 and 6")
    func hmacKnownAnswers() {
        #expect(HMACSHA256.authenticate([UInt8](utf8: "Hi There"), key: [UInt8](repeating: 0x0B, count: 20)).hex
            == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        #expect(HMACSHA256.authenticate([UInt8](utf8: "what do ya want for nothing?"), key: [UInt8](utf8: "Jefe")).hex
            == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        // key longer than the block size is hashed first
        #expect(HMACSHA256.authenticate([UInt8](utf8: "Test Using Larger Than Block-Size Key - Hash Key First"),
                                        key: [UInt8](repeating: 0xAA, count: 131)).hex
            == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("HKDF-SHA256 RFC 5869 A.1–A.3 (from the vector file)")
    func hkdfRFC5869() throws {
        let blocks = try Vectors.keyValueBlocks("rfc-5869-HKDF-SHA256.txt")
        #expect(blocks.count == 3)
        for block in blocks {
            let ikm = [UInt8](hex: block["IKM"]!)
            let salt = [UInt8](hex: block["salt"] ?? "")
            let info = [UInt8](hex: block["info"] ?? "")
            let length = Int(block["L"]!)!
            let prk = HKDFSHA256.extract(salt: salt, ikm: ikm)
            #expect(prk.hex == block["PRK"]!, "PRK of case \(block["COUNT"]!)")
            #expect(try HKDFSHA256.expand(prk: prk, info: info, length: length).hex == block["OKM"]!, "OKM of case \(block["COUNT"]!)")
            #expect(try HKDFSHA256.derive(ikm: ikm, salt: salt, info: info, length: length).hex == block["OKM"]!)
        }
    }

    @Test("HKDF limits")
    func hkdfLimits() throws {
        let prk = HKDFSHA256.extract(salt: [], ikm: [1])
        #expect(try HKDFSHA256.expand(prk: prk, info: [], length: 8160).count == 8160)
        #expect(try HKDFSHA256.expand(prk: prk, info: [], length: 0).isEmpty)
        expectSealingError(.invalidInput("HKDF output length must be between 0 and 8160 bytes")) { () throws(SealingError) in
            try HKDFSHA256.expand(prk: prk, info: [], length: 8161)
        }
        expectSealingError(.invalidKey("HKDF PRK shorter than the hash length")) { () throws(SealingError) in
            try HKDFSHA256.expand(prk: [1, 2, 3], info: [], length: 32)
        }
        // the expand output is a prefix-consistent stream
        let long = try HKDFSHA256.expand(prk: prk, info: [9], length: 100)
        #expect(try HKDFSHA256.expand(prk: prk, info: [9], length: 33) == Array(long.prefix(33)))
    }

    @Test("scrypt RFC 7914 §12 (from the vector file; N = 2^20 included)")
    func scryptRFC7914() throws {
        let blocks = try Vectors.keyValueBlocks("rfc-7914-scrypt.txt")
        #expect(blocks.count == 4)
        var ran = 0
        for block in blocks {
            let parameters = Scrypt.Parameters(n: UInt64(block["N"]!)!, r: UInt32(block["r"]!)!, p: UInt32(block["p"]!)!)
            let clock = ContinuousClock()
            let start = clock.now
            let derived = try Scrypt.derive(password: [UInt8](hex: block["P"] ?? ""), salt: [UInt8](hex: block["S"] ?? ""),
                                            parameters: parameters, length: Int(block["dkLen"]!)!)
            #expect(derived.hex == block["DK"]!, "scrypt case \(block["COUNT"]!)")
            print("scrypt N=\(parameters.n) r=\(parameters.r) p=\(parameters.p): \(clock.now - start)")
            ran += 1
        }
        #expect(ran == 4)
    }

    @Test("scrypt parameter validation")
    func scryptValidation() {
        for bad in [Scrypt.Parameters(n: 0, r: 8, p: 1), Scrypt.Parameters(n: 1, r: 8, p: 1), Scrypt.Parameters(n: 1000, r: 8, p: 1),
                    Scrypt.Parameters(n: 16, r: 0, p: 1), Scrypt.Parameters(n: 16, r: 1, p: 0), Scrypt.Parameters(n: 1 << 16, r: 1, p: 1)] {
            let error = expectAnySealingError { () throws(SealingError) in
                try Scrypt.derive(password: [1], salt: [2], parameters: bad, length: 32)
            }
            if case .invalidInput = error {} else { Issue.record("expected invalidInput for \(bad), got \(String(describing: error))") }
        }
        #expect(Scrypt.Parameters.default == Scrypt.Parameters(n: 32768, r: 8, p: 1))
    }
}
