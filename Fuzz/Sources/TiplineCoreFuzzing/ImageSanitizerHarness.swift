public import FuzzSupport
import TiplineCore

/// `FuzzImageSanitizer`: an upload through `ImageSanitizer.strip`.
///
/// Properties beyond "no crash, no hang": when stripping succeeds, the output is detected as
/// the same format, JPEG and PNG outputs are no larger than the input (as the stripper
/// documents), and stripping the output again succeeds and returns it unchanged
/// (idempotence: a sanitized image has nothing left to remove and nothing left to break).
public enum ImageSanitizerHarness {
    /// Checks one input.
    public static func check(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
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
}
