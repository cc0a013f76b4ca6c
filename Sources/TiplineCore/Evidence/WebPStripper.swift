/// Rebuilds a WebP RIFF container without metadata chunks.
///
/// Kept: VP8X (with the ICC, EXIF and XMP flags cleared), VP8, VP8L, ALPH, ANIM and
/// ANMF (whose frame sub-chunks are filtered the same way). Dropped: EXIF, "XMP ",
/// ICCP and every unknown chunk. The RIFF size is recomputed and every chunk is written
/// with a zero padding byte when its size is odd.
enum WebPStripper {
    static let riffTag: [UInt8] = Array("RIFF".utf8)
    static let webpTag: [UInt8] = Array("WEBP".utf8)

    private static let vp8x: [UInt8] = Array("VP8X".utf8)
    private static let vp8: [UInt8] = Array("VP8 ".utf8)
    private static let vp8l: [UInt8] = Array("VP8L".utf8)
    private static let alph: [UInt8] = Array("ALPH".utf8)
    private static let anim: [UInt8] = Array("ANIM".utf8)
    private static let anmf: [UInt8] = Array("ANMF".utf8)

    /// VP8X payload: flags (1), reserved (3), canvas width-1 (3), canvas height-1 (3).
    private static let vp8xPayloadLength = 10
    /// ANMF payload header: X, Y, width-1, height-1, duration (3 bytes each), flags (1).
    private static let anmfHeaderLength = 16
    /// VP8X flag bits announcing ICC profile (0x20), EXIF (0x08) and XMP (0x04) chunks.
    private static let metadataFlags: UInt8 = 0x20 | 0x08 | 0x04

    private struct Chunk {
        var tag: [UInt8]
        var payload: Range<Int>
        var next: Int
    }

    static func strip(_ bytes: [UInt8]) throws(ImageSanitizerError) -> [UInt8] {
        guard bytes.count >= 12, EvidenceBytes.matches(bytes, at: 0, riffTag), EvidenceBytes.matches(bytes, at: 8, webpTag) else {
            throw .malformed("bad RIFF header")
        }
        let riffSize = Int(EvidenceBytes.uint32LE(bytes, at: 4))
        guard riffSize >= 4 else { throw .malformed("bad RIFF size") }
        // Bytes beyond the RIFF size are not part of the image and are dropped.
        let riffEnd = 8 + riffSize
        guard riffEnd <= bytes.count else { throw .malformed("truncated RIFF") }

        // The RIFF size is patched in at the end, so a single output buffer suffices.
        var output: [UInt8] = riffTag + [0, 0, 0, 0] + webpTag
        output.reserveCapacity(bytes.count + 1)
        var position = 12
        var isFirstChunk = true
        var sawBitstream = false

        while position < riffEnd {
            let chunk = try readChunk(bytes, at: position, end: riffEnd)
            if isFirstChunk {
                guard chunk.tag == vp8x || chunk.tag == vp8 || chunk.tag == vp8l else {
                    throw .malformed("unexpected first chunk")
                }
                isFirstChunk = false
            } else if chunk.tag == vp8x {
                throw .malformed("misplaced VP8X")
            }

            switch chunk.tag {
            case vp8x:
                guard chunk.payload.count >= vp8xPayloadLength else { throw .malformed("short VP8X") }
                // Written at its fixed size so no bytes can trail the canvas size.
                var payload = Array(bytes[chunk.payload.lowerBound..<(chunk.payload.lowerBound + vp8xPayloadLength)])
                payload[0] &= ~metadataFlags
                appendChunk(chunk.tag, payload, to: &output)
            case vp8, vp8l:
                sawBitstream = true
                appendChunk(chunk.tag, bytes[chunk.payload], to: &output)
            case alph, anim:
                appendChunk(chunk.tag, bytes[chunk.payload], to: &output)
            case anmf:
                let frame = try filteredFrame(bytes, chunk.payload)
                sawBitstream = true
                appendChunk(chunk.tag, frame, to: &output)
            default:
                // EXIF, "XMP ", ICCP and unknown chunks.
                break
            }
            position = chunk.next
        }
        guard !isFirstChunk else { throw .malformed("no chunks") }
        guard sawBitstream else { throw .malformed("no image data") }
        let newRIFFSize = output.count - 8
        guard newRIFFSize <= Int(UInt32.max) else { throw .malformed("too large") }
        var sizeField: [UInt8] = []
        EvidenceBytes.appendUInt32LE(UInt32(newRIFFSize), to: &sizeField)
        output.replaceSubrange(4..<8, with: sizeField)
        return output
    }

    /// Rebuilds an ANMF payload keeping its header and only its ALPH/VP8/VP8L sub-chunks.
    ///
    /// A flat loop over the frame's sub-chunks, not recursion: frames cannot nest.
    private static func filteredFrame(_ bytes: [UInt8], _ payload: Range<Int>) throws(ImageSanitizerError) -> [UInt8] {
        guard payload.count >= anmfHeaderLength else { throw .malformed("short ANMF") }
        var frame = Array(bytes[payload.lowerBound..<(payload.lowerBound + anmfHeaderLength)])
        var position = payload.lowerBound + anmfHeaderLength
        var sawBitstream = false
        while position < payload.upperBound {
            let chunk = try readChunk(bytes, at: position, end: payload.upperBound)
            switch chunk.tag {
            case vp8, vp8l:
                sawBitstream = true
                appendChunk(chunk.tag, bytes[chunk.payload], to: &frame)
            case alph:
                appendChunk(chunk.tag, bytes[chunk.payload], to: &frame)
            default:
                break
            }
            position = chunk.next
        }
        guard sawBitstream else { throw .malformed("ANMF without bitstream") }
        return frame
    }

    /// Reads the chunk header at `position`, checking it fits before `end`.
    private static func readChunk(_ bytes: [UInt8], at position: Int, end: Int) throws(ImageSanitizerError) -> Chunk {
        guard position + 8 <= end else { throw .malformed("truncated chunk") }
        let size = Int(EvidenceBytes.uint32LE(bytes, at: position + 4))
        let payloadEnd = position + 8 + size
        guard payloadEnd <= end else { throw .malformed("truncated chunk") }
        // Odd-sized chunks are followed by one padding byte. Some writers omit it on the
        // very last chunk; tolerate that (the output always gets a proper pad).
        let next = min(payloadEnd + (size & 1), end)
        return Chunk(tag: Array(bytes[position..<(position + 4)]), payload: (position + 8)..<payloadEnd, next: next)
    }

    private static func appendChunk(_ tag: [UInt8], _ payload: some Collection<UInt8>, to output: inout [UInt8]) {
        output.append(contentsOf: tag)
        EvidenceBytes.appendUInt32LE(UInt32(payload.count), to: &output)
        output.append(contentsOf: payload)
        if payload.count % 2 == 1 {
            output.append(0)
        }
    }
}
