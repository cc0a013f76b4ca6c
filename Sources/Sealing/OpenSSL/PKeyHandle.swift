internal import COpenSSL

/// Owns one `EVP_PKEY` and frees it on deinit.
///
/// Keys are immutable once made, and OpenSSL 3 allows one `EVP_PKEY` to be used from many
/// threads at once (each operation gets its own `EVP_PKEY_CTX`), hence `@unchecked Sendable`.
final class PKeyHandle: @unchecked Sendable {
    let pointer: OpaquePointer

    /// Takes ownership of `pointer`.
    init(taking pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        EVP_PKEY_free(pointer)
    }

    /// Imports a raw private key (RFC 7748 scalar / RFC 8032 seed); OpenSSL derives the public key.
    static func rawPrivate(_ kind: KeyKind, _ bytes: UnsafeRawBufferPointer) throws(SealingError) -> PKeyHandle {
        guard bytes.count == kind.rawSize else { throw .invalidKey("\(kind.name) private key must be \(kind.rawSize) bytes") }
        guard let key = EVP_PKEY_new_raw_private_key(kind.evpType, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) else {
            throw .openSSLFailure("EVP_PKEY_new_raw_private_key(\(kind.name))")
        }
        return PKeyHandle(taking: key)
    }

    /// Imports a raw public key.
    static func rawPublic(_ kind: KeyKind, _ bytes: UnsafeRawBufferPointer) throws(SealingError) -> PKeyHandle {
        guard bytes.count == kind.rawSize else { throw .invalidKey("\(kind.name) public key must be \(kind.rawSize) bytes") }
        guard let key = EVP_PKEY_new_raw_public_key(kind.evpType, nil, bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count) else {
            OpenSSLErrorQueue.clear()
            throw .invalidKey("\(kind.name) public key refused")
        }
        return PKeyHandle(taking: key)
    }

    /// Whether the key is of `kind` (an imported PEM may hold any algorithm).
    func isKind(_ kind: KeyKind) -> Bool {
        EVP_PKEY_get_base_id(pointer) == kind.evpType
    }

    /// The raw public key bytes.
    func rawPublicKey() throws(SealingError) -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_public_key(pointer, nil, &length) == 1 else { throw .openSSLFailure("EVP_PKEY_get_raw_public_key") }
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            var written = length
            if EVP_PKEY_get_raw_public_key(pointer, buffer.baseAddress, &written) == 1 {
                count = written
            } else {
                failed = true
                count = 0
            }
        }
        if failed { throw .openSSLFailure("EVP_PKEY_get_raw_public_key") }
        return out
    }

    /// The raw private key bytes. The caller owns the copy and should wipe it.
    func rawPrivateKey() throws(SealingError) -> [UInt8] {
        var length = 0
        guard EVP_PKEY_get_raw_private_key(pointer, nil, &length) == 1 else { throw .openSSLFailure("EVP_PKEY_get_raw_private_key") }
        var failed = false
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, count in
            var written = length
            if EVP_PKEY_get_raw_private_key(pointer, buffer.baseAddress, &written) == 1 {
                count = written
            } else {
                OPENSSL_cleanse(buffer.baseAddress, buffer.count)
                failed = true
                count = 0
            }
        }
        if failed { throw .openSSLFailure("EVP_PKEY_get_raw_private_key") }
        return out
    }
}

/// The two key algorithms the module handles, with their OpenSSL type and PKCS#8 OID.
enum KeyKind: Sendable {
    case x25519
    case ed25519

    var evpType: Int32 {
        switch self {
        case .x25519: return EVP_PKEY_X25519
        case .ed25519: return EVP_PKEY_ED25519
        }
    }

    var name: String {
        switch self {
        case .x25519: return "X25519"
        case .ed25519: return "Ed25519"
        }
    }

    /// Raw key size (both private and public) in bytes.
    var rawSize: Int { 32 }

    /// DER encoding of the algorithm OID (RFC 8410): id-X25519 1.3.101.110, id-Ed25519 1.3.101.112.
    var oidDER: [UInt8] {
        switch self {
        case .x25519: return [0x06, 0x03, 0x2B, 0x65, 0x6E]
        case .ed25519: return [0x06, 0x03, 0x2B, 0x65, 0x70]
        }
    }
}
