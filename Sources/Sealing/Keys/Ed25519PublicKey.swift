internal import COpenSSL

/// An Ed25519 public key (RFC 8032), parsed once and kept as an OpenSSL key.
public struct Ed25519PublicKey: Sendable, Hashable {
    let handle: PKeyHandle
    /// The 32-byte encoded point.
    public let rawRepresentation: [UInt8]
    /// Hex of the first 16 bytes of SHA-256 over `rawRepresentation` (32 lowercase hex characters).
    public let keyID: String

    /// Imports a raw 32-byte public key.
    /// - Throws: `.invalidKey` if it is not 32 bytes, is of small order or is not canonically
    ///   encoded (`Ed25519PointCheck`): such a key lets one signature verify for any message.
    public init(rawRepresentation: [UInt8]) throws(SealingError) {
        if let problem = Ed25519PointCheck.problem(rawRepresentation) { throw .invalidKey(problem) }
        handle = try rawRepresentation.withUnsafeBufferPointer { (buffer) throws(SealingError) in
            try PKeyHandle.rawPublic(.ed25519, UnsafeRawBufferPointer(buffer))
        }
        self.rawRepresentation = rawRepresentation
        keyID = KeyIdentifier.of(rawRepresentation)
    }

    init(handle: PKeyHandle) throws(SealingError) {
        self.handle = handle
        rawRepresentation = try handle.rawPublicKey()
        if let problem = Ed25519PointCheck.problem(rawRepresentation) { throw .invalidKey(problem) }
        keyID = KeyIdentifier.of(rawRepresentation)
    }

    /// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
    public var pemRepresentation: String { handle.publicKeyPEM() }

    /// Parses a SubjectPublicKeyInfo PEM.
    /// - Throws: `.malformed` if it is not a public key PEM, `.invalidKey` if it is not Ed25519.
    public init(pem: String) throws(SealingError) {
        try self.init(handle: PKeyHandle.fromPublicKeyPEM(pem, kind: .ed25519))
    }

    /// Whether `signature` is a valid pure-Ed25519 signature of `message` by this key.
    /// Signatures that are not exactly 64 bytes, or whose S is not reduced, are refused.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64 else { return false }
        guard let ctx = try? DigestContext(empty: ()) else {
            OpenSSLErrorQueue.clear()
            return false
        }
        defer { OpenSSLErrorQueue.clear() }
        guard EVP_DigestVerifyInit(ctx.pointer, nil, nil, nil, handle.pointer) == 1 else { return false }
        return signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(ctx.pointer, sig.baseAddress, sig.count, msg.baseAddress, msg.count) == 1
            }
        }
    }

    /// Equal when the raw keys are equal.
    public static func == (lhs: Ed25519PublicKey, rhs: Ed25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// Hashes the raw key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawRepresentation)
    }
}
