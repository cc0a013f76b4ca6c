import AdminClient
import LedgerModel
import ArgumentParser
import Foundation
import NIOHTTP1
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin ledger …`: case-lead rewards (S-3.4) and the reward fund, over the admin API.
///
/// Every command that changes the ledger carries an idempotency key: pass `--idempotency-key`
/// to retry a command safely (the key printed by the first attempt); a new one is made otherwise.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger", abstract: "Rewards: propose, approve, redeem vouchers, fund; balances, journal, report, verify.",
        subcommands: [Propose.self, Approve.self, Decline.self, Redeem.self, Fund.self, Expire.self,
                      Rewards.self, Balance.self, Journal.self, Report.self, Verify.self])

    struct KeyOption: ParsableArguments {
        @Option(name: .customLong("idempotency-key"), help: "Reuse the key of an earlier attempt to retry it safely.")
        var key: String?
        func resolve() -> String {
            if let key { return key }
            let fresh = IdempotencyKey.generate()
            FileHandle.standardError.write(Data("idempotency key: \(fresh) (pass --idempotency-key to retry)\n".utf8))
            return fresh
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Propose a reward for a verified tip whose reporter asked for one.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument(help: "The tip reference.") var reference: String
        @Option(help: "The amount in yuan, e.g. 3000.") var amount: String
        func run() async throws {
            try await reportingErrors {
                guard let fen = Fen(parsingYuan: amount) else { throw CLIError.input("--amount: an amount in yuan, e.g. 3000 or 3000.50") }
                let body = ProposeBody(amountFen: fen.rawValue, idempotencyKey: idempotency.resolve())
                let reward = try await connection.session().call(.proposeReward, reference, body: body, as: RewardSummary.self)
                print("\(reference): proposed \(reward.amount) (allowed \(reward.allowed)); a second supervisor must approve")
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Supervisors: approve a reward proposed by someone else.",
            discussion: "Posts the payable against the fund and issues a voucher code sealed to the reporter's key: only the reporter sees it, in follow-up with the receipt.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument var reference: String
        func run() async throws {
            try await reportingErrors {
                let reward = try await connection.session().call(.approveReward, reference,
                                                                 body: KeyBody(idempotencyKey: idempotency.resolve()), as: RewardSummary.self)
                print("\(reference): approved \(reward.amount); the voucher was sealed to the reporter (valid until \(reward.expiresAt.map { ISO8601.string(fromSeconds: $0) } ?? "-"))")
            }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Supervisors: decline a proposed reward.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument var reference: String
        func run() async throws {
            try await reportingErrors {
                _ = try await connection.session().call(.declineReward, reference,
                                                        body: KeyBody(idempotencyKey: idempotency.resolve()), as: RewardSummary.self)
                print("\(reference): declined")
            }
        }
    }

    struct Redeem: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accountants: pay the voucher a reporter presents (once).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument(help: "The voucher code (spaces and dashes allowed).") var code: String
        func run() async throws {
            try await reportingErrors {
                let reward = try await connection.session().call(.redeem,
                                                                 body: RedeemBody(code: code, idempotencyKey: idempotency.resolve()), as: RewardSummary.self)
                print("paid \(reward.amount) for \(reward.reference)")
            }
        }
    }

    struct Fund: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accountants: top up the reward fund.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Option(help: "The amount in yuan.") var amount: String
        @Option(help: "Where the money comes from (budget line).") var memo: String
        func run() async throws {
            try await reportingErrors {
                guard let fen = Fen(parsingYuan: amount) else { throw CLIError.input("--amount: an amount in yuan") }
                let body = FundBody(amountFen: fen.rawValue, memo: memo, idempotencyKey: idempotency.resolve())
                _ = try await connection.session().call(.fund, body: body, as: FundReply.self)
                print("fund topped up by \(fen)")
            }
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Accountants: return lapsed vouchers to the fund now (the server also does it on a timer).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        func run() async throws {
            try await reportingErrors {
                let result = try await connection.session().call(.expire,
                                                                 body: KeyBody(idempotencyKey: idempotency.resolve()), as: ExpireReply.self)
                print("expired: \(result.expired.joined(separator: ", "))")
            }
        }
    }

    struct Rewards: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List rewards.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let rows = try await connection.session().call(.rewards, as: [RewardSummary].self)
                if json { try printJSON(rows); return }
                printTable(["REFERENCE", "CENTRE", "STATUS", "AMOUNT", "ALLOWED", "PROPOSER", "DECIDER"],
                           rows.map { [$0.reference, $0.centre, $0.status, $0.amount, $0.allowed, $0.proposer, $0.decider ?? "-"] })
            }
        }
    }

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Account balances.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let balances = try await connection.session().call(.balance, as: LedgerBalances.self)
                if json { try printJSON(balances); return }
                printTable(["ACCOUNT", "BALANCE"], LedgerAccount.allCases.map { [$0.rawValue, balances[$0].description] })
            }
        }
    }

    struct Journal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The hash-chained journal.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let entries = try await connection.session().call(.journal, as: [JournalEntry].self)
                if json { try printJSON(entries); return }
                printTable(["SEQ", "AT", "KIND", "REWARD", "POSTINGS"], entries.map { entry in
                    [String(entry.seq), ISO8601.string(fromSeconds: entry.at), entry.kind.rawValue, entry.rewardID.map(String.init) ?? "-",
                     entry.postings.map { "\($0.side.rawValue) \($0.account.rawValue) \($0.amount)" }.joined(separator: "; ")]
                })
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Rewards of a year per centre and tier (CSV).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year.") var year: Int
        func run() async throws {
            try await reportingErrors {
                let report = try await connection.session().call(.report, query: [("year", "\(year)")], as: ReportReply.self)
                print(report.csv, terminator: "")
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify the ledger: balanced entries, intact chain, no voucher paid twice, two different people per approval, balances.",
            discussion: "With --ledger FILE it reads a copy of ledger.sqlite directly (no server, read-only); otherwise it asks the server.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "A copy of ledger.sqlite to verify offline.") var ledger: String?
        func run() async throws {
            try await reportingErrors {
                if let ledger { try AuditTool.exec(["verify-ledger", ledger] + (connection.deployment.map { ["--deployment", $0] } ?? [])) }  // the auditor's tool reads files
                let result = try await connection.session().call(.verifyLedger, as: LedgerCheckReply.self)
                print(result.summary)
                if !result.passed { throw ExitCode(1) }
            }
        }
    }
}
