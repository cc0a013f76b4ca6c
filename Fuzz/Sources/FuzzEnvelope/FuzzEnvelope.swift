import FuzzSupport
import SealingFuzzing

// Fuzzes envelope JSON, serialized fields and wraps, and opening them (see EnvelopeHarness).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.run(data, size) { bytes throws(FuzzPropertyViolation) in try EnvelopeHarness.check(bytes) }
}

@main
enum Entry {
    static func main() {
        FuzzDriver.main(name: "FuzzEnvelope") { fuzzTestOneInput($0, $1) }
    }
}
