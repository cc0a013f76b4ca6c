import Foundation
import Sealing
import TiplineCore
import TiplineDeployment

/// Who the server says this key is.
struct WhoAmI: Decodable {
    let keyID: String
    let name: String
    let role: String
    let centre: String
    enum CodingKeys: String, CodingKey {
        case name, role, centre
        case keyID = "key_id"
    }
}

extension AdminSession {
    func whoami() async throws -> WhoAmI { try await call(.GET, "/admin/v1/whoami", as: WhoAmI.self) }

    /// The deployment's public keys: from the local public/ part, else from the server.
    func publicKeys() async throws -> PublicKeyManifest {
        if let manifest { return manifest }
        return try await call(.GET, "/admin/v1/keys", as: PublicKeyManifest.self)
    }

    func centreKeys(_ centre: String) async throws -> (content: X25519PublicKey, identity: X25519PublicKey) {
        let manifest = try await publicKeys()
        guard let content = try manifest.centreKey(CentreID(centre), .content),
              let identity = try manifest.centreKey(CentreID(centre), .identity) else {
            throw CLIError.input("no such centre: \(centre)")
        }
        return (content, identity)
    }

    func centreContentKeys(_ centres: [String]) async throws -> [X25519PublicKey] {
        var keys: [X25519PublicKey] = []
        for centre in centres { keys.append(try await centreKeys(centre).content) }
        return keys
    }
}
