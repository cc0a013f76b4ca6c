internal import COpenSSL

/// Owns one keyed HMAC-SHA256 `EVP_MAC_CTX` and frees it on deinit (OpenSSL wipes the key).
///
/// Failures here can only be memory exhaustion, so they are fatal: the public HMAC and
/// HKDF-Extract functions are non-throwing by design.
final class HMACContext {
    private let pointer: OpaquePointer

    /// A context keyed with `key` (any length, including empty).
    init(key: UnsafeRawBufferPointer) {
        guard let ctx = EVP_MAC_CTX_dup(Algorithms.hmacSHA256Template) else { opensslFatal("EVP_MAC_CTX_dup") }
        self.pointer = ctx
        // A NULL key means "re-initialise with the previous key" to OpenSSL, and this context
        // has none yet: an empty key must still be passed as a non-NULL pointer.
        var dummy: UInt8 = 0
        let ok = withUnsafeMutablePointer(to: &dummy) { dummyPointer in
            let base = key.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(dummyPointer)
            return EVP_MAC_init(ctx, base, key.count, nil)
        }
        guard ok == 1 else { opensslFatal("EVP_MAC_init") }
    }

    deinit {
        EVP_MAC_CTX_free(pointer)
    }

    /// Restarts the MAC with the same key.
    func restart() {
        guard EVP_MAC_init(pointer, nil, 0, nil) == 1 else { opensslFatal("EVP_MAC_init(restart)") }
    }

    func update(_ data: UnsafeRawBufferPointer) {
        guard let base = data.baseAddress, data.count > 0 else { return }
        guard EVP_MAC_update(pointer, base.assumingMemoryBound(to: UInt8.self), data.count) == 1 else { opensslFatal("EVP_MAC_update") }
    }

    func update(_ data: [UInt8]) {
        data.withUnsafeBufferPointer { update(UnsafeRawBufferPointer($0)) }
    }

    /// Writes the 32-byte MAC into `out` (which must hold at least 32 bytes).
    func finalize(into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= 32)
        var written = 0
        guard EVP_MAC_final(pointer, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &written, out.count) == 1, written == 32 else {
            opensslFatal("EVP_MAC_final")
        }
    }

    func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            finalize(into: UnsafeMutableRawBufferPointer(buffer))
            count = 32
        }
    }
}
