/// Fixed-width integer reads and writes shared by the container parsers.
///
/// Reads do not check bounds themselves: every call site checks the segment or chunk
/// bounds first, and keeping that check in one visible place per parser makes it
/// easier to audit than scattering optional returns. (Prefixed to avoid clashing with
/// byte helpers elsewhere in TiplineCore.)
enum EvidenceBytes {
    /// Big-endian 16-bit value at `offset` (JPEG segment lengths).
    static func uint16BE(_ bytes: [UInt8], at offset: Int) -> Int {
        Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    /// Big-endian 32-bit value at `offset` (PNG chunk lengths, types and CRCs).
    static func uint32BE(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }

    /// Little-endian 32-bit value at `offset` (RIFF sizes).
    static func uint32LE(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8
            | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    static func appendUInt16BE(_ value: Int, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value))
    }

    static func appendUInt32LE(_ value: UInt32, to output: inout [UInt8]) {
        output.append(UInt8(truncatingIfNeeded: value))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value >> 16))
        output.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    /// Whether `tag` occurs at `offset`; bounds-checked, unlike the integer reads.
    static func matches(_ bytes: [UInt8], at offset: Int, _ tag: [UInt8]) -> Bool {
        offset >= 0 && offset + tag.count <= bytes.count
            && bytes[offset..<(offset + tag.count)].elementsEqual(tag)
    }
}
