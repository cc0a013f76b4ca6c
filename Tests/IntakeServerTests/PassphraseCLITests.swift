import Foundation
import Sealing
import Testing
import TiplineDeployment

/// Issue 11, item 12 through the real `tipline-admin` binary.
@Suite("Passphrases through the real CLI")
struct PassphraseCLITests {
    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tipline-cli-pass-\(UUID().uuidString)")
    }

    @Test("`TIPLINE_PASSPHRASE=a tipline-admin init DIR` is refused and creates nothing")
    func shortPassphraseRefused() async throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLIRunner.run(["init", dir.path, "--policies", repoPolicies.path], passphrase: "a")
        #expect(result.status != 0)
        #expect(result.stderr.contains("12"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("public/deployment.json").path))
    }

    @Test("init --per-holder-passphrases: each holder file opens with its own printed passphrase, not the shared one nor another's")
    func perHolderPassphrases() async throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let holders = "holders passphrase 0001"
        let result = try await CLIRunner.run(["init", dir.path, "--policies", repoPolicies.path, "--per-holder-passphrases"], passphrase: holders,
                                             environment: ["TIPLINE_SERVER_PASSPHRASE": "server passphrase 0002"])
        #expect(result.status == 0, "\(result.stderr)")
        // The table's rows: FILE  PASSPHRASE.
        var issued: [String: String] = [:]
        for line in result.stdout.split(separator: "\n") {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true)
            if cells.count == 2, cells[0].hasSuffix(".key.pem") { issued[String(cells[0])] = String(cells[1]) }
        }
        let layout = DeploymentLayout(root: dir)
        let files = try FileManager.default.contentsOfDirectory(atPath: layout.holdersDir.path).filter { $0.hasSuffix(".key.pem") }
        #expect(Set(issued.keys) == Set(files) && files.count > 2, "\(issued.keys.sorted()) vs \(files.sorted())")
        #expect(Set(issued.values).count == issued.count, "every file has a different passphrase")
        let content = try String(contentsOf: layout.centreKey("nanming", "content"), encoding: .utf8)
        _ = try X25519PrivateKey(encryptedPEM: content, passphrase: Array(issued["nanming-content.key.pem", default: ""].utf8))
        #expect(throws: SealingError.wrongPassphrase) { try X25519PrivateKey(encryptedPEM: content, passphrase: Array(holders.utf8)) }
        #expect(throws: SealingError.wrongPassphrase) {
            try X25519PrivateKey(encryptedPEM: content, passphrase: Array(issued["nanming-identity.key.pem", default: ""].utf8))
        }
        let admin = try String(contentsOf: layout.staffKey("admin"), encoding: .utf8)
        _ = try Ed25519PrivateKey(encryptedPEM: admin, passphrase: Array(issued["staff-admin.key.pem", default: ""].utf8))
    }

    @Test("init with one passphrase for both, or none for the server, is refused; two distinct ones work")
    func twoPassphrasesRequired() async throws {
        let dir = Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let holders = "holders passphrase 0001"
        let noServer = try await CLIRunner.run(["init", dir.path, "--policies", repoPolicies.path], passphrase: holders,
                                               environment: ["TIPLINE_SERVER_PASSPHRASE": ""])
        #expect(noServer.status != 0 && noServer.stderr.contains("TIPLINE_SERVER_PASSPHRASE"), "\(noServer.stderr)")
        let same = try await CLIRunner.run(["init", dir.path, "--policies", repoPolicies.path], passphrase: holders,
                                           environment: ["TIPLINE_SERVER_PASSPHRASE": holders])
        #expect(same.status != 0, "\(same.stdout)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("public/deployment.json").path))
        let ok = try await CLIRunner.run(["init", dir.path, "--policies", repoPolicies.path], passphrase: holders,
                                         environment: ["TIPLINE_SERVER_PASSPHRASE": "server passphrase 0002"])
        #expect(ok.status == 0, "\(ok.stderr)")
        let layout = DeploymentLayout(root: dir)
        let serverPEM = try String(contentsOf: layout.serverSigningKey, encoding: .utf8)
        #expect(throws: SealingError.wrongPassphrase) { try Ed25519PrivateKey(encryptedPEM: serverPEM, passphrase: Array(holders.utf8)) }
        _ = try Ed25519PrivateKey(encryptedPEM: serverPEM, passphrase: Array("server passphrase 0002".utf8))

        // keys passwd: the holders' admin key under a new passphrase; a short new one is refused.
        let adminKey = layout.staffKey("admin")
        let short = try await CLIRunner.run(["keys", "passwd", adminKey.path], passphrase: holders, environment: ["TIPLINE_NEW_PASSPHRASE": "short"])
        #expect(short.status != 0)
        let changed = try await CLIRunner.run(["keys", "passwd", adminKey.path], passphrase: holders,
                                              environment: ["TIPLINE_NEW_PASSPHRASE": "the admin's own passphrase"])
        #expect(changed.status == 0, "\(changed.stderr)")
        _ = try Ed25519PrivateKey(encryptedPEM: String(contentsOf: adminKey, encoding: .utf8), passphrase: Array("the admin's own passphrase".utf8))
        let mode = try FileManager.default.attributesOfItem(atPath: adminKey.path)[.posixPermissions] as! Int
        #expect(mode == 0o600)
    }
}
