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

    @Test("The harness's PNG CRC fixer leaves valid PNGs unchanged and repairs a broken CRC")
    func pngCRCFixer() throws {
        for name in ["metadata.png", "palette.png", "animated.png"] {
            let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
            let png = [UInt8](try Data(contentsOf: url))
            #expect(ImageSanitizerHarness.withValidPNGCRCs(png) == png)
            var broken = png
            broken[29] ^= 0xFF  // first byte of the IHDR CRC (8 signature + 8 frame + 13 data)
            #expect(ImageSanitizerHarness.withValidPNGCRCs(broken) == png)
        }
        #expect(ImageSanitizerHarness.withValidPNGCRCs(Array("GIF89a".utf8)) == nil)
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
