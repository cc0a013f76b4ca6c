internal import Foundation

/// A sealed record: its encrypted fields and the wraps of its two data keys.
///
/// The JSON form (see docs/ENVELOPE.md) is
/// `{"version":1,"recordID":…,"fields":[…],"wraps":[…]}` with binary values in base64.
public struct Envelope: Sendable, Codable, Hashable {
    /// Envelope format version.
    public static let version: UInt8 = 1

    /// The record (tip) id, bound into every field's associated data and every wrap's info.
    public let recordID: String
    /// The sealed fields, content and identity.
    public var fields: [SealedField]
    /// The wraps of the content and identity keys, one per recipient.
    public var wraps: [RecipientWrap]
    /// For a single-class record (a message): the `KeyCommitment` to its content key, so that each
    /// recipient can tell that its wrap opened to the same key as everyone else's. Tips keep their
    /// commitments next to the record instead (absent here, and from the JSON form, when nil).
    public var keyCommitment: [UInt8]?

    /// An envelope for `recordID`.
    /// - Throws: `.invalidInput` if the record id is empty, too long, or not printable ASCII without ':'.
    public init(recordID: String, fields: [SealedField] = [], wraps: [RecipientWrap] = []) throws(SealingError) {
        try EnvelopeNames.validate(recordID, "record id")
        self.recordID = recordID
        self.fields = fields
        self.wraps = wraps
    }

    /// The field called `name`, if any.
    public func field(named name: String) -> SealedField? {
        fields.first { $0.name == name }
    }

    /// The wraps of `keyClass`.
    public func wraps(of keyClass: KeyClass) -> [RecipientWrap] {
        wraps.filter { $0.keyClass == keyClass }
    }

    /// Deletes every wrap of `keyClass`. For `.identity` this crypto-shreds the identity
    /// once no other copy of the envelope keeps those wraps.
    public mutating func removeWraps(of keyClass: KeyClass) {
        wraps.removeAll { $0.keyClass == keyClass }
    }

    // MARK: JSON

    private enum CodingKeys: String, CodingKey {
        case version, recordID, fields, wraps, keyCommitment
    }

    /// Decodes the JSON form.
    /// - Throws: `SealingError.unsupportedVersion` for a version other than 1, and the
    ///   validation errors of the parts.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let version = try container.decode(UInt8.self, forKey: .version)
        guard version == Self.version else { throw SealingError.unsupportedVersion(version) }
        try self.init(recordID: container.decode(String.self, forKey: .recordID),
                      fields: container.decode([SealedField].self, forKey: .fields),
                      wraps: container.decode([RecipientWrap].self, forKey: .wraps))
        if let text = try container.decodeIfPresent(String.self, forKey: .keyCommitment) {
            let commitment = try Base64Coding.decode(text, "keyCommitment")
            guard commitment.count == KeyCommitment.size else { throw SealingError.malformed("keyCommitment is not 32 bytes") }
            keyCommitment = commitment
        }
    }

    /// Encodes the JSON form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.version, forKey: .version)
        try container.encode(recordID, forKey: .recordID)
        try container.encode(fields, forKey: .fields)
        try container.encode(wraps, forKey: .wraps)
        if let keyCommitment { try container.encode(Base64Coding.encode(keyCommitment), forKey: .keyCommitment) }
    }

    /// The JSON form as UTF-8, keys sorted and pretty-printed (the auditors' export).
    public func jsonRepresentation() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(self))
        } catch {
            fatalError("Sealing: encoding an envelope cannot fail: \(error)")
        }
    }

    /// Parses the JSON form.
    /// - Throws: `.unsupportedVersion`, `.malformed` or `.invalidInput` as the parts require.
    public init(json: [UInt8]) throws(SealingError) {
        do {
            self = try JSONDecoder().decode(Envelope.self, from: Data(json))
        } catch let error as SealingError {
            throw error
        } catch {
            throw .malformed("envelope JSON")
        }
    }
}
