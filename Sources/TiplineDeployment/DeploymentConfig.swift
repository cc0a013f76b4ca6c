/// `public/deployment.json`: what a deployment is and where it listens.
public struct DeploymentConfig: Sendable, Codable, Equatable {
    /// The file's format; only 1 is read.
    public var formatVersion: Int
    /// The deployment's name.
    public var name: String
    /// A demo deployment keeps its holders' keys on the host and uses a published passphrase.
    public var demo: Bool
    /// When the deployment was created (ISO 8601, UTC).
    public var createdAt: String
    /// Where the public listener binds (`--bind-host` overrides it).
    public var bindHost: String
    /// Where the admin listener binds; loopback unless set (staff reach it by SSH tunnel or VPN).
    /// Separate from `bindHost` so that opening the public listener never opens the admin one.
    public var adminBindHost: String
    /// The public listener's port.
    public var publicPort: Int
    /// The admin listener's port.
    public var adminPort: Int

    enum CodingKeys: String, CodingKey {
        case name, demo
        case formatVersion = "format_version"
        case createdAt = "created_at"
        case bindHost = "bind_host"
        case adminBindHost = "admin_bind_host"
        case publicPort = "public_port"
        case adminPort = "admin_port"
    }

    /// A configuration; both listeners on loopback by default (ports 8443 and 8444).
    public init(formatVersion: Int = 1, name: String, demo: Bool, createdAt: String, bindHost: String = "127.0.0.1",
                adminBindHost: String = "127.0.0.1", publicPort: Int = 8443, adminPort: Int = 8444) {
        self.formatVersion = formatVersion
        self.name = name
        self.demo = demo
        self.createdAt = createdAt
        self.bindHost = bindHost
        self.adminBindHost = adminBindHost
        self.publicPort = publicPort
        self.adminPort = adminPort
    }

    /// Deployments written before `admin_bind_host` existed get loopback, never `bind_host`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try container.decode(Int.self, forKey: .formatVersion)
        name = try container.decode(String.self, forKey: .name)
        demo = try container.decode(Bool.self, forKey: .demo)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        bindHost = try container.decode(String.self, forKey: .bindHost)
        adminBindHost = try container.decodeIfPresent(String.self, forKey: .adminBindHost) ?? "127.0.0.1"
        publicPort = try container.decode(Int.self, forKey: .publicPort)
        adminPort = try container.decode(Int.self, forKey: .adminPort)
    }

    /// The passphrase of a demo deployment's keys. Published on purpose: a demo protects nothing.
    public static let demoPassphrase = "tipline-demo"
}
