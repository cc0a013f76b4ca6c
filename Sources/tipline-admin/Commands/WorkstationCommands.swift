import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineCore
import TiplineDeployment
#if canImport(Glibc)
import Glibc
#endif

/// `tipline-admin config …`: the workstation profile (issue 13, item 1).
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "工作站配置：部署、服务器、密钥文件（之后命令无需连接参数）/ The workstation profile.",
        discussion: "Settings: \(Profile.Setting.allCases.map(\.rawValue).joined(separator: ", ")). The file is \(Profile.location().path) (TIPLINE_CONFIG overrides); it names files and never holds a key or a passphrase.",
        subcommands: [Set.self, Unset.self, Show.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "设置一项 / Set one setting.")
        @Argument(help: "The setting.") var setting: String
        @Argument(help: "Its value (paths are made absolute and must exist).") var value: String

        func run() async throws {
            try await reportingErrors {
                guard let which = Profile.Setting(rawValue: setting) else {
                    throw CLIError.input(say("未知设置 \(setting)；可用：", "unknown setting \(setting); one of: ")
                                         + Profile.Setting.allCases.map(\.rawValue).joined(separator: ", "))
                }
                var profile = try Profile.load()
                try profile.set(which, value, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
                try profile.save()
                print(say("已设置 \(which.rawValue) = \(profile[which]!)", "set \(which.rawValue) = \(profile[which]!)"))
            }
        }
    }

    struct Unset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "删除一项 / Remove one setting.")
        @Argument(help: "The setting.") var setting: String
        func run() async throws {
            try await reportingErrors {
                guard let which = Profile.Setting(rawValue: setting) else { throw CLIError.input(say("未知设置 \(setting)", "unknown setting \(setting)")) }
                var profile = try Profile.load()
                profile.unset(which)
                try profile.save()
                print(say("已删除 \(which.rawValue)", "removed \(which.rawValue)"))
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "显示配置与密钥代理状态 / Show the profile and the key agent.")
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let profile = try Profile.load()
                let agent = AgentClient().status()
                if json {
                    var object = Dictionary(uniqueKeysWithValues: profile.values.map { ($0.key.rawValue, $0.value) })
                    object["file"] = Profile.location().path
                    object["agent"] = agent.map { "unlocked until " + ShownTime.json($0.expiresAt) } ?? "locked"
                    try printJSON(object)
                    return
                }
                print(say("配置文件：", "profile: ") + Profile.location().path)
                printTable([say("设置", "SETTING"), say("值", "VALUE"), say("说明", "MEANING")], Profile.Setting.allCases.map {
                    [$0.rawValue, profile[$0] ?? "-", $0.help]
                })
                if let agent {
                    print(say("密钥代理：已解锁，至 \(ShownTime.text(agent.expiresAt))，持有 \(agent.keys.count) 把密钥",
                              "key agent: unlocked until \(ShownTime.text(agent.expiresAt)), holding \(agent.keys.count) keys"))
                } else {
                    print(say("密钥代理：未解锁（`tipline-admin unlock`）", "key agent: locked (`tipline-admin unlock`)"))
                }
            }
        }
    }
}

