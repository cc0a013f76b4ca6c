import Accounting
import LedgerModel
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import Sealing
public import ServiceLifecycle
import TiplineCore
public import TiplineDeployment
public import TiplineStore

/// The intake server: the public listener (form and JSON API) and the admin listener, assembled
/// from a deployment. `services` go into a `ServiceGroup`; `addresses` tells where they listen.
public struct TiplineServer: Sendable {
    /// The listeners and background services, for a `ServiceGroup`.
    public let services: [any Service]
    /// Where the listeners are bound, once they run.
    public let addresses: ListeningAddresses
    /// The opened deployment.
    public let deployment: Deployment
    /// The triage store's database.
    public let database: AppDatabase
    /// The address the public listener binds.
    public let host: String

    /// Builds the shared services (`buildComponents`), the two routers (`buildPublicRouter`,
    /// `buildAdminRouter`, in TiplineServer+Build.swift) and the listeners and lifecycle services around them.
    public init(options: ServerOptions) async throws {
        let parts = try await Self.buildComponents(options: options)
        let deployment = parts.deployment
        let policies = parts.policies
        let logger = options.logger
        let connections = policies.security.connections
        let network = policies.security.network
        let idle = TimeAmount.seconds(Int64(connections.idleTimeoutSeconds))
        let http1 = HTTP1Channel.Configuration(idleTimeout: idle)
        let tls = parts.tls
        let addresses = ListeningAddresses(onReady: options.onListening)
        let host = options.bindHost ?? deployment.config.bindHost
        let adminHost = options.adminBindHost ?? deployment.config.adminBindHost

        // The public listener reads a PROXY header (from trusted peers only) before TLS.
        let publicServer = HTTPServerBuilder { responder in
            EdgeChannel(base: try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), tlsConfiguration: tls),
                        network: network, acceptsProxyProtocol: true, headerTimeout: idle)
        }
        let publicApp = Application(
            router: try Self.buildPublicRouter(parts),
            server: publicServer,
            configuration: .init(address: .hostname(host, port: options.publicPort ?? deployment.config.publicPort),
                                 serverName: nil, availableConnectionsDelegate: MaximumAvailableConnections(connections.maxConnections)),
            onServerRunning: { channel in await addresses.setPublic(channel.localAddress?.port) },
            logger: logger)

        let adminApp = Application(
            router: Self.buildAdminRouter(parts),
            // No PROXY header here, but the same gate: a request racing a close is never processed.
            server: HTTPServerBuilder { responder in
                EdgeChannel(base: try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), tlsConfiguration: tls),
                            network: network, acceptsProxyProtocol: false, headerTimeout: idle)
            },
            configuration: .init(address: .hostname(adminHost, port: options.adminPort ?? deployment.config.adminPort),
                                 serverName: nil, availableConnectionsDelegate: MaximumAvailableConnections(connections.maxConnections)),
            onServerRunning: { channel in await addresses.setAdmin(channel.localAddress?.port) },
            logger: logger)

        let retention = RetentionService(store: parts.triage, ledger: parts.ledger, time: parts.time,
                                         interval: .seconds(policies.retention.purgeIntervalSeconds), logger: logger)
        let checkpoints = CheckpointService(database: parts.database, signer: parts.signer, file: deployment.layout.checkpointFile,
                                            time: parts.time, ledger: parts.ledger,
                                            interval: .seconds(policies.security.checkpointIntervalSeconds), logger: logger)
        // ServiceGroup shuts services down in reverse order: first the draining notice (answers from
        // then on carry `Connection: close`), then the listeners (each finishes the requests in
        // flight), the KDF gate's threads after them, so no request in flight loses its KDF, and the
        // checkpoint service last, so its final checkpoint covers everything written.
        // The event feed ends the `watch` streams first, so the admin listener has no endless request to wait for.
        let feed = EventFeed(store: parts.triage, hub: parts.events, keyBook: parts.keys.book, city: policies.centres.city.id.rawValue,
                             time: parts.time, logger: logger)
        self.services = [checkpoints, GateShutdown(gate: parts.gate), publicApp, adminApp, retention,
                         DrainingNotice(signal: parts.draining), feed]
        self.addresses = addresses
        self.deployment = deployment
        self.database = parts.database
        self.host = host
    }
}

/// Stops the KDF thread pool when the service group shuts down.
struct GateShutdown: Service {
    let gate: KDFGate
    func run() async throws {
        try? await gracefulShutdown()
        await gate.shutdown()
    }
}
