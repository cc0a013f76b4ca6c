#if FUZZING
import CLibFuzzer
#endif
import Foundation

/// The `main` of every `FuzzX` executable.
///
/// Built by `Fuzz/run.sh` (`-sanitize=fuzzer,address -DFUZZING`) it hands control to
/// libFuzzer, which takes the usual libFuzzer arguments. Built by a plain `swift build` it
/// replays the files (or every file under the directories) given as arguments through the
/// same harness, so a crash file can be checked without the fuzzing toolchain.
public enum FuzzDriver {
    /// libFuzzer's callback type: one input, return 0.
    public typealias TestOneInput = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    /// Runs libFuzzer (fuzzing build) or replays the argument files (plain build); never returns.
    public static func main(name: String, _ testOneInput: TestOneInput) -> Never {
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
        #else
        exit(replay(name: name, arguments: Array(CommandLine.arguments.dropFirst()), testOneInput))
        #endif
    }

    /// Runs one input through `check`; a property violation ends the process like a crash
    /// would, so libFuzzer records the input in its crash directory.
    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, _ check: ([UInt8]) throws(FuzzPropertyViolation) -> Void) -> Int32 {
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        do {
            try check(bytes)
        } catch {
            fatalError("property violated: \(error.description)")
        }
        return 0
    }

    private static func replay(name: String, arguments: [String], _ testOneInput: TestOneInput) -> Int32 {
        guard !arguments.isEmpty, !arguments.contains(where: { $0.hasPrefix("-") }) else {
            FileHandle.standardError.write(Data("""
                usage: \(name) FILE-OR-DIRECTORY...
                Replays each input through the \(name) harness (this build has no libFuzzer;
                build with Fuzz/run.sh to fuzz).

                """.utf8))
            return 2
        }
        var count = 0
        var slowest: (name: String, seconds: Double) = ("", 0)
        for argument in arguments {
            let url = URL(fileURLWithPath: argument)
            for file in FuzzInputs.files(at: url) {
                guard let data = try? Data(contentsOf: file) else {
                    FileHandle.standardError.write(Data("\(name): cannot read \(file.path)\n".utf8))
                    return 1
                }
                let start = Date()
                let bytes = [UInt8](data)
                _ = bytes.withUnsafeBufferPointer { testOneInput($0.baseAddress, $0.count) }
                let seconds = Date().timeIntervalSince(start)
                if seconds > slowest.seconds { slowest = (file.path, seconds) }
                count += 1
            }
        }
        print("\(name): replayed \(count) input(s) without a crash; slowest \(String(format: "%.3f", slowest.seconds)) s \(slowest.name)")
        return 0
    }
}
