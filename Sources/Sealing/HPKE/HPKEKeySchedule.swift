/// RFC 9180 §5.1 KeySchedule for mode_base (no PSK).
struct HPKEKeySchedule: Sendable {
    let aead: HPKEBaseMode.AEAD
    let key: SecretKey
    let baseNonce: [UInt8]
    let exporterSecret: SecretKey

    /// `"HPKE" ‖ I2OSP(kem_id, 2) ‖ I2OSP(kdf_id, 2) ‖ I2OSP(aead_id, 2)`
    static func suiteID(_ aead: HPKEBaseMode.AEAD) -> [UInt8] {
        Array("HPKE".utf8) + [0x00, 0x20, 0x00, 0x01, 0x00, UInt8(aead.rawValue)]
    }

    /// psk_id_hash for the empty psk_id is a constant of the suite: computed once.
    private static let pskIDHash128 = emptyPSKIDHash(.aes128GCM)
    private static let pskIDHash256 = emptyPSKIDHash(.aes256GCM)

    private static func emptyPSKIDHash(_ aead: HPKEBaseMode.AEAD) -> [UInt8] {
        HPKELabels.labeledExtract(salt: [], label: HPKELabels.pskIDHash, ikm: [], suiteID: suiteID(aead))
    }

    init(sharedSecret: [UInt8], info: [UInt8], aead: HPKEBaseMode.AEAD) throws(SealingError) {
        let suite = Self.suiteID(aead)
        let pskIDHash = aead == .aes128GCM ? Self.pskIDHash128 : Self.pskIDHash256
        let infoHash = HPKELabels.labeledExtract(salt: [], label: HPKELabels.infoHash, ikm: info, suiteID: suite)
        let context: [UInt8] = [0x00] + pskIDHash + infoHash  // mode_base = 0x00
        var secret = HPKELabels.labeledExtract(salt: sharedSecret, label: HPKELabels.secret, ikm: [], suiteID: suite)
        defer { Bytes.wipe(&secret) }
        self.aead = aead
        key = HPKELabels.labeledExpandKey(prk: secret, label: HPKELabels.key, info: context, length: aead.keySize, suiteID: suite)
        baseNonce = try HPKELabels.labeledExpand(prk: secret, label: HPKELabels.baseNonce, info: context, length: AESGCM.nonceSize, suiteID: suite)
        exporterSecret = HPKELabels.labeledExpandKey(prk: secret, label: HPKELabels.exporter, info: context, length: 32, suiteID: suite)
    }

    /// ComputeNonce(seq): base_nonce XOR I2OSP(seq, Nn).
    func nonce(sequenceNumber: UInt64) -> [UInt8] {
        var nonce = baseNonce
        for index in 0..<8 {
            nonce[AESGCM.nonceSize - 1 - index] ^= UInt8(truncatingIfNeeded: sequenceNumber >> (8 * UInt64(index)))
        }
        return nonce
    }

    /// Export(exporter_context, L) = LabeledExpand(exporter_secret, "sec", exporter_context, L).
    func export(exporterContext: [UInt8], length: Int) throws(SealingError) -> [UInt8] {
        guard length >= 0, length <= HKDFSHA256.maximumOutputLength else { throw .invalidInput("HPKE export length") }
        var prk = exporterSecret.bytesForExport
        defer { Bytes.wipe(&prk) }
        return try HPKELabels.labeledExpand(prk: prk, label: HPKELabels.exportSecret, info: exporterContext, length: length,
                                            suiteID: Self.suiteID(aead))
    }
}
