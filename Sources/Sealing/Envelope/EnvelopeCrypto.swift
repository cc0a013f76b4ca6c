/// Sealing and opening of records (see docs/ENVELOPE.md).
///
/// - A field is AES-256-GCM under its class's data key with a random 96-bit nonce and
///   associated data `tipline:v1:<recordID>:<fieldName>`.
/// - A data key is wrapped per recipient with HPKE base mode, suite
///   DHKEM(X25519, HKDF-SHA256) / HKDF-SHA256 / AES-256-GCM, info
///   `tipline:v1:wrap:<recordID>:<content|identity>` and empty associated data.
public enum EnvelopeCrypto {
    /// The HPKE AEAD used for wraps.
    public static let wrapAEAD: HPKEBaseMode.AEAD = .aes256GCM

    /// Seals one field value under `key` with a fresh random nonce.
    /// - Throws: `.invalidInput` for a bad name or record id.
    public static func sealField(name: String, value: [UInt8], recordID: String, key: DataKey) throws(SealingError) -> SealedField {
        try sealField(name: name, value: value, recordID: recordID, key: key, nonce: nil)
    }

    /// `sealField` with a fixed nonce, for the worked example in docs/ENVELOPE.md only.
    static func sealField(name: String, value: [UInt8], recordID: String, key: DataKey, nonce fixedNonce: [UInt8]?) throws(SealingError) -> SealedField {
        try EnvelopeNames.validate(recordID, "record id")
        try EnvelopeNames.validate(name, "field name")
        let nonce = fixedNonce ?? SecureRandom.bytes(AESGCM.nonceSize)
        let aad = EnvelopeNames.fieldAAD(recordID: recordID, fieldName: name)
        let total = value.count + AESGCM.tagSize
        let ciphertextAndTag = try value.withUnsafeBufferPointer { (input) throws(SealingError) -> [UInt8] in
            try nonce.withUnsafeBufferPointer { (nonceBuffer) throws(SealingError) -> [UInt8] in
                guard nonceBuffer.count == AESGCM.nonceSize else { throw .invalidInput("AES-GCM nonce must be 12 bytes") }
                return try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                    try [UInt8](unsafeUninitializedCapacity: total) { (out, count) throws(SealingError) in
                        let raw = UnsafeMutableRawBufferPointer(out)
                        try AESGCM.sealRaw(input: UnsafeRawBufferPointer(input), key: key.key, nonce: UnsafeRawBufferPointer(nonceBuffer),
                                           aad: UnsafeRawBufferPointer(aadBuffer),
                                           ciphertextOut: UnsafeMutableRawBufferPointer(rebasing: raw[0..<input.count]),
                                           tagOut: UnsafeMutableRawBufferPointer(rebasing: raw[input.count...]))
                        count = total
                    }
                }
            }
        }
        return try SealedField(name: name, keyClass: key.keyClass, nonce: nonce, ciphertextAndTag: ciphertextAndTag)
    }

    /// Opens one field.
    /// - Throws: `.invalidKey` if `key` is of the other class; `.authenticationFailed` if the
    ///   field, its name, the record id or the key do not match.
    public static func openField(_ field: SealedField, recordID: String, key: DataKey) throws(SealingError) -> [UInt8] {
        guard field.keyClass == key.keyClass else { throw .invalidKey("data key class does not match the field") }
        try EnvelopeNames.validate(recordID, "record id")
        let aad = EnvelopeNames.fieldAAD(recordID: recordID, fieldName: field.name)
        return try field.ciphertextAndTag.withUnsafeBufferPointer { (box) throws(SealingError) -> [UInt8] in
            try field.nonce.withUnsafeBufferPointer { (nonceBuffer) throws(SealingError) -> [UInt8] in
                guard nonceBuffer.count == AESGCM.nonceSize, box.count >= AESGCM.tagSize else { throw .malformed("sealed field") }
                return try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                    let raw = UnsafeRawBufferPointer(box)
                    let split = raw.count - AESGCM.tagSize
                    return try AESGCM.openRaw(ciphertext: UnsafeRawBufferPointer(rebasing: raw[0..<split]),
                                              tag: UnsafeRawBufferPointer(rebasing: raw[split...]), key: key.key,
                                              nonce: UnsafeRawBufferPointer(nonceBuffer), aad: UnsafeRawBufferPointer(aadBuffer))
                }
            }
        }
    }

    /// Wraps `key` for `recipient` (HPKE base mode, fresh ephemeral key).
    public static func wrap(_ key: DataKey, recordID: String, for recipient: X25519PublicKey) throws(SealingError) -> RecipientWrap {
        try wrap(key, recordID: recordID, for: recipient, ephemeralKey: nil)
    }

    /// `wrap` with a fixed ephemeral key, for the worked example in docs/ENVELOPE.md only.
    static func wrap(_ key: DataKey, recordID: String, for recipient: X25519PublicKey,
                     ephemeralKey: X25519PrivateKey?) throws(SealingError) -> RecipientWrap {
        try EnvelopeNames.validate(recordID, "record id")
        var (enc, context) = try HPKEBaseMode.setupSender(recipient: recipient, info: EnvelopeNames.wrapInfo(recordID: recordID, keyClass: key.keyClass),
                                                          aead: wrapAEAD, ephemeralKey: ephemeralKey)
        var plaintext = key.key.bytesForExport
        defer { Bytes.wipe(&plaintext) }
        let wrapped = try context.seal(plaintext, aad: [])
        return try RecipientWrap(keyClass: key.keyClass, recipientKeyID: recipient.keyID, encapsulatedKey: enc, wrappedKey: wrapped)
    }

    /// Unwraps a data key with the recipient's private key.
    /// - Throws: `.invalidKey` if the wrap names another recipient key;
    ///   `.authenticationFailed` if the wrap, record id or class do not match.
    public static func unwrap(_ wrap: RecipientWrap, recordID: String, with recipient: X25519PrivateKey) throws(SealingError) -> DataKey {
        guard wrap.recipientKeyID == recipient.publicKey.keyID else { throw .invalidKey("wrap is for a different recipient key") }
        try EnvelopeNames.validate(recordID, "record id")
        var plaintext = try HPKEBaseMode.open(wrap.wrappedKey, encapsulatedKey: wrap.encapsulatedKey, recipient: recipient,
                                              info: EnvelopeNames.wrapInfo(recordID: recordID, keyClass: wrap.keyClass), aad: [], aead: wrapAEAD)
        defer { Bytes.wipe(&plaintext) }
        guard plaintext.count == 32 else { throw .malformed("wrapped data key is not 32 bytes") }
        return DataKey(unchecked: wrap.keyClass, key: try SecretKey(bytes: plaintext))
    }

    /// Seals a whole record: two fresh data keys, every field, and a wrap of each key for
    /// each of its recipients (duplicates by key id are wrapped once).
    /// - Throws: `.invalidInput` for bad or duplicate names, no content recipient, or
    ///   identity fields with no identity recipient.
    public static func seal(recordID: String, content: [(name: String, value: [UInt8])], identity: [(name: String, value: [UInt8])],
                            contentRecipients: [X25519PublicKey],
                            identityRecipients: [X25519PublicKey]) throws(SealingError) -> (envelope: Envelope, contentKey: DataKey, identityKey: DataKey) {
        try EnvelopeNames.validate(recordID, "record id")
        guard !contentRecipients.isEmpty else { throw .invalidInput("no content recipient") }
        guard identity.isEmpty || !identityRecipients.isEmpty else { throw .invalidInput("identity fields without an identity recipient") }
        var seen = Set<String>()
        for item in content + identity {
            try EnvelopeNames.validate(item.name, "field name")
            guard seen.insert(item.name).inserted else { throw .invalidInput("duplicate field name") }
        }
        let contentKey = DataKey.random(.content)
        let identityKey = DataKey.random(.identity)
        var envelope = try Envelope(recordID: recordID)
        envelope.fields.reserveCapacity(content.count + identity.count)
        for item in content {
            envelope.fields.append(try sealField(name: item.name, value: item.value, recordID: recordID, key: contentKey))
        }
        for item in identity {
            envelope.fields.append(try sealField(name: item.name, value: item.value, recordID: recordID, key: identityKey))
        }
        for (key, recipients) in [(contentKey, contentRecipients), (identityKey, identityRecipients)] {
            var wrapped = Set<String>()
            for recipient in recipients where wrapped.insert(recipient.keyID).inserted {
                envelope.wraps.append(try wrap(key, recordID: recordID, for: recipient))
            }
        }
        return (envelope, contentKey, identityKey)
    }

    /// Unwraps the `keyClass` key with `recipient` (finding its wrap by key id) and opens
    /// every field of that class, in envelope order.
    /// - Throws: `.invalidKey` if no wrap of that class is for `recipient`; the errors of
    ///   `unwrap` and `openField`.
    public static func open(_ envelope: Envelope, keyClass: KeyClass, with recipient: X25519PrivateKey) throws(SealingError) -> [(name: String, value: [UInt8])] {
        let key = try unwrapKey(of: keyClass, from: envelope, with: recipient)
        var out: [(name: String, value: [UInt8])] = []
        for field in envelope.fields where field.keyClass == keyClass {
            out.append((field.name, try openField(field, recordID: envelope.recordID, key: key)))
        }
        return out
    }

    /// Finds the wrap of `keyClass` for `recipient` in `envelope` and unwraps it.
    /// - Throws: `.invalidKey` if there is none; the errors of `unwrap`.
    public static func unwrapKey(of keyClass: KeyClass, from envelope: Envelope, with recipient: X25519PrivateKey) throws(SealingError) -> DataKey {
        let keyID = recipient.publicKey.keyID
        guard let wrap = envelope.wraps.first(where: { $0.keyClass == keyClass && $0.recipientKeyID == keyID }) else {
            throw .invalidKey("no wrap for this recipient key and key class")
        }
        return try unwrap(wrap, recordID: envelope.recordID, with: recipient)
    }

    /// Re-routing: a holder of a wrap of `keyClass` adds a wrap of the same key for
    /// `newRecipient`. Does nothing if `newRecipient` already has one.
    public static func addRecipient(_ newRecipient: X25519PublicKey, keyClass: KeyClass, to envelope: inout Envelope,
                                    unwrappingWith holder: X25519PrivateKey) throws(SealingError) {
        if envelope.wraps.contains(where: { $0.keyClass == keyClass && $0.recipientKeyID == newRecipient.keyID }) { return }
        let key = try unwrapKey(of: keyClass, from: envelope, with: holder)
        envelope.wraps.append(try wrap(key, recordID: envelope.recordID, for: newRecipient))
    }
}
