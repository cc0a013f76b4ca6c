/// Rebuilds a JPEG from the marker segments a decoder needs, dropping all metadata.
///
/// Kept: SOI, DQT, DHT, DAC, SOFn, DRI, DNL, DHP, EXP, SOS with its entropy-coded data
/// (including RSTn), EOI, a canonical APP0 "JFIF" header without thumbnail, and a
/// canonical APP14 "Adobe" segment (decoders need its colour-transform flag to get
/// colours right for RGB/CMYK files).
///
/// Dropped: APP1 (EXIF incl. GPS and the EXIF thumbnail, XMP, extended XMP), APP0
/// "JFXX" and any other APP0, APP2–APP13 (ICC, MPF secondary images, Photoshop/IPTC),
/// APP15, COM, reserved/extension markers, and everything after EOI (where phones
/// append depth maps, motion photos and other secondary images).
enum JPEGStripper {
    /// The JFIF APP0 payload up to, but excluding, the thumbnail dimensions:
    /// identifier (5), version (2), units (1), X density (2), Y density (2).
    private static let jfifHeaderLength = 12
    /// The Adobe APP14 payload: identifier (5), version (2), flags0 (2), flags1 (2), transform (1).
    private static let adobePayloadLength = 12
    private static let jfifIdentifier: [UInt8] = Array("JFIF\0".utf8)
    private static let adobeIdentifier: [UInt8] = Array("Adobe".utf8)

    static func strip(_ bytes: [UInt8]) throws(ImageSanitizerError) -> [UInt8] {
        guard bytes.count >= 2, bytes[0] == 0xFF, bytes[1] == 0xD8 else {
            throw .malformed("missing SOI")
        }
        var output: [UInt8] = []
        // Output is never larger than the input (canonical APP0/APP14 only shrink), so one
        // reservation bounds memory to O(input).
        output.reserveCapacity(bytes.count)
        output.append(contentsOf: [0xFF, 0xD8])

        var position = 2
        var sawFrame = false
        var sawScan = false
        var sawJFIF = false
        var sawAdobe = false

        // Every iteration consumes at least one byte, so the loop terminates on any input.
        while true {
            guard position < bytes.count else { throw .malformed("missing EOI") }
            guard bytes[position] == 0xFF else { throw .malformed("expected marker") }
            // Any number of 0xFF fill bytes may precede a marker (ITU T.81 B.1.1.2).
            while position < bytes.count, bytes[position] == 0xFF {
                position += 1
            }
            guard position < bytes.count else { throw .malformed("missing EOI") }
            let marker = bytes[position]
            position += 1

            // Markers without a length field.
            switch marker {
            case 0xD9:  // EOI: stop here; trailing bytes are never copied.
                guard sawScan else { throw .malformed("missing SOS") }
                output.append(contentsOf: [0xFF, 0xD9])
                return output
            case 0xD8:
                throw .malformed("unexpected SOI")
            case 0x00:
                throw .malformed("invalid marker")
            case 0x01, 0xD0...0xD7:
                // TEM, or RSTn outside a scan: carries nothing and means nothing here.
                continue
            default:
                break
            }

            guard position + 2 <= bytes.count else { throw .malformed("truncated segment") }
            let length = EvidenceBytes.uint16BE(bytes, at: position)
            guard length >= 2 else { throw .malformed("segment length < 2") }
            let segmentEnd = position + length
            guard segmentEnd <= bytes.count else { throw .malformed("truncated segment") }
            let payload = (position + 2)..<segmentEnd

            switch marker {
            case 0xDA:  // SOS
                guard sawFrame else { throw .malformed("SOS before SOF") }
                sawScan = true
                appendSegment(marker, bytes[payload], to: &output)
                let scanEnd = try entropyCodedDataEnd(bytes, from: segmentEnd)
                output.append(contentsOf: bytes[segmentEnd..<scanEnd])
                position = scanEnd
                continue
            case 0xC0...0xC3, 0xC5...0xC7, 0xC9...0xCB, 0xCD...0xCF:  // SOFn
                sawFrame = true
                appendSegment(marker, bytes[payload], to: &output)
            case 0xC4, 0xCC, 0xDB, 0xDC, 0xDD, 0xDE, 0xDF:  // DHT, DAC, DQT, DNL, DRI, DHP, EXP
                appendSegment(marker, bytes[payload], to: &output)
            case 0xE0:
                // Only the first JFIF header is kept, rewritten without its thumbnail;
                // JFXX extensions exist only to carry thumbnails and are dropped.
                if !sawJFIF, payload.count >= jfifHeaderLength + 2,
                   EvidenceBytes.matches(bytes, at: payload.lowerBound, jfifIdentifier) {
                    sawJFIF = true
                    let header = bytes[payload.lowerBound..<(payload.lowerBound + jfifHeaderLength)]
                    appendSegment(marker, header + [0, 0], to: &output)
                }
            case 0xEE:
                // Rewritten to its fixed size so nothing can ride along after the flags.
                if !sawAdobe, payload.count >= adobePayloadLength,
                   EvidenceBytes.matches(bytes, at: payload.lowerBound, adobeIdentifier) {
                    sawAdobe = true
                    appendSegment(marker, bytes[payload.lowerBound..<(payload.lowerBound + adobePayloadLength)], to: &output)
                }
            default:
                // APP1–APP13, APP15, COM, JPGn and reserved markers: allowlist says drop.
                break
            }
            position = segmentEnd
        }
    }

    /// Returns the offset where the entropy-coded data starting at `start` ends: the first
    /// 0xFF of the (possibly fill-padded) marker that terminates the scan.
    ///
    /// Inside a scan, 0xFF (after any run of 0xFF fill bytes, as libjpeg reads it) is
    /// followed by 0x00 (a stuffed data byte) or 0xD0–0xD7 (a restart marker that belongs
    /// to the scan); anything else is a real marker that ends the scan. Fill bytes in front
    /// of that marker are left out, so the output never carries padding that used to
    /// precede a dropped segment.
    private static func entropyCodedDataEnd(_ bytes: [UInt8], from start: Int) throws(ImageSanitizerError) -> Int {
        let end: Int? = bytes.withUnsafeBufferPointer { buffer in
            var index = start
            while index < buffer.count {
                guard buffer[index] == 0xFF else {
                    index += 1
                    continue
                }
                var next = index + 1
                while next < buffer.count, buffer[next] == 0xFF {
                    next += 1
                }
                guard next < buffer.count else { return nil }
                let code = buffer[next]
                if code == 0x00 || (0xD0...0xD7).contains(code) {
                    index = next + 1
                } else {
                    return index
                }
            }
            return nil
        }
        guard let end else { throw .malformed("missing EOI") }
        return end
    }

    private static func appendSegment(_ marker: UInt8, _ payload: some Collection<UInt8>, to output: inout [UInt8]) {
        output.append(0xFF)
        output.append(marker)
        EvidenceBytes.appendUInt16BE(payload.count + 2, to: &output)
        output.append(contentsOf: payload)
    }
}
