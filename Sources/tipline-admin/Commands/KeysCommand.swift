import AdminClient
import ArgumentParser
import Foundation
import Sealing
import TiplineCore
import TiplineDeployment

/// `tipline-admin keys …`: the deployment's public keys.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "部署的公钥；更改密钥文件的口令 / Show the deployment's keys; change a key file's passphrase.", subcommands: [List.self, Passwd.self, AddUnits.self, Rotate.self, Rewrap.self, Retire.self, Pin.self])

    struct AddUnits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add-units",
            abstract: "升级到信息网络：补齐政策文件并生成各单位密钥 / Upgrade a deployment made before the network: copy the network's policy files and make the units' keys.",
            discussion: """
            Copies units.yaml, areas.csv, information.yaml, ledgers.yaml, statistics.yaml, remuneration.yaml and assessment.yaml into public/policies/ when missing (from --policies, default the             repository's Policies/), then makes a content key for every unit and a registry key for every district office that             keys.json does not list yet, encrypted with the holders' passphrase (TIPLINE_PASSPHRASE or a prompt). Existing keys are             never replaced. keys.json changes: restart the server, hand the new key files to their holders, and re-pin the new             fingerprint where staff pinned the old one.
            """)
        @OptionGroup var options: DeploymentOptions
        @Option(help: "Where to copy the network's policy files from (default: ./Policies or the repository's).") var policies: String?

        func run() async throws {
            try await reportingErrors {
                guard let source = policies.map({ URL(fileURLWithPath: $0) }) ?? DemoDeployment.defaultPoliciesSource() else {
                    throw CLIError.input(say("请用 --policies 指定政策目录", "name the policy directory with --policies"))
                }
                let passphrase = try Passphrase.obtainNew(purpose: "the units' key files", demo: false, from: [.holders, .standard])
                let (added, manifest) = try DeploymentCreator.addUnitKeys(at: options.root, policiesSource: source, passphrase: passphrase)
                if added.isEmpty {
                    print(say("各单位密钥已齐全，未作改动", "every unit already has its keys: nothing changed"))
                    return
                }
                print(say("已为 \(added.count) 个单位生成密钥：\(added.joined(separator: "、"))", "keys made for \(added.count) units: \(added.joined(separator: ", "))"))
                print(say("keys.json 新指纹：\(manifest.fingerprint)（请重启服务器，并更新各处固定的指纹）",
                          "new keys.json fingerprint: \(manifest.fingerprint) (restart the server and re-pin it wherever it was pinned)"))
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "用新口令重新加密私钥文件 / Re-encrypt a private key file under a new passphrase (in place, atomically, 0600).",
            discussion: """
            The current passphrase comes from TIPLINE_PASSPHRASE (or TIPLINE_PASSPHRASE_FILE, or a prompt); the new one
            from TIPLINE_NEW_PASSPHRASE (or TIPLINE_NEW_PASSPHRASE_FILE, or a prompt asked twice). The new passphrase
            must be at least \(Passphrase.minimumLength) characters and differ from the old one.
            """)
        @Argument(help: "The encrypted key file (staff, centre, server signing or TLS key).") var file: String

        func run() async throws {
            try await reportingErrors {
                let url = URL(fileURLWithPath: file)
                let old = try Passphrase.obtain(purpose: url.lastPathComponent, demo: false)
                let new = try Passphrase.obtainNew(purpose: "\(url.lastPathComponent) (new)", demo: false, from: [.new])
                try KeyFilePassphrase.change(url, old: old, new: new)
                print("\(url.path): 已用新口令重新加密 / re-encrypted under the new passphrase")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "各中心密钥、编号与指纹 / List centres, key ids and fingerprints.")

        @OptionGroup var options: DeploymentOptions
        @Flag(help: "Machine-readable output.") var json = false
        @Option(help: "Label language: zh or en.") var lang: Language?

        struct Row: Encodable {
            let owner: String
            let name: String
            let purpose: String
            let algorithm: String
            let keyID: String
            let fingerprint: String
            /// Centre keys: current, superseded or retired (key rotation); nil for other keys.
            var state: String? = nil
            enum CodingKeys: String, CodingKey {
                case owner, name, purpose, algorithm, fingerprint, state
                case keyID = "key_id"
            }
        }

        func run() async throws {
            try await reportingErrors {
                let deployment = try options.open()
                let lang = lang ?? UILanguage.current
                var rows: [Row] = []
                for record in deployment.manifest.allCentreKeys {
                    let name = deployment.policies.centres.centre(CentreID(record.centre))?.name(lang) ?? record.centre
                    rows.append(Row(owner: record.centre, name: name, purpose: record.keyClass.rawValue, algorithm: "X25519",
                                    keyID: record.key.keyID, fingerprint: fingerprint(record.key.publicKey), state: record.state.rawValue))
                }
                rows.append(Row(owner: "server", name: "intake host", purpose: "signing", algorithm: "Ed25519",
                                keyID: deployment.manifest.server.keyID, fingerprint: fingerprint(deployment.manifest.server.publicKey)))
                for staff in deployment.manifest.staff {
                    rows.append(Row(owner: "staff:\(staff.name)", name: "\(staff.role)@\(staff.centre)", purpose: "signing",
                                    algorithm: "Ed25519", keyID: staff.key.keyID, fingerprint: fingerprint(staff.key.publicKey)))
                }
                if json {
                    try printJSON(rows)
                } else {
                    printTable([say("持有者", "OWNER"), say("名称", "NAME"), say("用途", "PURPOSE"), say("算法", "ALG"), say("密钥编号", "KEY ID"),
                                say("SHA-256 指纹", "SHA-256 FINGERPRINT")],
                               rows.map { [$0.owner, $0.name, $0.purpose + ($0.state.flatMap(PublicKeyManifest.CentreKeyRecord.State.init(rawValue:))
                                               .flatMap { $0 == .current ? nil : say("（\(Repin.state($0))）", " (\(Repin.state($0)))") } ?? ""),
                                           $0.algorithm, $0.keyID, $0.fingerprint] })
                    print("\nkeys.json 指纹 / fingerprint (--keys-fingerprint): \(deployment.manifest.fingerprint)")
                }
            }
        }

        /// SHA-256 of the raw public key, grouped for reading aloud over the phone.
        private func fingerprint(_ publicKeyHex: String) -> String {
            let digest = Hashing.sha256Hex(Hex.decode(publicKeyHex) ?? [])
            return stride(from: 0, to: 32, by: 4).map { i in
                String(digest[digest.index(digest.startIndex, offsetBy: i)..<digest.index(digest.startIndex, offsetBy: i + 4)])
            }.joined(separator: ":")
        }
    }
}

