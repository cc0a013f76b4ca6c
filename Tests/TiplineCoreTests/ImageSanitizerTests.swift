import Foundation
import Testing
import TiplineTestSupport
@testable import TiplineCore

/// Tests for the evidence-photo metadata stripper.
///
/// The fixtures under `Fixtures/` are real images written by Pillow/libjpeg/libwebp with
/// metadata planted by `Fixtures/make_fixtures.py` (dev-only; the tests never run Python).
/// Every planted value contains "Canary" or is "SecretCameraSerial123".
///
/// The structural checks use small reference parsers defined at the bottom of this file,
/// written independently of the production code, so a bug in a production parser cannot
/// hide itself by agreeing with its own output.
@Suite("ImageSanitizer")
struct ImageSanitizerTests {
    static let jpegFixtures = ["baseline.jpg", "progressive.jpg", "cmyk-adobe.jpg"]
    static let pngFixtures = ["metadata.png", "palette.png", "animated.png"]
    static let webpFixtures = ["lossy.webp", "extended.webp", "animated.webp"]
    /// Pixel dimensions the fixture generator used, as [width, height].
    static let jpegDimensions: [String: [Int]] = [
        "baseline.jpg": [48, 32], "progressive.jpg": [40, 40], "cmyk-adobe.jpg": [24, 24],
    ]
    static let allFixtures = jpegFixtures + pngFixtures + webpFixtures
    /// Fixtures that intentionally carry no metadata at all.
    static let cleanFixtures: Set<String> = ["lossy.webp"]

