import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOHTTP1
import TiplineCore
import TiplineStore
@testable import IntakeServer

/// The public and admin routers of a real deployment, called in process through HummingbirdTesting's
/// `.router` mode: no sockets, no TLS, no PROXY header (issue 12 #6). For status codes, headers, page
/// limits and body errors; TLS, connection, crash, CLI and browser stories stay on `LiveServer.run`.
struct InProcessServer: Sendable {
    let publicClient: any TestClientProtocol
    let adminClient: any TestClientProtocol

    /// One request, answered as `LiveServer.request` answers it, so a test reads the same either way.
    func request(_ path: String, method: HTTPRequest.Method = .get, contentType: String? = nil, body: [UInt8]? = nil,
                 headers extra: [(String, String)] = [], admin: Bool = false) async throws -> LiveServer.Reply {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        for (name, value) in extra { headers.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        let response = try await (admin ? adminClient : publicClient)
            .execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        var converted = HTTPHeaders()
        for field in response.headers { converted.add(name: field.name.rawName, value: field.value) }
        return LiveServer.Reply(status: Int(response.status.code), headers: converted, body: Array(response.body.readableBytesView))
    }

    func postJSON(_ path: String, _ object: Any) async throws -> LiveServer.Reply {
        try await request(path, method: .post, contentType: "application/json",
                          body: Array(try JSONSerialization.data(withJSONObject: object)))
    }

    /// A multipart body with a `tip` JSON part and file parts named `evidence` (as `LiveServer.postMultipart`).
    func postMultipart(_ path: String, tip: Any?, files: [[UInt8]]) async throws -> LiveServer.Reply {
        let (contentType, body) = try LiveServer.multipartBody(tip: tip, files: files)
        return try await request(path, method: .post, contentType: contentType, body: body)
    }
}

extension LiveServer {
    /// Runs `body` against this deployment's routers in process: the same components
    /// (`TiplineServer.buildComponents`) and routers (`buildPublicRouter`, `buildAdminRouter`) the
    /// listeners serve, without the listeners.
    func inProcess(time: any TimeSource = SystemTimeSource(), _ body: @Sendable (InProcessServer) async throws -> Void) async throws {
        var logger = Logger(label: "tipline-test") { _ in CapturingLogHandler(sink: self.logs) }
        logger.logLevel = .trace
        let parts = try await TiplineServer.buildComponents(options: ServerOptions(
            deployment: root, passphrase: passphrase, time: time, logger: logger))
        let publicApp = Application(router: try TiplineServer.buildPublicRouter(parts), logger: logger)
        let adminApp = Application(router: TiplineServer.buildAdminRouter(parts), logger: logger)
        do {
            try await publicApp.test(.router) { publicClient in
                try await adminApp.test(.router) { adminClient in
                    try await body(InProcessServer(publicClient: publicClient, adminClient: adminClient))
                }
            }
        } catch {
            await parts.gate.shutdown()
            throw error
        }
        await parts.gate.shutdown()
    }
}
