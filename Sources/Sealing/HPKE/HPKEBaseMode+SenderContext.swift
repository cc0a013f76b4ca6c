extension HPKEBaseMode {
    /// The sender's encryption context: seals messages with nonces from an increasing
    /// sequence number, as RFC 9180 §5.2 specifies.
    public struct SenderContext: Sendable {
        let schedule: HPKEKeySchedule
        /// Number of messages sealed so far (the next message's sequence number).
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

        /// Seals the next message; returns ciphertext ‖ tag.
        /// - Throws: `.invalidInput` once the sequence number would overflow (never in practice).
        public mutating func seal(_ plaintext: [UInt8], aad: [UInt8]) throws(SealingError) -> [UInt8] {
            guard sequenceNumber < UInt64.max else { throw .invalidInput("HPKE sequence number overflow") }
            let nonce = schedule.nonce(sequenceNumber: sequenceNumber)
            let total = plaintext.count + AESGCM.tagSize
            let ciphertext = try plaintext.withUnsafeBufferPointer { (input) throws(SealingError) -> [UInt8] in
                try nonce.withUnsafeBufferPointer { (nonceBuffer) throws(SealingError) -> [UInt8] in
                    try aad.withUnsafeBufferPointer { (aadBuffer) throws(SealingError) -> [UInt8] in
                        try [UInt8](unsafeUninitializedCapacity: total) { (out, count) throws(SealingError) in
                            let raw = UnsafeMutableRawBufferPointer(out)
                            try AESGCM.sealRaw(input: UnsafeRawBufferPointer(input), key: schedule.key, nonce: UnsafeRawBufferPointer(nonceBuffer),
                                               aad: UnsafeRawBufferPointer(aadBuffer),
                                               ciphertextOut: UnsafeMutableRawBufferPointer(rebasing: raw[0..<input.count]),
                                               tagOut: UnsafeMutableRawBufferPointer(rebasing: raw[input.count...]))
                            count = total
                        }
                    }
                }
            }
            sequenceNumber += 1
            return ciphertext
        }

        /// Secret export (RFC 9180 §5.3): `length` bytes bound to `exporterContext`.
        public func export(exporterContext: [UInt8], length: Int) throws(SealingError) -> [UInt8] {
            try schedule.export(exporterContext: exporterContext, length: length)
        }
    }
}
