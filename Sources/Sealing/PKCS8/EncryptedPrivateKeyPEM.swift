internal import COpenSSL

/// PKCS#8 EncryptedPrivateKeyInfo (RFC 5958) with PBES2 (RFC 8018), scrypt (RFC 7914 §7)
/// and AES-256-CBC, written and read by this module.
///
/// OpenSSL 3.0 cannot make these itself: `PKCS5_pbe2_set_scrypt` and `PKCS8_decrypt` run
/// scrypt with OpenSSL's default 32 MiB memory limit, which N = 2^15, r = 8 exceeds by a
/// few kilobytes. So the fixed DER structure is written here and scrypt runs through
/// `Scrypt.derive` with a limit set from the parameters. Files with other schemes (e.g.
/// PBKDF2 from `openssl pkcs8 -topk8`) are still read through `PKCS8_decrypt`.
enum EncryptedPrivateKeyPEM {
    static let pemLabel = "ENCRYPTED PRIVATE KEY"

    /// 1.2.840.113549.1.5.13
    static let pbes2OID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x05, 0x0D]
    /// 1.3.6.1.4.1.11591.4.11
    static let scryptOID: [UInt8] = [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x04, 0x0B]
    /// 2.16.840.1.101.3.4.1.42
    static let aes256CBCOID: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x01, 0x2A]

    static let saltSize = 16
    static let ivSize = 16

    /// Upper bounds for scrypt parameters read from a file, so a hostile file cannot make
    /// the process allocate gigabytes or spin for minutes.
    static let maximumN: UInt64 = 1 << 20
    static let maximumR: UInt64 = 32
    static let maximumP: UInt64 = 16
    static let maximumMemory: UInt64 = 1 << 30 + 1 << 26

    // MARK: Writing

    static func encrypt(key: PKeyHandle, kind: KeyKind, passphrase: [UInt8], parameters: Scrypt.Parameters) throws(SealingError) -> String {
        // PrivateKeyInfo ::= SEQUENCE { version 0, AlgorithmIdentifier { oid }, OCTET STRING { OCTET STRING raw } }
        // built in one reserved buffer so the secret is never spread over temporaries.
        var raw = try key.rawPrivateKey()
        defer { Bytes.wipe(&raw) }
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(16 + raw.count)
        plaintext += [0x30, UInt8(14 + raw.count), 0x02, 0x01, 0x00, 0x30, UInt8(kind.oidDER.count)]
        plaintext += kind.oidDER
        plaintext += [0x04, UInt8(raw.count + 2), 0x04, UInt8(raw.count)]
        plaintext.append(contentsOf: raw)
        defer { Bytes.wipe(&plaintext) }
        return try encrypt(privateKeyInfo: plaintext, passphrase: passphrase, parameters: parameters)
    }

    /// Encrypts an already encoded PrivateKeyInfo (any algorithm, e.g. the TLS key's P-256).
    static func encrypt(privateKeyInfo plaintext: [UInt8], passphrase: [UInt8], parameters: Scrypt.Parameters) throws(SealingError) -> String {
        let salt = SecureRandom.bytes(saltSize)
        let iv = SecureRandom.bytes(ivSize)
        var derived = try Scrypt.derive(password: passphrase, salt: salt, parameters: parameters, length: 32)
        defer { Bytes.wipe(&derived) }
        let ciphertext = try aes256CBC(encrypt: true, key: derived, iv: iv[...], input: plaintext[...])

        let der = DER.sequence(
            DER.sequence(
                DER.tlv(DER.oidTag, pbes2OID),
                DER.sequence(
                    DER.sequence(
                        DER.tlv(DER.oidTag, scryptOID),
                        DER.sequence(DER.octetString(salt), DER.integer(parameters.n), DER.integer(UInt64(parameters.r)),
                                     DER.integer(UInt64(parameters.p)))
                    ),
                    DER.sequence(DER.tlv(DER.oidTag, aes256CBCOID), DER.octetString(iv))
                )
            ),
            DER.octetString(ciphertext)
        )
        let bio = try BIOHandle()
        let ok = der.withUnsafeBufferPointer { buffer in
            PEM_write_bio(bio.pointer, pemLabel, "", buffer.baseAddress, buffer.count)
        }
        guard ok > 0 else { throw .openSSLFailure("PEM_write_bio") }
        return bio.contentsAsString()
    }

    // MARK: Reading

    static func decrypt(_ pem: String, passphrase: [UInt8]) throws(SealingError) -> PKeyHandle {
        let der = try readPEM(pem)
        var outer = DER.Reader(der[...])
        var info = DER.Reader(try outer.read(DER.sequenceTag, "EncryptedPrivateKeyInfo"))
        try outer.expectEnd("EncryptedPrivateKeyInfo")
        var algorithm = DER.Reader(try info.read(DER.sequenceTag, "encryptionAlgorithm"))
        let encryptedData = try info.read(DER.octetStringTag, "encryptedData")
        try info.expectEnd("EncryptedPrivateKeyInfo")

        if try algorithm.read(DER.oidTag, "encryptionAlgorithm") == pbes2OID[...] {
            var pbes2 = DER.Reader(try algorithm.read(DER.sequenceTag, "PBES2-params"))
            try algorithm.expectEnd("encryptionAlgorithm")
            var kdf = DER.Reader(try pbes2.read(DER.sequenceTag, "keyDerivationFunc"))
            var scheme = DER.Reader(try pbes2.read(DER.sequenceTag, "encryptionScheme"))
            try pbes2.expectEnd("PBES2-params")
            if try kdf.read(DER.oidTag, "keyDerivationFunc") == scryptOID[...],
               try scheme.read(DER.oidTag, "encryptionScheme") == aes256CBCOID[...] {
                return try decryptScrypt(kdf: &kdf, scheme: &scheme, encryptedData: encryptedData, passphrase: passphrase)
            }
        }
        return try decryptWithOpenSSL(der: der, passphrase: passphrase)
    }

    private static func decryptScrypt(kdf: inout DER.Reader, scheme: inout DER.Reader, encryptedData: ArraySlice<UInt8>,
                                      passphrase: [UInt8]) throws(SealingError) -> PKeyHandle {
        var params = DER.Reader(try kdf.read(DER.sequenceTag, "scrypt-params"))
        try kdf.expectEnd("keyDerivationFunc")
        let salt = try params.read(DER.octetStringTag, "scrypt salt")
        let n = try params.readUInt64("scrypt N")
        let r = try params.readUInt64("scrypt r")
        let p = try params.readUInt64("scrypt p")
        if !params.isAtEnd {
            guard try params.readUInt64("scrypt keyLength") == 32 else { throw .malformed("scrypt keyLength is not 32") }
        }
        try params.expectEnd("scrypt-params")
        let iv = try scheme.read(DER.octetStringTag, "AES-256-CBC IV")
        try scheme.expectEnd("encryptionScheme")

        guard iv.count == ivSize, salt.count >= 8, salt.count <= 64 else { throw .malformed("PBES2 salt or IV length") }
        guard n <= maximumN, r >= 1, r <= maximumR, p >= 1, p <= maximumP else { throw .malformed("scrypt parameters out of accepted range") }
        let parameters = Scrypt.Parameters(n: n, r: UInt32(r), p: UInt32(p))
        guard let memory = parameters.memoryRequired, memory <= maximumMemory else { throw .malformed("scrypt parameters out of accepted range") }
        do {
            try parameters.validate()
        } catch {
            throw .malformed("scrypt parameters invalid")
        }
        guard encryptedData.count >= 16, encryptedData.count % 16 == 0 else { throw .malformed("encrypted key length") }

        var derived = try Scrypt.derive(password: passphrase, salt: Array(salt), parameters: parameters, length: 32)
        defer { Bytes.wipe(&derived) }
        var plaintext: [UInt8]
        do {
            plaintext = try aes256CBC(encrypt: false, key: derived, iv: iv, input: encryptedData)
        } catch {
            OpenSSLErrorQueue.clear()
            throw .wrongPassphrase  // bad padding: the derived key was wrong
        }
        defer { Bytes.wipe(&plaintext) }
        return try privateKey(fromPKCS8: plaintext)
    }

    /// Other PBES1/PBES2 schemes, handled by OpenSSL within its own limits.
    private static func decryptWithOpenSSL(der: [UInt8], passphrase: [UInt8]) throws(SealingError) -> PKeyHandle {
        let sig: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_X509_SIG(nil, &cursor, buffer.count)
        }
        guard let sig else {
            OpenSSLErrorQueue.clear()
            throw .malformed("EncryptedPrivateKeyInfo")
        }
        defer { X509_SIG_free(sig) }
        guard passphrase.count <= Int(Int32.max) else { throw .invalidInput("passphrase too long") }
        var dummy: CChar = 0
        let p8: OpaquePointer? = passphrase.withUnsafeBufferPointer { pass in
            pass.withMemoryRebound(to: CChar.self) { chars in
                withUnsafeMutablePointer(to: &dummy) { empty in
                    PKCS8_decrypt(sig, chars.baseAddress ?? UnsafePointer(empty), Int32(chars.count))
                }
            }
        }
        guard let p8 else {
            OpenSSLErrorQueue.clear()
            throw .wrongPassphrase
        }
        defer { PKCS8_PRIV_KEY_INFO_free(p8) }
        guard let key = EVP_PKCS82PKEY(p8) else {
            OpenSSLErrorQueue.clear()
            throw .malformed("PrivateKeyInfo")
        }
        return PKeyHandle(taking: key)
    }

    private static func privateKey(fromPKCS8 der: [UInt8]) throws(SealingError) -> PKeyHandle {
        let p8: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_PKCS8_PRIV_KEY_INFO(nil, &cursor, buffer.count)
        }
        guard let p8 else {
            // Padding happened to check out (about 1 in 256 wrong keys) but the content is garbage.
            OpenSSLErrorQueue.clear()
            throw .wrongPassphrase
        }
        defer { PKCS8_PRIV_KEY_INFO_free(p8) }  // OpenSSL wipes the key octets on free
        guard let key = EVP_PKCS82PKEY(p8) else {
            OpenSSLErrorQueue.clear()
            throw .malformed("PrivateKeyInfo")
        }
        return PKeyHandle(taking: key)
    }

    /// The DER inside an "ENCRYPTED PRIVATE KEY" PEM block.
    private static func readPEM(_ pem: String) throws(SealingError) -> [UInt8] {
        let text = Array(pem.utf8)
        var name: UnsafeMutablePointer<CChar>?
        var header: UnsafeMutablePointer<CChar>?
        var data: UnsafeMutablePointer<UInt8>?
        var length = 0
        let ok = try text.withUnsafeBufferPointer { (buffer) throws(SealingError) -> Int32 in
            let bio = try BIOHandle(readOnly: UnsafeRawBufferPointer(buffer))
            return PEM_read_bio(bio.pointer, &name, &header, &data, &length)
        }
        defer {
            tipline_OPENSSL_free(name)
            tipline_OPENSSL_free(header)
            tipline_OPENSSL_free(data)
        }
        guard ok == 1, let name, let data else {
            OpenSSLErrorQueue.clear()
            throw .malformed("encrypted private key PEM")
        }
        guard String(cString: name) == pemLabel else {
            throw .malformed("PEM is not an ENCRYPTED PRIVATE KEY")
        }
        return [UInt8](UnsafeBufferPointer(start: data, count: length))
    }

    // MARK: AES-256-CBC

    private static func aes256CBC(encrypt: Bool, key: [UInt8], iv: ArraySlice<UInt8>, input: ArraySlice<UInt8>) throws(SealingError) -> [UInt8] {
        precondition(key.count == 32 && iv.count == ivSize)
        let ctx = try CipherContext()
        let initOK = key.withUnsafeBufferPointer { keyBuffer in
            iv.withUnsafeBufferPointer { ivBuffer in
                EVP_CipherInit_ex(ctx.pointer, Algorithms.aes256CBC, nil, keyBuffer.baseAddress, ivBuffer.baseAddress, encrypt ? 1 : 0)
            }
        }
        guard initOK == 1 else { throw .openSSLFailure("EVP_CipherInit_ex(AES-256-CBC)") }
        let capacity = input.count + 16
        var failed = false
        let out = input.withUnsafeBufferPointer { inBuffer in
            [UInt8](unsafeUninitializedCapacity: capacity) { outBuffer, count in
                var written: Int32 = 0
                var finalWritten: Int32 = 0
                if EVP_CipherUpdate(ctx.pointer, outBuffer.baseAddress, &written, inBuffer.baseAddress, Int32(inBuffer.count)) == 1,
                   EVP_CipherFinal_ex(ctx.pointer, outBuffer.baseAddress!.advanced(by: Int(written)), &finalWritten) == 1 {
                    count = Int(written + finalWritten)
                } else {
                    OPENSSL_cleanse(outBuffer.baseAddress, capacity)
                    failed = true
                    count = 0
                }
            }
        }
        if failed { throw .openSSLFailure(encrypt ? "AES-256-CBC encrypt" : "AES-256-CBC decrypt") }
        return out
    }
}
