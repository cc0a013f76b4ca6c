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
    public let services: [any Service]
    public let addresses: ListeningAddresses
    public let deployment: Deployment
    public let database: AppDatabase
    public let host: String

    public init(options: ServerOptions) async throws {
        let logger = options.logger
        // Before any key or receipt is in memory: no core dumps, no ptrace by the same user.
        guard ProcessHardening.forbidCoreDumps() else {
            throw ServerStartError.configuration("the process could not be made non-dumpable (PR_SET_DUMPABLE)")
        }
        let deployment = try Deployment.open(at: options.deployment)
        let leaked = deployment.privateKeysInPublicPart()
        guard leaked.isEmpty else { throw ServerStartError.privateKeyInPublicPart(leaked) }
        let holderKeys = deployment.readableHolderKeys()
        if !holderKeys.isEmpty {
            guard deployment.config.demo else { throw ServerStartError.holderKeysReadable(holderKeys) }
            logger.warning("DEMO DEPLOYMENT: the holders' private keys are on this host and the passphrase is published. Never use it for real tips.")
        }
        let passphrase = try options.passphrase ?? Passphrase.obtain(purpose: "the server keys", demo: deployment.config.demo)
        let secrets = try ServerSecrets.load(deployment, passphrase: passphrase)
        let policies = deployment.policies

        let database = try AppDatabase(path: deployment.layout.database.path)
        let signer = AuditSigner(key: secrets.signingKey)
        var policyDetails = policies.hashes
        policyDetails["combined"] = policies.combinedHash
        try database.recordPoliciesIfChanged(policyDetails, combined: policies.combinedHash, signer: signer,
                                             at: options.time.now())
        let store = SQLiteTipStore(database: database, signer: signer)
        var centreKeys: [CentreID: (content: String, identity: String)] = [:]
        for entry in deployment.manifest.centres { centreKeys[CentreID(entry.centre)] = (entry.content.keyID, entry.identity.keyID) }
        let triage = TriageStore(database: database, signer: signer, policies: policies, centreKeys: centreKeys)
        if let admin = deployment.manifest.staff.first(where: { $0.role == StaffRole.admin.rawValue }),
           let raw = Hex.decode(admin.key.publicKey) {
            try await triage.bootstrapAdministrator(name: admin.name, centre: admin.centre, publicKey: raw, at: options.time.now())
        }
        let metrics = ServerMetrics()
        let ledger: Ledger
        do {
            ledger = try Ledger(path: deployment.layout.ledgerDatabase.path, policy: deployment.rewardPolicy)
        } catch {
            throw ServerStartError.configuration("the reward ledger cannot be opened: \(error)")
        }
        let rewards = RewardDesk(ledger: ledger, store: triage)

        let gateConcurrency = policies.security.kdfGate.concurrency == 0
            ? ProcessInfo.processInfo.activeProcessorCount : policies.security.kdfGate.concurrency
        let gate = KDFGate(concurrency: gateConcurrency, queueLimit: policies.security.kdfGate.queue,
                           followupConcurrency: policies.security.kdfGate.followupConcurrency,
                           followupQueueLimit: policies.security.kdfGate.followupQueue)
        let time = options.time
        let limiter = RateLimiter(submissionsPerHour: policies.security.rateLimit.submissionsPerHour,
                                  followupsPerMinute: policies.security.rateLimit.followupsPerMinute,
                                  maxClients: policies.security.rateLimit.maxClients,
                                  time: { time.now() })
        // Receipts: tips made before `v6-receipts` get the parameters in force now recorded (once, audited);
        // new receipts use the policy's parameters, and every tip keeps its own.
        try await store.adoptLegacyReceiptParameters(policies.security.receiptKDF, at: options.time.now())
        let network = policies.security.network
        let resolver = ClientResolver(network: network)
        // Connection and memory bounds (issue 11 #8): idle timeout and connection cap per listener,
        // one body budget for the public listener.
        let connections = policies.security.connections
        let budget = BodyBudget(total: connections.bodyBudgetBytes, smallReserve: connections.smallBodyReserveBytes)
        let bodies = BodyLimits(budget: budget, readTimeout: .seconds(connections.readTimeoutSeconds),
                                smallBodyBytes: policies.security.limits.maxJSONBodyBytes,
                                retryAfterSeconds: policies.security.kdfGate.retryAfterSeconds)
        let idle = TimeAmount.seconds(Int64(connections.idleTimeoutSeconds))
        let http1 = HTTP1Channel.Configuration(idleTimeout: idle)
        let intake = IntakeService(policies: policies, recipients: try Recipients(deployment: deployment), store: store,
                                   gate: gate, receiptSalt: secrets.receiptSalt,
                                   legacyReceiptKDF: try await store.legacyReceiptParameters(), time: time, ledger: ledger)
        let tls = try TLSSetup.configuration(secrets)
        let addresses = ListeningAddresses(onReady: options.onListening)
        let host = options.bindHost ?? deployment.config.bindHost
        let adminHost = options.adminBindHost ?? deployment.config.adminBindHost

        var accessLogger = logger
        accessLogger[metadataKey: "listener"] = "public"
        let draining = DrainingSignal()
        let publicRouter = Router(context: TiplineRequestContext.self)
        publicRouter.add(middleware: SecurityHeadersMiddleware())
        publicRouter.add(middleware: DrainingMiddleware(signal: draining))
        publicRouter.add(middleware: AccessLogMiddleware(logger: accessLogger))
        publicRouter.add(middleware: MetricsMiddleware(metrics: metrics, listener: "public"))
        publicRouter.get("/healthz") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        APIController(intake: intake, limiter: limiter, resolver: resolver, limits: policies.security.limits, bodies: bodies,
                      serverKeyID: secrets.signingKey.publicKey.keyID).register(on: publicRouter)
        WebController(intake: intake, limiter: limiter, resolver: resolver, pages: try PageRenderer(policies: policies),
                      limits: policies.security.limits, bodies: bodies, logger: logger).register(on: publicRouter)

        // The public listener reads a PROXY header (from trusted peers only) before TLS.
        let publicServer = HTTPServerBuilder { responder in
            EdgeChannel(base: try TLSChannel(HTTP1Channel(responder: responder, configuration: http1), tlsConfiguration: tls),
                        network: network, acceptsProxyProtocol: true, headerTimeout: idle)
        }
        let publicApp = Application(
            router: publicRouter,
            server: publicServer,
            configuration: .init(address: .hostname(host, port: options.publicPort ?? deployment.config.publicPort),
                                 serverName: nil, availableConnectionsDelegate: MaximumAvailableConnections(connections.maxConnections)),
            onServerRunning: { channel in await addresses.setPublic(channel.localAddress?.port) },
            logger: logger)

        var adminLogger = logger
        adminLogger[metadataKey: "listener"] = "admin"
        let adminRouter = Router(context: TiplineRequestContext.self)
        adminRouter.add(middleware: SecurityHeadersMiddleware())
        adminRouter.add(middleware: DrainingMiddleware(signal: draining))
        adminRouter.add(middleware: AccessLogMiddleware(logger: adminLogger))
        adminRouter.add(middleware: MetricsMiddleware(metrics: metrics, listener: "admin"))
        adminRouter.add(middleware: AdminAuthMiddleware(store: triage, time: time))
        adminRouter.get("/healthz") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        // Metrics need a signed request from an auditor or an administrator (issue 11 #9).
        adminRouter.get("/metrics") { _, context in
            guard let actor = context.staff else {
                return AdminResponse.error(.unauthorized, "unauthenticated", "a signed request is required")
            }
            guard let role = actor.member.staffRole, StaffAction.readMetrics.allows(role) else {
                return AdminResponse.error(.forbidden, "forbidden", "the role \(actor.member.role) may not \(StaffAction.readMetrics.rawValue)")
            }
            let text = try await metrics.render(store: triage, gate: gate, budget: budget, now: time.now())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        let checkpointMaker = CheckpointMaker(database: database, signer: signer, file: deployment.layout.checkpointFile, time: time,
                                              ledger: ledger)
        AdminController(store: triage, time: time, manifest: deployment.manifest, rewards: rewards,
                        checkpoints: checkpointMaker).register(on: adminRouter)
        let adminApp = Application(
            router: adminRouter,
            server: try .tls(.http1(configuration: http1), tlsConfiguration: tls),
            configuration: .init(address: .hostname(adminHost, port: options.adminPort ?? deployment.config.adminPort),
                                 serverName: nil, availableConnectionsDelegate: MaximumAvailableConnections(connections.maxConnections)),
            onServerRunning: { channel in await addresses.setAdmin(channel.localAddress?.port) },
            logger: logger)

        let retention = RetentionService(store: triage, ledger: ledger, time: time,
                                         interval: .seconds(policies.retention.purgeIntervalSeconds), logger: logger)
        let checkpoints = CheckpointService(database: database, signer: signer, file: deployment.layout.checkpointFile, time: time,
                                            ledger: ledger, interval: .seconds(policies.security.checkpointIntervalSeconds), logger: logger)
        // ServiceGroup shuts services down in reverse order: first the draining notice (answers from
        // then on carry `Connection: close`), then the listeners (each finishes the requests in
        // flight), the KDF gate's threads after them, so no request in flight loses its KDF, and the
        // checkpoint service last, so its final checkpoint covers everything written.
        self.services = [checkpoints, GateShutdown(gate: gate), publicApp, adminApp, retention, DrainingNotice(signal: draining)]
        self.addresses = addresses
        self.deployment = deployment
        self.database = database
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
