import Accounting
import Foundation
import LedgerModel
import AdminClient
import ArgumentParser

/// `tipline-audit`: the auditor's tool (docs/AUDIT.md). It reads copies of the data files read-only
/// and needs no private key; it is the only staff-side program that reads a database, so the
/// staff CLI (`tipline-admin`, which runs this one for `tipline-admin audit …`) links no storage.
///
/// Exit codes as tipline-admin's: 0 every check passed; 1 a check failed or a scan hit; 2 usage or
/// input error; 3 not found; 6 I/O.
@main
struct TiplineAuditTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tipline-audit",
        abstract: "审计：仅凭数据证明身份信息的处理 / Prove from the data alone how identities were handled (no private key needed).",
        subcommands: AuditCommand.configuration.subcommands + [VerifyLedgerFile.self])
}

/// `tipline-audit verify-ledger FILE` (also `tipline-admin ledger verify --ledger FILE`): the ledger
/// checks on a copy of ledger.sqlite, read-only, with no server.
struct VerifyLedgerFile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-ledger",
        abstract: "核验 ledger.sqlite 副本 / Verify a copy of ledger.sqlite: balanced entries, intact chain, no voucher paid twice, two people per approval.")
    @Argument(help: "The copy of ledger.sqlite.") var file: String
    @Option(help: "The rewards.yaml the ledger ran under (default: the --deployment's public/policies/rewards.yaml).")
    var rewards: String?
    @OptionGroup var deployment: DeploymentOptions

    func run() async throws {
        try await reportingErrors {
            let policy: RewardPolicy
            if let rewards {
                guard let text = try? String(contentsOfFile: rewards, encoding: .utf8) else { throw CLIError.notFound("无法读取奖励政策文件 / cannot read \(rewards)") }
                do { policy = try RewardPolicy.parse(file: rewards, text: text) } catch { throw CLIError.input("\(error)") }
            } else {
                policy = try deployment.open().rewardPolicy
            }
            let result = try await Ledger(path: file, policy: policy, readOnly: true).verify()
            print(result.summary)
            if !result.passed { throw ExitCode(1) }
        }
    }
}
