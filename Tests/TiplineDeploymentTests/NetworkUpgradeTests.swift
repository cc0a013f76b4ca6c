import Foundation
import Sealing
import Testing
import TiplineCore
@testable import TiplineDeployment

/// Issue 14: a deployment made before the reporting network is upgraded by `keys add-units` — the
/// network's policy files copied, every unit's keys made, existing keys never replaced.
@Suite("Upgrading a deployment to the network (keys add-units)")
struct NetworkUpgradeTests {
    @Test("A pre-network deployment gets the policy files and every unit's keys; a second run changes nothing; centre keys stay")
    func upgrade() throws {
        let fixture = try TemporaryDeployment()
        let layout = DeploymentLayout(root: fixture.root)
        // Make it look like a deployment from before issue 14.
        for name in PolicySet.networkFileNames { try FileManager.default.removeItem(at: layout.policiesDir.appendingPathComponent(name)) }
        var old = try PublicKeyManifest.load(from: layout.keyManifest)
        old.units = nil
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(old).write(to: layout.keyManifest)
        for dir in [layout.holdersDir, layout.publicKeysDir] {
            for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasPrefix("unit-") {
                try FileManager.default.removeItem(at: dir.appendingPathComponent(file))
            }
        }
        #expect(throws: (any Error).self) { try Deployment.open(at: fixture.root) }

        let cheap = Scrypt.Parameters(n: 1 << 10, r: 8, p: 1)
        let (added, manifest) = try DeploymentCreator.addUnitKeys(at: fixture.root, policiesSource: repoPolicies, passphrase: fixture.passphrase,
                                                                  keyProtection: cheap)
        #expect(added.count == 22 && manifest.units?.count == 22)
        #expect(manifest.centres == old.centres && manifest.server == old.server, "existing keys never change")
        let deployment = try Deployment.open(at: fixture.root)
        #expect(deployment.manifest == manifest && manifest.fingerprint != old.fingerprint)
        let pem = try String(contentsOf: layout.unitKey("nanming-office", "registry"), encoding: .utf8)
        let key = try X25519PrivateKey(encryptedPEM: pem, passphrase: fixture.passphrase)
        #expect(try manifest.unitKey("nanming-office", registry: true)?.keyID == key.publicKey.keyID)
        let again = try DeploymentCreator.addUnitKeys(at: fixture.root, policiesSource: repoPolicies, passphrase: fixture.passphrase, keyProtection: cheap)
        #expect(again.added.isEmpty && again.manifest == manifest)
    }
}
