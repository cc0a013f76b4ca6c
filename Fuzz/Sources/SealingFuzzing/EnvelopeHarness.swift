public import FuzzSupport
import Sealing

/// `FuzzEnvelope`: the input as an envelope's JSON form, as a serialized `SealedField` and as
/// a serialized `RecipientWrap`, then opened with the fixed keys of the worked example in
/// docs/ENVELOPE.md (so the seed envelope opens and mutations of it reach the AEAD and HPKE
/// code, not only the parsers).
///
/// Properties beyond "no crash, no hang" (opening may throw, never trap):
/// - an envelope that decodes re-encodes (`jsonRepresentation`) to JSON that decodes equal;
/// - a serialized field or wrap that parses serializes back to the same bytes;
/// - a field that opens was not altered: opening is deterministic for the same inputs.
public enum EnvelopeHarness {
    /// The worked example's record id and keys (published test keys).
    public static let recordID = "TIP-2026-000042"
    static let contentKey = dataKey(.content, "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f")
    static let identityKey = dataKey(.identity, "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f")
    static let contentRecipient = privateKey("17398404108f50910e27396bf08725317c540ac1257489a171d2dd9713fdb064")
    static let identityRecipient = privateKey("0bb33a43953afde32a86f53ab2ddf87f9cfb791e3b4d31abe815a8f02e0160cc")

    /// Checks one input.
    public static func check(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        try checkJSON(bytes)
        try checkSerializedField(bytes)
        try checkSerializedWrap(bytes)
    }

    private static func checkJSON(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        let envelope: Envelope
        do {
            envelope = try Envelope(json: bytes)
        } catch {
            return
        }
        let again: Envelope
        do {
            again = try Envelope(json: envelope.jsonRepresentation())
        } catch {
            throw FuzzPropertyViolation("the JSON form of a decoded envelope does not decode: \(error)")
        }
        guard again == envelope else { throw FuzzPropertyViolation("an envelope changed through its JSON form") }
        for field in envelope.fields {
            try open(field, recordID: envelope.recordID)
        }
        for wrap in envelope.wraps {
            let recipient = wrap.keyClass == .content ? contentRecipient : identityRecipient
            _ = try? EnvelopeCrypto.unwrap(wrap, recordID: envelope.recordID, with: recipient)
        }
        for keyClass in KeyClass.allCases {
            _ = try? EnvelopeCrypto.open(envelope, keyClass: keyClass, with: keyClass == .content ? contentRecipient : identityRecipient)
        }
    }

    private static func checkSerializedField(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        for (name, keyClass) in [("body", KeyClass.content), ("phone", .identity)] {
            let field: SealedField
            do {
                field = try SealedField(name: name, keyClass: keyClass, serialized: bytes)
            } catch {
                continue
            }
            guard field.serialized() == bytes else { throw FuzzPropertyViolation("a sealed field changed through serialization") }
            try open(field, recordID: recordID)
        }
    }

    private static func checkSerializedWrap(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        for (keyClass, recipient) in [(KeyClass.content, contentRecipient), (.identity, identityRecipient)] {
            let wrap: RecipientWrap
            do {
                wrap = try RecipientWrap(keyClass: keyClass, recipientKeyID: recipient.publicKey.keyID, serialized: bytes)
            } catch {
                continue
            }
            guard wrap.serialized() == bytes else { throw FuzzPropertyViolation("a wrap changed through serialization") }
            if let key = try? EnvelopeCrypto.unwrap(wrap, recordID: recordID, with: recipient), key.keyClass != keyClass {
                throw FuzzPropertyViolation("a wrap unwrapped to a key of the other class")
            }
        }
    }

    /// Opens `field` with the fixed key of its class: it may throw, and if it opens, a second
    /// opening must give the same plaintext.
    private static func open(_ field: SealedField, recordID: String) throws(FuzzPropertyViolation) {
        let key = field.keyClass == .content ? contentKey : identityKey
        guard let plaintext = try? EnvelopeCrypto.openField(field, recordID: recordID, key: key) else { return }
        guard plaintext.count == field.ciphertextAndTag.count - 16 else {
            throw FuzzPropertyViolation("an opened field has the wrong length")
        }
        guard (try? EnvelopeCrypto.openField(field, recordID: recordID, key: key)) == plaintext else {
            throw FuzzPropertyViolation("opening a field twice gave different results")
        }
    }

    private static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { index in
            func nibble(_ c: UInt8) -> UInt8 { c <= 0x39 ? c - 0x30 : c - 0x61 + 10 }
            return nibble(digits[index]) << 4 | nibble(digits[index + 1])
        }
    }

    private static func dataKey(_ keyClass: KeyClass, _ hex: String) -> DataKey {
        do {
            return try DataKey(keyClass: keyClass, key: SecretKey(bytes: bytes(hex)))
        } catch {
            fatalError("bad fixed data key: \(error)")
        }
    }

    private static func privateKey(_ hex: String) -> X25519PrivateKey {
        do {
            return try X25519PrivateKey(rawRepresentation: bytes(hex))
        } catch {
            fatalError("bad fixed private key: \(error)")
        }
    }
}
