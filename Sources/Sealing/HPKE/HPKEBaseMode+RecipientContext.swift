extension HPKEBaseMode {
    /// The recipient's decryption context: opens messages in the order they were sealed.
    public struct RecipientContext: Sendable {
        let schedule: HPKEKeySchedule
        /// Number of messages opened so far (the next message's sequence number).
        public private(set) var sequenceNumber: UInt64 = 0

        init(schedule: HPKEKeySchedule) {
            self.schedule = schedule
        }

        /// The AEAD of the context.
        public var aead: AEAD { schedule.aead }
        /// The AEAD key (for known-answer tests).
        var key: SecretKey { schedule.key }
        /// The base nonce (for known-answer tests).
        var baseNonce: [UInt8] { schedule.baseNonce }
        /// The exporter secret (for known-answer tests).
        var exporterSecret: SecretKey { schedule.exporterSecret }

        /// Opens the next message (ciphertext ‖ tag). The sequence number advances only on success.
        /// - Throws: `.authenticationFailed` on any mismatch, `.malformed` if shorter than a tag.
        public mutating func open(_ ciphertext: [UInt8], aad: [UInt8]) throws(SealingError) -> [UInt8] {
            guard ciphertext.count >= AESGCM.tagSize else { throw .malformed("HPKE ciphertext shorter than the tag") }
            guard sequenceNumber < UInt64.max else { throw .invalidInput("HPKE sequence number overflow") }
            let nonce = schedule.nonce(sequenceNumber: sequenceNumber)
            let plaintext = try ciphertext.withUnsafeBufferPointer { (input) throws(SealingError) -> [UInt8] in
                try nonce.withUnsafeBufferPointer { (nonceBuffer) throws(SealingError) -> [UInt8] in
                    try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                        let raw = UnsafeRawBufferPointer(input)
                        let split = raw.count - AESGCM.tagSize
                        return try AESGCM.openRaw(ciphertext: UnsafeRawBufferPointer(rebasing: raw[0..<split]),
                                                  tag: UnsafeRawBufferPointer(rebasing: raw[split...]), key: schedule.key,
                                                  nonce: UnsafeRawBufferPointer(nonceBuffer), aad: UnsafeRawBufferPointer(aadBuffer))
                    }
                }
            }
            sequenceNumber += 1
            return plaintext
        }

        /// Secret export (RFC 9180 §5.3): `length` bytes bound to `exporterContext`.
        public func export(exporterContext: [UInt8], length: Int) throws(SealingError) -> [UInt8] {
            try schedule.export(exporterContext: exporterContext, length: length)
        }
    }
}
