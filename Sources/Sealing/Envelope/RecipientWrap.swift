/// One data key wrapped for one recipient with HPKE base mode
/// (DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM).
///
/// Serialized form (version 1): `0x01 ‖ enc (32) ‖ wrapped key (48 = 32 + tag)`, 81 bytes.
public struct RecipientWrap: Sendable, Hashable, Codable {
    /// Format version of the serialized blob.
    public static let version: UInt8 = 1
    /// Size of the HPKE encapsulated key.
    public static let encapsulatedKeySize = 32
    /// Size of the HPKE ciphertext of a 32-byte data key.
    public static let wrappedKeySize = 48
    /// Size of the serialized blob.
    public static let serializedSize = 1 + encapsulatedKeySize + wrappedKeySize

    /// The class of the wrapped data key.
    public let keyClass: KeyClass
    /// `keyID` of the recipient's X25519 public key (32 lowercase hex characters).
    public let recipientKeyID: String
    /// HPKE `enc`: the sender's ephemeral X25519 public key.
    public let encapsulatedKey: [UInt8]
    /// HPKE ciphertext of the data key (ciphertext ‖ tag).
    public let wrappedKey: [UInt8]

    /// Assembles a wrap from its parts, checking sizes and the key id.
    /// - Throws: `.malformed` for wrong sizes or a key id that is not 32 lowercase hex characters.
    public init(keyClass: KeyClass, recipientKeyID: String, encapsulatedKey: [UInt8], wrappedKey: [UInt8]) throws(SealingError) {
        try EnvelopeNames.validateKeyID(recipientKeyID)
        guard encapsulatedKey.count == Self.encapsulatedKeySize else { throw .malformed("wrap encapsulated key must be 32 bytes") }
        guard wrappedKey.count == Self.wrappedKeySize else { throw .malformed("wrapped key must be 48 bytes") }
        self.keyClass = keyClass
        self.recipientKeyID = recipientKeyID
        self.encapsulatedKey = encapsulatedKey
        self.wrappedKey = wrappedKey
    }

    /// `0x01 ‖ enc ‖ wrapped key`.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Self.serializedSize)
        out.append(Self.version)
        out += encapsulatedKey
        out += wrappedKey
        return out
    }

    /// Parses a serialized blob.
    /// - Throws: `.unsupportedVersion` for a version byte other than 1, `.malformed` for a wrong size.
    public init(keyClass: KeyClass, recipientKeyID: String, serialized: [UInt8]) throws(SealingError) {
        guard let version = serialized.first else { throw .malformed("wrap is empty") }
        guard version == Self.version else { throw .unsupportedVersion(version) }
        guard serialized.count == Self.serializedSize else { throw .malformed("wrap must be 81 bytes") }
        try self.init(keyClass: keyClass, recipientKeyID: recipientKeyID,
                      encapsulatedKey: Array(serialized[1...Self.encapsulatedKeySize]),
                      wrappedKey: Array(serialized[(1 + Self.encapsulatedKeySize)...]))
    }

    private enum CodingKeys: String, CodingKey {
        case keyClass, recipientKeyID, encapsulatedKey, wrappedKey
    }

    /// Decodes the JSON form (binary values in base64) and validates it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(keyClass: container.decode(KeyClass.self, forKey: .keyClass),
                      recipientKeyID: container.decode(String.self, forKey: .recipientKeyID),
                      encapsulatedKey: Base64Coding.decode(container.decode(String.self, forKey: .encapsulatedKey), "encapsulatedKey"),
                      wrappedKey: Base64Coding.decode(container.decode(String.self, forKey: .wrappedKey), "wrappedKey"))
    }

    /// Encodes the JSON form (binary values in base64).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(keyClass, forKey: .keyClass)
        try container.encode(recipientKeyID, forKey: .recipientKeyID)
        try container.encode(Base64Coding.encode(encapsulatedKey), forKey: .encapsulatedKey)
        try container.encode(Base64Coding.encode(wrappedKey), forKey: .wrappedKey)
    }
}
