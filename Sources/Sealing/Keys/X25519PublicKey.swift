/// An X25519 public key (RFC 7748), parsed once and kept as an OpenSSL key.
public struct X25519PublicKey: Sendable, Hashable {
    let handle: PKeyHandle
    /// The 32-byte little-endian u-coordinate.
    public let rawRepresentation: [UInt8]
    /// Hex of the first 16 bytes of SHA-256 over `rawRepresentation` (32 lowercase hex characters).
    public let keyID: String

    /// Imports a raw 32-byte public key.
    /// - Throws: `.invalidKey` if it is not 32 bytes.
    public init(rawRepresentation: [UInt8]) throws(SealingError) {
        handle = try rawRepresentation.withUnsafeBufferPointer { (buffer) throws(SealingError) in
            try PKeyHandle.rawPublic(.x25519, UnsafeRawBufferPointer(buffer))
        }
        self.rawRepresentation = rawRepresentation
        keyID = KeyIdentifier.of(rawRepresentation)
    }

    init(handle: PKeyHandle) throws(SealingError) {
        self.handle = handle
        rawRepresentation = try handle.rawPublicKey()
        keyID = KeyIdentifier.of(rawRepresentation)
    }

    /// SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
    public var pemRepresentation: String { handle.publicKeyPEM() }

    /// Parses a SubjectPublicKeyInfo PEM.
    /// - Throws: `.malformed` if it is not a public key PEM, `.invalidKey` if it is not X25519.
    public init(pem: String) throws(SealingError) {
        try self.init(handle: PKeyHandle.fromPublicKeyPEM(pem, kind: .x25519))
    }

    /// Equal when the raw keys are equal.
    public static func == (lhs: X25519PublicKey, rhs: X25519PublicKey) -> Bool {
        lhs.rawRepresentation == rhs.rawRepresentation
    }

    /// Hashes the raw key.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(rawRepresentation)
    }
}
