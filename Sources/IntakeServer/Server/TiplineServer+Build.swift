import Accounting
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOSSL
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment
import TiplineStore

/// What both listeners serve, assembled once from a deployment: the stores, the ledger, the intake
/// pipeline and its bounds. `TiplineServer.init` puts listeners and lifecycle services around it;
/// tests build the routers from it and call them in process (`HummingbirdTesting`'s `.router`).
struct ServerComponents: Sendable {
    let deployment: Deployment
    let policies: PolicySet
    let database: AppDatabase
    let signer: AuditSigner
    let triage: any CentreStore
    /// The reward ledger, through its protocol (this file alone opens the SQLite `Ledger`).
    let ledger: any RewardLedger
    let rewards: RewardDesk
    let metrics: ServerMetrics
    let gate: KDFGate
    let limiter: RateLimiter
    let resolver: ClientResolver
    let budget: BodyBudget
    let bodies: BodyLimits
    let intake: IntakeService
    /// The informant channel (`/informant`, issue 15).
    let informants: InformantDesk
    /// The centres' keys now (keys.json): a rotation changes them without a restart.
    let keys: LiveKeys
    let checkpointMaker: CheckpointMaker
    let draining: DrainingSignal
    /// The live `watch` connections (`GET /admin/v1/events`), fed by `EventFeed`.
    let events: EventHub
    /// The key id of the server's signing key (named in intake proofs).
    let serverKeyID: String
    /// Both listeners' TLS configuration, from the deployment's certificate and key.
    let tls: TLSConfiguration
    let time: any TimeSource
    let logger: Logger
}

extension TiplineServer {
    /// Opens the deployment (with the start-up refusals), its keys, stores and ledger, and builds the
    /// shared services. Nothing listens yet.
    static func buildComponents(options: ServerOptions) async throws -> ServerComponents {
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
        let keys = try LiveKeys(deployment: deployment)
        let triage = TriageStore(database: database, signer: signer, policies: policies, centreKeys: deployment.manifest.centreKeyIDs,
                                 unitKeys: deployment.manifest.unitKeyIDs, keyBook: keys.book)
        if let admin = deployment.manifest.staff.first(where: { $0.role == StaffRole.admin.rawValue }),
           let raw = Hex.decode(admin.key.publicKey) {
            try await triage.bootstrapAdministrator(name: admin.name, centre: admin.centre, publicKey: raw, at: options.time.now())
        }
        let metrics = ServerMetrics()
        let ledger: Ledger
        do {
            ledger = try Ledger(path: deployment.layout.ledgerDatabase.path, policy: deployment.rewardPolicy,
                                payments: deployment.remunerationPolicy)
        } catch {
            throw ServerStartError.configuration("the reward ledger cannot be opened: \(error)")
        }
        let rewards = RewardDesk(ledger: ledger, store: triage)
        // Postings a stopped process left without their audit entry are recorded before anything else runs.
        do {
            try await LedgerReconciler(ledger: ledger, store: triage).run(at: options.time.now(), logger: logger)
        } catch {
            throw ServerStartError.configuration("the ledger cannot be reconciled with the audit log: \(error)")
        }

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
        let resolver = ClientResolver(network: policies.security.network)
        // Connection and memory bounds (issue 11 #8): idle timeout and connection cap per listener,
        // one body budget for the public listener.
        let connections = policies.security.connections
        let budget = BodyBudget(total: connections.bodyBudgetBytes, smallReserve: connections.smallBodyReserveBytes)
        let bodies = BodyLimits(budget: budget, readTimeout: .seconds(connections.readTimeoutSeconds),
                                smallBodyBytes: policies.security.limits.maxJSONBodyBytes,
                                retryAfterSeconds: policies.security.kdfGate.retryAfterSeconds)
        let intake = IntakeService(policies: policies, recipients: keys.recipients, store: store,
                                   gate: gate, receiptSalt: secrets.receiptSalt,
                                   legacyReceiptKDF: try await store.legacyReceiptParameters(), time: time, ledger: ledger)
        let informants = try InformantDesk(store: SQLiteInformantChannel(database: database, signer: signer), gate: gate,
                                           deployment: deployment, time: time)
        let tls = try TLSSetup.configuration(secrets)
        let checkpointMaker = CheckpointMaker(database: database, signer: signer, file: deployment.layout.checkpointFile, time: time,
                                              ledger: ledger)
        return ServerComponents(
            deployment: deployment, policies: policies, database: database, signer: signer, triage: triage, ledger: ledger,
            rewards: rewards, metrics: metrics, gate: gate, limiter: limiter, resolver: resolver, budget: budget, bodies: bodies,
            intake: intake, informants: informants, keys: keys, checkpointMaker: checkpointMaker, draining: DrainingSignal(), events: EventHub(),
            serverKeyID: secrets.signingKey.publicKey.keyID, tls: tls, time: time, logger: logger)
    }

