import Foundation
import FuzzSupport
import Testing
import TiplineCoreFuzzing

/// Replays the committed fuzz inputs of the TiplineCore targets (Fuzz/corpus/<target>/ and the
/// past failures in Fuzz/regressions/<target>/) through the same harnesses the fuzzers run.
/// A crash fails the whole run; a violated property fails the test naming the file.
@Suite("Fuzz regression replay (TiplineCore)")
struct FuzzReplayTests {
    static let policies = FuzzPolicies.load()
    static let policyTexts = FuzzPolicies.texts()

    static func replay(_ target: String, _ check: ([UInt8]) throws(FuzzPropertyViolation) -> Void) throws {
        let inputs = FuzzInputs.committedInputs(of: target)
        #expect(!inputs.isEmpty, "no committed inputs for \(target)")
        for url in inputs {
            let bytes = [UInt8](try Data(contentsOf: url))
            do {
                try check(bytes)
            } catch {
                Issue.record("\(target) \(url.lastPathComponent): \(error.description)")
            }
        }
    }

    @Test("FuzzTipJSON inputs decode and validate without crash or violated property")
    func tipJSON() throws {
        try Self.replay("FuzzTipJSON") { bytes throws(FuzzPropertyViolation) in try TipJSONHarness.check(bytes, policies: Self.policies) }
    }

    @Test("FuzzImageSanitizer inputs strip without crash; stripping is idempotent")
    func imageSanitizer() throws {
        try Self.replay("FuzzImageSanitizer") { bytes throws(FuzzPropertyViolation) in try ImageSanitizerHarness.check(bytes) }
    }

    @Test("FuzzAdminSignature inputs parse without crash; parsed requests round-trip")
    func adminSignature() throws {
        try Self.replay("FuzzAdminSignature") { bytes throws(FuzzPropertyViolation) in try AdminSignatureHarness.check(bytes) }
    }

    @Test("FuzzPolicyYAML inputs, as each policy file in turn, load or are refused without crash")
    func policyYAML() throws {
        try Self.replay("FuzzPolicyYAML") { bytes throws(FuzzPropertyViolation) in try PolicyYAMLHarness.check(bytes, base: Self.policyTexts) }
    }
}
