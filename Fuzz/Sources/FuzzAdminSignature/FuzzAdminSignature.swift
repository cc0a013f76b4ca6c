import FuzzSupport
import TiplineCoreFuzzing

// Fuzzes AdminRequestSignature.parse and SignedAdminRequest.parse (see AdminSignatureHarness).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.run(data, size) { bytes throws(FuzzPropertyViolation) in try AdminSignatureHarness.check(bytes) }
}

@main
enum Entry {
    static func main() {
        FuzzDriver.main(name: "FuzzAdminSignature") { fuzzTestOneInput($0, $1) }
    }
}
