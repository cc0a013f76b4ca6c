import Foundation
import Sealing
import Synchronization
import TiplineCore
import TiplineDeployment
import TiplineStore

/// The deployment's public keys as they stand now (keys.json), shared by the admin API (which serves
/// them), the intake pipeline (`Recipients`) and the store (`CentreKeyBook`). A key rotation or
/// retirement changes all three at once, inside the transaction that writes its audit entry: no
/// restart, and nothing is sealed to a superseded key after the rotation committed.
final class LiveKeys: Sendable {
    private let manifestState: Mutex<PublicKeyManifest>
    let file: URL
    let centres: [CentreID]
    let recipients: Recipients
    let book: CentreKeyBook

    init(deployment: Deployment) throws {
        manifestState = Mutex(deployment.manifest)
        file = deployment.layout.keyManifest
        centres = deployment.policies.centres.all.map(\.id)
        recipients = try Recipients(deployment: deployment)
        book = CentreKeyBook(current: deployment.manifest.centreKeyIDs, former: Self.former(deployment.manifest))
    }

    /// The manifest now.
    var manifest: PublicKeyManifest { manifestState.withLock { $0 } }

    /// Applies `change` to the manifest: writes keys.json (atomically), then updates the parsed
    /// recipients and the key book. Throws (and changes nothing) when the file cannot be written.
    func apply(_ change: (PublicKeyManifest) throws -> PublicKeyManifest) throws {
        try manifestState.withLock { current in
            let next = try change(current)
            try next.write(to: file)
            try recipients.update(next, centres: centres)
            book.replace(current: next.centreKeyIDs, former: Self.former(next))
            current = next
        }
    }

    private static func former(_ manifest: PublicKeyManifest) -> [CentreKeyBook.Former] {
        manifest.centres.flatMap { entry in
            (entry.former ?? []).map {
                CentreKeyBook.Former(centre: CentreID(entry.centre), keyClass: $0.keyClass, keyID: $0.key.keyID, retired: $0.retiredSeq != nil)
            }
        }
    }
}
