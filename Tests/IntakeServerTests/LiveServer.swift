import AsyncHTTPClient
import Foundation
import GRDB
import IntakeServer
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Sealing
import ServiceLifecycle
import TiplineCore
import TiplineDeployment
import TiplineStore
import TiplineTestSupport

/// The repository's policies (tests run inside a checkout).
let repoPolicies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Policies")
let fixturesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("TiplineCoreTests/Fixtures")

/// Log lines captured in memory, so tests can prove no personal data reaches a log (rule 1).
final class CapturedLogs: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: String { lock.withLock { lines.joined(separator: "\n") } }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace
    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }
    func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
             function: String, line: UInt) {
        let merged = self.metadata.merging(metadata ?? [:]) { $1 }
        sink.append("\(level) \(message) \(merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
    }
}

/// A fresh, real deployment with its holders' keys moved off the "host" (as in production),
/// a real server on ephemeral 127.0.0.1 ports, and an HTTPS client that trusts only its certificate.
final class LiveServer: @unchecked Sendable {
    let root: URL
    let holders: URL
    let passphrase = Array("test passphrase for tipline".utf8)
    let logs = CapturedLogs()
    let client: HTTPClient
    let deployment: Deployment
    private(set) var publicURL = ""
    private(set) var adminURL = ""
    /// Creates the deployment; the receipt KDF is lowered to keep tests fast (the default policy is
    /// 2^15, r = 8): `kdfN` at the policy floor (2^14), r = 1 (2 MiB per derivation).
    /// `editSecurity` rewrites the deployment's security.yaml (after the edits above).
    init(kdfN: Int = 1 << 14, kdfR: Int = 1, submissionsPerHour: Int = 100_000, editSecurity: (String) -> String = { $0 }) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-live-\(UUID().uuidString)")
        try TestDeployment.create(at: root, policiesSource: repoPolicies, passphrase: passphrase, serverPassphrase: passphrase)
        holders = root.deletingLastPathComponent().appendingPathComponent(root.lastPathComponent + "-holders")
        try FileManager.default.moveItem(at: DeploymentLayout(root: root).holdersDir, to: holders)
        let security = DeploymentLayout(root: root).policiesDir.appendingPathComponent("security.yaml")
        var text = try String(contentsOf: security, encoding: .utf8)
        text = text.replacingOccurrences(of: "  n: 32768\n  r: 8\n", with: "  n: \(kdfN)\n  r: \(kdfR)\n")
        text = text.replacingOccurrences(of: "submissions_per_hour: 20", with: "submissions_per_hour: \(submissionsPerHour)")
        text = text.replacingOccurrences(of: "followups_per_minute: 30", with: "followups_per_minute: 100000")
        text = editSecurity(text)
        try text.write(to: security, atomically: true, encoding: .utf8)
        deployment = try Deployment.open(at: root)

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(deployment.layout.tlsCA.path))
        tls.minimumTLSVersion = .tlsv12
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        // Generous: on a loaded 2-core machine 200 queued requests can wait a while for one of 32 connections.
        configuration.timeout = .init(connect: .seconds(120), read: .seconds(120))
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Changes `receipt_kdf` in the deployment's security.yaml (read by the next `run`), as an operator would.
    func setReceiptKDF(n: Int, r: Int) throws {
        let security = DeploymentLayout(root: root).policiesDir.appendingPathComponent("security.yaml")
        let text = try String(contentsOf: security, encoding: .utf8)
        let changed = text.replacingOccurrences(of: #"receipt_kdf:\n  n: \d+\n  r: \d+\n"#, with: "receipt_kdf:\n  n: \(n)\n  r: \(r)\n",
                                                options: .regularExpression)
        precondition(changed != text || text.contains("receipt_kdf:\n  n: \(n)\n  r: \(r)\n"))
        try changed.write(to: security, atomically: true, encoding: .utf8)
    }

    deinit {
        try? client.syncShutdown()
        try? FileManager.default.removeItem(at: root)
        try? FileManager.default.removeItem(at: holders)
    }

    /// Runs `body` while the server runs, then shuts it down gracefully.
    func run(time: any TimeSource = SystemTimeSource(), _ body: @Sendable (LiveServer) async throws -> Void) async throws {
        var logger = Logger(label: "tipline-test") { _ in CapturingLogHandler(sink: self.logs) }
        logger.logLevel = .trace
        let server = try await TiplineServer(options: ServerOptions(
            deployment: root, publicPort: 0, adminPort: 0, passphrase: passphrase, time: time, logger: logger))
        let group = ServiceGroup(configuration: .init(services: server.services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let (publicPort, adminPort) = await server.addresses.wait()
            publicURL = "https://127.0.0.1:\(publicPort)"
            adminURL = "https://127.0.0.1:\(adminPort)"
            do {
                try await body(self)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        // Close the server's connections now (SQLite checkpoints and removes the WAL as the last one
        // closes), not whenever the pool is released: a test that opens the file right after `run`
        // would otherwise meet that close-time checkpoint and fail with SQLITE_BUSY.
        try? server.database.close()
    }

    struct Reply: Sendable {
        let status: Int
        let headers: HTTPHeaders
        let body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> [String: Any] {
            try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] ?? [:]
        }
    }

    func request(_ path: String, method: HTTPMethod = .GET, contentType: String? = nil, body: [UInt8]? = nil,
                 admin: Bool = false, headers extra: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: (admin ? adminURL : publicURL) + path)
        request.method = method
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let contentType { request.headers.add(name: "Content-Type", value: contentType) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await client.execute(request, timeout: .seconds(60))
        let collected = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Array(collected.readableBytesView))
    }

    func postJSON(_ path: String, _ object: Any) async throws -> Reply {
        try await request(path, method: .POST, contentType: "application/json",
                          body: Array(try JSONSerialization.data(withJSONObject: object)))
    }

    /// A multipart body with a `tip` JSON part and file parts named `evidence`.
    func postMultipart(_ path: String, tip: Any?, files: [[UInt8]], fileField: String = "evidence",
                       fields: [(String, String)] = []) async throws -> Reply {
        let (contentType, body) = try Self.multipartBody(tip: tip, files: files, fileField: fileField, fields: fields)
        return try await request(path, method: .POST, contentType: contentType, body: body)
    }

    /// The content type and bytes of a multipart body with an optional `tip` JSON part, form fields and file parts.
    static func multipartBody(tip: Any?, files: [[UInt8]], fileField: String = "evidence",
                              fields: [(String, String)] = []) throws -> (contentType: String, body: [UInt8]) {
        let boundary = "tipline-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        func add(_ text: String) { body += Array(text.utf8) }
        if let tip {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"tip\"\r\nContent-Type: application/json\r\n\r\n")
            body += Array(try JSONSerialization.data(withJSONObject: tip))
            add("\r\n")
        }
        for (name, value) in fields {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for (index, file) in files.enumerated() {
            add("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(fileField)\"; filename=\"f\(index)\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            body += file
            add("\r\n")
        }
        add("--\(boundary)--\r\n")
        return ("multipart/form-data; boundary=\(boundary)", body)
    }

    /// A read-only view of the server's database. It waits (up to 10 s) for a lock held by the
    /// server's connections: a reader opening while the server's last connection checkpoints and
    /// resets the WAL on close otherwise fails at once with SQLITE_BUSY ("database is locked").
    func readDatabase<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: deployment.layout.database.path, configuration: configuration)
        return try queue.read(body)
    }

    func tipCount() throws -> Int { try readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip") ?? -1 } }

    /// A centre's private key, as its holder would load it on their workstation.
    func holderKey(_ centre: String, _ keyClass: KeyClass) throws -> X25519PrivateKey {
        let pem = try String(contentsOf: holders.appendingPathComponent("\(centre)-\(keyClass.rawValue).key.pem"), encoding: .utf8)
        return try X25519PrivateKey(encryptedPEM: pem, passphrase: passphrase)
    }

    /// Every byte the deployment keeps on the host: database files and anything else under data/.
    /// Every file of the deployment with its bytes, for scans that prove nothing personal is stored.
    /// SQLite removes `-wal`/`-shm` when the server's last connection closes, which can happen just
    /// after `run` returns: a file that vanished between listing and reading was checkpointed into the
    /// database file, which is read too, so it is skipped rather than failing the scan.
    func dataFiles() -> [(url: URL, bytes: Data)] {
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        return enumerator.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath }
            .compactMap { url in FileManager.default.contents(atPath: url.path).map { (url, $0) } }
    }
}

extension LiveServer {
    /// A second handle on the server's database for operations the server runs on timers (retention).
    func triageStore() async throws -> TriageStore {
        let database = try AppDatabase(path: deployment.layout.database.path)
        let pem = try String(contentsOf: deployment.layout.serverSigningKey, encoding: .utf8)
        let signer = AuditSigner(key: try Ed25519PrivateKey(encryptedPEM: pem, passphrase: passphrase))
        return TriageStore(database: database, signer: signer, policies: deployment.policies, centreKeys: deployment.manifest.centreKeyIDs,
                           unitKeys: deployment.manifest.unitKeyIDs)
    }
}
