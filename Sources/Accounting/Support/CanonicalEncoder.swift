/// The canonical, length-prefixed byte encoding that the journal chain and evidence hashes
/// cover (docs/LEDGER.md "Chain encoding"): integers as 8-byte big-endian two's complement,
/// text and blobs as a 4-byte big-endian length and the bytes, optionals with a 1-byte tag.
struct CanonicalEncoder {
    private(set) var bytes: [UInt8]

    /// Starts with a domain label and a zero byte, so encodings of different kinds never collide.
    init(domain: String) {
        bytes = Array(domain.utf8)
        bytes.append(0)
    }

    mutating func int(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    mutating func blob<C: Collection>(_ value: C) where C.Element == UInt8 {
        let count = UInt32(value.count)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
        bytes.append(contentsOf: value)
    }

    mutating func text(_ value: String) { blob(Array(value.utf8)) }

    mutating func optionalInt(_ value: Int64?) {
        if let value { bytes.append(1); int(value) } else { bytes.append(0) }
    }

    mutating func optionalText(_ value: String?) {
        if let value { bytes.append(1); text(value) } else { bytes.append(0) }
    }

    /// Raw bytes of a fixed, known length (hash links).
    mutating func fixed(_ value: [UInt8]) { bytes.append(contentsOf: value) }
}
