public import Foundation
public import TiplineDeployment
import Sealing

/// Deployments for tests: exactly what `tipline-admin init` makes (`DeploymentCreator.create`), with
/// the private key files protected at `Scrypt.Parameters.testOnlyCheapKeyProtection` so that neither
/// creating a fixture nor opening its keys pays the production KDF.
public enum TestDeployment {
    /// Creates a deployment at `root` with cheap key protection; see `DeploymentCreator.create`.
    @discardableResult
    public static func create(at root: URL, policiesSource: URL, name: String = "test", demo: Bool = false,
                              passphrase: [UInt8], serverPassphrase: [UInt8],
                              adminName: String = "admin") throws -> DeploymentCreator.Summary {
        try DeploymentCreator.create(at: root, policiesSource: policiesSource, name: name, demo: demo,
                                     passphrase: passphrase, serverPassphrase: serverPassphrase, adminName: adminName,
                                     keyProtection: .testOnlyCheapKeyProtection)
    }
}
