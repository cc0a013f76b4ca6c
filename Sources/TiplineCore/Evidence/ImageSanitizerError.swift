/// Why an upload could not be sanitized.
///
/// Messages are fixed strings chosen by the parser. They never quote bytes from the
/// image, because error text ends up in logs and responses, and the whole point of
/// sanitizing is that nothing from the original metadata leaves this module.
public enum ImageSanitizerError: Error, Equatable, CustomStringConvertible {
    /// The bytes are not a JPEG, PNG or WebP image (detected by magic bytes).
    case unsupportedType
    /// The bytes claim to be a supported format but violate its structure.
    /// The associated value is a short, static, data-free reason.
    case malformed(String)

    /// A human-readable description that is safe to log.
    public var description: String {
        switch self {
        case .unsupportedType:
            "unsupported image type"
        case .malformed(let reason):
            "malformed image: \(reason)"
        }
    }
}
