import Foundation
import Sealing
import Testing
import TiplineCore
@testable import TiplineDeployment

/// Issue 11, item 12: two passphrases at init, a minimum length on every input path, `keys passwd`.
@Suite("Passphrases: length on every path, server ≠ holders, keys passwd")
struct PassphraseTests {
    static let holders = "holders passphrase 0001"
    static let server = "server passphrase 0002"

    func isRefused(_ body: () throws -> Void) -> Bool {
        do {
            try body()
            return false
        } catch {
            if case .passphraseRefused = error as? DeploymentError { return true }
            return false
        }
    }

    @Test("TIPLINE_PASSPHRASE=a is refused at init, as is a short passphrase from any variable or file")
    func shortRefusedEverywhere() throws {
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_PASSPHRASE": "a"], interactive: false) })
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: true, environment: ["TIPLINE_PASSPHRASE": "a"], interactive: false) })
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_HOLDER_PASSPHRASE": "short", "TIPLINE_SERVER_PASSPHRASE": Self.server], interactive: false) })
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_HOLDER_PASSPHRASE": Self.holders, "TIPLINE_SERVER_PASSPHRASE": "elevenchars"], interactive: false) })
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-pass-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("a\n".utf8).write(to: file)
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_PASSPHRASE_FILE": file.path, "TIPLINE_SERVER_PASSPHRASE": Self.server], interactive: false) })
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_HOLDER_PASSPHRASE": Self.holders, "TIPLINE_SERVER_PASSPHRASE_FILE": file.path], interactive: false) })
        #expect(isRefused { _ = try Passphrase.obtainNew(purpose: "x", demo: false, from: [.standard], environment: ["TIPLINE_PASSPHRASE": "a"], interactive: false) })
        // Exactly the minimum passes.
        #expect(try Passphrase.obtainNew(purpose: "x", demo: false, from: [.standard], environment: ["TIPLINE_PASSPHRASE": "123456789012"], interactive: false).count == 12)
    }

    @Test("init needs a server passphrase, distinct from the holders'; the demo keeps its published one")
    func twoPassphrases() throws {
        // Holders only, no terminal: refused (before, the server keys silently took the holders' passphrase).
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_PASSPHRASE": Self.holders], interactive: false) })
        #expect(isRefused { _ = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_PASSPHRASE": Self.holders, "TIPLINE_SERVER_PASSPHRASE": Self.holders], interactive: false) })
        let both = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_HOLDER_PASSPHRASE": Self.holders, "TIPLINE_SERVER_PASSPHRASE": Self.server], interactive: false)
        #expect(both.holders == Array(Self.holders.utf8) && both.server == Array(Self.server.utf8))
        let legacy = try InitPassphrases.obtain(demo: false, environment: ["TIPLINE_PASSPHRASE": Self.holders, "TIPLINE_SERVER_PASSPHRASE": Self.server], interactive: false)
        #expect(legacy.holders == Array(Self.holders.utf8))
        let demo = try InitPassphrases.obtain(demo: true, environment: [:], interactive: false)
        #expect(demo.holders == Array(DeploymentConfig.demoPassphrase.utf8) && demo.server == demo.holders)
    }

    @Test("keys passwd re-encrypts a key file in place, 0600; the old passphrase no longer opens it; refusals change nothing")
    func passwd() throws {
        let fixture = try TemporaryDeployment()
        let staffFile = fixture.summary.adminKeyFile
        let centreFile = fixture.summary.layout.centreKey("city", "identity")
        let before = try Ed25519PrivateKey(encryptedPEM: String(contentsOf: staffFile, encoding: .utf8), passphrase: fixture.passphrase)
        let new = Array("a brand new passphrase".utf8)

        let original = try Data(contentsOf: staffFile)
        #expect(isRefused { try KeyFilePassphrase.change(staffFile, old: fixture.passphrase, new: Array("short".utf8)) })
        #expect(isRefused { try KeyFilePassphrase.change(staffFile, old: fixture.passphrase, new: fixture.passphrase) })
        #expect(throws: DeploymentError.wrongPassphrase(staffFile.lastPathComponent)) {
            try KeyFilePassphrase.change(staffFile, old: Array("not the passphrase".utf8), new: new)
        }
        #expect(try Data(contentsOf: staffFile) == original)

        try KeyFilePassphrase.change(staffFile, old: fixture.passphrase, new: new)
        let after = try Ed25519PrivateKey(encryptedPEM: String(contentsOf: staffFile, encoding: .utf8), passphrase: new)
        #expect(after.publicKey == before.publicKey)
        #expect(throws: SealingError.wrongPassphrase) {
            try Ed25519PrivateKey(encryptedPEM: String(contentsOf: staffFile, encoding: .utf8), passphrase: fixture.passphrase)
        }
        let mode = try FileManager.default.attributesOfItem(atPath: staffFile.path)[.posixPermissions] as! Int
        #expect(mode == 0o600)

        let centre = try X25519PrivateKey(encryptedPEM: String(contentsOf: centreFile, encoding: .utf8), passphrase: fixture.passphrase)
        try KeyFilePassphrase.change(centreFile, old: fixture.passphrase, new: new)
        #expect(try X25519PrivateKey(encryptedPEM: String(contentsOf: centreFile, encoding: .utf8), passphrase: new).publicKey == centre.publicKey)
        // No temporary file left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: staffFile.deletingLastPathComponent().path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)
    }
}
