/// An image container format that the evidence pipeline accepts.
///
/// Detection looks only at magic bytes, never at a file name or a client-supplied
/// content type: both are under the uploader's control and say nothing reliable
/// about what the parser is about to walk.
public enum ImageFormat: String, Sendable, CaseIterable {
    /// JPEG (`FF D8 FF`).
    case jpeg
    /// PNG.
    case png
    /// WebP (a RIFF container).
    case webp

    /// Identifies the container from its leading magic bytes.
    ///
    /// - Parameter bytes: The complete upload (only the first 12 bytes are examined).
    /// - Returns: The detected format, or `nil` when the bytes match none of the accepted formats.
    public static func detect(_ bytes: [UInt8]) -> ImageFormat? {
        // JPEG: SOI (FF D8) immediately followed by the 0xFF that starts the next marker.
        // Requiring the third byte rejects two-byte stubs and random data starting with FF D8.
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            return .jpeg
        }
        if bytes.count >= PNGStripper.signature.count,
           bytes[0..<PNGStripper.signature.count].elementsEqual(PNGStripper.signature) {
            return .png
        }
        // WebP: "RIFF" <size> "WEBP". The size is validated by the stripper, not here.
        if bytes.count >= 12,
           bytes[0..<4].elementsEqual(WebPStripper.riffTag),
           bytes[8..<12].elementsEqual(WebPStripper.webpTag) {
            return .webp
        }
        return nil
    }

    /// The IANA media type to record alongside the sanitized image.
    public var mimeType: String {
        switch self {
        case .jpeg: "image/jpeg"
        case .png: "image/png"
        case .webp: "image/webp"
        }
    }
}
