import Foundation
import Testing
import TiplineDeployment
import TiplineStore

/// `audit canary` against a running server: a fresh identity submitted through the public API is
/// nowhere in the data in clear; a canary planted in a log file under data/ is found at its offset.
@Suite("Audit canary and scan over live HTTPS", .serialized)
struct AuditCanaryTests {
    @Test("audit canary finds 0 hits on a running server; a planted plaintext is found with its offset")
    func canary() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let result = try await CLIRunner.run(["audit", "canary", "--server", live.publicURL, "--deployment", live.root.path], passphrase: "")
            #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains(" 0 hits"), "\(result.stdout)")
            #expect(try live.tipCount() == 1)

            let planted = "PlantedCanary-\(UUID().uuidString)"
            let logs = DeploymentLayout(root: live.root).logDir
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            let prefix = String(repeating: "request served in 3 ms\n", count: 100)
            try Data((prefix + "reporter=\(planted)\n").utf8).write(to: logs.appendingPathComponent("planted.log"))
            let offset = prefix.utf8.count + "reporter=".utf8.count
            let scan = try await CLIRunner.run(["audit", "scan", "--deployment", live.root.path, "--canary", planted], passphrase: "")
            #expect(scan.status == 1)
            #expect(scan.stdout.contains("logs/planted.log  offset \(offset)  canary/utf-8  \(planted)"), "\(scan.stdout)")
        }
        // The checkpoint service wrote one checkpoint at start and a final one on shutdown.
        let lines = try String(contentsOf: live.deployment.layout.checkpointFile, encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        #expect(lines.allSatisfy { AuditCheckpoint.parse(line: $0)?.isValid(under: try! live.deployment.manifest.serverPublicKey()) == true })
    }
}
