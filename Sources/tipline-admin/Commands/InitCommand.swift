import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineDeployment

/// `tipline-admin init DIR`: creates a deployment with every key it needs.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "创建部署目录 / Create a deployment directory: centre keys, server keys, receipt salt, TLS certificate, first administrator.",
        discussion: """
        Two passphrases, which must differ (one passphrase must not open everything):
        the holders' private keys (centre keys, first administrator) are encrypted with TIPLINE_HOLDER_PASSPHRASE
        (or TIPLINE_PASSPHRASE, or the file named by TIPLINE_HOLDER_PASSPHRASE_FILE / TIPLINE_PASSPHRASE_FILE);
        the server's keys with TIPLINE_SERVER_PASSPHRASE (or the file named by TIPLINE_SERVER_PASSPHRASE_FILE).
        Each unset one is asked twice without echo. Each must be at least \(Passphrase.minimumLength) characters.
        A --demo deployment uses the published passphrase '\(DeploymentConfig.demoPassphrase)' for both when none is set.
        """)

    @Argument(help: "Where to create the deployment (must not already hold one).")
    var directory: String

    @Option(help: "The policy files to start from (default: ./Policies or the source tree's).")
    var policies: String?

    @Option(help: "A name for the deployment.")
    var name: String = "guiyang"

    @Option(help: "The first administrator's name (used in file names).")
    var admin: String = "admin"

    @Flag(help: "Mark the deployment as a demo (keeps holders' keys on the host; published passphrase).")
    var demo = false

    @Flag(name: .customLong("per-holder-passphrases"),
          help: "Give every holder file (each centre key, the first administrator's key) its own random passphrase, printed once here; hand each to its holder, who changes it with `keys passwd`.")
    var perHolder = false

    func validate() throws {
        guard admin.range(of: "^[a-z0-9-]{1,32}$", options: .regularExpression) != nil else {
            throw ValidationError("--admin must be lowercase letters, digits and '-'")
        }
    }

    func run() async throws {
        try await reportingErrors {
            guard let source = policies.map({ URL(fileURLWithPath: $0) }) ?? DemoDeployment.defaultPoliciesSource() else {
                throw CLIError.input(say("找不到政策文件目录；请用 --policies DIR", "no policy directory found; pass --policies DIR"))
            }
            let passphrases = try InitPassphrases.obtain(demo: demo)
            var issued: [(file: String, passphrase: String)] = []
            let perFile: ((String) throws -> [UInt8])? = perHolder ? { file in
                let text = HolderPassphrase.generate()
                issued.append((file, text))
                return Array(text.utf8)
            } : nil
            let summary: DeploymentCreator.Summary
            do {
                summary = try DeploymentCreator.create(
                    at: URL(fileURLWithPath: directory), policiesSource: source, name: name, demo: demo,
                    passphrase: passphrases.holders, serverPassphrase: passphrases.server, adminName: admin,
                    holderPassphrase: perFile)
            } catch let error as DeploymentError {
                throw error
            } catch {
                throw CLIError.input("\(error)")
            }
            print(say("已创建部署 \(name)：\(summary.layout.root.path)", "created deployment \(name) at \(summary.layout.root.path)"))
            print(say("  public/   可复制到任何地方：配置、公钥、政策、TLS 证书", "  public/   copy anywhere: config, public keys, policies, TLS certificate"))
            print(say("  server/   仅限受理服务器：签名密钥、TLS 密钥、回执盐", "  server/   intake host only: signing key, TLS key, receipt salt"))
            print(say("  holders/  上线前移到各密钥保管人的工作站（docs/DEPLOY.md）", "  holders/  move to the key holders' workstations before going live (docs/DEPLOY.md)"))
            if !issued.isEmpty {
                print(say("\n每个保管人文件的口令（只显示这一次；分别交给各保管人，由其用 `tipline-admin keys passwd` 更改）：",
                          "\nEach holder file's passphrase (shown this once; hand each to its holder, who changes it with `tipline-admin keys passwd`):"))
                printTable([say("文件", "FILE"), say("口令", "PASSPHRASE")], issued.map { [$0.file, $0.passphrase] })
            }
            print(say("  首位管理员密钥：\(summary.adminKeyFile.path)（密钥编号 \(summary.manifest.staff[0].key.keyID)）",
                      "  first administrator key: \(summary.adminKeyFile.path) (key id \(summary.manifest.staff[0].key.keyID))"))
        }
    }
}

/// A random passphrase for one holder file: 24 characters of Crockford base32 (120 bits) in groups of four.
enum HolderPassphrase {
    static func generate() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let characters = SecureRandom.bytes(24).map { alphabet[Int($0 & 0x1F)] }
        return stride(from: 0, to: 24, by: 4).map { String(characters[$0..<($0 + 4)]) }.joined(separator: "-")
    }
}
