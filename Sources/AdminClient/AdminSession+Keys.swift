import Foundation
package import Sealing
package import TiplineAdminAPI
import TiplineCore
package import TiplineDeployment

extension AdminSession {
    /// Who the server says this key is.
    package func whoami() async throws -> StaffView { try await call(.whoami, as: StaffView.self) }

    /// The deployment's public keys to seal to: a local keys.json (`--keys` or the deployment's
    /// public/), else the server's copy only if it matches the pinned fingerprint. Never keys the
    /// server sends unchecked: a server that lied about a centre's key would receive the plaintext.
    package func publicKeys() async throws -> PublicKeyManifest {
        if let manifest {
            if let pinnedFingerprint, manifest.fingerprint != pinnedFingerprint {
                throw CLIError.refused("拒绝加密：本地 keys.json 与固定的指纹不符。/ refusing to seal: the local keys.json does not match the pinned fingerprint")
            }
            return manifest
        }
        guard let pinnedFingerprint else {
            throw CLIError.refused("拒绝加密：没有本地固定的公钥。请用 --deployment DIR 或 --keys FILE 指定部署的 public/keys.json，"
                + "或用 --keys-fingerprint（或 TIPLINE_KEYS_FINGERPRINT）固定其指纹。/ refusing to seal: no pinned public keys; "
                + "pass --deployment DIR or --keys FILE (the deployment's public/keys.json), or pin its fingerprint with "
                + "--keys-fingerprint or TIPLINE_KEYS_FINGERPRINT")
        }
        let served = try await call(.keys, as: PublicKeyManifest.self)
        guard served.fingerprint == pinnedFingerprint else {
            throw CLIError.refused("拒绝加密：服务器给出的公钥与固定的指纹不符。/ refusing to seal: the server's keys.json "
                + "(fingerprint \(served.fingerprint)) does not match the pinned fingerprint")
        }
        return served
    }

    package func centreKeys(_ centre: String) async throws -> (content: X25519PublicKey, identity: X25519PublicKey) {
        let manifest = try await publicKeys()
        guard let content = try manifest.centreKey(CentreID(centre), .content),
              let identity = try manifest.centreKey(CentreID(centre), .identity) else {
            throw CLIError.input("no such centre: \(centre)")
        }
        return (content, identity)
    }

    package func centreContentKeys(_ centres: [String]) async throws -> [X25519PublicKey] {
        var keys: [X25519PublicKey] = []
        for centre in centres { keys.append(try await centreKeys(centre).content) }
        return keys
    }
}
