internal import COpenSSL

/// AES-GCM with a 96-bit nonce and a 128-bit tag; AES-128 or AES-256 by key size.
///
/// Other nonce and tag sizes are refused on purpose: GCM with other IV lengths hashes the
/// IV (see Wycheproof's CounterWrap notes) and short tags weaken authentication.
public enum AESGCM {
    /// Nonce size in bytes (96 bits).
    public static let nonceSize = 12
    /// Tag size in bytes (128 bits).
    public static let tagSize = 16
    /// Largest plaintext one nonce may protect (NIST SP 800-38D: 2^39 − 256 bits).
    public static let maximumPlaintextSize = (1 << 36) - 32

    /// Encrypts `plaintext`, authenticating `aad` too.
    /// - Throws: `.invalidInput` for a nonce that is not 12 bytes or an oversized plaintext.
    public static func seal(_ plaintext: [UInt8], key: SecretKey, nonce: [UInt8], aad: [UInt8]) throws(SealingError) -> (ciphertext: [UInt8], tag: [UInt8]) {
        try checkNonce(nonce)
        var tag = [UInt8](repeating: 0, count: tagSize)
        let ciphertext = try plaintext.withUnsafeBufferPointer { (input) throws(SealingError) -> [UInt8] in
            try [UInt8](unsafeUninitializedCapacity: input.count) { (out, count) throws(SealingError) in
                try tag.withUnsafeMutableBufferPointer { (tagOut) throws(SealingError) in
                    try nonce.withUnsafeBufferPointer { (nonceBuffer) throws(SealingError) in
                        try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) in
                            try sealRaw(input: UnsafeRawBufferPointer(input), key: key, nonce: UnsafeRawBufferPointer(nonceBuffer),
                                        aad: UnsafeRawBufferPointer(aadBuffer), ciphertextOut: UnsafeMutableRawBufferPointer(out),
                                        tagOut: UnsafeMutableRawBufferPointer(tagOut))
                        }
                    }
                }
                count = input.count
            }
        }
        return (ciphertext, tag)
    }

    /// Decrypts and verifies. No plaintext is returned (or left in memory) unless the tag matches.
    /// - Throws: `.authenticationFailed` on any mismatch; `.invalidInput` for a nonce that is
    ///   not 12 bytes or a tag that is not 16.
    public static func open(ciphertext: [UInt8], tag: [UInt8], key: SecretKey, nonce: [UInt8], aad: [UInt8]) throws(SealingError) -> [UInt8] {
        try checkNonce(nonce)
        guard tag.count == tagSize else { throw .invalidInput("AES-GCM tag must be 16 bytes") }
        return try ciphertext.withUnsafeBufferPointer { (input) throws(SealingError) -> [UInt8] in
            try tag.withUnsafeBufferPointer { (tagBuffer) throws(SealingError) -> [UInt8] in
                try nonce.withUnsafeBufferPointer { (nonceBuffer) throws(SealingError) -> [UInt8] in
                    try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                        try openRaw(ciphertext: UnsafeRawBufferPointer(input), tag: UnsafeRawBufferPointer(tagBuffer), key: key,
                                    nonce: UnsafeRawBufferPointer(nonceBuffer), aad: UnsafeRawBufferPointer(aadBuffer))
                    }
                }
            }
        }
    }

    /// Encrypts under a fresh random nonce and returns `nonce ‖ ciphertext ‖ tag` in one array.
    public static func sealCombined(_ plaintext: [UInt8], key: SecretKey, aad: [UInt8]) throws(SealingError) -> [UInt8] {
        let total = nonceSize + plaintext.count + tagSize
        return try plaintext.withUnsafeBufferPointer { (input) throws(SealingError) -> [UInt8] in
            try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                try [UInt8](unsafeUninitializedCapacity: total) { (out, count) throws(SealingError) in
                    let raw = UnsafeMutableRawBufferPointer(out)
                    let nonce = UnsafeMutableRawBufferPointer(rebasing: raw[0..<nonceSize])
                    SecureRandom.fill(nonce)
                    try sealRaw(input: UnsafeRawBufferPointer(input), key: key, nonce: UnsafeRawBufferPointer(nonce),
                                aad: UnsafeRawBufferPointer(aadBuffer),
                                ciphertextOut: UnsafeMutableRawBufferPointer(rebasing: raw[nonceSize..<(nonceSize + input.count)]),
                                tagOut: UnsafeMutableRawBufferPointer(rebasing: raw[(nonceSize + input.count)...]))
                    count = total
                }
            }
        }
    }

    /// Opens a `nonce ‖ ciphertext ‖ tag` box made by `sealCombined`.
    /// - Throws: `.malformed` if the box is shorter than nonce and tag; `.authenticationFailed`.
    public static func openCombined(_ box: [UInt8], key: SecretKey, aad: [UInt8]) throws(SealingError) -> [UInt8] {
        guard box.count >= nonceSize + tagSize else { throw .malformed("AES-GCM box shorter than nonce and tag") }
        return try box.withUnsafeBufferPointer { (boxBuffer) throws(SealingError) -> [UInt8] in
            try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                let raw = UnsafeRawBufferPointer(boxBuffer)
                return try openRaw(ciphertext: UnsafeRawBufferPointer(rebasing: raw[nonceSize..<(raw.count - tagSize)]),
                                   tag: UnsafeRawBufferPointer(rebasing: raw[(raw.count - tagSize)...]), key: key,
                                   nonce: UnsafeRawBufferPointer(rebasing: raw[0..<nonceSize]), aad: UnsafeRawBufferPointer(aadBuffer))
            }
        }
    }

    // MARK: - Raw core

    private static func checkNonce(_ nonce: [UInt8]) throws(SealingError) {
        guard nonce.count == nonceSize else { throw .invalidInput("AES-GCM nonce must be 12 bytes") }
    }

    private static func cipher(for key: SecretKey) throws(SealingError) -> OpaquePointer {
        switch key.count {
        case 16: return Algorithms.aes128GCM
        case 32: return Algorithms.aes256GCM
        default: throw .invalidKey("AES-GCM key must be 16 or 32 bytes")
        }
    }

    /// Encrypts `input` into `ciphertextOut` (same size) and writes the tag into `tagOut` (16 bytes).
    static func sealRaw(input: UnsafeRawBufferPointer, key: SecretKey, nonce: UnsafeRawBufferPointer, aad: UnsafeRawBufferPointer,
                        ciphertextOut: UnsafeMutableRawBufferPointer, tagOut: UnsafeMutableRawBufferPointer) throws(SealingError) {
        precondition(nonce.count == nonceSize && tagOut.count == tagSize && ciphertextOut.count == input.count)
        guard input.count <= maximumPlaintextSize else { throw .invalidInput("AES-GCM plaintext too long") }
        let ctx = try CipherContext()
        let cipher = try cipher(for: key)
        let initOK = key.withUnsafeBytes { keyBytes in
            EVP_EncryptInit_ex(ctx.pointer, cipher, nil, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                               nonce.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard initOK == 1 else { throw .openSSLFailure("EVP_EncryptInit_ex(AES-GCM)") }
        try feedAAD(ctx, aad, encrypt: true)
        var offset = 0
        while offset < input.count {
            let chunk = min(input.count - offset, 1 << 30)
            var written: Int32 = 0
            guard EVP_EncryptUpdate(ctx.pointer, ciphertextOut.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), &written,
                                    input.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(chunk)) == 1,
                Int(written) == chunk
            else { throw .openSSLFailure("EVP_EncryptUpdate(AES-GCM)") }
            offset += chunk
        }
        try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { (scratch) throws(SealingError) in
            var written: Int32 = 0
            guard EVP_EncryptFinal_ex(ctx.pointer, scratch.baseAddress!.assumingMemoryBound(to: UInt8.self), &written) == 1, written == 0 else {
                throw .openSSLFailure("EVP_EncryptFinal_ex(AES-GCM)")
            }
        }
        guard tipline_gcm_get_tag(ctx.pointer, Int32(tagSize), tagOut.baseAddress) == 1 else { throw .openSSLFailure("EVP_CTRL_GCM_GET_TAG") }
    }

    /// Decrypts and verifies; the plaintext buffer is wiped before throwing on a bad tag.
    static func openRaw(ciphertext: UnsafeRawBufferPointer, tag: UnsafeRawBufferPointer, key: SecretKey, nonce: UnsafeRawBufferPointer,
                        aad: UnsafeRawBufferPointer) throws(SealingError) -> [UInt8] {
        precondition(nonce.count == nonceSize)
        guard tag.count == tagSize else { throw .invalidInput("AES-GCM tag must be 16 bytes") }
        guard ciphertext.count <= maximumPlaintextSize else { throw .authenticationFailed }
        let ctx = try CipherContext()
        let cipher = try cipher(for: key)
        let initOK = key.withUnsafeBytes { keyBytes in
            EVP_DecryptInit_ex(ctx.pointer, cipher, nil, keyBytes.baseAddress?.assumingMemoryBound(to: UInt8.self),
                               nonce.baseAddress?.assumingMemoryBound(to: UInt8.self))
        }
        guard initOK == 1 else { throw .openSSLFailure("EVP_DecryptInit_ex(AES-GCM)") }
        try feedAAD(ctx, aad, encrypt: false)
        return try [UInt8](unsafeUninitializedCapacity: ciphertext.count) { (out, count) throws(SealingError) in
            count = 0
            var offset = 0
            while offset < ciphertext.count {
                let chunk = min(ciphertext.count - offset, 1 << 30)
                var written: Int32 = 0
                guard EVP_DecryptUpdate(ctx.pointer, out.baseAddress!.advanced(by: offset), &written,
                                        ciphertext.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(chunk)) == 1,
                    Int(written) == chunk
                else {
                    OPENSSL_cleanse(out.baseAddress, out.count)
                    throw .openSSLFailure("EVP_DecryptUpdate(AES-GCM)")
                }
                offset += chunk
            }
            guard tipline_gcm_set_tag(ctx.pointer, Int32(tagSize), UnsafeMutableRawPointer(mutating: tag.baseAddress)) == 1 else {
                OPENSSL_cleanse(out.baseAddress, out.count)
                throw .openSSLFailure("EVP_CTRL_GCM_SET_TAG")
            }
            let finalOK = withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { scratch in
                var written: Int32 = 0
                return EVP_DecryptFinal_ex(ctx.pointer, scratch.baseAddress!.assumingMemoryBound(to: UInt8.self), &written) == 1 && written == 0
            }
            guard finalOK else {
                OPENSSL_cleanse(out.baseAddress, out.count)
                OpenSSLErrorQueue.clear()
                throw .authenticationFailed
            }
            count = ciphertext.count
        }
    }

    private static func feedAAD(_ ctx: CipherContext, _ aad: UnsafeRawBufferPointer, encrypt: Bool) throws(SealingError) {
        var offset = 0
        while offset < aad.count {
            let chunk = min(aad.count - offset, 1 << 30)
            var written: Int32 = 0
            let input = aad.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self)
            let ok = encrypt
                ? EVP_EncryptUpdate(ctx.pointer, nil, &written, input, Int32(chunk))
                : EVP_DecryptUpdate(ctx.pointer, nil, &written, input, Int32(chunk))
            guard ok == 1 else { throw .openSSLFailure("AES-GCM AAD update") }
            offset += chunk
        }
    }
}
