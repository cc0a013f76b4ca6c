public import Sealing

/// The key that signs audit entries as they are appended (the server's Ed25519 key).
public struct AuditSigner: Sendable {
    /// The server's Ed25519 private key.
    public let key: Ed25519PrivateKey
    /// The key's id, recorded in each entry's `signer_key_id`.
    public let keyID: String

    /// A signer for `key`.
    public init(key: Ed25519PrivateKey) {
        self.key = key
        self.keyID = key.publicKey.keyID
    }
}
