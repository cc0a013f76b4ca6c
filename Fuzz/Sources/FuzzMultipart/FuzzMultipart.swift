import FuzzSupport
import IntakeServerFuzzing

// Fuzzes the intake multipart reader (see MultipartHarness).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.run(data, size) { bytes throws(FuzzPropertyViolation) in try MultipartHarness.check(bytes) }
}

@main
enum Entry {
    static func main() {
        FuzzDriver.main(name: "FuzzMultipart") { fuzzTestOneInput($0, $1) }
    }
}
