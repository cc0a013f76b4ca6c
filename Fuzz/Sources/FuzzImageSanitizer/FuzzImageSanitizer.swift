import FuzzSupport
import TiplineCoreFuzzing

// Fuzzes ImageSanitizer.strip and its idempotence (see ImageSanitizerHarness).

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    FuzzDriver.run(data, size) { bytes throws(FuzzPropertyViolation) in try ImageSanitizerHarness.check(bytes) }
}

@main
enum Entry {
    static func main() {
        FuzzDriver.main(name: "FuzzImageSanitizer") { fuzzTestOneInput($0, $1) }
    }
}
