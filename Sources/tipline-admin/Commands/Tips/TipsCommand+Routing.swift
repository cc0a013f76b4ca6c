import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import NIOHTTP1
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment

extension TipsCommand {
    struct Route: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-route a tip to another centre.",
            discussion: "Unwraps the content key with your centre's content key and wraps it for the new centre. If you also hold your centre's identity key (--identity-key), the identity key is re-wrapped too; otherwise an identity holder finishes it with `tips wrap-identity` (see `tips pending`).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The new centre id.") var to: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                let detail = try await session.call(.tip, reference, as: TipDetail.self)
                let newKeys = try await session.centreKeys(to)
                let contentKey = try session.centreKey(.content, centre: me.centre, explicit: connection.contentKey)
                // Wraps are append-only: a key of the new centre that already has a wrap (the city, or a
                // centre the tip was routed to before) keeps it, and none is sent for it. The content key is
                // opened (and checked against its commitment) either way: only someone who can read the tip re-routes it.
                let contentWrap = try LocalCrypto.rewrap(detail.wraps, keyClass: .content, uid: detail.uid, with: contentKey, for: newKeys.content,
                                                         commitment: detail.contentKeyCommitment.map { Array($0) })
                let hasContent = detail.wraps.contains { $0.keyClass == .content && $0.recipientKeyID == newKeys.content.keyID }
                let hasIdentity = detail.identityWrapCentres?.contains(to) ?? false
                var identityWrap: RecipientWrap?
                if connection.identityKey != nil, !hasIdentity, !detail.identityShredded {
                    let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                    identityWrap = try LocalCrypto.rewrap(detail.identityWraps, keyClass: .identity, uid: detail.uid,
                                                          with: identityKey, for: newKeys.identity,
                                                          commitment: detail.identityKeyCommitment.map { Array($0) })
                }
                let body = RouteBody(to: to, reason: reason, contentWrap: hasContent ? nil : Data(contentWrap.serialized()),
                                        identityWrap: identityWrap.map { Data($0.serialized()) })
                let result = try await session.call(.route, reference, body: body, as: RouteReply.self)
                print("\(reference): routed to \(to)" + (result.identityWrapPending ? " (identity wrap pending: an identity holder must run `tips wrap-identity`)" : ""))
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List identity wraps left pending by re-routings.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let pending = try await connection.session().call(.pendingWraps, as: [PendingWrap].self)
                if json { try printJSON(pending); return }
                printTable(["REFERENCE", "FOR CENTRE", "REQUESTED", "BY"], pending.map {
                    [$0.reference, $0.centre, ISO8601.string(fromSeconds: $0.requestedAt), $0.requestedBy]
                })
            }
        }
    }

    struct WrapIdentity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Identity holders: add a pending identity wrap for the centre a tip was re-routed to.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: String
        @Option(help: "The centre the tip was routed to.") var centre: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                guard let pending = try await session.call(.pendingWraps, as: [PendingWrap].self)
                    .first(where: { $0.reference == reference && $0.centre == centre }) else {
                    throw CLIError.notFound("no identity wrap is pending for \(reference) and \(centre)")
                }
                let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                let wrap = try LocalCrypto.rewrap(pending.wraps, keyClass: .identity, uid: pending.uid, with: identityKey,
                                                  for: try await session.centreKeys(centre).identity,
                                                  commitment: pending.identityKeyCommitment.map { Array($0) })
                _ = try await session.call(.addIdentityWrap, reference,
                                           body: IdentityWrapBody(centre: centre, wrap: Data(wrap.serialized())), as: Acknowledged.self)
                print("\(reference): identity wrapped for \(centre)")
            }
        }
    }
}