    /// Byte strings that must never survive stripping.
    static let forbidden: [(String, [UInt8])] = [
        ("canary", Array("Canary".utf8)),
        ("serial", Array("SecretCameraSerial123".utf8)),
        ("EXIF header", Array("Exif\0\0".utf8)),
        ("XMP namespace", Array("http://ns.adobe.com/xap".utf8)),
        ("extended XMP", Array("http://ns.adobe.com/xmp/extension".utf8)),
        ("ICC APP2", Array("ICC_PROFILE".utf8)),
        ("ICC signature", Array("acsp".utf8)),
        ("Photoshop APP13", Array("Photoshop 3.0".utf8)),
        ("Photoshop resource", Array("8BIM".utf8)),
        ("JFXX", Array("JFXX".utf8)),
        ("MPF", Array("MPF\0".utf8)),
        // The GPS IFD pointer tag (0x8825, type LONG) in both TIFF byte orders.
        ("GPS IFD pointer (BE)", [0x88, 0x25, 0x00, 0x04]),
        ("GPS IFD pointer (LE)", [0x25, 0x88, 0x04, 0x00]),
    ]

    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
        return [UInt8](try Data(contentsOf: url))
    }

    static func expectedFormat(_ name: String) -> ImageFormat {
        if name.hasSuffix(".jpg") { return .jpeg }
        if name.hasSuffix(".png") { return .png }
        return .webp
    }

    // MARK: - Detection

    @Test(arguments: allFixtures)
    func detectsFormatByMagicBytes(name: String) throws {
        let bytes = try Self.fixture(name)
        #expect(ImageFormat.detect(bytes) == Self.expectedFormat(name))
    }

    @Test func mimeTypes() {
        #expect(ImageFormat.jpeg.mimeType == "image/jpeg")
        #expect(ImageFormat.png.mimeType == "image/png")
        #expect(ImageFormat.webp.mimeType == "image/webp")
        #expect(ImageFormat.allCases.count == 3)
    }

    @Test func rejectsUnsupportedTypes() {
        let samples: [[UInt8]] = [
            [],
            Array("%PDF-1.7\n%\u{E2}\u{E3}\u{CF}\u{D3}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8),
            Array("GIF89a\u{01}\0\u{01}\0\0\0\0;".utf8),
            Array("hello, this is a plain text tip".utf8),
            [0xFF, 0xD8],  // SOI alone is not enough to call it a JPEG
            Array("\u{89}PNG".utf8),
            Array("RIFF\u{04}\0\0\0WAVE".utf8),
            Array("RIFF\u{04}\0\0\0WEB".utf8),
        ]
        for sample in samples {
            #expect(ImageFormat.detect(sample) == nil)
            #expect(throws: ImageSanitizerError.unsupportedType) { try ImageSanitizer.strip(sample) }
        }
    }

    // MARK: - Metadata removal, all formats

    @Test(arguments: allFixtures)
    func removesAllMetadata(name: String) throws {
        let input = try Self.fixture(name)
        if !Self.cleanFixtures.contains(name) {
            // The fixture must actually carry metadata, or this test proves nothing.
            #expect(input.containsBytes(Array("Canary".utf8)), "fixture \(name) lost its canary")
            #expect(input.containsBytes(Array("SecretCameraSerial123".utf8)))
        }
        let result = try ImageSanitizer.strip(input)
        #expect(result.format == Self.expectedFormat(name))
        for (label, needle) in Self.forbidden {
            #expect(!result.bytes.containsBytes(needle), "\(name): output still contains \(label)")
        }
        #expect(result.bytes.count <= input.count)
    }

    @Test(arguments: allFixtures)
    func strippingIsIdempotent(name: String) throws {
        let once = try ImageSanitizer.strip(try Self.fixture(name))
        let twice = try ImageSanitizer.strip(once.bytes)
        #expect(twice.format == once.format)
        #expect(twice.bytes == once.bytes)
    }

    @Test func metadataFreeImageIsUnchanged() throws {
        let input = try Self.fixture("lossy.webp")
        #expect(try ImageSanitizer.strip(input).bytes == input)
    }

    // MARK: - JPEG structure

    @Test(arguments: jpegFixtures)
    func jpegKeepsStructureAndScanData(name: String) throws {
        let input = try Self.fixture(name)
        let output = try ImageSanitizer.strip(input).bytes
        let before = try #require(RefJPEG.parse(input), "fixture does not parse")
        let after = try #require(RefJPEG.parse(output), "stripped output does not parse")

        #expect(Array(output.prefix(2)) == [0xFF, 0xD8])
        #expect(Array(output.suffix(2)) == [0xFF, 0xD9], "nothing may follow EOI")
        #expect(after.last?.marker == 0xD9)
        #expect(after.contains { $0.marker == 0xDA })

        // Only decoder-relevant markers remain.
        let allowed = Set<UInt8>([0xD8, 0xD9, 0xC4, 0xCC, 0xDB, 0xDD, 0xDA, 0xE0, 0xEE])
            .union(Set<UInt8>(0xC0...0xCF).subtracting([0xC4, 0xC8, 0xCC]))
        for segment in after {
            #expect(allowed.contains(segment.marker), "unexpected marker \(String(segment.marker, radix: 16))")
        }

        // Same frame header, hence same dimensions and components.
        let sofBefore = try #require(before.first { RefJPEG.isSOF($0.marker) })
        let sofAfter = try #require(after.first { RefJPEG.isSOF($0.marker) })
        #expect(sofAfter.marker == sofBefore.marker)
        #expect(sofAfter.payload == sofBefore.payload)
        #expect(RefJPEG.dimensions(sofAfter) == Self.jpegDimensions[name])

        // Tables and every scan (header + entropy-coded bytes incl. RSTn) are byte-identical.
        let essential: Set<UInt8> = [0xC4, 0xCC, 0xDB, 0xDD, 0xDA]
        let keptBefore = before.filter { essential.contains($0.marker) }
        let keptAfter = after.filter { essential.contains($0.marker) }
        #expect(keptAfter.count == keptBefore.count)
        for (a, b) in zip(keptBefore, keptAfter) {
            #expect(a.marker == b.marker)
            #expect(a.payload == b.payload)
            #expect(a.entropy == b.entropy)
        }

        // A JFIF header survives, without a thumbnail.
        let jfifBefore = before.filter { $0.marker == 0xE0 && $0.payload.starts(with: Array("JFIF\0".utf8)) }
        let app0After = after.filter { $0.marker == 0xE0 }
        if let jfif = jfifBefore.first {
            #expect(app0After.count == 1)
            #expect(app0After.first?.payload == Array(jfif.payload.prefix(12)) + [0, 0])
        } else {
            #expect(app0After.isEmpty)
        }
    }

    @Test func baselineFixtureExercisesTheInterestingCases() throws {
        // Guards against a regenerated fixture silently losing what the tests rely on.
        let segments = try #require(RefJPEG.parse(try Self.fixture("baseline.jpg")))
        let markers = Set(segments.map(\.marker))
        #expect(markers.isSuperset(of: [0xE1, 0xE2, 0xED, 0xEF, 0xFE, 0xDD]))
        #expect(segments.contains { $0.marker == 0xE0 && $0.payload.starts(with: Array("JFXX".utf8)) })
        let jfif = try #require(segments.first { $0.marker == 0xE0 })
        #expect(jfif.payload[12] != 0 && jfif.payload[13] != 0, "JFIF thumbnail expected")
        let scan = try #require(segments.first { $0.marker == 0xDA })
        #expect(scan.entropy.containsBytes([0xFF, 0xD0]), "restart markers expected")
        #expect(segments.filter { $0.marker == 0xDA }.count == 1)
        let progressive = try #require(RefJPEG.parse(try Self.fixture("progressive.jpg")))
        #expect(progressive.filter { $0.marker == 0xDA }.count > 1, "progressive JPEG has several scans")
        #expect(progressive.contains { $0.marker == 0xC2 })
    }

    @Test func jpegKeepsAdobeSegment() throws {
        let input = try Self.fixture("cmyk-adobe.jpg")
        let before = try #require(RefJPEG.parse(input))
        let after = try #require(RefJPEG.parse(try ImageSanitizer.strip(input).bytes))
        let adobeBefore = try #require(before.first { $0.marker == 0xEE })
        let adobeAfter = try #require(after.first { $0.marker == 0xEE })
        #expect(adobeAfter.payload == Array(adobeBefore.payload.prefix(12)))
        #expect(adobeAfter.payload.starts(with: Array("Adobe".utf8)))
    }

    @Test func jpegScanWithStuffingRestartsAndFillBytes() throws {
        // Structurally valid (not decodable) JPEG exercising the entropy-data scanner.
        let entropy: [UInt8] = [0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD7, 0xFF, 0x00]
        let secondScan: [UInt8] = [0x9A, 0xFF, 0x00]
        var jpeg: [UInt8] = [0xFF, 0xD8]
        jpeg += RefJPEG.segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
        jpeg += RefJPEG.segment(0xC2, [8, 0, 1, 0, 1, 1, 1, 0x11, 0])
        jpeg += RefJPEG.segment(0xDA, [1, 1, 0, 0, 63, 0]) + entropy
        // Metadata between progressive scans, preceded by fill bytes, must go.
        jpeg += [0xFF, 0xFF] + RefJPEG.segment(0xE1, Array("Exif\0\0Canary".utf8))
        jpeg += [0xFF, 0xFE, 0x00, 0x08] + Array("Canary".utf8)
        jpeg += RefJPEG.segment(0xDA, [1, 1, 0, 0, 63, 0]) + secondScan
        jpeg += [0xFF, 0xFF, 0xFF, 0xD9] + Array("Canary after EOI".utf8)

        let output = try ImageSanitizer.strip(jpeg).bytes
        #expect(!output.containsBytes(Array("Canary".utf8)))
        #expect(output.containsBytes(entropy))
        let segments = try #require(RefJPEG.parse(output))
        #expect(segments.map(\.marker) == [0xD8, 0xDB, 0xC2, 0xDA, 0xDA, 0xD9])
        #expect(segments[3].entropy == entropy)
        #expect(Array(output.suffix(2)) == [0xFF, 0xD9])
        #expect(try ImageSanitizer.strip(output).bytes == output)
    }

    @Test func jpegMalformedInputs() throws {
        let soi: [UInt8] = [0xFF, 0xD8]
        let dqt = RefJPEG.segment(0xDB, [0x00] + [UInt8](repeating: 1, count: 64))
        let sof = RefJPEG.segment(0xC0, [8, 0, 1, 0, 1, 1, 1, 0x11, 0])
        let sos = RefJPEG.segment(0xDA, [1, 1, 0, 0, 63, 0])
        let cases: [(String, [UInt8])] = [
            ("length past end", soi + [0xFF, 0xE1, 0xFF, 0xFF] + Array("Exif\0\0".utf8)),
            ("length past end of DQT", soi + [0xFF, 0xDB, 0x00, 0x90, 0x00, 0x01]),
            ("length < 2", soi + [0xFF, 0xE0, 0x00, 0x01] + dqt + sof + sos + [0x00, 0xFF, 0xD9]),
            ("length field cut", soi + [0xFF, 0xDB, 0x00]),
            ("missing SOS", soi + dqt + sof + [0xFF, 0xD9]),
            ("missing EOI", soi + dqt + sof + sos + [0x01, 0x02, 0x03]),
            ("missing EOI after FF", soi + dqt + sof + sos + [0x01, 0xFF]),
            ("SOS before SOF", soi + dqt + sos + [0x01, 0xFF, 0xD9]),
            ("garbage between segments", soi + dqt + [0x00] + sof + sos + [0x01, 0xFF, 0xD9]),
            ("second SOI", soi + dqt + [0xFF, 0xD8] + sof + sos + [0x01, 0xFF, 0xD9]),
            ("marker 0x00", soi + [0xFF, 0x00]),
        ]
        for (label, bytes) in cases {
            #expect(ImageFormat.detect(bytes) == .jpeg, "\(label)")
            #expect(throws: ImageSanitizerError.self, "\(label)") { try ImageSanitizer.strip(bytes) }
            do {
                _ = try ImageSanitizer.strip(bytes)
            } catch {
                guard case .malformed = error else {
                    Issue.record("\(label): expected .malformed, got \(error)")
                    continue
                }
            }
        }
        // Sanity check: the same building blocks, well-formed, are accepted.
        #expect(throws: Never.self) { try ImageSanitizer.strip(soi + dqt + sof + sos + [0x01, 0xFF, 0xD9]) }

        // A real fixture whose first segment length points past the end of the file.
        var fixture = try Self.fixture("progressive.jpg")
        fixture[4] = 0xFF
        fixture[5] = 0xFF
        #expect(throws: ImageSanitizerError.malformed("truncated segment")) { try ImageSanitizer.strip(fixture) }
    }

    // MARK: - PNG structure

    @Test(arguments: pngFixtures)
    func pngKeepsCriticalChunksWithValidCRCs(name: String) throws {
        let input = try Self.fixture(name)
        let output = try ImageSanitizer.strip(input).bytes
        let before = try #require(RefPNG.parse(input), "fixture does not parse")
        let after = try #require(RefPNG.parse(output), "stripped output does not parse (bad CRC?)")

        #expect(after.first?.type == "IHDR")
        #expect(after.last?.type == "IEND")
        let allowed: Set<String> = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT",
                                    "bKGD", "pHYs", "acTL", "fcTL", "fdAT"]
        for chunk in after {
            #expect(allowed.contains(chunk.type), "unexpected chunk \(chunk.type)")
        }
        // Every allowlisted chunk of the input survives unchanged and in order.
        #expect(after == before.filter { allowed.contains($0.type) })
        // Image data explicitly: concatenated IDAT (and APNG fdAT) bytes are identical.
        #expect(RefPNG.concatenated("IDAT", after) == RefPNG.concatenated("IDAT", before))
        #expect(RefPNG.concatenated("fdAT", after) == RefPNG.concatenated("fdAT", before))
        #expect(!RefPNG.concatenated("IDAT", after).isEmpty)
    }

    @Test func pngFixturesExerciseTheInterestingCases() throws {
        let chunks = try #require(RefPNG.parse(try Self.fixture("metadata.png")))
        let types = Set(chunks.map(\.type))
        #expect(types.isSuperset(of: ["tEXt", "zTXt", "iTXt", "eXIf", "tIME", "iCCP", "prVt", "gAMA", "pHYs"]))
        #expect(chunks.filter { $0.type == "IDAT" }.count == 2)
        let animated = try #require(RefPNG.parse(try Self.fixture("animated.png")))
        #expect(Set(animated.map(\.type)).isSuperset(of: ["acTL", "fcTL", "fdAT"]))
        let palette = try #require(RefPNG.parse(try Self.fixture("palette.png")))
        #expect(Set(palette.map(\.type)).isSuperset(of: ["PLTE", "tRNS"]))
    }

    @Test func pngDropsBytesAfterIEND() throws {
        let input = try Self.fixture("metadata.png")
        #expect(!input.suffix(15).elementsEqual(RefPNG.iendChunk))
        let output = try ImageSanitizer.strip(input).bytes
        #expect(Array(output.suffix(12)) == RefPNG.iendChunk)
    }

    @Test func pngBadCRCIsMalformed() throws {
        let input = try Self.fixture("metadata.png")
        let chunks = try #require(RefPNG.chunkOffsets(input))
        // Corrupt one data byte of a kept chunk (IHDR width) and of a dropped one (tEXt):
        // both must be rejected, because a chunk that fails its CRC is not trustworthy.
        for type in ["IHDR", "tEXt", "IDAT"] {
            let offset = try #require(chunks.first { $0.type == type }).offset
            var corrupted = input
            corrupted[offset + 8] ^= 0x01
            #expect(throws: ImageSanitizerError.malformed("chunk CRC mismatch"), "\(type)") {
                try ImageSanitizer.strip(corrupted)
            }
        }
        // A corrupted CRC field itself.
        var corrupted = input
        corrupted[8 + 4 + 4 + 13] ^= 0x80
        #expect(throws: ImageSanitizerError.malformed("chunk CRC mismatch")) { try ImageSanitizer.strip(corrupted) }
    }

    @Test func pngMalformedInputs() throws {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        let ihdr = RefPNG.chunk("IHDR", [0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0])
        let idat = RefPNG.chunk("IDAT", [0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01])
        let text = RefPNG.chunk("tEXt", Array("Author\0Canary".utf8))
        let cases: [(String, [UInt8])] = [
            ("signature only", signature),
            ("missing IEND", signature + ihdr + idat),
            ("IHDR not first", signature + text + ihdr + idat + RefPNG.iendChunk),
            ("duplicate IHDR", signature + ihdr + ihdr + idat + RefPNG.iendChunk),
            ("missing IDAT", signature + ihdr + RefPNG.iendChunk),
            ("length past end", signature + ihdr + [0x00, 0x01, 0x00, 0x00] + Array("IDAT".utf8) + [1, 2, 3]),
            ("huge length", signature + ihdr + [0xFF, 0xFF, 0xFF, 0xFF] + Array("IDAT".utf8)),
            ("invalid type", signature + ihdr + RefPNG.chunk("ID@T", [1]) + idat + RefPNG.iendChunk),
            ("IEND with data", signature + ihdr + idat + RefPNG.chunk("IEND", [0])),
            ("half chunk header", signature + ihdr + idat + [0, 0, 0]),
        ]
        for (label, bytes) in cases {
            #expect(throws: ImageSanitizerError.self, "\(label)") { try ImageSanitizer.strip(bytes) }
        }
        // The same pieces, well-formed, are accepted and the tEXt is dropped.
        let good = signature + ihdr + text + idat + RefPNG.iendChunk
        #expect(try ImageSanitizer.strip(good).bytes == signature + ihdr + idat + RefPNG.iendChunk)
    }

    @Test func crc32MatchesReferenceImplementation() throws {
        #expect(EvidenceCRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(EvidenceCRC32.checksum([]) == 0)
        let bytes = try Self.fixture("metadata.png")
        #expect(EvidenceCRC32.checksum(bytes) == RefPNG.bitwiseCRC32(bytes[...]))
        #expect(EvidenceCRC32.checksum(bytes, 100..<900) == RefPNG.bitwiseCRC32(bytes[100..<900]))
    }

    // MARK: - WebP structure

    @Test(arguments: webpFixtures)
    func webpKeepsBitstreamAndFixesHeader(name: String) throws {
        let input = try Self.fixture(name)
        let output = try ImageSanitizer.strip(input).bytes
        let before = try #require(RefWebP.parse(input), "fixture does not parse")
        let after = try #require(RefWebP.parse(output), "stripped output does not parse")

        #expect(Int(RefWebP.uint32LE(output, 4)) == output.count - 8, "RIFF size must equal length - 8")
        let allowed: Set<String> = ["VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF"]
        for chunk in after {
            #expect(allowed.contains(chunk.tag), "unexpected chunk \(chunk.tag)")
        }
        #expect(["VP8X", "VP8 ", "VP8L"].contains(after.first?.tag ?? ""))

        if let vp8xBefore = before.first(where: { $0.tag == "VP8X" }) {
            let vp8xAfter = try #require(after.first { $0.tag == "VP8X" })
            #expect(vp8xAfter.payload.count == 10)
            #expect(vp8xAfter.payload[0] & 0x2C == 0, "ICC/EXIF/XMP flags must be cleared")
            #expect(vp8xAfter.payload[0] == vp8xBefore.payload[0] & ~0x2C, "other flags (alpha, animation) kept")
            #expect(vp8xAfter.payload[1...] == vp8xBefore.payload[1..<10], "canvas size kept")
        }

        // Bitstreams (including those nested in animation frames) are byte-identical.
        let bitstreamBefore = RefWebP.bitstreams(before)
        #expect(!bitstreamBefore.isEmpty)
        #expect(RefWebP.bitstreams(after) == bitstreamBefore)
        // Animation parameters and frame headers are kept.
        #expect(after.filter { $0.tag == "ANIM" }.map(\.payload) == before.filter { $0.tag == "ANIM" }.map(\.payload))
        #expect(after.filter { $0.tag == "ANMF" }.map { Array($0.payload.prefix(16)) }
            == before.filter { $0.tag == "ANMF" }.map { Array($0.payload.prefix(16)) })
        for frame in after where frame.tag == "ANMF" {
            let subchunks = try #require(RefWebP.chunks(frame.payload, from: 16))
            for sub in subchunks {
                #expect(["ALPH", "VP8 ", "VP8L"].contains(sub.tag), "unexpected frame sub-chunk \(sub.tag)")
            }
        }
    }

    @Test func webpFixturesExerciseTheInterestingCases() throws {
        let extended = try #require(RefWebP.parse(try Self.fixture("extended.webp")))
        #expect(Set(extended.map(\.tag)).isSuperset(of: ["VP8X", "ALPH", "VP8 ", "ICCP", "EXIF", "XMP ", "CNRY"]))
        #expect(extended[0].payload[0] & 0x2C == 0x2C)
        let animated = try #require(RefWebP.parse(try Self.fixture("animated.webp")))
        #expect(Set(animated.map(\.tag)).isSuperset(of: ["VP8X", "ANIM", "ANMF", "EXIF", "XMP "]))
        #expect(animated[0].payload[0] & 0x0C == 0x0C)
        let lossy = try #require(RefWebP.parse(try Self.fixture("lossy.webp")))
        #expect(lossy.map(\.tag) == ["VP8 "])
    }

    @Test func webpMalformedInputs() throws {
        let lossy = try Self.fixture("lossy.webp")
        let vp8 = Array(lossy[12...])
        func riff(_ body: [UInt8], size: Int? = nil) -> [UInt8] {
            Array("RIFF".utf8) + RefWebP.le32(size ?? body.count + 4) + Array("WEBP".utf8) + body
        }
        let vp8x = RefWebP.chunk("VP8X", [0x2C, 0, 0, 0, 31, 0, 0, 23, 0, 0])
        let cases: [(String, [UInt8])] = [
            ("RIFF size past end", riff(vp8, size: vp8.count + 100)),
            ("RIFF size too small", riff(vp8, size: 2)),
            ("no chunks", riff([])),
            ("chunk past end", riff(Array("VP8 ".utf8) + RefWebP.le32(1000) + [1, 2, 3, 4])),
            ("half chunk header", riff(vp8 + [0x45, 0x58])),
            ("EXIF first", riff(RefWebP.chunk("EXIF", [1, 2]) + vp8)),
            ("VP8X not first", riff(vp8 + vp8x)),
            ("short VP8X", riff(RefWebP.chunk("VP8X", [0, 0, 0]) + vp8)),
            ("no bitstream", riff(vp8x + RefWebP.chunk("EXIF", [1, 2]))),
            ("short ANMF", riff(vp8x + RefWebP.chunk("ANMF", [0, 0, 0]))),
        ]
        for (label, bytes) in cases {
            #expect(throws: ImageSanitizerError.self, "\(label)") { try ImageSanitizer.strip(bytes) }
        }
        // Bytes after the RIFF payload are not part of the image and are dropped.
        let trailing = lossy + Array("Canary".utf8)
        #expect(try ImageSanitizer.strip(trailing).bytes == lossy)
        // A missing pad byte on the final odd-sized chunk is tolerated and repaired.
        let odd = riff(vp8x + vp8 + Array("EXIF".utf8) + RefWebP.le32(3) + [1, 2, 3], size: nil)
        let repaired = try ImageSanitizer.strip(odd).bytes
        #expect(RefWebP.parse(repaired)?.map(\.tag) == ["VP8X", "VP8 "])
    }

    // MARK: - Robustness

    @Test(arguments: allFixtures)
    func everyTruncationIsHandled(name: String) throws {
        let input = try Self.fixture(name)
        let full = try ImageSanitizer.strip(input).bytes
        for length in 0..<input.count {
            do {
                // Only cutting off trailing junk (after EOI / IEND) may still succeed, and
                // then the result must be exactly the full file's result.
                let result = try ImageSanitizer.strip(Array(input[..<length]))
                #expect(result.bytes == full, "\(name) truncated at \(length)")
            } catch {
                #expect(!error.description.contains("Canary"))
            }
        }
    }

    @Test(arguments: allFixtures)
    func randomMutationsNeverCrash(name: String) throws {
        let input = try Self.fixture(name)
        var rng = SeededGenerator(seed: UInt64(truncatingIfNeeded: name.utf8.reduce(0) { $0 &* 31 &+ Int($1) }))
        for _ in 0..<400 {
            var bytes = input
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let position = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 4 {
                case 0: bytes[position] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes[position] = [0x00, 0xFF, 0xD9, 0xDA][Int(rng.next() % 4)]
                case 2: bytes.remove(at: position)
                default: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: position)
                }
                if bytes.isEmpty { break }
            }
            // Whatever comes back must be a fixed point of the stripper.
            if let result = try? ImageSanitizer.strip(bytes) {
                #expect(try ImageSanitizer.strip(result.bytes).bytes == result.bytes)
            }
        }
    }

    @Test func errorDescriptionsAreStaticAndSafe() {
        #expect(ImageSanitizerError.unsupportedType.description == "unsupported image type")
        #expect(ImageSanitizerError.malformed("missing EOI").description == "malformed image: missing EOI")
        #expect(ImageSanitizerError.malformed("x") != ImageSanitizerError.malformed("y"))
    }
}

