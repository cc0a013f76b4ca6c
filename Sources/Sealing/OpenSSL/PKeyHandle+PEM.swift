internal import COpenSSL

extension PKeyHandle {
    /// SubjectPublicKeyInfo PEM ("BEGIN PUBLIC KEY") of this key.
    func publicKeyPEM() -> String {
        do {
            let bio = try BIOHandle()
            guard PEM_write_bio_PUBKEY(bio.pointer, pointer) == 1 else { opensslFatal("PEM_write_bio_PUBKEY") }
            return bio.contentsAsString()
        } catch {
            opensslFatal("BIO_new")
        }
    }

    /// Parses a SubjectPublicKeyInfo PEM and checks it holds a `kind` key.
    static func fromPublicKeyPEM(_ pem: String, kind: KeyKind) throws(SealingError) -> PKeyHandle {
        let text = Array(pem.utf8)
        let key = try text.withUnsafeBufferPointer { (buffer) throws(SealingError) -> OpaquePointer? in
            let bio = try BIOHandle(readOnly: UnsafeRawBufferPointer(buffer))
            return PEM_read_bio_PUBKEY(bio.pointer, nil, nil, nil)
        }
        guard let key else {
            OpenSSLErrorQueue.clear()
            throw .malformed("public key PEM")
        }
        let handle = PKeyHandle(taking: key)
        guard handle.isKind(kind) else { throw .invalidKey("PEM does not hold an \(kind.name) public key") }
        return handle
    }

    /// The X25519 shared secret with `peer`, written into `out` (32 bytes).
    /// - Throws: `.invalidKey` if the result is all zero (a low-order peer point; RFC 7748 §6.1).
    func deriveX25519(peer: PKeyHandle, into out: UnsafeMutableRawBufferPointer) throws(SealingError) {
        precondition(out.count == 32)
        let ctx = try PKeyContext(key: self, operation: "EVP_PKEY_CTX_new(X25519)")
        guard EVP_PKEY_derive_init(ctx.pointer) == 1 else { throw .openSSLFailure("EVP_PKEY_derive_init") }
        // The peer is a raw 32-byte point already; the zero-output check below is the check
        // that matters for X25519, so OpenSSL's extra peer validation is skipped.
        guard EVP_PKEY_derive_set_peer_ex(ctx.pointer, peer.pointer, 0) == 1 else { throw .openSSLFailure("EVP_PKEY_derive_set_peer") }
        var length = out.count
        guard EVP_PKEY_derive(ctx.pointer, out.baseAddress?.assumingMemoryBound(to: UInt8.self), &length) == 1 else {
            // OpenSSL's X25519 fails exactly when the output is all zero.
            Bytes.wipe(out)
            OpenSSLErrorQueue.clear()
            throw .invalidKey("X25519 shared secret is all zero (low-order public key)")
        }
        guard length == 32 else { throw .openSSLFailure("EVP_PKEY_derive(length)") }
        var accumulated: UInt8 = 0
        for byte in out { accumulated |= byte }
        guard accumulated != 0 else { throw .invalidKey("X25519 shared secret is all zero (low-order public key)") }
    }
}

/// Key identifiers: the hex of the first 16 bytes of SHA-256 over the raw public key.
enum KeyIdentifier {
    static func of(_ rawPublicKey: [UInt8]) -> String {
        Bytes.hex(Hashing.sha256(rawPublicKey).prefix(16))
    }
}
