internal import COpenSSL

/// Cryptographically secure random bytes from OpenSSL's DRBG.
public enum SecureRandom {
    /// Returns `count` random bytes (`RAND_bytes`). Stops the process if the generator
    /// fails: continuing with predictable nonces or keys would be worse than crashing.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "negative byte count")
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            fill(UnsafeMutableRawBufferPointer(buffer))
            initialized = count
        }
    }

    /// Fills `buffer` with public random bytes (nonces, salts).
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) {
        var offset = 0
        while offset < buffer.count {
            let chunk = min(buffer.count - offset, 1 << 30)
            guard RAND_bytes(buffer.baseAddress!.advanced(by: offset).assumingMemoryBound(to: UInt8.self), Int32(chunk)) == 1 else {
                opensslFatal("RAND_bytes")
            }
            offset += chunk
        }
    }

    /// Fills `buffer` from the private DRBG, kept apart from the one that makes public
    /// values so that nonces never reveal generator state used for keys.
    static func fillPrivate(_ buffer: UnsafeMutableRawBufferPointer) {
        guard buffer.count > 0 else { return }
        precondition(buffer.count <= 1 << 30)
        guard RAND_priv_bytes(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            opensslFatal("RAND_priv_bytes")
        }
    }
}
