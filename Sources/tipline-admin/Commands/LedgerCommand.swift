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
        commandName: "ledger", abstract: "举报奖励、信息稿酬与专项补助：提议、批准、兑付、注资；余额、日记账、报表、核验 / Rewards, remuneration and subsidies: propose, approve, redeem vouchers, fund; balances, journal, report, verify.",
        subcommands: [Propose.self, Approve.self, Decline.self, Voucher.self, Redeem.self, Fund.self, Expire.self,
                      Rewards.self, Balance.self, Journal.self, Report.self, Verify.self, RemunerationCommand.self, SubsidyCommand.self])

    struct KeyOption: ParsableArguments {
        @Option(name: .customLong("idempotency-key"), help: "Reuse the key of an earlier attempt to retry it safely.")
        var key: String?
        @Flag(help: "Print the idempotency key made for this attempt (to retry it with --idempotency-key).") var verbose = false
        func resolve() -> String {
            if let key { return key }
            let fresh = IdempotencyKey.generate()
            // Shown only on request: a key on screen is a key in a screenshot (item 9, the cashier).
            if verbose {
                FileHandle.standardError.write(Data(say("幂等键：\(fresh)（重试时用 --idempotency-key 传入）\n",
                                                        "idempotency key: \(fresh) (pass --idempotency-key to retry)\n").utf8))
            }
            return fresh
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "为查证属实且举报人申请奖励的举报提议奖励 / Propose a reward for a verified tip whose reporter asked for one.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument(help: "The tip reference.") var reference: TipReference
        @Option(help: "The amount in yuan, e.g. 3000.") var amount: String
        func run() async throws {
            try await reportingErrors {
                guard let fen = Fen(parsingYuan: amount) else { throw CLIError.input(say("--amount：以元计的金额，如 3000 或 3000.50", "--amount: an amount in yuan, e.g. 3000 or 3000.50")) }
                let body = ProposeBody(amountFen: fen.rawValue, idempotencyKey: idempotency.resolve())
                let reward = try await connection.session().call(.proposeReward, reference.rawValue, body: body, as: RewardSummary.self)
                print(say("\(reference)：已提议奖励 \(reward.amount)（上限 \(reward.allowed)），须由另一位主管批准",
                          "\(reference): proposed \(reward.amount) (allowed \(reward.allowed)); a second supervisor must approve"))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "主管：批准他人提议的奖励 / Supervisors: approve a reward proposed by someone else.",
            discussion: "Posts the payable against the fund and issues a voucher code sealed to the reporter's key: only the reporter sees it, in follow-up with the receipt.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument var reference: TipReference
        func run() async throws {
            try await reportingErrors {
                let reward = try await connection.session().call(.approveReward, reference.rawValue,
                                                                 body: KeyBody(idempotencyKey: idempotency.resolve()), as: RewardSummary.self)
                let until = reward.expiresAt.map(ShownTime.text) ?? "-"
                print(say("\(reference)：已批准 \(reward.amount)；兑付码已加密给举报人（有效至 \(until)）",
                          "\(reference): approved \(reward.amount); the voucher was sealed to the reporter (valid until \(until))"))
            }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "主管：拒绝提议的奖励 / Supervisors: decline a proposed reward.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument var reference: TipReference
        @Option(help: "Why, in words for the reporter: shown on their follow-up page and kept in clear in the audit log (no personal data).")
        var reason: String?
        func run() async throws {
            try await reportingErrors {
                try ClearText.check([("--reason", reason)])
                _ = try await connection.session().call(.declineReward, reference.rawValue,
                                                        body: DeclineBody(idempotencyKey: idempotency.resolve(), reason: reason), as: RewardSummary.self)
                print(say("\(reference)：已拒绝奖励", "\(reference): declined"))
            }
        }
    }

    struct Redeem: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "会计：兑付举报人出示的兑付码（仅一次）/ Accountants: pay the voucher a reporter presents (once).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Argument(help: "The voucher code (spaces and dashes allowed).") var code: String
        func run() async throws {
            try await reportingErrors {
                guard VoucherCode(parsing: code) != nil else {
                    throw CLIError.input(say("不是兑付码：应为 20 个字符（可含空格和连字符）", "not a voucher code: 20 characters (spaces and dashes allowed)"))
                }
                let reward = try await connection.session().call(.redeem,
                                                                 body: RedeemBody(code: code, idempotencyKey: idempotency.resolve()), as: RewardSummary.self)
                print(say("已兑付 \(reward.amount)（举报 \(reward.reference)）", "paid \(reward.amount) for \(reward.reference)"))
            }
        }
    }

    struct Voucher: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "会计：兑付前查看兑付码（金额、有效期、状态）/ Accountants: look a voucher up before paying it.",
            discussion: "Codes are read as people type them: full-width, spaces, any dash, any case. Nothing is paid or recorded.")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "The voucher code the reporter presents.") var code: String
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                guard VoucherCode(parsing: code) != nil else {
                    throw CLIError.input(say("不是兑付码：应为 20 个字符（可含空格和连字符）", "not a voucher code: 20 characters (spaces and dashes allowed)"))
                }
                let session = try connection.session()
                let reward = try await session.call(.voucher, body: VoucherLookupBody(code: code), as: RewardSummary.self)
                let now = Int64(Date().timeIntervalSince1970)
                let state: String
                switch reward.status {
                case "paid": state = say("已兑付（不可再付）", "already paid")
                case "expired": state = say("已过期（已退回基金）", "expired (returned to the fund)")
                case "approved" where (reward.expiresAt ?? .max) <= now: state = say("已过兑付期限（不可兑付）", "past its claim window (cannot be paid)")
                case "approved": state = say("可兑付", "payable")
                default: state = RewardRow.status(reward.status)
                }
                if json {
                    try printJSON(["reference": reward.reference, "amount": reward.amount, "amount_fen": String(reward.amountFen),
                                   "expires_at": reward.expiresAt.map(ShownTime.json) ?? "", "state": state, "status": reward.status])
                    return
                }
                print(say("举报：\(reward.reference)", "tip: \(reward.reference)"))
                print(say("金额：\(reward.amount)", "amount: \(reward.amount)"))
                print(say("有效期至：", "valid until: ") + (reward.expiresAt.map(ShownTime.text) ?? "-"))
                print(say("状态：", "state: ") + state)
            }
        }
    }

    struct Fund: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "会计：向奖励基金、信息稿酬基金或专项补助基金注资 / Accountants: top up the reward, information or subsidy fund.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        @Option(help: "The amount in yuan.") var amount: String
        @Option(help: "Where the money comes from (budget line).") var memo: String
        @Option(help: "Which fund: reward (default), information, subsidy.") var into: FundChoice = .reward
        enum FundChoice: String, ExpressibleByArgument, CaseIterable {
            case reward, information, subsidy
            var account: LedgerAccount { self == .reward ? .fund : self == .information ? .informationFund : .subsidyFund }
        }
        func run() async throws {
            try await reportingErrors {
                guard let fen = Fen(parsingYuan: amount) else { throw CLIError.input(say("--amount：以元计的金额", "--amount: an amount in yuan")) }
                try ClearText.check([("--memo", memo)])
                let body = FundBody(amountFen: fen.rawValue, memo: memo, idempotencyKey: idempotency.resolve(),
                                    account: into == .reward ? nil : into.account.rawValue)
                _ = try await connection.session().call(.fund, body: body, as: FundReply.self)
                print(say("\(AccountName.text(into.account))已注入 \(fen)", "\(into.account.rawValue) topped up by \(fen)"))
            }
        }
    }

    struct Expire: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "会计：立即把过期兑付码退回基金 / Accountants: return lapsed vouchers to the fund now (the server also does it on a timer).")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: KeyOption
        func run() async throws {
            try await reportingErrors {
                let result = try await connection.session().call(.expire,
                                                                 body: KeyBody(idempotencyKey: idempotency.resolve()), as: ExpireReply.self)
                print(say("已过期：", "expired: ") + result.expired.joined(separator: ", "))
            }
        }
    }

    struct Rewards: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "奖励列表 / List rewards.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        @Flag(help: "Show key ids beside names.") var verbose = false
        func run() async throws {
            try await reportingErrors {
                let session = try connection.session()
                let rows = try await session.call(.rewards, as: [RewardSummary].self)
                let show = try await Presenter.load(session, deployment: connection.deploymentRoot, verbose: verbose)
                if json { try printJSON(rows.map { RewardRow($0, show) }); return }
                printTable([say("编号", "REFERENCE"), say("中心", "CENTRE"), say("状态", "STATUS"), say("金额", "AMOUNT"), say("上限", "ALLOWED"),
                            say("提议人", "PROPOSER"), say("决定人", "DECIDER"), say("兑付期限", "EXPIRES")],
                           rows.map { [$0.reference, show.centre($0.centre), RewardRow.status($0.status), $0.amount, $0.allowed,
                                       show.person($0.proposer), $0.decider.map { show.person($0) } ?? "-", show.time($0.expiresAt)] })
            }
        }
    }

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "各科目余额 / Account balances.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let balances = try await connection.session().call(.balance, as: LedgerBalances.self)
                if json { try printJSON(balances); return }
                printTable([say("科目", "ACCOUNT"), say("余额", "BALANCE")], LedgerAccount.allCases.map { [AccountName.text($0), balances[$0].description] })
            }
        }
    }

    struct Journal: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "哈希链日记账 / The hash-chained journal.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let entries = try await connection.session().call(.journal, as: [JournalEntry].self)
                if json { try printJSON(entries); return }
                printTable([say("序号", "SEQ"), say("时间", "AT"), say("类型", "KIND"), say("奖励", "REWARD"), say("分录", "POSTINGS")], entries.map { entry in
                    [String(entry.seq), ShownTime.text(entry.at), AccountName.kind(entry.kind), entry.rewardID.map(String.init) ?? "-",
                     entry.postings.map { "\(AccountName.side($0.side)) \(AccountName.text($0.account)) \($0.amount)" }.joined(separator: "; ")]
                })
            }
        }
    }

    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "年度报表（中国时间）：奖励按中心、档次；稿酬与补助按支付对象类型、单位（CSV，元与分）/ A year's report in China time: rewards per centre and tier; remuneration and subsidies per payee type and unit (CSV).")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "The year.") var year: Int
        func run() async throws {
            try await reportingErrors {
                let report = try await connection.session().call(.report, query: [("year", "\(year)")], as: ReportReply.self)
                print(report.csv, terminator: "")
                if let payments = report.paymentsCSV {
                    print("")
                    print(payments, terminator: "")
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "核验账簿 / Verify the ledger: balanced entries, intact chain, no voucher paid twice, two different people per approval, balances.",
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

/// `ledger rewards --json`: names beside key ids, times in China time.
struct RewardRow: Encodable {
    let reference, centre, status, statusLabel, amount, allowed, proposer, proposerName: String
    let amountFen: Int64
    let decider, deciderName, expiresAt: String?
    enum CodingKeys: String, CodingKey {
        case reference, centre, status, amount, allowed, proposer, decider
        case statusLabel = "status_label", proposerName = "proposer_name", amountFen = "amount_fen"
        case deciderName = "decider_name", expiresAt = "expires_at"
    }
    init(_ row: RewardSummary, _ show: Presenter) {
        reference = row.reference
        centre = row.centre
        status = row.status
        statusLabel = Self.status(row.status)
        amount = row.amount
        amountFen = row.amountFen
        allowed = row.allowed
        proposer = row.proposer
        proposerName = show.person(row.proposer)
        decider = row.decider
        deciderName = row.decider.map { show.person($0) }
        expiresAt = row.expiresAt.map(ShownTime.json)
    }

    static func status(_ raw: String) -> String {
        let zh = ["proposed": "待批准", "approved": "已批准待兑付", "declined": "已拒绝", "paid": "已兑付", "expired": "已过期"]
        return say(zh[raw] ?? raw, raw)
    }
}

/// Ledger words staff read: accounts, entry kinds, sides.
enum AccountName {
    static func text(_ account: LedgerAccount) -> String {
        switch account {
        case .appropriation: say("财政拨款", "appropriation")
        case .fund: say("奖励基金", "fund")
        case .payable: say("应付奖励", "payable")
        case .paid: say("已付奖励", "paid")
        case .expired: say("过期待退回", "expired")
        case .informationFund: say("信息稿酬基金", "information fund")
        case .informationPayable: say("应付稿酬", "remuneration payable")
        case .informationPaid: say("已付稿酬", "remuneration paid")
        case .subsidyFund: say("专项补助基金", "subsidy fund")
        case .subsidyPayable: say("应付补助", "subsidies payable")
        case .subsidyPaid: say("已付补助", "subsidies paid")
        }
    }

    static func kind(_ kind: JournalEntry.Kind) -> String {
        let zh: [JournalEntry.Kind: String] = [.fund: "注资", .approve: "批准", .redeem: "兑付", .expire: "过期", .restore: "退回基金",
                                               .paymentApprove: "批准稿酬/补助", .paymentPay: "支付稿酬/补助", .paymentRedeem: "兑付稿酬",
                                               .paymentExpire: "稿酬兑付码过期", .paymentRestore: "稿酬退回基金"]
        return say(zh[kind] ?? kind.rawValue, kind.rawValue)
    }

    static func side(_ side: EntrySide) -> String { side == .debit ? say("借", "debit") : say("贷", "credit") }
}