    /// The public listener's routes: the JSON API, the no-JS form, `/healthz`, behind the security
    /// headers, draining, access log and metrics middleware.
    static func buildPublicRouter(_ parts: ServerComponents) throws -> Router<TiplineRequestContext> {
        let policies = parts.policies
        var accessLogger = parts.logger
        accessLogger[metadataKey: "listener"] = "public"
        let router = Router(context: TiplineRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: DrainingMiddleware(signal: parts.draining))
        router.add(middleware: AccessLogMiddleware(logger: accessLogger))
        router.add(middleware: MetricsMiddleware(metrics: parts.metrics, listener: "public"))
        router.get("/healthz") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        APIController(intake: parts.intake, limiter: parts.limiter, resolver: parts.resolver, limits: policies.security.limits,
                      bodies: parts.bodies, serverKeyID: parts.serverKeyID).register(on: router)
        // The server's public key, so anyone can check a proof of report (issue 13 item 12).
        let serverKeyPEM = parts.signer.key.publicKey.pemRepresentation
        router.get("/server-key.pem") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file"], body: .init(byteBuffer: ByteBuffer(string: serverKeyPEM)))
        }
        let pages = try PageRenderer(policies: policies, serverKeyID: parts.serverKeyID)
        WebController(intake: parts.intake, limiter: parts.limiter, resolver: parts.resolver, pages: pages,
                      limits: policies.security.limits, bodies: parts.bodies, logger: parts.logger).register(on: router)
        InformantPageController(desk: parts.informants, limiter: parts.limiter, resolver: parts.resolver, pages: pages,
                                limits: policies.security.limits, bodies: parts.bodies, logger: parts.logger).register(on: router)
        return router
    }

    /// The admin listener's routes: every request signed (`AdminAuthMiddleware`), `/healthz`,
    /// `/metrics` for auditors and administrators, and the `AdminController` API.
    static func buildAdminRouter(_ parts: ServerComponents) -> Router<TiplineRequestContext> {
        var adminLogger = parts.logger
        adminLogger[metadataKey: "listener"] = "admin"
        let (metrics, triage, gate, budget, time) = (parts.metrics, parts.triage, parts.gate, parts.budget, parts.time)
        let router = Router(context: TiplineRequestContext.self)
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: DrainingMiddleware(signal: parts.draining))
        router.add(middleware: AccessLogMiddleware(logger: adminLogger))
        router.add(middleware: MetricsMiddleware(metrics: metrics, listener: "admin"))
        router.add(middleware: AdminAuthMiddleware(store: triage, time: time, bodies: parts.bodies))
        router.get(RouterPath(stringLiteral: AdminListenerPath.health)) { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "ok\n"))) }
        // Metrics need a signed request from an auditor or an administrator (issue 11 #9).
        router.get(RouterPath(stringLiteral: AdminListenerPath.metrics)) { _, context in
            guard let actor = context.staff else {
                return JSONResponse.error(.unauthorized, "unauthenticated", "a signed request is required")
            }
            guard StaffAction.readMetrics.allows(actor.member.role) else {
                return JSONResponse.error(.forbidden, "forbidden", "the role \(actor.member.role.rawValue) may not \(StaffAction.readMetrics.rawValue)")
            }
            let text = try await metrics.render(store: triage, gate: gate, budget: budget, now: time.now())
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        AdminController(store: triage, time: time, keys: parts.keys, rewards: parts.rewards,
                        checkpoints: parts.checkpointMaker, events: parts.events, intake: parts.intake).register(on: router)
        return router
    }
}
