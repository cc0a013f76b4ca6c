/// HKDF with SHA-256 (RFC 5869), built on HMAC-SHA256.
///
/// Written on `HMACContext` rather than OpenSSL's `EVP_KDF` "HKDF" so that the
/// multi-part inputs HPKE needs (label prefixes in front of a secret) are fed to the MAC
/// piece by piece: no concatenated copy of a secret is ever made, and no digest name is
/// looked up per call.
public enum HKDFSHA256 {
    /// Output size of SHA-256, and so of `extract`.
    public static let hashLength = 32

    /// Largest `length` that `expand` accepts (255 blocks).
    public static let maximumOutputLength = 255 * 32

    /// HKDF-Extract: the 32-byte pseudorandom key HMAC-SHA256(salt, ikm). An empty salt
    /// acts as 32 zero bytes, as RFC 5869 specifies.
    public static func extract(salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        extract(salt: salt, ikmParts: [ikm])
    }

    /// HKDF-Expand: `length` bytes of output keying material from `prk` and `info`.
    /// - Throws: `.invalidInput` if `length` is negative or above 8160, `.invalidKey` if
    ///   `prk` is shorter than the hash (32 bytes).
    public static func expand(prk: [UInt8], info: [UInt8], length: Int) throws(SealingError) -> [UInt8] {
        try expand(prk: prk, infoParts: [info], length: length)
    }

    /// Extract then expand; the intermediate PRK is wiped.
    public static func derive(ikm: [UInt8], salt: [UInt8], info: [UInt8], length: Int) throws(SealingError) -> [UInt8] {
        var prk = extract(salt: salt, ikm: ikm)
        defer { Bytes.wipe(&prk) }
        return try expand(prk: prk, info: info, length: length)
    }

    // MARK: - Multi-part forms (HPKE's LabeledExtract / LabeledExpand)

    /// Extract over the concatenation of `ikmParts`, without building the concatenation.
    static func extract(salt: [UInt8], ikmParts: [[UInt8]]) -> [UInt8] {
        salt.withUnsafeBufferPointer { saltBuffer in
            let context = HMACContext(key: UnsafeRawBufferPointer(saltBuffer))
            for part in ikmParts { context.update(part) }
            return context.finalize()
        }
    }

    /// Expand with `info` given as the concatenation of `infoParts`.
    static func expand(prk: [UInt8], infoParts: [[UInt8]], length: Int) throws(SealingError) -> [UInt8] {
        try checkLength(length)
        guard prk.count >= hashLength else { throw .invalidKey("HKDF PRK shorter than the hash length") }
        return prk.withUnsafeBufferPointer { prkBuffer in
            [UInt8](unsafeUninitializedCapacity: length) { out, count in
                expand(prk: UnsafeRawBufferPointer(prkBuffer), infoParts: infoParts, into: UnsafeMutableRawBufferPointer(out))
                count = length
            }
        }
    }

    /// Expand straight into `out` (e.g. a `SecretKey`'s storage). `out.count` must be valid.
    static func expand(prk: UnsafeRawBufferPointer, infoParts: [[UInt8]], into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count <= maximumOutputLength && prk.count >= hashLength)
        guard out.count > 0 else { return }
        let context = HMACContext(key: prk)
        withUnsafeTemporaryAllocation(byteCount: hashLength, alignment: 1) { block in
            defer { Bytes.wipe(block) }
            var offset = 0
            var counter: UInt8 = 1
            while offset < out.count {
                if counter > 1 {
                    context.restart()
                    context.update(UnsafeRawBufferPointer(block))  // T(i-1)
                }
                for part in infoParts { context.update(part) }
                withUnsafeBytes(of: counter) { context.update($0) }
                context.finalize(into: block)
                let take = min(hashLength, out.count - offset)
                out.baseAddress!.advanced(by: offset).copyMemory(from: block.baseAddress!, byteCount: take)
                offset += take
                counter &+= 1
            }
        }
    }

    static func checkLength(_ length: Int) throws(SealingError) {
        guard length >= 0, length <= maximumOutputLength else {
            throw .invalidInput("HKDF output length must be between 0 and 8160 bytes")
        }
    }
}
