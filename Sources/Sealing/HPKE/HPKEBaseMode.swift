/// HPKE (RFC 9180) in base mode with DHKEM(X25519, HKDF-SHA256) (KEM 0x0020), HKDF-SHA256
/// (KDF 0x0001) and AES-128-GCM (0x0001) or AES-256-GCM (0x0002), written on OpenSSL
/// primitives because OpenSSL 3.0 has no HPKE API.
///
/// Passes the RFC 9180 test vectors and interoperates with swift-crypto's `HPKE` (see
/// SealingTests). The PSK, Auth and AuthPSK modes are deliberately not offered.
public enum HPKEBaseMode {
    /// The AEAD of the suite.
    public enum AEAD: UInt16, Sendable, CaseIterable {
        /// AES-128-GCM, AEAD id 0x0001.
        case aes128GCM = 0x0001
        /// AES-256-GCM, AEAD id 0x0002.
        case aes256GCM = 0x0002

        /// Key size Nk in bytes.
        public var keySize: Int {
            switch self {
            case .aes128GCM: return 16
            case .aes256GCM: return 32
            }
        }
    }

    /// KEM id of DHKEM(X25519, HKDF-SHA256).
    public static let kemID: UInt16 = 0x0020
    /// KDF id of HKDF-SHA256.
    public static let kdfID: UInt16 = 0x0001
    /// Size of the encapsulated key `enc` (Nenc): a raw X25519 public key.
    public static let encapsulatedKeySize = 32

    /// SetupBaseS: encapsulates to `recipient` and derives the sender's context.
    /// - Parameter ephemeralKey: a fixed ephemeral key, for known-answer tests only; a
    ///   fresh one is generated when nil. Never reuse an ephemeral key.
    public static func setupSender(recipient: X25519PublicKey, info: [UInt8], aead: AEAD,
                                   ephemeralKey: X25519PrivateKey? = nil) throws(SealingError) -> (encapsulatedKey: [UInt8], context: SenderContext) {
        var (sharedSecret, enc) = try encapsulate(recipient: recipient, ephemeralKey: ephemeralKey)
        defer { Bytes.wipe(&sharedSecret) }
        let schedule = try HPKEKeySchedule(sharedSecret: sharedSecret, info: info, aead: aead)
        return (enc, SenderContext(schedule: schedule))
    }

    /// SetupBaseR: decapsulates `encapsulatedKey` with `recipient` and derives the recipient's context.
    /// - Throws: `.invalidKey` if `encapsulatedKey` is not 32 bytes or gives a zero shared secret.
    public static func setupRecipient(encapsulatedKey: [UInt8], recipient: X25519PrivateKey, info: [UInt8],
                                      aead: AEAD) throws(SealingError) -> RecipientContext {
        var sharedSecret = try decapsulate(encapsulatedKey: encapsulatedKey, recipient: recipient)
        defer { Bytes.wipe(&sharedSecret) }
        let schedule = try HPKEKeySchedule(sharedSecret: sharedSecret, info: info, aead: aead)
        return RecipientContext(schedule: schedule)
    }

    /// Single-shot seal: a fresh encapsulation and one message (sequence number 0).
    public static func seal(_ plaintext: [UInt8], to recipient: X25519PublicKey, info: [UInt8], aad: [UInt8],
                            aead: AEAD) throws(SealingError) -> (encapsulatedKey: [UInt8], ciphertext: [UInt8]) {
        var (enc, context) = try setupSender(recipient: recipient, info: info, aead: aead)
        let ciphertext = try context.seal(plaintext, aad: aad)
        return (enc, ciphertext)
    }

    /// Single-shot open of a message made by `seal`.
    /// - Throws: `.authenticationFailed` if the ciphertext, `enc`, `info` or `aad` do not match.
    public static func open(_ ciphertext: [UInt8], encapsulatedKey: [UInt8], recipient: X25519PrivateKey, info: [UInt8], aad: [UInt8],
                            aead: AEAD) throws(SealingError) -> [UInt8] {
        var context = try setupRecipient(encapsulatedKey: encapsulatedKey, recipient: recipient, info: info, aead: aead)
        return try context.open(ciphertext, aad: aad)
    }

    // MARK: - DHKEM(X25519, HKDF-SHA256)

    /// `"KEM" ‖ I2OSP(kem_id, 2)`
    static let kemSuiteID: [UInt8] = Array("KEM".utf8) + [0x00, 0x20]

    /// Encap(pkR): returns (shared_secret, enc). The caller wipes the shared secret.
    static func encapsulate(recipient: X25519PublicKey, ephemeralKey: X25519PrivateKey?) throws(SealingError) -> (sharedSecret: [UInt8], enc: [UInt8]) {
        let ephemeral: PKeyHandle
        if let ephemeralKey {
            ephemeral = ephemeralKey.handle
        } else {
            ephemeral = try X25519PrivateKey.generateHandle()
        }
        let enc = try ephemeral.rawPublicKey()
        var dh = [UInt8](repeating: 0, count: 32)
        defer { Bytes.wipe(&dh) }
        try dh.withUnsafeMutableBufferPointer { (buffer) throws(SealingError) in
            try ephemeral.deriveX25519(peer: recipient.handle, into: UnsafeMutableRawBufferPointer(buffer))
        }
        let sharedSecret = try extractAndExpand(dh: dh, enc: enc, recipientPublicKey: recipient.rawRepresentation)
        return (sharedSecret, enc)
    }

    /// Decap(enc, skR): returns shared_secret. The caller wipes it.
    static func decapsulate(encapsulatedKey: [UInt8], recipient: X25519PrivateKey) throws(SealingError) -> [UInt8] {
        guard encapsulatedKey.count == encapsulatedKeySize else { throw .invalidKey("HPKE encapsulated key must be 32 bytes") }
        let ephemeralPublic = try encapsulatedKey.withUnsafeBufferPointer { (buffer) throws(SealingError) in
            try PKeyHandle.rawPublic(.x25519, UnsafeRawBufferPointer(buffer))
        }
        var dh = [UInt8](repeating: 0, count: 32)
        defer { Bytes.wipe(&dh) }
        try dh.withUnsafeMutableBufferPointer { (buffer) throws(SealingError) in
            try recipient.handle.deriveX25519(peer: ephemeralPublic, into: UnsafeMutableRawBufferPointer(buffer))
        }
        return try extractAndExpand(dh: dh, enc: encapsulatedKey, recipientPublicKey: recipient.publicKey.rawRepresentation)
    }

    /// ExtractAndExpand(dh, kem_context = enc ‖ pkRm).
    private static func extractAndExpand(dh: [UInt8], enc: [UInt8], recipientPublicKey: [UInt8]) throws(SealingError) -> [UInt8] {
        var eaePRK = HPKELabels.labeledExtract(salt: [], label: HPKELabels.eaePRK, ikm: dh, suiteID: kemSuiteID)
        defer { Bytes.wipe(&eaePRK) }
        return try HPKELabels.labeledExpand(prk: eaePRK, label: HPKELabels.sharedSecret, info: enc + recipientPublicKey,
                                            length: 32, suiteID: kemSuiteID)
    }
}
