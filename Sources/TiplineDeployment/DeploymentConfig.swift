/// `public/deployment.json`: what a deployment is and where it listens.
public struct DeploymentConfig: Sendable, Codable, Equatable {
    public var formatVersion: Int
    public var name: String
    /// A demo deployment keeps its holders' keys on the host and uses a published passphrase.
    public var demo: Bool
    public var createdAt: String
    public var bindHost: String
    public var publicPort: Int
    public var adminPort: Int

    enum CodingKeys: String, CodingKey {
        case name, demo
        case formatVersion = "format_version"
        case createdAt = "created_at"
        case bindHost = "bind_host"
        case publicPort = "public_port"
        case adminPort = "admin_port"
    }

    public init(formatVersion: Int = 1, name: String, demo: Bool, createdAt: String, bindHost: String = "127.0.0.1",
                publicPort: Int = 8443, adminPort: Int = 8444) {
        self.formatVersion = formatVersion
        self.name = name
        self.demo = demo
        self.createdAt = createdAt
        self.bindHost = bindHost
        self.publicPort = publicPort
        self.adminPort = adminPort
    }

    /// The passphrase of a demo deployment's keys. Published on purpose: a demo protects nothing.
    public static let demoPassphrase = "tipline-demo"
}
