import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOPosix
import Sealing
import ServiceLifecycle
import Testing
import TiplineCore
import TiplineAdminAPI
import TiplineDeployment
@testable import IntakeServer

/// Issue 11 item 9: the admin listener has its own bind address, and `/metrics` is signed.
@Suite("Admin listener: own address, signed metrics (issue 11 #9)", .serialized)
struct AdminListenerTests {
    /// A signed GET as the staff member whose encrypted key is in `keyFile`.
    static func signedGet(_ live: LiveServer, _ target: String, keyFile: URL) async throws -> LiveServer.Reply {
        let pem = try String(contentsOf: keyFile, encoding: .utf8)
        let key = try Ed25519PrivateKey(encryptedPEM: pem, passphrase: live.passphrase)
        let (signature, _) = try AdminRequestSignature.sign(method: "GET", target: target, body: [], key: key,
                                                            timestamp: Int64(Date().timeIntervalSince1970),
                                                            nonce: Hex.encode(SecureRandom.bytes(16)))
        var request = HTTPClientRequest(url: live.adminURL + target)
        for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
        let response = try await live.client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 8 << 20)
        return LiveServer.Reply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
    }

    @Test("GET /metrics on the admin listener: unsigned → 401, auditor → 200, admin → 200, triage → 403")
    func metricsSigned() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("auditor1", role: "auditor", centre: "city")
            try await staff.enrol("triage9", role: "triage", centre: "nanming")
            let unsigned = try await live.request("/metrics", admin: true)
            #expect(unsigned.status == 401)
            #expect(!unsigned.text.contains("tipline_"))
            let auditor = try await Self.signedGet(live, "/metrics", keyFile: staff.dir.appendingPathComponent("staff-auditor1.key.pem"))
            #expect(auditor.status == 200)
            #expect(auditor.text.contains("tipline_kdf_gate_capacity"))
            let admin = try await Self.signedGet(live, "/metrics", keyFile: live.holders.appendingPathComponent("staff-admin.key.pem"))
            #expect(admin.status == 200)
            let triage = try await Self.signedGet(live, "/metrics", keyFile: staff.dir.appendingPathComponent("staff-triage9.key.pem"))
            #expect(triage.status == 403)
            #expect(try await live.request("/healthz", admin: true).status == 200)
        }
    }

    @Test("`metrics pull`, the signing sidecar: an auditor's signed pull writes the metrics atomically for node_exporter; a triage key is refused and leaves the file alone")
    func metricsPullSidecar() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("auditor1", role: "auditor", centre: "city")
            try await staff.enrol("triage9", role: "triage", centre: "nanming")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-textfile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let file = directory.appendingPathComponent("tipline.prom")

            let pulled = try await staff.cli(["metrics", "pull"] + staff.common("auditor1") + ["--out", file.path, "--every", "5", "--count", "2"])
            #expect(pulled.status == 0, "\(pulled.stderr)")
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.contains("# TYPE tipline_http_requests_total counter") && text.contains("tipline_kdf_gate_capacity"))
            let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
            #expect(mode == 0o644)
            // Only the .prom file is left: the temporary file was renamed over it.
            #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["tipline.prom"])

            // Without --out the metrics go to stdout.
            let printed = try await staff.cli(["metrics", "pull"] + staff.common("auditor1"))
            #expect(printed.status == 0 && printed.stdout.contains("tipline_kdf_gate_capacity"), "\(printed.stderr)")

            // A role without metrics access is refused (exit 4) and does not touch the file, even when told to repeat.
            try Data("previous\n".utf8).write(to: file)
            let refused = try await staff.cli(["metrics", "pull"] + staff.common("triage9") + ["--out", file.path, "--every", "5"])
            #expect(refused.status == 4, "\(refused.stdout) \(refused.stderr)")
            #expect(try String(contentsOf: file, encoding: .utf8) == "previous\n")
            #expect(try await staff.cli(["metrics", "pull"] + staff.common("auditor1") + ["--every", "1"]).status == 2)
        }
    }

    @Test("deployment.json without admin_bind_host means loopback; the admin listener binds there, not on bind_host")
    func adminBindHost() async throws {
        let old = #"{"format_version":1,"name":"x","demo":false,"created_at":"2026-01-01T00:00:00Z","bind_host":"0.0.0.0","public_port":8443,"admin_port":8444}"#
        let config = try JSONDecoder().decode(DeploymentConfig.self, from: Data(old.utf8))
        #expect(config.bindHost == "0.0.0.0")
        #expect(config.adminBindHost == "127.0.0.1")

        // Public on 127.0.0.2 (another loopback address), admin left at its default.
        let live = try LiveServer()
        var logger = Logger(label: "tipline-test") { _ in CapturingLogHandler(sink: live.logs) }
        logger.logLevel = .warning
        let server = try await TiplineServer(options: ServerOptions(
            deployment: live.root, publicPort: 0, adminPort: 0, bindHost: "127.0.0.2", passphrase: live.passphrase, logger: logger))
        let group = ServiceGroup(configuration: .init(services: server.services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let (publicPort, adminPort) = await server.addresses.wait()
            #expect(await Self.canConnect("127.0.0.2", publicPort))
            #expect(await Self.canConnect("127.0.0.1", adminPort))
            #expect(!(await Self.canConnect("127.0.0.2", adminPort)))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func canConnect(_ host: String, _ port: Int) async -> Bool {
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5)).connect(host: host, port: port).get()
            try? await channel.close().get()
            return true
        } catch {
            return false
        }
    }
}
