package import Foundation
import TiplineDeployment

/// A staff member's workstation profile (issue 13, item 1): where the deployment is and which key
/// files are theirs, so that a command needs no connection flags. One JSON file, mode 0600, at
/// `TIPLINE_CONFIG`, else `$XDG_CONFIG_HOME/tipline/config.json`, else `~/.config/tipline/config.json`.
/// It names files; it never holds a key or a passphrase.
package struct Profile: Equatable, Sendable {
    /// The settings a profile may hold; each is the long option it stands for.
    package enum Setting: String, CaseIterable, Sendable {
        case deployment, server, ca, keys
        case keysFingerprint = "keys-fingerprint"
        case key
        case contentKey = "content-key"
        case identityKey = "identity-key"
        case lang

        /// Settings naming a local file or directory: made absolute and checked when set.
        package var isPath: Bool {
            switch self {
            case .deployment, .ca, .keys, .key, .contentKey, .identityKey: true
            case .server, .keysFingerprint, .lang: false
            }
        }

        package var help: String {
            switch self {
            case .deployment: say("部署目录（或其副本）", "the deployment directory (or a copy)")
            case .server: say("管理接口地址，如 https://10.0.0.5:8444", "the admin API, e.g. https://10.0.0.5:8444")
            case .ca: say("部署的证书颁发机构 public/tls-ca.pem", "the deployment's CA, public/tls-ca.pem")
            case .keys: say("固定的公钥文件 public/keys.json", "the pinned public/keys.json")
            case .keysFingerprint: say("keys.json 的 SHA-256 指纹", "the SHA-256 fingerprint of keys.json")
            case .key: say("您的工作人员签名密钥文件", "your staff signing key file")
            case .contentKey: say("本中心的内容密钥文件", "your centre's content key file")
            case .identityKey: say("本中心的身份密钥文件（身份保管人）", "your centre's identity key file (identity holders)")
            case .lang: say("界面语言 zh 或 en", "display language, zh or en")
            }
        }
    }

    package private(set) var values: [Setting: String] = [:]

    package init(values: [Setting: String] = [:]) { self.values = values }

    package subscript(_ setting: Setting) -> String? { values[setting] }

    /// Where the profile lives for this user.
    package static func location(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let explicit = environment["TIPLINE_CONFIG"], !explicit.isEmpty { return URL(fileURLWithPath: explicit) }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? URL(fileURLWithPath: $0) : nil }
            ?? URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("tipline/config.json")
    }

    /// The profile, or an empty one when there is none; a damaged file is an error.
    package static func load(from url: URL = location()) throws -> Profile {
        guard let data = FileManager.default.contents(atPath: url.path) else { return Profile() }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else {
            throw CLIError.input(say("配置文件已损坏：\(url.path)", "the profile is damaged: \(url.path)"))
        }
        var values: [Setting: String] = [:]
        for (name, value) in object {
            guard let setting = Setting(rawValue: name) else {
                throw CLIError.input(say("配置文件 \(url.path) 中有未知设置 \(name)", "unknown setting \(name) in \(url.path)"))
            }
            values[setting] = value
        }
        return Profile(values: values)
    }

    /// This user's profile, read once per process for defaults (empty if it cannot be read: commands
    /// then report the missing flag; `config` reads it afresh and reports a damaged file).
    package static let current: Profile = (try? load()) ?? Profile()

    /// Sets `setting`: paths become absolute and must exist; the language must be zh or en.
    package mutating func set(_ setting: Setting, _ value: String, relativeTo directory: URL) throws {
        var value = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty, value.utf8.count <= 4_096 else { throw CLIError.input(say("值不能为空", "the value is empty")) }
        if setting.isPath {
            let url = value.hasPrefix("/") ? URL(fileURLWithPath: value) : directory.appendingPathComponent(value)
            value = url.standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: value) else {
                throw CLIError.notFound(say("没有这个文件或目录：\(value)", "no such file or directory: \(value)"))
            }
        }
        if setting == .lang, !["zh", "en"].contains(value) {
            throw CLIError.input(say("lang 只能是 zh 或 en", "lang must be zh or en"))
        }
        if setting == .server, !value.hasPrefix("https://") {
            throw CLIError.input(say("server 必须是 https:// 地址", "server must be an https:// URL"))
        }
        values[setting] = value
    }

    package mutating func unset(_ setting: Setting) { values[setting] = nil }

    /// Writes the profile atomically, mode 0600, its directory 0700.
    package func save(to url: URL = location()) throws {
        let directory = url.deletingLastPathComponent()
        if !FileManager.default.fileExists(atPath: directory.path) {
            try SecureFile.makeDirectory(directory, mode: 0o700)
        }
        let object = Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        if FileManager.default.fileExists(atPath: url.path) {
            try SecureFile.replace(url, bytes: Array(data) + [0x0A], mode: 0o600)
        } else {
            try SecureFile.create(url, bytes: Array(data) + [0x0A], mode: 0o600)
        }
    }
}
