/// Rebuilds a PNG from an allowlist of rendering-critical chunks, verifying every CRC.
///
/// Kept: IHDR, PLTE, IDAT, IEND, tRNS, gAMA, cHRM, sRGB, sBIT, bKGD, pHYs and the APNG
/// animation chunks acTL, fcTL, fdAT. Everything else is dropped, notably tEXt/zTXt/iTXt
/// (author, software, comments, XMP), eXIf (EXIF incl. GPS), tIME (modification time),
/// iCCP (ICC profiles can name the capturing device) and private/unknown chunks.
/// Bytes after IEND are dropped as well.
enum PNGStripper {
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Chunk types as big-endian integers, so membership is a cheap integer lookup.
    private static let ihdr = fourCC("IHDR")
    private static let idat = fourCC("IDAT")
    private static let iend = fourCC("IEND")
    private static let keptTypes: Set<UInt32> = Set(
        ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "bKGD", "pHYs",
         "acTL", "fcTL", "fdAT"].map(fourCC)
    )

    private static func fourCC(_ name: String) -> UInt32 {
        name.utf8.reduce(0) { $0 << 8 | UInt32($1) }
    }

    static func strip(_ bytes: [UInt8]) throws(ImageSanitizerError) -> [UInt8] {
        guard EvidenceBytes.matches(bytes, at: 0, signature) else { throw .malformed("bad PNG signature") }
        var output = signature
        // Only a subset of input chunks is copied verbatim: O(input) memory.
        output.reserveCapacity(bytes.count)

        var position = signature.count
        var isFirstChunk = true
        var sawIDAT = false

        // Each iteration advances by at least the 12-byte chunk frame, so it terminates.
        while true {
            guard position < bytes.count else { throw .malformed("missing IEND") }
            guard position + 8 <= bytes.count else { throw .malformed("truncated chunk") }
            let length = EvidenceBytes.uint32BE(bytes, at: position)
            // PNG caps chunk lengths at 2^31-1; larger values are corrupt by definition.
            guard length <= 0x7FFF_FFFF else { throw .malformed("chunk length out of range") }
            let typeOffset = position + 4
            let crcOffset = position + 8 + Int(length)
            guard crcOffset + 4 <= bytes.count else { throw .malformed("truncated chunk") }
            for offset in typeOffset..<(typeOffset + 4) {
                let byte = bytes[offset]
                guard (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) else {
                    throw .malformed("invalid chunk type")
                }
            }
            guard EvidenceCRC32.checksum(bytes, typeOffset..<crcOffset) == EvidenceBytes.uint32BE(bytes, at: crcOffset) else {
                throw .malformed("chunk CRC mismatch")
            }
            let type = EvidenceBytes.uint32BE(bytes, at: typeOffset)
            let chunkEnd = crcOffset + 4

            if isFirstChunk {
                guard type == ihdr, length == 13 else { throw .malformed("IHDR must be first") }
                isFirstChunk = false
            } else if type == ihdr {
                throw .malformed("duplicate IHDR")
            }
            if type == idat {
                sawIDAT = true
            }
            if type == iend {
                guard length == 0 else { throw .malformed("IEND with data") }
                guard sawIDAT else { throw .malformed("missing IDAT") }
                output.append(contentsOf: bytes[position..<chunkEnd])
                return output
            }
            if keptTypes.contains(type) {
                // The CRC was just verified, so the chunk can be copied as is.
                output.append(contentsOf: bytes[position..<chunkEnd])
            }
            position = chunkEnd
        }
    }
}
