import FuzzSupport
import TiplineCoreFuzzing

// Fuzzes TipSubmission decoding and validation (see TipJSONHarness).
/// Loaded once, before the first input.
let policies = FuzzPolicies.load()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.run(data, size) { bytes throws(FuzzPropertyViolation) in try TipJSONHarness.check(bytes, policies: policies) }
}

@main
enum Entry {
    static func main() {
        FuzzDriver.main(name: "FuzzTipJSON") { fuzzTestOneInput($0, $1) }
    }
}
