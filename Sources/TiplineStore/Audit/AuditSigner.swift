public import Sealing

/// The key that signs audit entries as they are appended (the server's Ed25519 key).
public struct AuditSigner: Sendable {
    public let key: Ed25519PrivateKey
    public let keyID: String

    public init(key: Ed25519PrivateKey) {
        self.key = key
        self.keyID = key.publicKey.keyID
    }
}
