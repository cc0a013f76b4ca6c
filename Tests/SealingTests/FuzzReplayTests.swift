import Foundation
import FuzzSupport
import SealingFuzzing
import Testing

/// Replays the committed `FuzzEnvelope` inputs (Fuzz/corpus/FuzzEnvelope/ and the past failures
/// in Fuzz/regressions/FuzzEnvelope/) through the harness the fuzzer runs: envelope JSON,
/// serialized fields and wraps, opened with the worked example's keys.
@Suite("Fuzz regression replay (Sealing)")
struct FuzzReplayTests {
    @Test("FuzzEnvelope inputs parse and open (or throw) without crash or violated property")
    func envelope() throws {
        let inputs = FuzzInputs.committedInputs(of: "FuzzEnvelope")
        #expect(!inputs.isEmpty)
        for url in inputs {
            do {
                try EnvelopeHarness.check([UInt8](try Data(contentsOf: url)))
            } catch let error as FuzzPropertyViolation {
                Issue.record("FuzzEnvelope \(url.lastPathComponent): \(error.description)")
            }
        }
    }
}
