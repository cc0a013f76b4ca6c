/// An X25519 private key (RFC 7748) with its public key, both parsed once.
public struct X25519PrivateKey: Sendable {
    let handle: PKeyHandle
    /// The matching public key.
    public let publicKey: X25519PublicKey

    init(handle: PKeyHandle) throws(SealingError) {
        guard handle.isKind(.x25519) else { throw .invalidKey("not an X25519 private key") }
        self.handle = handle
        publicKey = try X25519PublicKey(rawRepresentation: handle.rawPublicKey())
    }

    /// A new random key (32 bytes from the private DRBG; X25519 clamps on use).
    public static func generate() -> X25519PrivateKey {
        do {
            return try X25519PrivateKey(handle: generateHandle())
        } catch {
            fatalError("Sealing: X25519 key generation failed: \(error)")
        }
    }

    /// A new key as a bare OpenSSL key, for ephemeral use where no `X25519PublicKey` is needed.
    static func generateHandle() throws(SealingError) -> PKeyHandle {
        try withUnsafeTemporaryAllocation(byteCount: 32, alignment: 1) { (scalar) throws(SealingError) -> PKeyHandle in
            defer { Bytes.wipe(scalar) }
            SecureRandom.fillPrivate(scalar)
            return try PKeyHandle.rawPrivate(.x25519, UnsafeRawBufferPointer(scalar))
        }
    }

    /// Imports a raw 32-byte private scalar.
    /// - Throws: `.invalidKey` if it is not 32 bytes.
    public init(rawRepresentation: [UInt8]) throws(SealingError) {
        let handle = try rawRepresentation.withUnsafeBufferPointer { (buffer) throws(SealingError) in
            try PKeyHandle.rawPrivate(.x25519, UnsafeRawBufferPointer(buffer))
        }
        try self.init(handle: handle)
    }

    /// A copy of the raw 32-byte private scalar; the caller must protect and wipe it.
    public var rawRepresentation: [UInt8] {
        do { return try handle.rawPrivateKey() } catch { opensslFatal("EVP_PKEY_get_raw_private_key") }
    }

    /// The X25519 shared secret with `peer` (32 bytes). The caller should wipe it after use.
    /// - Throws: `.invalidKey` if the result is all zero (low-order peer key).
    public func sharedSecret(with peer: X25519PublicKey) throws(SealingError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        try out.withUnsafeMutableBufferPointer { (buffer) throws(SealingError) in
            try handle.deriveX25519(peer: peer.handle, into: UnsafeMutableRawBufferPointer(buffer))
        }
        return out
    }

    /// PKCS#8 EncryptedPrivateKeyInfo PEM, PBES2 with scrypt (N = 2^15, r = 8, p = 1) and
    /// AES-256-CBC ("-----BEGIN ENCRYPTED PRIVATE KEY-----"). See docs/ENVELOPE.md.
    ///
    /// - Parameter parameters: the scrypt cost written into the file. Leave it at `.default`: it is
    ///   what every shipped tool writes. A lower cost exists only for test fixtures, which pass it
    ///   explicitly; readers accept any cost within `EncryptedPrivateKeyPEM`'s upper bounds.
    public func encryptedPEM(passphrase: [UInt8], parameters: Scrypt.Parameters = .default) throws(SealingError) -> String {
        try EncryptedPrivateKeyPEM.encrypt(key: handle, kind: .x25519, passphrase: passphrase, parameters: parameters)
    }

    /// Decrypts a PKCS#8 encrypted private key PEM holding an X25519 key.
    /// - Throws: `.wrongPassphrase`, `.malformed` for a bad PEM, `.invalidKey` for another key type.
    public init(encryptedPEM: String, passphrase: [UInt8]) throws(SealingError) {
        try self.init(handle: EncryptedPrivateKeyPEM.decrypt(encryptedPEM, passphrase: passphrase))
    }
}
