import Foundation
import IntakeServer
import Testing
import TiplineDeployment

@Suite("Server start-up refusals")
struct ServerStartTests {
    @Test("A private key in public/ stops the server")
    func privateKeyInPublic() async throws {
        let live = try LiveServer()
        try ("-----BEGIN " + "PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END " + "PRIVATE KEY-----\n")
            .write(to: live.deployment.layout.publicDir.appendingPathComponent("oops.pem"), atomically: true, encoding: .utf8)
        await #expect(throws: ServerStartError.self) {
            _ = try await TiplineServer(options: ServerOptions(deployment: live.root, publicPort: 0, adminPort: 0, passphrase: live.passphrase))
        }
    }

    @Test("Readable holders' keys stop a real (non-demo) deployment")
    func holdersOnHost() async throws {
        let live = try LiveServer()
        try FileManager.default.copyItem(at: live.holders, to: live.deployment.layout.holdersDir)
        do {
            _ = try await TiplineServer(options: ServerOptions(deployment: live.root, publicPort: 0, adminPort: 0, passphrase: live.passphrase))
            Issue.record("the server started with holders' keys readable")
        } catch let error as ServerStartError {
            #expect("\(error)".contains("holders"))
        }
    }

    @Test("A wrong passphrase is a clear error")
    func wrongPassphrase() async throws {
        let live = try LiveServer()
        await #expect(throws: DeploymentError.wrongPassphrase("server/signing-key.pem")) {
            _ = try await TiplineServer(options: ServerOptions(deployment: live.root, publicPort: 0, adminPort: 0, passphrase: Array("nope".utf8)))
        }
    }

    @Test("A broken policy file stops start-up with its file and line, not a crash")
    func brokenPolicy() async throws {
        let live = try LiveServer()
        let file = live.deployment.layout.policiesDir.appendingPathComponent("routing.yaml")
        let text = try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "route_to: district", with: "route_to: nowhere")
        try text.write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try await TiplineServer(options: ServerOptions(deployment: live.root, publicPort: 0, adminPort: 0, passphrase: live.passphrase))
            Issue.record("started with a broken routing.yaml")
        } catch {
            #expect("\(error)".hasPrefix("routing.yaml:"))
            #expect("\(error)".contains("route_to"))
        }
    }

    @Test("A broken rewards.yaml stops start-up with its file and line (issue 12: the file is read, not decorative)")
    func brokenRewards() async throws {
        let live = try LiveServer()
        let file = live.deployment.layout.policiesDir.appendingPathComponent("rewards.yaml")
        var lines = try String(contentsOf: file, encoding: .utf8).components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix("max_single_reward_fen:") })
        lines[index] = "max_single_reward_fen: lots"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        do {
            _ = try await TiplineServer(options: ServerOptions(deployment: live.root, publicPort: 0, adminPort: 0, passphrase: live.passphrase))
            Issue.record("started with a broken rewards.yaml")
        } catch {
            #expect("\(error)".hasPrefix("rewards.yaml:\(index + 1) (max_single_reward_fen)"), "\(error)")
        }
    }

    @Test("A receipt KDF below the floor in security.yaml stops start-up with its file and line")
    func receiptKDFBelowFloor() async throws {
        let live = try LiveServer()
        let file = live.deployment.layout.policiesDir.appendingPathComponent("security.yaml")
        let original = try String(contentsOf: file, encoding: .utf8)
        var lines = original.components(separatedBy: "\n")
        let index = try #require(lines.firstIndex { $0.hasPrefix("  n: ") })
        lines[index] = "  n: 1024"
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        let line = index + 1
        do {
            _ = try await TiplineServer(options: ServerOptions(deployment: live.root, publicPort: 0, adminPort: 0, passphrase: live.passphrase))
            Issue.record("started with receipt_kdf.n below the floor")
        } catch {
            #expect("\(error)".hasPrefix("security.yaml:\(line) (receipt_kdf.n)"), "\(error)")
            #expect("\(error)".contains("floor"))
        }
    }
}
