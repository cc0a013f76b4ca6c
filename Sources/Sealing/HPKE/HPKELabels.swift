/// RFC 9180 §4 LabeledExtract / LabeledExpand and the label strings.
enum HPKELabels {
    static let version: [UInt8] = Array("HPKE-v1".utf8)
    static let eaePRK: [UInt8] = Array("eae_prk".utf8)
    static let sharedSecret: [UInt8] = Array("shared_secret".utf8)
    static let pskIDHash: [UInt8] = Array("psk_id_hash".utf8)
    static let infoHash: [UInt8] = Array("info_hash".utf8)
    static let secret: [UInt8] = Array("secret".utf8)
    static let key: [UInt8] = Array("key".utf8)
    static let baseNonce: [UInt8] = Array("base_nonce".utf8)
    static let exporter: [UInt8] = Array("exp".utf8)
    static let exportSecret: [UInt8] = Array("sec".utf8)

    /// Extract(salt, "HPKE-v1" ‖ suite_id ‖ label ‖ ikm), fed in pieces so the secret ikm
    /// is never copied into a concatenation.
    static func labeledExtract(salt: [UInt8], label: [UInt8], ikm: [UInt8], suiteID: [UInt8]) -> [UInt8] {
        HKDFSHA256.extract(salt: salt, ikmParts: [version, suiteID, label, ikm])
    }

    /// Expand(prk, I2OSP(L, 2) ‖ "HPKE-v1" ‖ suite_id ‖ label ‖ info, L).
    static func labeledExpand(prk: [UInt8], label: [UInt8], info: [UInt8], length: Int, suiteID: [UInt8]) throws(SealingError) -> [UInt8] {
        guard length >= 0, length <= 0xFFFF else { throw .invalidInput("HPKE expand length") }
        return try HKDFSHA256.expand(prk: prk, infoParts: [[UInt8(length >> 8), UInt8(length & 0xFF)], version, suiteID, label, info], length: length)
    }

    /// LabeledExpand straight into a `SecretKey`'s storage.
    static func labeledExpandKey(prk: [UInt8], label: [UInt8], info: [UInt8], length: Int, suiteID: [UInt8]) -> SecretKey {
        precondition(length > 0 && length <= 0xFFFF && prk.count >= 32)
        return SecretKey(count: length) { out in
            prk.withUnsafeBufferPointer { prkBuffer in
                HKDFSHA256.expand(prk: UnsafeRawBufferPointer(prkBuffer),
                                  infoParts: [[UInt8(length >> 8), UInt8(length & 0xFF)], version, suiteID, label, info], into: out)
            }
        }
    }
}
