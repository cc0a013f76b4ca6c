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
        // Output goes to files, not pipes: a pipe read only after exit blocks a CLI whose output is larger
        // than the pipe's buffer (64 KiB), as `assess compute --json` is for thirty units.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-cli-\(UUID().uuidString)")
        let outURL = base.appendingPathExtension("out"), errURL = base.appendingPathExtension("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                try? out.close()
                try? err.close()
                let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
                let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
                try? FileManager.default.removeItem(at: outURL)
                try? FileManager.default.removeItem(at: errURL)
                continuation.resume(returning: Result(status: process.terminationStatus, stdout: stdout, stderr: stderr))
            }
            do {
                try process.run()
            } catch {
                try? out.close()
                try? err.close()
                continuation.resume(throwing: error)
            }
        }
    }
}
