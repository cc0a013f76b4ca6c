/// One field of a record, encrypted with AES-256-GCM under its class's data key.
///
/// Serialized form (version 1): `0x01 ‖ nonce (12) ‖ ciphertext ‖ tag (16)`. The name and
/// key class are stored beside the blob (they are bound through the associated data).
public struct SealedField: Sendable, Hashable, Codable {
    /// Format version of the serialized blob.
    public static let version: UInt8 = 1
    /// Smallest serialized blob: version, nonce and tag of an empty value.
    public static let minimumSerializedSize = 1 + AESGCM.nonceSize + AESGCM.tagSize

    /// Field name (printable ASCII, no ':').
    public let name: String
    /// The class of data key that sealed it.
    public let keyClass: KeyClass
    /// The 12-byte random nonce.
    public let nonce: [UInt8]
    /// Ciphertext followed by the 16-byte tag.
    public let ciphertextAndTag: [UInt8]

    /// Assembles a field from its parts, checking sizes and the name.
    /// - Throws: `.invalidInput` for a bad name, `.malformed` for a bad nonce or a short ciphertext.
    public init(name: String, keyClass: KeyClass, nonce: [UInt8], ciphertextAndTag: [UInt8]) throws(SealingError) {
        try EnvelopeNames.validate(name, "field name")
        guard nonce.count == AESGCM.nonceSize else { throw .malformed("sealed field nonce must be 12 bytes") }
        guard ciphertextAndTag.count >= AESGCM.tagSize else { throw .malformed("sealed field shorter than its tag") }
        self.name = name
        self.keyClass = keyClass
        self.nonce = nonce
        self.ciphertextAndTag = ciphertextAndTag
    }

    /// `0x01 ‖ nonce ‖ ciphertext ‖ tag`.
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1 + nonce.count + ciphertextAndTag.count)
        out.append(Self.version)
        out += nonce
        out += ciphertextAndTag
        return out
    }

    /// Parses a serialized blob.
    /// - Throws: `.unsupportedVersion` for a version byte other than 1, `.malformed` if too short.
    public init(name: String, keyClass: KeyClass, serialized: [UInt8]) throws(SealingError) {
        guard let version = serialized.first else { throw .malformed("sealed field is empty") }
        guard version == Self.version else { throw .unsupportedVersion(version) }
        guard serialized.count >= Self.minimumSerializedSize else { throw .malformed("sealed field is truncated") }
        try self.init(name: name, keyClass: keyClass, nonce: Array(serialized[1..<(1 + AESGCM.nonceSize)]),
                      ciphertextAndTag: Array(serialized[(1 + AESGCM.nonceSize)...]))
    }

    private enum CodingKeys: String, CodingKey {
        case name, keyClass, nonce, ciphertextAndTag
    }

    /// Decodes the JSON form (binary values in base64) and validates it.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(name: container.decode(String.self, forKey: .name),
                      keyClass: container.decode(KeyClass.self, forKey: .keyClass),
                      nonce: Base64Coding.decode(container.decode(String.self, forKey: .nonce), "nonce"),
                      ciphertextAndTag: Base64Coding.decode(container.decode(String.self, forKey: .ciphertextAndTag), "ciphertextAndTag"))
    }

    /// Encodes the JSON form (binary values in base64).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(keyClass, forKey: .keyClass)
        try container.encode(Base64Coding.encode(nonce), forKey: .nonce)
        try container.encode(Base64Coding.encode(ciphertextAndTag), forKey: .ciphertextAndTag)
    }
}
