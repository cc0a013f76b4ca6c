package import Sealing

/// The staff key that signs requests: loaded from its file here, or held by the key agent.
package enum StaffSigner: Sendable {
    case local(Ed25519PrivateKey)
    case agent(AgentClient, keyID: String)

    package var keyID: String {
        switch self {
        case .local(let key): key.publicKey.keyID
        case .agent(_, let keyID): keyID
        }
    }

    /// Whether the key agent holds this key.
    package var isAgent: Bool {
        if case .agent = self { return true }
        return false
    }

    package func sign(_ message: [UInt8]) throws -> [UInt8] {
        switch self {
        case .local(let key): try key.signature(for: message)
        case .agent(let agent, let keyID): try agent.sign(message, keyID: keyID)
        }
    }
}

/// A centre private key (content or identity) that opens wraps: loaded here, or held by the agent.
package struct CentreKey: Sendable {
    enum Holder: Sendable {
        case local(X25519PrivateKey)
        case agent(AgentClient)
    }

    package let keyClass: KeyClass
    package let publicKey: X25519PublicKey
    let holder: Holder

    package init(local key: X25519PrivateKey, keyClass: KeyClass) {
        self.keyClass = keyClass
        self.publicKey = key.publicKey
        self.holder = .local(key)
    }

    package init(agent: AgentClient, publicKey: X25519PublicKey, keyClass: KeyClass) {
        self.keyClass = keyClass
        self.publicKey = publicKey
        self.holder = .agent(agent)
    }

    /// Opens `wrap` (which must be for this key) to the record's data key.
    package func unwrap(_ wrap: RecipientWrap, recordID: String) throws -> DataKey {
        switch holder {
        case .local(let key): try EnvelopeCrypto.unwrap(wrap, recordID: recordID, with: key)
        case .agent(let agent): try agent.unwrap(wrap, recordID: recordID)
        }
    }
}
