/// CRC-32 as used by PNG (ISO 3309 / ITU-T V.42, reflected polynomial 0xEDB88320).
///
/// Implemented here rather than pulled from zlib so the module stays dependency-free.
/// Prefixed with "Evidence" because other parts of TiplineCore are written independently
/// and a bare `CRC32` is a likely name clash within the module.
enum EvidenceCRC32 {
    /// Byte-indexed lookup table, built once; makes the checksum one table lookup per byte.
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = (value & 1) != 0 ? (0xEDB8_8320 ^ (value >> 1)) : (value >> 1)
        }
        return value
    }

    /// Computes the CRC-32 of `bytes[range]`. The caller guarantees the range is in bounds.
    static func checksum(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            bytes.withUnsafeBufferPointer { buffer in
                for index in range {
                    crc = table[Int((crc ^ UInt32(buffer[index])) & 0xFF)] ^ (crc >> 8)
                }
            }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// Computes the CRC-32 of a whole byte sequence.
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        checksum(bytes, 0..<bytes.count)
    }
}
