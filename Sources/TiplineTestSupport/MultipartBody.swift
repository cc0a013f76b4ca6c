public import IntakeServer
import NIOCore

/// Multipart parsing exactly as the intake routes do it (`BodyReader.parts`, visible to this package
/// only), for code outside `IntakeServer`: the `FuzzMultipart` target (Fuzz/) must also build in
/// release, where `@testable import` is not available. Test-support code, not part of the server's API.
public enum MultipartBody {
    /// One part of a body: its `name` and `filename` parameters and its bytes.
    public typealias Part = (name: String, filename: String?, body: [UInt8])

    /// Splits `body` into at most `maxParts` parts of at most `maxPartBytes` bytes each, like the
    /// intake routes; throws where they would refuse the body.
    public static func parts(_ body: [UInt8], boundary: String, maxParts: Int, maxPartBytes: Int) throws(IntakeError) -> [Part] {
        try BodyReader.parts(ByteBuffer(bytes: body), boundary: boundary, maxParts: maxParts, maxPartBytes: maxPartBytes)
            .map { ($0.name, $0.filename, $0.body) }
    }
}
