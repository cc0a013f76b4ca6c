public import FuzzSupport
import IntakeServer
import TiplineTestSupport

/// `FuzzMultipart`: the input as a `multipart/form-data` body with a fixed boundary, through the
/// intake's multipart reader (`MultipartBody.parts`, i.e. `BodyReader.parts`).
///
/// Properties beyond "no crash, no hang": the bounds hold (at most `maxParts` parts, none over
/// `maxPartBytes`), every part has a name, and the parts' bytes come from the body (their total
/// is no larger than the input).
public enum MultipartHarness {
    /// The boundary of every input (short, so the fuzzer finds it; seeds use it).
    public static let boundary = "tipline-fuzz"
    /// The bounds the harness passes; small, so the fuzzer reaches them.
    public static let maxParts = 7
    public static let maxPartBytes = 2048

    /// Checks one input.
    public static func check(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        let parts: [MultipartBody.Part]
        do {
            parts = try MultipartBody.parts(bytes, boundary: boundary, maxParts: maxParts, maxPartBytes: maxPartBytes)
        } catch {
            return
        }
        guard parts.count <= maxParts else { throw FuzzPropertyViolation("more than maxParts parts") }
        var total = 0
        for part in parts {
            guard part.body.count <= maxPartBytes else { throw FuzzPropertyViolation("a part over maxPartBytes") }
            total += part.body.count
        }
        guard total <= bytes.count else { throw FuzzPropertyViolation("the parts hold more bytes than the body") }
    }
}
