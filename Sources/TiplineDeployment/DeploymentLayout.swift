public import Foundation

/// Where each file of a deployment lives (ARCHITECTURE "Keys"): `public/` may be copied anywhere,
/// `server/` only to the intake host, `holders/` only to the people who hold the keys.
public struct DeploymentLayout: Sendable, Equatable {
    public let root: URL

    public init(root: URL) { self.root = root.standardizedFileURL }

    public var publicDir: URL { root.appendingPathComponent("public") }
    public var serverDir: URL { root.appendingPathComponent("server") }
    public var holdersDir: URL { root.appendingPathComponent("holders") }
    public var dataDir: URL { root.appendingPathComponent("data") }

    public var configFile: URL { publicDir.appendingPathComponent("deployment.json") }
    public var keyManifest: URL { publicDir.appendingPathComponent("keys.json") }
    public var publicKeysDir: URL { publicDir.appendingPathComponent("keys") }
    public var policiesDir: URL { publicDir.appendingPathComponent("policies") }
    /// The server's certificate chain (server certificate, then the local CA).
    public var tlsCertificate: URL { publicDir.appendingPathComponent("tls-cert.pem") }
    /// The trust anchor clients pin: the deployment's one-off local CA.
    public var tlsCA: URL { publicDir.appendingPathComponent("tls-ca.pem") }

    public var serverSigningKey: URL { serverDir.appendingPathComponent("signing-key.pem") }
    public var tlsPrivateKey: URL { serverDir.appendingPathComponent("tls-key.pem") }
    public var receiptSalt: URL { serverDir.appendingPathComponent("receipt-salt") }

    public func centreKey(_ centre: String, _ keyClass: String) -> URL {
        holdersDir.appendingPathComponent("\(centre)-\(keyClass).key.pem")
    }

    /// A network unit's key: `unit-<id>-content.key.pem` or `unit-<id>-registry.key.pem` (issue 14).
    public func unitKey(_ unit: String, _ purpose: String) -> URL {
        holdersDir.appendingPathComponent("unit-\(unit)-\(purpose).key.pem")
    }

    public func staffKey(_ name: String) -> URL { holdersDir.appendingPathComponent("staff-\(name).key.pem") }

    public var database: URL { dataDir.appendingPathComponent("tipline.sqlite") }
    public var ledgerDatabase: URL { dataDir.appendingPathComponent("ledger.sqlite") }
    public var checkpointFile: URL { dataDir.appendingPathComponent("checkpoints.log") }
    public var logDir: URL { dataDir.appendingPathComponent("logs") }
}