/// `tipline-admin unlock [--for 8h]`: one passphrase prompt per working day (issue 13, item 2).
struct UnlockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock", abstract: "解锁：启动密钥代理，本次工作期间不再询问口令 / Start the key agent for the working day.",
        discussion: """
            Decrypts your staff key and your centre's keys (--key, --content-key, --identity-key or the profile's) once, \
            and hands them over a pipe to a background agent listening on a private Unix socket \
            (TIPLINE_AGENT_SOCKET, else $XDG_RUNTIME_DIR/tipline/agent.sock). The agent signs and unwraps for your own \
            user only, never writes or hands out a key, and wipes them at `lock` or when the time runs out.
            """)
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("for"), help: "How long: e.g. 8h, 90m, 1d (at most 24h).") var duration = "8h"

    func validate() throws {
        guard Self.seconds(duration) != nil else { throw ValidationError(say("--for：如 8h、90m、1d，最长 24h", "--for: e.g. 8h, 90m, 1d, at most 24h")) }
    }

    static func seconds(_ text: String) -> Int64? {
        guard let unit = text.last, let value = Int64(text.dropLast()), value > 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "m": seconds = value * 60
        case "h": seconds = value * 3_600
        case "d": seconds = value * 86_400
        default: return nil
        }
        return seconds <= 86_400 ? seconds : nil
    }

    func run() async throws {
        try await reportingErrors {
            let deployment = try? Deployment.open(at: connection.deploymentRoot)
            let demo = deployment?.config.demo ?? false
            var files: [(AgentKey.Kind, String)] = []
            guard let staff = connection.effective(connection.key, .key) else {
                throw CLIError.input(say("没有工作人员密钥：请用 --key FILE 或 `tipline-admin config set key FILE`",
                                         "no staff key: pass --key FILE or run `tipline-admin config set key FILE`"))
            }
            files.append((.staff, staff))
            if let content = connection.effective(connection.contentKey, .contentKey) { files.append((.content, content)) }
            if let identity = connection.effective(connection.identityKey, .identityKey) { files.append((.identity, identity)) }

            var tried: [[UInt8]] = []
            var keys: [AgentLoad.Key] = []
            defer { for index in tried.indices { for byte in tried[index].indices { tried[index][byte] = 0 } } }
            for (kind, path) in files {
                let url = URL(fileURLWithPath: path).standardizedFileURL
                guard let pem = FileManager.default.contents(atPath: url.path).map({ String(decoding: $0, as: UTF8.self) }) else {
                    throw CLIError.notFound(say("无法读取密钥文件 \(url.path)", "cannot read key file \(url.path)"))
                }
                // The passphrase already typed for another file is tried first: one prompt when they are the same.
                // A demo deployment's published passphrase is tried too, then the environment or a prompt.
                var raw: [UInt8]?
                for passphrase in tried + (demo ? [Array(DeploymentConfig.demoPassphrase.utf8)] : []) where raw == nil {
                    raw = Self.open(pem, kind: kind, passphrase: passphrase)
                }
                if raw == nil {
                    let passphrase = try Passphrase.obtain(purpose: url.lastPathComponent, demo: false)
                    tried.append(passphrase)
                    raw = Self.open(pem, kind: kind, passphrase: passphrase)
                }
                guard let raw else { throw CLIError.passphrase(say("口令错误：\(url.lastPathComponent)", "wrong passphrase for \(url.lastPathComponent)")) }
                keys.append(AgentLoad.Key(kind: kind, raw: Data(raw), file: url.path))
            }
            let agent = AgentClient()
            if agent.status() != nil { agent.lock() }
            let expiresAt = Int64(Date().timeIntervalSince1970) + Self.seconds(duration)!
            try Self.startAgent(AgentLoad(keys: keys, expiresAt: expiresAt))
            guard let status = agent.status() else { throw CLIError.io(say("密钥代理未能启动", "the key agent did not start")) }
            print(say("已解锁：密钥代理持有 \(status.keys.count) 把密钥，至 \(ShownTime.text(expiresAt))（`tipline-admin lock` 立即清除）",
                      "unlocked: the key agent holds \(status.keys.count) keys until \(ShownTime.text(expiresAt)) (`tipline-admin lock` wipes them now)"))
        }
    }

    /// The raw private key in `pem` if `passphrase` opens it.
    static func open(_ pem: String, kind: AgentKey.Kind, passphrase: [UInt8]) -> [UInt8]? {
        switch kind {
        case .staff: (try? Ed25519PrivateKey(encryptedPEM: pem, passphrase: passphrase))?.rawRepresentation
        case .content, .identity: (try? X25519PrivateKey(encryptedPEM: pem, passphrase: passphrase))?.rawRepresentation
        }
    }

    /// Starts `tipline-admin agent-serve` in the background and gives it the keys over its stdin.
    static func startAgent(_ load: AgentLoad) throws {
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let process = Process()
        process.executableURL = URL(fileURLWithPath: me)
        process.arguments = ["agent-serve"]
        let input = Pipe()
        let ready = Pipe()
        process.standardInput = input
        process.standardOutput = ready
        process.standardError = FileHandle.nullDevice
        try process.run()
        var payload = try JSONEncoder().encode(load)
        input.fileHandleForWriting.write(payload)
        payload.resetBytes(in: 0..<payload.count)
        try? input.fileHandleForWriting.close()
        let answer = String(decoding: ready.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard answer.hasPrefix("ready") else {
            throw CLIError.io(say("密钥代理未能启动：", "the key agent did not start: ") + answer.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}

/// `tipline-admin lock`: wipes the agent's keys now.
struct LockCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lock", abstract: "锁定：清除密钥代理中的密钥 / Wipe the key agent's keys now.")
    func run() async throws {
        try await reportingErrors {
            print(AgentClient().lock() ? say("已锁定：密钥已清除", "locked: the keys are wiped") : say("密钥代理未运行", "no key agent was running"))
        }
    }
}

/// The agent process `unlock` starts (not for people to run).
struct AgentServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agent-serve", abstract: "The key agent (started by `unlock`).",
                                                    shouldDisplay: false)
    func run() throws {
        _ = setsid()
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        AgentServer.harden()
        var input = FileHandle.standardInput.readDataToEndOfFile()
        defer { input.resetBytes(in: 0..<input.count) }
        guard input.count <= 1 << 16, let load = try? JSONDecoder().decode(AgentLoad.self, from: input) else {
            print("error: bad key load")
            throw ExitCode(2)
        }
        let server: AgentServer
        let listener: Int32
        do {
            server = try AgentServer(load: load, path: AgentSocket.path())
            listener = try server.bind()
        } catch {
            print("error: \(error)")
            throw ExitCode(6)
        }
        print("ready")
        fflush(nil)
        // Let go of unlock's pipes and the terminal: the agent talks only over its socket.
        let null = open("/dev/null", O_RDWR)
        for fd: Int32 in [0, 1, 2] { dup2(null, fd) }
        close(null)
        server.serve(listener)
    }
}
