import FuzzSupport
import TiplineCoreFuzzing

// Fuzzes PolicySet.parse with each file replaced by the input (see PolicyYAMLHarness).
/// The repository's six policy files, read once.
let baseTexts = FuzzPolicies.texts()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.run(data, size) { bytes throws(FuzzPropertyViolation) in try PolicyYAMLHarness.check(bytes, base: baseTexts) }
}

@main
enum Entry {
    static func main() {
        FuzzDriver.main(name: "FuzzPolicyYAML") { fuzzTestOneInput($0, $1) }
    }
}
