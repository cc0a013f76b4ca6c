import Foundation

/// Runs the real `tipline-admin` binary, as staff would, and captures what it prints.
enum CLIRunner {
    struct Result: Sendable {
        let status: Int32
        let stdout: String
        let stderr: String
        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(stdout.utf8)) }
    }

    /// The built `tipline-admin` next to the test bundle (SwiftPM builds executables with the tests).
    static var binary: URL { executable("tipline-admin") }

    /// A built executable of this package (`tipline-admin`, `tipline-server`) next to the test bundle.
    static func executable(_ name: String) -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent(name),
            Bundle.main.bundleURL.appendingPathComponent(name),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/\(name)"),
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates[2]
    }

    static func run(_ arguments: [String], passphrase: String, environment extra: [String: String] = [:]) async throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TIPLINE_PASSPHRASE"] = passphrase
        // Tests read the English wire names unless they ask for Chinese (TIPLINE_LANG=zh), and never
        // meet the developer's own profile or key agent.
        environment["TIPLINE_LANG"] = "en"
        environment["TIPLINE_CONFIG"] = "/nonexistent/tipline-test-config.json"
        environment["TIPLINE_AGENT_SOCKET"] = "/nonexistent/tipline-test-agent.sock"
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                continuation.resume(returning: Result(status: process.terminationStatus, stdout: stdout, stderr: stderr))
            }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
