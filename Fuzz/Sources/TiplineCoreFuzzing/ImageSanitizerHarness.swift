public import FuzzSupport
import TiplineCore

/// `FuzzImageSanitizer`: an upload through `ImageSanitizer.strip`.
///
/// Properties beyond "no crash, no hang": when stripping succeeds, the output is detected as
/// the same format, JPEG and PNG outputs are no larger than the input (as the stripper
/// documents), and stripping the output again succeeds and returns it unchanged
/// (idempotence: a sanitized image has nothing left to remove and nothing left to break).
///
/// A PNG input is checked twice: as it is, and with every chunk CRC recomputed, so that
/// mutations of chunk contents reach the chunk logic instead of stopping at the CRC check
/// (the usual trick of PNG fuzzers; the stripper itself is unchanged and still checks CRCs).
public enum ImageSanitizerHarness {
    /// Checks one input.
    public static func check(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        try checkOne(bytes)
        if let fixed = withValidPNGCRCs(bytes), fixed != bytes {
            try checkOne(fixed)
        }
    }

    private static func checkOne(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        let first: (format: ImageFormat, bytes: [UInt8])
        do {
            first = try ImageSanitizer.strip(bytes)
        } catch {
            return
        }
        guard ImageFormat.detect(first.bytes) == first.format else {
            throw FuzzPropertyViolation("the stripped \(first.format) is not detected as \(first.format)")
        }
        if first.format != .webp, first.bytes.count > bytes.count {
            throw FuzzPropertyViolation("the stripped \(first.format) is larger than the input")
        }
        let second: (format: ImageFormat, bytes: [UInt8])
        do {
            second = try ImageSanitizer.strip(first.bytes)
        } catch {
            throw FuzzPropertyViolation("stripping a stripped \(first.format) fails: \(error)")
        }
        guard second.format == first.format, second.bytes == first.bytes else {
            throw FuzzPropertyViolation("stripping a stripped \(first.format) changes it (not idempotent)")
        }
    }

    /// `bytes` with each complete PNG chunk's CRC set to the right value; nil if not a PNG.
    public static func withValidPNGCRCs(_ bytes: [UInt8]) -> [UInt8]? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.starts(with: signature) else { return nil }
        var out = bytes
        var position = signature.count
        while position + 12 <= out.count {
            let length = Int(out[position]) << 24 | Int(out[position + 1]) << 16 | Int(out[position + 2]) << 8 | Int(out[position + 3])
            let crcOffset = position + 8 + length
            guard crcOffset + 4 <= out.count else { break }
            let crc = crc32(out[(position + 4)..<crcOffset])
            out[crcOffset] = UInt8(truncatingIfNeeded: crc >> 24)
            out[crcOffset + 1] = UInt8(truncatingIfNeeded: crc >> 16)
            out[crcOffset + 2] = UInt8(truncatingIfNeeded: crc >> 8)
            out[crcOffset + 3] = UInt8(truncatingIfNeeded: crc)
            position = crcOffset + 4
        }
        return out
    }

    /// Bitwise CRC-32 (ISO 3309), written apart from the stripper's table-driven one.
    private static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}
