import Foundation
import FuzzSupport
import IntakeServerFuzzing
import Testing

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
}