// MARK: - Reference parsers (test-only, deliberately simple)

private extension Array where Element == UInt8 {
    func containsBytes(_ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for start in 0...(count - needle.count) where self[start] == needle[0] {
            if self[start..<(start + needle.count)].elementsEqual(needle) { return true }
        }
        return false
    }
}

private enum RefJPEG {
    struct Segment: Equatable {
        var marker: UInt8
        var payload: [UInt8]
        /// Entropy-coded bytes following an SOS header, up to the next non-RST marker.
        var entropy: [UInt8] = []
    }

    static func isSOF(_ marker: UInt8) -> Bool {
        (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
    }

    /// [width, height] from a SOF payload (precision, height, width, ...).
    static func dimensions(_ sof: Segment) -> [Int]? {
        guard sof.payload.count >= 5 else { return nil }
        return [Int(sof.payload[3]) << 8 | Int(sof.payload[4]), Int(sof.payload[1]) << 8 | Int(sof.payload[2])]
    }

    static func segment(_ marker: UInt8, _ payload: [UInt8]) -> [UInt8] {
        [0xFF, marker, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
    }

    /// Parses SOI ... EOI; returns nil on any structural error. Ignores bytes after EOI.
    static func parse(_ b: [UInt8]) -> [Segment]? {
        guard b.count >= 2, b[0] == 0xFF, b[1] == 0xD8 else { return nil }
        var result = [Segment(marker: 0xD8, payload: [])]
        var i = 2
        while i < b.count {
            guard b[i] == 0xFF else { return nil }
            while i < b.count, b[i] == 0xFF { i += 1 }
            guard i < b.count else { return nil }
            let marker = b[i]
            i += 1
            if marker == 0xD9 {
                result.append(Segment(marker: marker, payload: []))
                return result
            }
            guard i + 2 <= b.count else { return nil }
            let length = Int(b[i]) << 8 | Int(b[i + 1])
            guard length >= 2, i + length <= b.count else { return nil }
            var segment = Segment(marker: marker, payload: Array(b[(i + 2)..<(i + length)]))
            i += length
            if marker == 0xDA {
                // Scan data runs up to the first 0xFF of a marker other than RSTn; a 0xFF
                // followed (after fill bytes) by 0x00 is a stuffed data byte.
                let start = i
                scan: while true {
                    guard i < b.count else { return nil }
                    if b[i] != 0xFF {
                        i += 1
                        continue
                    }
                    var j = i
                    while j < b.count, b[j] == 0xFF { j += 1 }
                    guard j < b.count else { return nil }
                    if b[j] == 0x00 || (0xD0...0xD7).contains(b[j]) {
                        i = j + 1
                    } else {
                        break scan
                    }
                }
                segment.entropy = Array(b[start..<i])
            }
            result.append(segment)
        }
        return nil
    }
}

private enum RefPNG {
    struct Chunk: Equatable {
        var type: String
        var data: [UInt8]
    }

    static let iendChunk: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    /// Bit-at-a-time CRC-32, intentionally a different algorithm from the production table.
    static func bitwiseCRC32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 {
                crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1)))
            }
        }
        return ~crc
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(bitwiseCRC32(body[...])))
    }

    static func be32(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static func chunkOffsets(_ b: [UInt8]) -> [(type: String, offset: Int)]? {
        var i = 8
        var result: [(String, Int)] = []
        while i + 12 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            guard i + 12 + length <= b.count else { return nil }
            let type = String(decoding: b[(i + 4)..<(i + 8)], as: UTF8.self)
            result.append((type, i))
            i += 12 + length
            if type == "IEND" { return result }
        }
        return nil
    }

    /// Parses signature..IEND verifying every CRC; nil on any error or trailing bytes.
    static func parse(_ b: [UInt8]) -> [Chunk]? {
        guard b.starts(with: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) else { return nil }
        guard let offsets = chunkOffsets(b) else { return nil }
        var chunks: [Chunk] = []
        for (type, offset) in offsets {
            let length = Int(b[offset]) << 24 | Int(b[offset + 1]) << 16 | Int(b[offset + 2]) << 8 | Int(b[offset + 3])
            let crcAt = offset + 8 + length
            let stored = UInt32(b[crcAt]) << 24 | UInt32(b[crcAt + 1]) << 16 | UInt32(b[crcAt + 2]) << 8 | UInt32(b[crcAt + 3])
            guard bitwiseCRC32(b[(offset + 4)..<crcAt]) == stored else { return nil }
            chunks.append(Chunk(type: type, data: Array(b[(offset + 8)..<crcAt])))
        }
        return chunks
    }

    static func concatenated(_ type: String, _ chunks: [Chunk]) -> [UInt8] {
        chunks.filter { $0.type == type }.flatMap(\.data)
    }
}

