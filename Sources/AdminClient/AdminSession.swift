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
    package let signingKey: Ed25519PrivateKey
    package let client: HTTPClient
    /// The deployment's public keys from a local file (`--keys`, else the `--deployment`'s
    /// public/keys.json): the only keys the CLI seals to. Nil when neither is at hand.
    package let manifest: PublicKeyManifest?
    /// A pinned fingerprint of keys.json (`--keys-fingerprint`, `TIPLINE_KEYS_FINGERPRINT`), for
    /// `--server` use without a local keys.json.
    package let pinnedFingerprint: String?
    package let holdersDir: URL?
    package let demo: Bool

    package init(options: ConnectionOptions) throws {
        var base = options.server
        var ca = options.ca.map { URL(fileURLWithPath: $0) }
        var manifest: PublicKeyManifest?
        var holders: URL?
        var demo = false
        var keyFile = options.key.map { URL(fileURLWithPath: $0) }
        if let deployment = try? Deployment.open(at: options.deploymentRoot) {
            base = base ?? "https://\(deployment.config.adminBindHost):\(deployment.config.adminPort)"
            ca = ca ?? deployment.layout.tlsCA
            manifest = deployment.manifest
            holders = deployment.layout.holdersDir
            demo = deployment.config.demo
            if keyFile == nil, let admin = deployment.manifest.staff.first {
                keyFile = deployment.layout.staffKey(admin.name)
            }
        }
        if let keysFile = options.keysFile {
            do {
                manifest = try PublicKeyManifest.load(from: URL(fileURLWithPath: keysFile))
            } catch {
                throw CLIError.input("无法读取公钥文件 / cannot read the keys file \(keysFile): \(error)")
            }
        }
        let fingerprint = options.keysFingerprint ?? ProcessInfo.processInfo.environment["TIPLINE_KEYS_FINGERPRINT"].flatMap { $0.isEmpty ? nil : $0 }
        self.pinnedFingerprint = fingerprint.map(PublicKeyManifest.normalizedFingerprint)
        guard let base else { throw CLIError.input("no server: pass --deployment DIR or --server URL") }
        guard let ca else { throw CLIError.input("no certificate authority: pass --ca FILE (the deployment's public/tls-ca.pem)") }
        guard let keyFile else { throw CLIError.input("no staff key: pass --key FILE") }
        self.baseURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        self.manifest = manifest
        self.holdersDir = holders
        self.demo = demo
        self.signingKey = try KeyFiles.ed25519(keyFile, purpose: "your staff key", demo: demo)

        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        do {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca.path))
        } catch {
            throw CLIError.input("cannot read the certificate authority \(ca.path)")
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    }

    deinit { try? client.syncShutdown() }

    /// Sends a signed request to `route` (with its path parameter and query) and decodes the JSON
    /// answer, mapping refusals to CLI errors.
    package func call<T: Decodable>(_ route: AdminRoute, _ parameter: String? = nil, query: [(name: String, value: String)] = [],
                            body: (some Encodable)? = Optional<String>.none, as type: T.Type) async throws -> T {
        let data = try await send(route.method == .get ? .GET : .POST, route.target(parameter, query: query), body: body)
        do {
            let decoder = JSONDecoder()
            decoder.dataDecodingStrategy = .base64
            return try decoder.decode(type, from: data)
        } catch {
            throw CLIError.io("unexpected answer from the server")
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
        let (signature, _) = try AdminRequestSignature.sign(method: method.rawValue, target: target, body: bytes, key: signingKey,
                                                            timestamp: Int64(Date().timeIntervalSince1970))
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
            throw CLIError.io("cannot reach \(baseURL): \(error)")
        }
        let collected = Data((try await response.body.collect(upTo: 256 << 20)).readableBytesView)
        guard (200..<300).contains(Int(response.status.code)) else {
            let message = (try? JSONDecoder().decode(ServerError.self, from: collected))?.error.message ?? "HTTP \(response.status.code)"
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

    package struct ServerError: Decodable {
        struct Detail: Decodable { let code: String; let message: String }
        let error: Detail
    }

    /// The centre private key of `keyClass` for this staff member: `--content-key`/`--identity-key`,
    /// else the deployment's holders/ file for the member's centre.
    package func centreKey(_ keyClass: KeyClass, centre: String, explicit: String?) throws -> X25519PrivateKey {
        let file: URL
        if let explicit {
            file = URL(fileURLWithPath: explicit)
        } else if let holdersDir {
            file = holdersDir.appendingPathComponent("\(centre)-\(keyClass.rawValue).key.pem")
        } else {
            throw CLIError.input("pass --\(keyClass.rawValue)-key FILE (your centre's \(keyClass.rawValue) key)")
        }
        return try KeyFiles.x25519(file, purpose: "the \(centre) \(keyClass.rawValue) key", demo: demo)
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
            throw CLIError.passphrase("wrong passphrase for \(file.lastPathComponent)")
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
            throw CLIError.passphrase("wrong passphrase for \(file.lastPathComponent)")
        } catch {
            throw CLIError.input("\(file.lastPathComponent) is not an X25519 centre key")
        }
    }

    private static func read(_ file: URL) throws -> String {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw CLIError.notFound("cannot read key file \(file.path)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
