import Sealing
import TiplineCore
import TiplineDeployment

/// The centres' public keys, parsed once at start-up (parsing per request costs 3x throughput).
struct Recipients: Sendable {
    let content: [CentreID: X25519PublicKey]
    let identity: [CentreID: X25519PublicKey]
    /// Which centre a recipient key id belongs to.
    let centreOfKey: [String: CentreID]

    init(deployment: Deployment) throws {
        var content: [CentreID: X25519PublicKey] = [:]
        var identity: [CentreID: X25519PublicKey] = [:]
        var centreOfKey: [String: CentreID] = [:]
        for centre in deployment.policies.centres.all {
            guard let c = try deployment.manifest.centreKey(centre.id, .content),
                  let i = try deployment.manifest.centreKey(centre.id, .identity) else {
                throw IntakeError.internalFailure("missing keys for a centre")
            }
            content[centre.id] = c
            identity[centre.id] = i
            centreOfKey[c.keyID] = centre.id
            centreOfKey[i.keyID] = centre.id
        }
        self.content = content
        self.identity = identity
        self.centreOfKey = centreOfKey
    }

    func contentKeys(_ centres: [CentreID]) -> [X25519PublicKey] { centres.compactMap { content[$0] } }
    func identityKeys(_ centres: [CentreID]) -> [X25519PublicKey] { centres.compactMap { identity[$0] } }
}
