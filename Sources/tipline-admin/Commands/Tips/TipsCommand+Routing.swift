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
            abstract: "转办至另一中心 / Re-route a tip to another centre.",
            discussion: "Unwraps the content key with your centre's content key and wraps it for the new centre. If you also hold your centre's identity key (--identity-key), the identity key is re-wrapped too; otherwise an identity holder finishes it with `tips wrap-identity` (see `tips pending`).")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "The new centre id.") var to: String
        @Option(help: "Why.") var reason: String

        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                let session = try connection.session()
                let me = try await session.whoami()
                let contentKey = try session.centreKey(.content, centre: me.centre, explicit: connection.contentKey)
                let newKeys = try await session.centreKeys(to)
                let detail = try await session.call(.tip, reference.rawValue, as: TipDetail.self)
                // Wraps are append-only: a key of the new centre that already has a wrap (the city, or a
                // centre the tip was routed to before) keeps it, and none is sent for it. The content key is
                // opened (and checked against its commitment) either way: only someone who can read the tip re-routes it.
                let contentWrap = try LocalCrypto.rewrap(detail.wraps, keyClass: .content, uid: detail.uid, with: contentKey, for: newKeys.content,
                                                         commitment: detail.contentKeyCommitment.map { Array($0) })
                let hasContent = detail.wraps.contains { $0.keyClass == .content && $0.recipientKeyID == newKeys.content.keyID }
                let hasIdentity = detail.identityWrapCentres?.contains(to) ?? false
                var identityWrap: RecipientWrap?
                let holdsIdentity = connection.effective(connection.identityKey, .identityKey) != nil
                    || session.agentKeys.contains { $0.kind == .identity }
                if holdsIdentity, !hasIdentity, !detail.identityShredded {
                    let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                    identityWrap = try LocalCrypto.rewrap(detail.identityWraps, keyClass: .identity, uid: detail.uid,
                                                          with: identityKey, for: newKeys.identity,
                                                          commitment: detail.identityKeyCommitment.map { Array($0) })
                }
                let body = RouteBody(to: to, reason: reason, contentWrap: hasContent ? nil : Data(contentWrap.serialized()),
                                        identityWrap: identityWrap.map { Data($0.serialized()) })
                let result = try await session.call(.route, reference.rawValue, body: body, as: RouteReply.self)
                let show = try await Presenter.load(session, deployment: connection.deploymentRoot)
                print(say("\(reference)：已转办至 \(show.centre(to))", "\(reference): routed to \(to)"))
                if result.identityWrapPending {
                    // Who must finish it: the identity holders of this centre (their `tips pending` lists it).
                    let holders = show.staff.values.filter { $0.role == .identityHolder && $0.centre == me.centre && $0.revokedAt == nil }.map(\.name).sorted()
                    let names = holders.isEmpty ? say("本中心的身份保管人", "your centre's identity holder") : holders.joined(separator: ", ")
                    print(say("身份包装待完成：须由 \(names) 运行 `tipline-admin tips wrap-identity \(reference) --centre \(to)`（`tips pending` 可见）",
                              "(identity wrap pending: \(names) must run `tipline-admin tips wrap-identity \(reference) --centre \(to)`; `tips pending` lists it)"))
                }
            }
        }
    }

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "转办后待完成的身份包装（本中心发出的）/ List identity wraps left pending by re-routings (your centre's outgoing ones).")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        @Flag(help: "Show key ids beside names.") var verbose = false
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let pending = try await session.call(.pendingWraps, as: [PendingWrap].self)
                let show = try await Presenter.load(session, deployment: connection.deploymentRoot, verbose: verbose)
                if json {
                    try printJSON(pending.map { ["reference": $0.reference, "centre": $0.centre, "requested_at": ShownTime.json($0.requestedAt),
                                                 "requested_by": $0.requestedBy, "requested_by_name": show.person($0.requestedBy)] })
                    return
                }
                printTable([say("编号", "REFERENCE"), say("转至中心", "FOR CENTRE"), say("转办时间", "REQUESTED"), say("转办人", "BY")], pending.map {
                    [$0.reference, show.centre($0.centre), show.time($0.requestedAt), show.person($0.requestedBy)]
                })
            }
        }
    }

    struct WrapIdentity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "身份保管人：为转办目的中心补加身份包装 / Identity holders: add a pending identity wrap for the centre a tip was re-routed to.")
        @OptionGroup var connection: ConnectionOptions
        @Argument var reference: TipReference
        @Option(help: "The centre the tip was routed to.") var centre: String
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let me = try await session.whoami()
                guard let pending = try await session.call(.pendingWraps, as: [PendingWrap].self)
                    .first(where: { $0.reference == reference.rawValue && $0.centre == centre }) else {
                    throw CLIError.notFound(say("\(reference) 没有待完成的、给 \(centre) 的身份包装", "no identity wrap is pending for \(reference) and \(centre)"))
                }
                let identityKey = try session.centreKey(.identity, centre: me.centre, explicit: connection.identityKey)
                let wrap = try LocalCrypto.rewrap(pending.wraps, keyClass: .identity, uid: pending.uid, with: identityKey,
                                                  for: try await session.centreKeys(centre).identity,
                                                  commitment: pending.identityKeyCommitment.map { Array($0) })
                _ = try await session.call(.addIdentityWrap, reference.rawValue,
                                           body: IdentityWrapBody(centre: centre, wrap: Data(wrap.serialized())), as: Acknowledged.self)
                print(say("\(reference)：已为 \(centre) 完成身份包装", "\(reference): identity wrapped for \(centre)"))
            }
        }
    }
}
