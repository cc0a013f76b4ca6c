package import AsyncHTTPClient
package import Foundation
import NIOCore
package import NIOHTTP1
import NIOSSL
package import Sealing
package import TiplineAdminAPI
import TiplineCore
package import TiplineDeployment

/// A staff member's connection to the admin API: signs every request with their key,
/// trusts only the deployment's certificate authority.
package final class AdminSession: @unchecked Sendable {
    package let baseURL: String
    /// Signs every request: the staff key from its file, or the key agent (`tipline-admin unlock`).
    package let signer: StaffSigner
    package let client: HTTPClient
    /// The deployment's public keys from a local file (`--keys`, else the `--deployment`'s
    /// public/keys.json): the only keys the CLI seals to. Nil when neither is at hand.
    package let manifest: PublicKeyManifest?
    /// A pinned fingerprint of keys.json (`--keys-fingerprint`, `TIPLINE_KEYS_FINGERPRINT`), for
    /// `--server` use without a local keys.json.
    package let pinnedFingerprint: String?
    /// The file `manifest` was read from (`--keys`, the profile's `keys`, else the deployment's
    /// public/keys.json): where a deliberate re-pin (`keys rotate`, `keys retire`, `keys pin`) writes.
    package let manifestFile: URL?
    package let holdersDir: URL?
    package let demo: Bool
    /// The running key agent's keys, if one answered.
    package let agentKeys: [AgentKey]
    let agent: AgentClient
    let options: ConnectionOptions

    package init(options: ConnectionOptions) throws {
        self.options = options
        var base = options.effective(options.server, .server)
        var ca = options.effective(options.ca, .ca).map { URL(fileURLWithPath: $0) }
        var manifest: PublicKeyManifest?
        var manifestFile: URL?
        var holders: URL?
        var demo = false
        if let deployment = try? Deployment.open(at: options.deploymentRoot) {
            base = base ?? "https://\(deployment.config.adminBindHost):\(deployment.config.adminPort)"
            ca = ca ?? deployment.layout.tlsCA
            manifest = deployment.manifest
            manifestFile = deployment.layout.keyManifest
            holders = deployment.layout.holdersDir
            demo = deployment.config.demo
        }
        if let keysFile = options.effective(options.keysFile, .keys) {
            do {
                manifest = try PublicKeyManifest.load(from: URL(fileURLWithPath: keysFile))
                manifestFile = URL(fileURLWithPath: keysFile)
            } catch {
                throw CLIError.input("无法读取公钥文件 / cannot read the keys file \(keysFile): \(error)")
            }
        }
        let fingerprint = options.effective(options.keysFingerprint, .keysFingerprint)
            ?? ProcessInfo.processInfo.environment["TIPLINE_KEYS_FINGERPRINT"].flatMap { $0.isEmpty ? nil : $0 }
        self.pinnedFingerprint = fingerprint.map(PublicKeyManifest.normalizedFingerprint)
        guard let base else {
            throw CLIError.input(say("没有服务器：请用 --deployment DIR 或 --server URL，或 `tipline-admin config set deployment DIR`",
                                     "no server: pass --deployment DIR or --server URL, or run `tipline-admin config set deployment DIR`"))
        }
        guard let ca else {
            throw CLIError.input(say("没有证书颁发机构：请用 --ca FILE（部署的 public/tls-ca.pem）或 `tipline-admin config set ca FILE`",
                                     "no certificate authority: pass --ca FILE (the deployment's public/tls-ca.pem) or run `tipline-admin config set ca FILE`"))
        }
        self.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.manifest = manifest
        self.manifestFile = manifestFile
        self.holdersDir = holders
        self.demo = demo
        self.agent = AgentClient()
        self.agentKeys = agent.status()?.keys ?? []

        // The staff key: the agent's copy of the chosen file, else the agent's only staff key when no
        // file is chosen, else the file itself (one passphrase prompt). Never a default key of someone else.
        let keyFile = options.effective(options.key, .key).map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let agentStaff = agentKeys.filter { $0.kind == .staff }
        if let held = keyFile.flatMap({ file in agentStaff.first { $0.file == file } }) ?? (keyFile == nil && agentStaff.count == 1 ? agentStaff[0] : nil) {
            signer = .agent(agent, keyID: held.keyID)
        } else if let keyFile {
            signer = .local(try KeyFiles.ed25519(URL(fileURLWithPath: keyFile), purpose: say("您的工作人员密钥", "your staff key"), demo: demo))
        } else {
            throw CLIError.input(say("没有工作人员密钥：请用 --key FILE，或 `tipline-admin config set key FILE`（然后 `tipline-admin unlock`）",
                                     "no staff key: pass --key FILE, or run `tipline-admin config set key FILE` (then `tipline-admin unlock`)"))
        }

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca.path))
        } catch {
            throw CLIError.input(say("无法读取证书颁发机构 \(ca.path)", "cannot read the certificate authority \(ca.path)"))
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    deinit { try? client.syncShutdown() }

    /// Whether a staff key would be used without asking for one: `--key` or the profile's key file,
    /// or a staff key the running key agent holds (`tipline-audit canary` skips its marking without one).
    package static func hasStaffKey(_ options: ConnectionOptions) -> Bool {
        options.effective(options.key, .key) != nil || (AgentClient().status()?.keys.contains { $0.kind == .staff } ?? false)
    }

    /// Sends a signed request to `route` (with its path parameter and query) and decodes the JSON
    /// answer, mapping refusals to CLI errors.
    package func call<T: Decodable>(_ route: AdminRoute, _ parameter: String? = nil, query: [(name: String, value: String)] = [],
                            body: (some Encodable)? = Optional<String>.none, as type: T.Type) async throws -> T {
        let data: Data
        do {
            data = try await send(route.method == .get ? .GET : .POST, route.target(parameter, query: query), body: body)
        } catch CLIError.notFound(let message) {
            // A tip the caller's centre cannot see answers 404 like one that does not exist (no oracle).
            guard let parameter, TipReference(rawValue: parameter) != nil else { throw CLIError.notFound(message) }
            throw CLIError.notFound(say("没有找到举报 \(parameter)（或不属于本中心）", "no tip \(parameter) (or not your centre's)"))
        }
        do {
            let decoder = JSONDecoder()
            decoder.dataDecodingStrategy = .base64
            return try decoder.decode(type, from: data)
        } catch {
            throw CLIError.io(say("服务器的应答无法识别", "unexpected answer from the server"))
        }
    }

    /// Opens a signed GET to `route` and calls `line` for each line of the streamed answer (server-sent
    /// events) until the server ends it; refusals map to CLI errors as for `call`.
    package func stream(_ route: AdminRoute, line: (String) async throws -> Void) async throws {
        let target = route.target()
        let timestamp = Int64(Date().timeIntervalSince1970)
        let nonce = Hex.encode(SecureRandom.bytes(16))
        let message = AdminRequestSignature.message(method: "GET", target: target, timestamp: timestamp, nonce: nonce, body: [])
        let signature = AdminRequestSignature(keyID: signer.keyID, timestamp: timestamp, nonce: nonce, signature: try signer.sign(message))
        var request = HTTPClientRequest(url: baseURL + target)
        for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .hours(24))
        } catch {
            throw CLIError.io(say("无法连接 \(baseURL)：\(error)", "cannot reach \(baseURL): \(error)"))
        }
        guard response.status.code == 200 else {
            let collected = Data((try await response.body.collect(upTo: 1 << 16)).readableBytesView)
            let text = (try? JSONDecoder().decode(ServerError.self, from: collected))?.error.message ?? "HTTP \(response.status.code)"
            throw response.status.code == 403 || response.status.code == 401 ? CLIError.refused(text) : CLIError.io(text)
        }
        var pending: [UInt8] = []
        for try await chunk in response.body {
            pending += chunk.readableBytesView
            guard pending.count <= 1 << 16 else { throw CLIError.io(say("通知流的行太长", "an event line is too long")) }
            while let newline = pending.firstIndex(of: 0x0A) {
                let text = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                try await line(text)
            }
        }
    }

    package func send(_ method: HTTPMethod, _ target: String, body: (some Encodable)?) async throws -> Data {
        var bytes: [UInt8] = []
        if let body {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            encoder.dataEncodingStrategy = .base64
            bytes = Array(try encoder.encode(body))
        }
        let timestamp = Int64(Date().timeIntervalSince1970)
        let nonce = Hex.encode(SecureRandom.bytes(16))
        let message = AdminRequestSignature.message(method: method.rawValue, target: target, timestamp: timestamp, nonce: nonce, body: bytes)
        let signature = AdminRequestSignature(keyID: signer.keyID, timestamp: timestamp, nonce: nonce, signature: try signer.sign(message))
        var request = HTTPClientRequest(url: baseURL + target)
        request.method = method
        for (name, value) in signature.headers { request.headers.add(name: name, value: value) }
        if !bytes.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .seconds(60))
        } catch {
            throw CLIError.io(say("无法连接 \(baseURL)：\(error)", "cannot reach \(baseURL): \(error)"))
        }
        let collected = Data((try await response.body.collect(upTo: 256 << 20)).readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            let detail = try? JSONDecoder().decode(ServerError.self, from: collected)
            let english = detail?.error.message ?? "HTTP \(response.status.code)"
            // Chinese first: the server's refusal by its code, its own (English) words after it.
            let message = ServerRefusal.zh(detail?.error.code).map { say("\($0)（\(english)）", english) } ?? english
            switch response.status.code {
            case 400: throw CLIError.input(message)
            case 401, 403: throw CLIError.refused(message)
            case 404: throw CLIError.notFound(message)
            case 409: throw CLIError.refused(message)
            default: throw CLIError.io(message)
            }
        }
        return collected
    }

    /// The Chinese for the admin API's refusal codes (docs/ADMIN-API.md "Errors").
    enum ServerRefusal {
        static func zh(_ code: String?) -> String? {
            switch code {
            case "forbidden": "无权执行此操作"
            case "unauthenticated", "unknown_key": "服务器不认识这把密钥（未登记或已吊销）"
            case "bad_signature": "请求签名无效"
            case "stale": "请求时间与服务器相差太多，请检查本机时钟"
            case "replayed": "请求已被使用过（重放）"
            case "invalid", "required", "unknown_field", "duplicate_field": "请求内容无效"
            case "not_found": "没有找到"
            case "wrong_receipt": "回执与该举报不符，未作任何更改"
            case "conflict", "refused": "当前状态不允许此操作"
            case "busy": "服务器繁忙，请稍后再试"
            case "rate_limited": "请求过于频繁，请稍后再试"
            case "too_large": "内容太大"
            case "timeout": "请求超时"
            case "internal": "服务器内部错误"
            default: nil
            }
        }
    }

    package struct ServerError: Decodable {
        struct Detail: Decodable { let code: String; let message: String }
        let error: Detail
    }

    /// The centre key of `keyClass` for this staff member's `centre`: `--content-key`/`--identity-key`
    /// or the profile's file (the agent's copy when it holds it), else the agent's key that is the
    /// centre's, else the deployment's holders/ file. Checked against the pinned public keys before
    /// anything is sent: a wrong file is refused here, with no request and no audit entry (item 9).
    /// The key agent's X25519 key with `keyID` (a unit's content or registry key unlocked as
    /// `content-key`/`identity-key`), when the agent holds it and, with `file`, was read from that file.
    package func agentKey(keyID: String, file: String?) -> CentreKey? {
        let path = file.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        guard let held = agentKeys.first(where: { $0.kind != .staff && $0.keyID == keyID && (path == nil || $0.file == path) }),
              let publicKey = try? X25519PublicKey(rawRepresentation: Array(held.publicKey)) else { return nil }
        return CentreKey(agent: agent, publicKey: publicKey, keyClass: held.kind == .identity ? .identity : .content)
    }

    package func centreKey(_ keyClass: KeyClass, centre: String, explicit: String?) throws -> CentreKey {
        let setting: Profile.Setting = keyClass == .content ? .contentKey : .identityKey
        let chosen = options.effective(explicit, setting).map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let kind: AgentKey.Kind = keyClass == .content ? .content : .identity
        let expected = try? manifest?.centreKey(CentreID(centre), keyClass)
        let held = agentKeys.filter { $0.kind == kind }
        let key: CentreKey
        if let match = chosen.flatMap({ file in held.first { $0.file == file } }) ?? (chosen == nil ? held.first { $0.keyID == expected?.keyID } : nil),
           let publicKey = try? X25519PublicKey(rawRepresentation: Array(match.publicKey)) {
            key = CentreKey(agent: agent, publicKey: publicKey, keyClass: keyClass)
        } else {
            let file: URL
            if let chosen {
                file = URL(fileURLWithPath: chosen)
            } else if let holdersDir, FileManager.default.fileExists(atPath: holdersDir.appendingPathComponent("\(centre)-\(keyClass.rawValue).key.pem").path) {
                file = holdersDir.appendingPathComponent("\(centre)-\(keyClass.rawValue).key.pem")
            } else {
                throw CLIError.input(say("请用 --\(keyClass.rawValue)-key FILE 指定本中心的\(keyClass == .content ? "内容" : "身份")密钥，或 `tipline-admin config set \(setting.rawValue) FILE`",
                                         "pass --\(keyClass.rawValue)-key FILE (your centre's \(keyClass.rawValue) key), or run `tipline-admin config set \(setting.rawValue) FILE`"))
            }
            key = CentreKey(local: try KeyFiles.x25519(file, purpose: say("\(centre) 中心的\(keyClass == .content ? "内容" : "身份")密钥", "the \(centre) \(keyClass.rawValue) key"), demo: demo),
                            keyClass: keyClass)
        }
        if let expected, expected.keyID != key.publicKey.keyID {
            throw CLIError.refused(say("这个密钥文件不是本中心（\(centre)）的\(keyClass == .content ? "内容" : "身份")密钥：未发送任何请求。",
                                       "this key file is not your centre's (\(centre)) \(keyClass.rawValue) key: nothing was sent."))
        }
        return key
    }
}

