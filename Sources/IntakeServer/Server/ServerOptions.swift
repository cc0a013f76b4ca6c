public import Foundation
public import Logging
public import TiplineCore

/// How to run the server; `tipline-server` fills it from its command line.
public struct ServerOptions: Sendable {
    /// The deployment directory.
    public var deployment: URL
    /// Overrides of the deployment's ports; 0 picks an ephemeral port.
    public var publicPort: Int?
    /// Override of the admin listener's port.
    public var adminPort: Int?
    /// Overrides of the deployment's listening addresses (`bind_host`, `admin_bind_host`).
    public var bindHost: String?
    /// Override of the admin listener's address.
    public var adminBindHost: String?
    /// The passphrase of the server's keys (demo deployments fall back to the published one).
    public var passphrase: [UInt8]?
    /// The clock (a fixed one in tests).
    public var time: any TimeSource
    /// Where the server logs.
    public var logger: Logger
    /// Called once both listeners run, with (public port, admin port).
    public var onListening: @Sendable (Int, Int) -> Void

    /// Options for the deployment at `deployment`; everything else defaults to the deployment's own settings.
    public init(deployment: URL, publicPort: Int? = nil, adminPort: Int? = nil, bindHost: String? = nil,
                adminBindHost: String? = nil, passphrase: [UInt8]? = nil,
                time: any TimeSource = SystemTimeSource(), logger: Logger = Logger(label: "tipline"),
                onListening: @escaping @Sendable (Int, Int) -> Void = { _, _ in }) {
        self.onListening = onListening
        self.deployment = deployment
        self.publicPort = publicPort
        self.adminPort = adminPort
        self.bindHost = bindHost
        self.adminBindHost = adminBindHost
        self.passphrase = passphrase
        self.time = time
        self.logger = logger
    }
}

/// Why the server refused to start.
public enum ServerStartError: Error, CustomStringConvertible {
    /// Files under `public/` hold private keys.
    case privateKeyInPublicPart([String])
    /// The server process can read key files in `holders/`.
    case holderKeysReadable([String])
    /// Another start-up check failed (e.g. the reward ledger cannot be opened or reconciled).
    case configuration(String)

    /// Why the server refused to start, in English.
    public var description: String {
        switch self {
        case .privateKeyInPublicPart(let files):
            "refusing to start: private key material in the public part of the deployment: \(files.joined(separator: ", "))"
        case .holderKeysReadable(let files):
            "refusing to start: the server can read holders' private keys (\(files.joined(separator: ", "))); move holders/ off the intake host (docs/DEPLOY.md)"
        case .configuration(let what): "refusing to start: \(what)"
        }
    }
}
