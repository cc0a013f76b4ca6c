/// Key commitments (docs/ENVELOPE.md §11): a 32-byte value, stored next to a record when it is
/// sealed, that binds the record's data key of one class. Whoever opens a wrap can check that it
/// gave *the* data key of the record and not some other key that happens to open (a wrap added
/// later by someone who never held the key, or a message whose wraps give different recipients
/// different keys). HPKE and AES-GCM are not key-committing on their own.
///
/// `commitment = HMAC-SHA256(key = data key, "tipline:v1:key-commitment:<recordID>:<content|identity>")`
///
/// It reveals nothing about the data key (HMAC-SHA256 is a PRF keyed by a random 256-bit key) and
/// nothing about the record (the message is public), and two different keys giving the same
/// commitment would be an HMAC-SHA256 collision.
public enum KeyCommitment {
    /// Length of a commitment in bytes.
    public static let size = 32

    /// `tipline:v1:key-commitment:<recordID>:<class>`, the HMAC message.
    static func label(recordID: String, keyClass: KeyClass) -> [UInt8] {
        Array("tipline:v1:key-commitment:\(recordID):\(keyClass.rawValue)".utf8)
    }

    /// The commitment to `key` for `recordID`.
    /// - Throws: `.invalidInput` for a bad record id.
    public static func commit(_ key: DataKey, recordID: String) throws(SealingError) -> [UInt8] {
        try EnvelopeNames.validate(recordID, "record id")
        let message = label(recordID: recordID, keyClass: key.keyClass)
        return key.key.withUnsafeBytes { raw in
            let context = HMACContext(key: raw)
            context.update(message)
            return context.finalize()
        }
    }

    /// Whether `commitment` commits to `key` for `recordID` (compared in constant time).
    public static func matches(_ commitment: [UInt8], key: DataKey, recordID: String) -> Bool {
        guard commitment.count == size, let expected = try? commit(key, recordID: recordID) else { return false }
        return ConstantTime.equals(expected, commitment)
    }
}

extension EnvelopeCrypto {
    /// Seals a one-field message (a reply, a note, a reporter's message) under one fresh content key
    /// wrapped for every recipient, with the key's `KeyCommitment` in the envelope; then checks,
    /// before returning it, that every wrap opens to that key (from the sender's side: each wrap's
    /// ephemeral key recomputes its HPKE secret). A message whose wraps do not all open to the same
    /// key is never returned, so it is never sent.
    /// - Throws: `.invalidInput` for bad names or no recipient; `.authenticationFailed` if a wrap
    ///   does not open to the message key.
    public static func sealMessage(recordID: String, name: String, value: [UInt8],
                                   recipients: [X25519PublicKey]) throws(SealingError) -> Envelope {
        try EnvelopeNames.validate(recordID, "record id")
        guard !recipients.isEmpty else { throw .invalidInput("no content recipient") }
        let key = DataKey.random(.content)
        var envelope = try Envelope(recordID: recordID, fields: [try sealField(name: name, value: value, recordID: recordID, key: key)])
        envelope.keyCommitment = try KeyCommitment.commit(key, recordID: recordID)
        var ephemeralKeys: [String: X25519PrivateKey] = [:]
        var targets: [X25519PublicKey] = []
        for recipient in recipients where ephemeralKeys[recipient.keyID] == nil {
            let ephemeral = X25519PrivateKey.generate()
            ephemeralKeys[recipient.keyID] = ephemeral
            targets.append(recipient)
            envelope.wraps.append(try wrap(key, recordID: recordID, for: recipient, ephemeralKey: ephemeral))
        }
        try checkMessageWraps(envelope, key: key, recipients: targets, ephemeralKeys: ephemeralKeys)
        return envelope
    }

