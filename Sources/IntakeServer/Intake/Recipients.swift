import Sealing
import Synchronization
import TiplineCore
import TiplineDeployment

/// The centres' current public keys, parsed once at start-up (parsing per request costs 3x throughput)
/// and again after each key rotation (`LiveKeys`): new records seal to the current keys at once.
final class Recipients: Sendable {
    private struct Keys: Sendable {
        var content: [CentreID: X25519PublicKey]
        var identity: [CentreID: X25519PublicKey]
        /// Which centre a recipient key id belongs to (current keys).
        var centreOfKey: [String: CentreID]
    }
    private let keys: Mutex<Keys>

    init(deployment: Deployment) throws {
        keys = Mutex(try Self.parse(deployment.manifest, centres: deployment.policies.centres.all.map(\.id)))
    }

    private static func parse(_ manifest: PublicKeyManifest, centres: [CentreID]) throws -> Keys {
        var parsed = Keys(content: [:], identity: [:], centreOfKey: [:])
        for centre in centres {
            guard let c = try manifest.centreKey(centre, .content),
                  let i = try manifest.centreKey(centre, .identity) else {
                throw IntakeError.internalFailure("missing keys for a centre")
            }
            parsed.content[centre] = c
            parsed.identity[centre] = i
            parsed.centreOfKey[c.keyID] = centre
            parsed.centreOfKey[i.keyID] = centre
        }
        return parsed
    }

    /// Takes the current keys of `manifest` (after a rotation was committed).
    func update(_ manifest: PublicKeyManifest, centres: [CentreID]) throws {
        let parsed = try Self.parse(manifest, centres: centres)
        keys.withLock { $0 = parsed }
    }

    var centreOfKey: [String: CentreID] { keys.withLock { $0.centreOfKey } }
    func contentKeys(_ centres: [CentreID]) -> [X25519PublicKey] { keys.withLock { k in centres.compactMap { k.content[$0] } } }
    func identityKeys(_ centres: [CentreID]) -> [X25519PublicKey] { keys.withLock { k in centres.compactMap { k.identity[$0] } } }
}
