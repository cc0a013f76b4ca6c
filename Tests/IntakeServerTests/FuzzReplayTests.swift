import Foundation
import FuzzSupport
import IntakeServer
import IntakeServerFuzzing
import Testing
import TiplineTestSupport

/// Replays the committed `FuzzMultipart` inputs (Fuzz/corpus/FuzzMultipart/ and the past
/// failures in Fuzz/regressions/FuzzMultipart/) through the harness the fuzzer runs, i.e. the
/// intake's multipart reader.
@Suite("Fuzz regression replay (IntakeServer)")
struct FuzzReplayTests {
    @Test("FuzzMultipart inputs are split or refused without crash or violated property")
    func multipart() throws {
        let inputs = FuzzInputs.committedInputs(of: "FuzzMultipart")
        #expect(!inputs.isEmpty)
        for url in inputs {
            do {
                try MultipartHarness.check([UInt8](try Data(contentsOf: url)))
            } catch let error as FuzzPropertyViolation {
                Issue.record("FuzzMultipart \(url.lastPathComponent): \(error.description)")
            }
        }
    }

    /// MultipartKit 4.7.1 trapped on a header-name byte >= 0x80 (index out of range), taking the
    /// server down; `BodyReader.parts` now refuses such bodies first. UTF-8 in header *values*
    /// (browsers send file names like 照片.jpg raw) must still be accepted.
    @Test("A non-ASCII header name is refused, not a crash; non-ASCII header values still parse")
    func nonASCIIHeaders() throws {
        func body(_ headers: String) -> [UInt8] {
            Array("--b\r\n\(headers)\r\n\r\nvalue\r\n--b--\r\n".utf8)
        }
        #expect(throws: IntakeError.self) {
            try MultipartBody.parts(body("Content-Dispösition: form-data; name=\"a\""), boundary: "b", maxParts: 4, maxPartBytes: 64)
        }
        let parts = try MultipartBody.parts(body("Content-Disposition: form-data; name=\"evidence\"; filename=\"照片 1.jpg\""),
                                            boundary: "b", maxParts: 4, maxPartBytes: 64)
        #expect(parts.count == 1)
        #expect(parts.first?.name == "evidence")
        #expect(parts.first?.filename == "照片 1.jpg")
        #expect(parts.first?.body == Array("value".utf8))
        // A boundary the dry run cannot mirror (non-ASCII, DEL, empty) is refused, not a trap.
        for boundary in ["", "bö", "b\u{7F}"] {
            #expect(throws: IntakeError.self) { try MultipartBody.parts(body("X: y"), boundary: boundary, maxParts: 4, maxPartBytes: 64) }
        }
    }
}
