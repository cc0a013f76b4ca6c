/// Rules for the strings that go into associated data and HPKE info.
///
/// Record ids and field names are joined with ':' into `tipline:v1:<recordID>:<fieldName>`;
/// forbidding ':' and anything but printable ASCII keeps that join unambiguous (no two
/// (record, field) pairs give the same bytes) and free of Unicode normalisation questions.
enum EnvelopeNames {
    /// Longest accepted record id or field name, in bytes.
    static let maximumLength = 128

    static func validate(_ value: String, _ what: String) throws(SealingError) {
        let utf8 = value.utf8
        guard !utf8.isEmpty else { throw .invalidInput("\(what) is empty") }
        guard utf8.count <= maximumLength else { throw .invalidInput("\(what) is longer than 128 bytes") }
        for byte in utf8 {
            guard byte >= 0x20, byte <= 0x7E, byte != UInt8(ascii: ":") else {
                throw .invalidInput("\(what) must be printable ASCII without ':'")
            }
        }
    }

    /// `tipline:v1:<recordID>:<fieldName>` — the AES-GCM associated data of a field.
    static func fieldAAD(recordID: String, fieldName: String) -> [UInt8] {
        Array("tipline:v1:\(recordID):\(fieldName)".utf8)
    }

    /// `tipline:v1:wrap:<recordID>:<content|identity>` — the HPKE info of a wrap.
    static func wrapInfo(recordID: String, keyClass: KeyClass) -> [UInt8] {
        Array("tipline:v1:wrap:\(recordID):\(keyClass.rawValue)".utf8)
    }

    /// A key id: 32 lowercase hex characters.
    static func validateKeyID(_ keyID: String) throws(SealingError) {
        let utf8 = keyID.utf8
        guard utf8.count == 32, utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            throw .malformed("recipient key id must be 32 lowercase hex characters")
        }
    }
}