private enum RefWebP {
    struct Chunk: Equatable {
        var tag: String
        var payload: [UInt8]
    }

    static func uint32LE(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) | UInt32(b[at + 1]) << 8 | UInt32(b[at + 2]) << 16 | UInt32(b[at + 3]) << 24
    }

    static func le32(_ value: Int) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24 & 0xFF)]
    }

    static func chunk(_ tag: String, _ payload: [UInt8]) -> [UInt8] {
        Array(tag.utf8) + le32(payload.count) + payload + (payload.count % 2 == 1 ? [0] : [])
    }

    /// Strictly padded chunk list inside `b[from...]`; nil unless it ends exactly at the end.
    static func chunks(_ b: [UInt8], from: Int) -> [Chunk]? {
        var i = from
        var result: [Chunk] = []
        while i < b.count {
            guard i + 8 <= b.count else { return nil }
            let size = Int(uint32LE(b, i + 4))
            guard i + 8 + size + size % 2 <= b.count else { return nil }
            result.append(Chunk(tag: String(decoding: b[i..<(i + 4)], as: UTF8.self), payload: Array(b[(i + 8)..<(i + 8 + size)])))
            i += 8 + size + size % 2
        }
        return result
    }

    static func parse(_ b: [UInt8]) -> [Chunk]? {
        guard b.count >= 12, b.starts(with: Array("RIFF".utf8)), b[8..<12].elementsEqual("WEBP".utf8),
              Int(uint32LE(b, 4)) == b.count - 8 else { return nil }
        return chunks(b, from: 12)
    }

    /// VP8/VP8L/ALPH payloads in file order, including those inside ANMF frames.
    static func bitstreams(_ chunks: [Chunk]) -> [Chunk] {
        var result: [Chunk] = []
        for chunk in chunks {
            if ["VP8 ", "VP8L", "ALPH"].contains(chunk.tag) {
                result.append(chunk)
            } else if chunk.tag == "ANMF", let frame = Self.chunks(chunk.payload, from: 16) {
                result += frame.filter { ["VP8 ", "VP8L", "ALPH"].contains($0.tag) }
            }
        }
        return result
    }
}
