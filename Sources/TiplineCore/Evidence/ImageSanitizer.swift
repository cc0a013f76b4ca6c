/// Removes identifying metadata from uploaded evidence photos before they are encrypted.
///
/// Cameras and phones embed GPS coordinates, body serial numbers, capture timestamps,
/// author names, ICC profiles naming the device and preview thumbnails (which may show
/// the original, uncropped picture). Any of those can unmask an anonymous reporter, so
/// the sanitizer rebuilds each container from an allowlist of structural blocks and drops
/// everything else, instead of trying to recognise and remove known metadata.
///
/// The parsers are iterative, bounds-checked and allocate at most one output buffer the
/// size of the input, so arbitrary (hostile) input can only make them throw.
public enum ImageSanitizer {
    /// Returns the image with every metadata block removed, or throws.
    ///
    /// Never crashes, never loops forever, on any input. Pixel data (JPEG entropy-coded
    /// scans, PNG `IDAT`/`fdAT`, WebP bitstreams) is copied byte for byte; it is not
    /// decoded or re-encoded, so there is no quality loss.
    ///
    /// - Parameter bytes: The complete uploaded file.
    /// - Returns: The detected format and the sanitized file.
    /// - Throws: ``ImageSanitizerError/unsupportedType`` when the bytes are not JPEG, PNG or
    ///   WebP; ``ImageSanitizerError/malformed(_:)`` when they are structurally invalid.
    public static func strip(_ bytes: [UInt8]) throws(ImageSanitizerError) -> (format: ImageFormat, bytes: [UInt8]) {
        guard let format = ImageFormat.detect(bytes) else {
            throw .unsupportedType
        }
        switch format {
        case .jpeg:
            return (format, try JPEGStripper.strip(bytes))
        case .png:
            return (format, try PNGStripper.strip(bytes))
        case .webp:
            return (format, try WebPStripper.strip(bytes))
        }
    }
}