/// Loading passphrase-protected key files with clear errors.
package enum KeyFiles {
    package static func ed25519(_ file: URL, purpose: String, demo: Bool) throws -> Ed25519PrivateKey {
        let pem = try read(file)
        let passphrase = try Passphrase.obtain(purpose: purpose, demo: demo)
        do {
            return try Ed25519PrivateKey(encryptedPEM: pem, passphrase: passphrase)
        } catch SealingError.wrongPassphrase {
            throw CLIError.passphrase(say("口令错误：\(file.lastPathComponent)", "wrong passphrase for \(file.lastPathComponent)"))
        } catch {
            throw CLIError.input("\(file.lastPathComponent) is not an Ed25519 staff key")
        }
    }

    package static func x25519(_ file: URL, purpose: String, demo: Bool) throws -> X25519PrivateKey {
        let pem = try read(file)
        let passphrase = try Passphrase.obtain(purpose: purpose, demo: demo)
        do {
            return try X25519PrivateKey(encryptedPEM: pem, passphrase: passphrase)
        } catch SealingError.wrongPassphrase {
            throw CLIError.passphrase(say("口令错误：\(file.lastPathComponent)", "wrong passphrase for \(file.lastPathComponent)"))
        } catch {
            throw CLIError.input("\(file.lastPathComponent) is not an X25519 centre key")
        }
    }

    private static func read(_ file: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CLIError.notFound(say("无法读取密钥文件 \(file.path)", "cannot read key file \(file.path)"))
        }
        return String(decoding: data, as: UTF8.self)
    }
}
