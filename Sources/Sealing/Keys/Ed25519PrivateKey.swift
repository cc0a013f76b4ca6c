internal import COpenSSL

/// An Ed25519 signing key (RFC 8032, pure Ed25519) with its public key, both parsed once.
public struct Ed25519PrivateKey: Sendable {
    let handle: PKeyHandle
    /// The matching public key.
    public let publicKey: Ed25519PublicKey

    init(handle: PKeyHandle) throws(SealingError) {
        guard handle.isKind(.ed25519) else { throw .invalidKey("not an Ed25519 private key") }
        self.handle = handle
        publicKey = try Ed25519PublicKey(rawRepresentation: handle.rawPublicKey())
    }

    /// A new random key (a 32-byte seed from the private DRBG).
    public static func generate() -> Ed25519PrivateKey {
        do {
            let handle = try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { (seed) throws(SealingError) -> PKeyHandle in
                defer { Bytes.wipe(seed) }
                SecureRandom.fillPrivate(seed)
                return try PKeyHandle.rawPrivate(.ed25519, UnsafeRawBufferPointer(seed))
            }
            return try Ed25519PrivateKey(handle: handle)
        } catch {
            fatalError("Sealing: Ed25519 key generation failed: \(error)")
        }
    }

    /// Imports a raw 32-byte seed.
    /// - Throws: `.invalidKey` if it is not 32 bytes.
    public init(rawRepresentation: [UInt8]) throws(SealingError) {
        let handle = try rawRepresentation.withUnsafeBufferPointer { (buffer) throws(SealingError) in
            try PKeyHandle.rawPrivate(.ed25519, UnsafeRawBufferPointer(buffer))
        }
        try self.init(handle: handle)
    }

    /// A copy of the raw 32-byte seed; the caller must protect and wipe it.
    public var rawRepresentation: [UInt8] {
        do { return try handle.rawPrivateKey() } catch { opensslFatal("EVP_PKEY_get_raw_private_key") }
    }

    /// The 64-byte pure Ed25519 signature of `message` (deterministic).
    public func signature(for message: [UInt8]) throws(SealingError) -> [UInt8] {
        let ctx = try DigestContext(empty: ())
        guard EVP_DigestSignInit(ctx.pointer, nil, nil, nil, handle.pointer) == 1 else { throw .openSSLFailure("EVP_DigestSignInit(Ed25519)") }
        var failed = false
        let signature = message.withUnsafeBufferPointer { msg in
            [UInt8](unsafeUninitializedCapacity: 64) { out, count in
                var length = 64
                if EVP_DigestSign(ctx.pointer, out.baseAddress, &length, msg.baseAddress, msg.count) == 1, length == 64 {
                    count = 64
                } else {
                    failed = true
                    count = 0
                }
            }
        }
        if failed { throw .openSSLFailure("EVP_DigestSign(Ed25519)") }
        return signature
    }

    /// PKCS#8 EncryptedPrivateKeyInfo PEM, PBES2 with scrypt (N = 2^15, r = 8, p = 1) and AES-256-CBC.
    ///
    /// - Parameter parameters: the scrypt cost written into the file. Leave it at `.default`: it is
    ///   what every shipped tool writes. A lower cost exists only for test fixtures, which pass it
    ///   explicitly; readers accept any cost within `EncryptedPrivateKeyPEM`'s upper bounds.
    public func encryptedPEM(passphrase: [UInt8], parameters: Scrypt.Parameters = .default) throws(SealingError) -> String {
        try EncryptedPrivateKeyPEM.encrypt(key: handle, kind: .ed25519, passphrase: passphrase, parameters: parameters)
    }

    /// Decrypts a PKCS#8 encrypted private key PEM holding an Ed25519 key.
    /// - Throws: `.wrongPassphrase`, `.malformed` for a bad PEM, `.invalidKey` for another key type.
    public init(encryptedPEM: String, passphrase: [UInt8]) throws(SealingError) {
        try self.init(handle: EncryptedPrivateKeyPEM.decrypt(encryptedPEM, passphrase: passphrase))
    }
}
