public import Foundation

/// Where each file of a deployment lives (ARCHITECTURE "Keys"): `public/` may be copied anywhere,
/// `server/` only to the intake host, `holders/` only to the people who hold the keys.
public struct DeploymentLayout: Sendable, Equatable {
    /// The deployment's directory, standardised.
    public let root: URL

    /// The layout under `root`.
    public init(root: URL) { self.root = root.standardizedFileURL }

    /// `public/`: keys.json, public keys, policies and the TLS chain; may be copied anywhere.
    public var publicDir: URL { root.appendingPathComponent("public") }
    /// `server/`: the server's secrets; only on the intake host.
    public var serverDir: URL { root.appendingPathComponent("server") }
    /// `holders/`: the key holders' private keys; never on the intake host.
    public var holdersDir: URL { root.appendingPathComponent("holders") }
    /// `data/`: the databases, checkpoints and logs.
    public var dataDir: URL { root.appendingPathComponent("data") }

    /// `public/deployment.json`: the deployment's configuration (`DeploymentConfig`).
    public var configFile: URL { publicDir.appendingPathComponent("deployment.json") }
    /// `public/keys.json`: the manifest of every public key (`PublicKeyManifest`).
    public var keyManifest: URL { publicDir.appendingPathComponent("keys.json") }
    /// `public/keys/`: the public key PEMs.
    public var publicKeysDir: URL { publicDir.appendingPathComponent("keys") }
    /// `public/policies/`: the policy files in force.
    public var policiesDir: URL { publicDir.appendingPathComponent("policies") }
    /// The server's certificate chain (server certificate, then the local CA).
    public var tlsCertificate: URL { publicDir.appendingPathComponent("tls-cert.pem") }
    /// The trust anchor clients pin: the deployment's one-off local CA.
    public var tlsCA: URL { publicDir.appendingPathComponent("tls-ca.pem") }

    /// `server/signing-key.pem`: the server's passphrase-encrypted Ed25519 signing key.
    public var serverSigningKey: URL { serverDir.appendingPathComponent("signing-key.pem") }
    /// `server/tls-key.pem`: the TLS private key, passphrase-encrypted PKCS#8.
    public var tlsPrivateKey: URL { serverDir.appendingPathComponent("tls-key.pem") }
    /// `server/receipt-salt`: the deployment's 32-byte scrypt salt of legacy (scheme 1) receipts.
    public var receiptSalt: URL { serverDir.appendingPathComponent("receipt-salt") }

    /// A centre's private key: `<centre>-<class>.key.pem` in `holders/` (`content` or `identity`).
    public func centreKey(_ centre: String, _ keyClass: String) -> URL {
        holdersDir.appendingPathComponent("\(centre)-\(keyClass).key.pem")
    }

    /// A network unit's key: `unit-<id>-content.key.pem` or `unit-<id>-registry.key.pem` (issue 14).
    public func unitKey(_ unit: String, _ purpose: String) -> URL {
        holdersDir.appendingPathComponent("unit-\(unit)-\(purpose).key.pem")
    }

    /// A staff signing key: `staff-<name>.key.pem` in `holders/`.
    public func staffKey(_ name: String) -> URL { holdersDir.appendingPathComponent("staff-\(name).key.pem") }

    /// `data/tipline.sqlite`: the triage store.
    public var database: URL { dataDir.appendingPathComponent("tipline.sqlite") }
    /// `data/ledger.sqlite`: the reward ledger.
    public var ledgerDatabase: URL { dataDir.appendingPathComponent("ledger.sqlite") }
    /// `data/checkpoints.log`: the signed audit checkpoints, one per line.
    public var checkpointFile: URL { dataDir.appendingPathComponent("checkpoints.log") }
    /// `data/logs/`: log files, which `tipline-audit scan` reads too.
    public var logDir: URL { dataDir.appendingPathComponent("logs") }
}
