/// The one canonical, length-prefixed byte encoding that hashes cover: the audit chain
/// (`AuditEntry.canonicalBytes`, docs/AUDIT.md), the ledger's journal chain and evidence
/// (docs/LEDGER.md "Chain encoding"), and the verifier that recomputes both: integers as 8-byte big-endian two's complement,
/// text and blobs as a 4-byte big-endian length and the bytes, optionals with a 1-byte tag.
public struct CanonicalEncoder: Sendable {
    /// The encoding so far, domain label first.
    public private(set) var bytes: [UInt8]
    private let domainLength: Int

    /// Starts with a domain label and a zero byte, so encodings of different kinds never collide.
    public init(domain: String) {
        bytes = Array(domain.utf8)
        bytes.append(0)
        domainLength = bytes.count
    }

    /// Empties the encoding back to its domain label, keeping the buffer (a verifier encodes one
    /// entry after another without allocating).
    public mutating func restart() { bytes.removeSubrange(domainLength...) }

    /// Appends an integer: 8 bytes, big-endian two's complement.
    public mutating func int(_ value: Int64) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// Appends a blob: a 4-byte big-endian length, then the bytes.
    public mutating func blob<C: Collection>(_ value: C) where C.Element == UInt8 {
        let count = UInt32(value.count)
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: count >> UInt32(shift))) }
        bytes.append(contentsOf: value)
    }

    /// Appends text as the blob of its UTF-8 bytes.
    public mutating func text(_ value: String) { blob(Array(value.utf8)) }

    /// Appends a tag byte (0 for nil, 1 otherwise), then the integer if present.
    public mutating func optionalInt(_ value: Int64?) {
        if let value { bytes.append(1); int(value) } else { bytes.append(0) }
    }

    /// Appends a tag byte (0 for nil, 1 otherwise), then the text if present.
    public mutating func optionalText(_ value: String?) {
        if let value { bytes.append(1); text(value) } else { bytes.append(0) }
    }

    /// Raw bytes of a fixed, known length (hash links).
    public mutating func fixed(_ value: [UInt8]) { bytes.append(contentsOf: value) }

    /// Raw bytes of a fixed, known length from any byte collection (a hash link read from a row).
    public mutating func blob<C: Collection>(fixed value: C) where C.Element == UInt8 { bytes.append(contentsOf: value) }
}