    /// Seals a tip's identity alone, on a triage officer's machine (`tipline-admin tips record`, issue
    /// 15): a fresh identity data key, every field under it, one wrap per recipient (the identity keys
    /// the routing chooses) and the key's `KeyCommitment` in the envelope, each wrap checked from the
    /// sender's side as `sealMessage` checks them. The server adds the content under the same record id.
    /// Zero fields (an anonymous reporter) still wraps the key, as intake does.
    /// - Throws: `.invalidInput` for bad or duplicate names or no recipient; `.authenticationFailed` if
    ///   a wrap does not open to the key.
    public static func sealIdentity(recordID: String, fields: [(name: String, value: [UInt8])],
                                    recipients: [X25519PublicKey]) throws(SealingError) -> Envelope {
        try EnvelopeNames.validate(recordID, "record id")
        guard !recipients.isEmpty else { throw .invalidInput("no identity recipient") }
        let key = DataKey.random(.identity)
        var envelope = try Envelope(recordID: recordID)
        var names = Set<String>()
        for field in fields {
            guard names.insert(field.name).inserted else { throw .invalidInput("duplicate field name") }
            envelope.fields.append(try sealField(name: field.name, value: field.value, recordID: recordID, key: key))
        }
        envelope.keyCommitment = try KeyCommitment.commit(key, recordID: recordID)
        var ephemeralKeys: [String: X25519PrivateKey] = [:]
        var targets: [X25519PublicKey] = []
        for recipient in recipients where ephemeralKeys[recipient.keyID] == nil {
            let ephemeral = X25519PrivateKey.generate()
            ephemeralKeys[recipient.keyID] = ephemeral
            targets.append(recipient)
            envelope.wraps.append(try wrap(key, recordID: recordID, for: recipient, ephemeralKey: ephemeral))
        }
        try checkMessageWraps(envelope, key: key, recipients: targets, ephemeralKeys: ephemeralKeys)
        return envelope
    }

    /// The sender's check before a message leaves: exactly one wrap per recipient, each opening (with
    /// its ephemeral key) to `key`, and the envelope's commitment to `key`.
    /// - Throws: `.authenticationFailed` at the first wrap that does not.
    static func checkMessageWraps(_ envelope: Envelope, key: DataKey, recipients: [X25519PublicKey],
                                  ephemeralKeys: [String: X25519PrivateKey]) throws(SealingError) {
        guard envelope.wraps.count == recipients.count, let commitment = envelope.keyCommitment,
              KeyCommitment.matches(commitment, key: key, recordID: envelope.recordID) else { throw .authenticationFailed }
        for recipient in recipients {
            guard let wrap = envelope.wraps.first(where: { $0.recipientKeyID == recipient.keyID }),
                  let ephemeral = ephemeralKeys[recipient.keyID],
                  let opened = try? openAsSender(wrap, recordID: envelope.recordID, ephemeralKey: ephemeral, recipient: recipient),
                  opened == key else { throw .authenticationFailed }
        }
    }

    /// The data key a wrap made with `ephemeralKey` for `recipient` carries, recomputed by the sender
    /// (DH(skE, pkR) = DH(skR, enc)); throws if the wrap does not open.
    static func openAsSender(_ wrap: RecipientWrap, recordID: String, ephemeralKey: X25519PrivateKey,
                             recipient: X25519PublicKey) throws(SealingError) -> DataKey {
        var (sharedSecret, enc) = try HPKEBaseMode.encapsulate(recipient: recipient, ephemeralKey: ephemeralKey)
        defer { Bytes.wipe(&sharedSecret) }
        guard enc == wrap.encapsulatedKey, wrap.recipientKeyID == recipient.keyID else { throw .authenticationFailed }
        let schedule = try HPKEKeySchedule(sharedSecret: sharedSecret, info: EnvelopeNames.wrapInfo(recordID: recordID, keyClass: wrap.keyClass),
                                           aead: wrapAEAD)
        var context = HPKEBaseMode.RecipientContext(schedule: schedule)
        var plaintext = try context.open(wrap.wrappedKey, aad: [])
        defer { Bytes.wipe(&plaintext) }
        guard plaintext.count == 32 else { throw .malformed("wrapped data key is not 32 bytes") }
        return DataKey(unchecked: wrap.keyClass, key: try SecretKey(bytes: plaintext))
    }

    /// Opens a message sealed by `sealMessage` with `recipient`: unwraps its key, checks it against the
    /// envelope's commitment (when the envelope has one) and opens the field `name`.
    /// - Throws: `.invalidKey` if no wrap is for `recipient`; `.authenticationFailed` if the wrap, the
    ///   commitment or the field do not match.
    public static func openMessage(_ envelope: Envelope, name: String, with recipient: X25519PrivateKey) throws(SealingError) -> [UInt8] {
        let key = try unwrapKey(of: .content, from: envelope, with: recipient)
        if let commitment = envelope.keyCommitment, !KeyCommitment.matches(commitment, key: key, recordID: envelope.recordID) {
            throw .authenticationFailed
        }
        guard let field = envelope.fields.first(where: { $0.name == name && $0.keyClass == .content }) else {
            throw .malformed("no \(name) field")
        }
        return try openField(field, recordID: envelope.recordID, key: key)
    }
}
