import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import TiplineAdminAPI
import TiplineCore

/// `tipline-admin ledger remuneration …` (issue 17, S-3.4): pay for adopted information. An editor
/// proposes (the amount is the city's rate, `remuneration.yaml`), an accountant approves; a named
/// author is paid by transfer (`pay`), an informant by a voucher shown only on their own page.
struct RemunerationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remuneration",
        abstract: "信息稿酬：待付、提议、批准、拒绝、支付、列表 / Remuneration for adopted information: pending, propose, approve, decline, pay, list.",
        subcommands: [Pending.self, Propose.self, Approve.self, Decline.self, Pay.self, List.self])

    struct Pending: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "尚未支付稿酬的采用记录（按标准计价）/ Adoptions not yet paid, priced by the city's rates.")
        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Only adoptions of this year (China time).") var year: Int?
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let rows = try await connection.session().call(.remunerationPending, query: year.map { [("year", "\($0)")] } ?? [],
                                                                as: [PendingRemuneration].self)
                if json { try printJSON(rows); return }
                printTable([say("信息编号", "ITEM"), say("单位", "UNIT"), say("采用", "LEVEL"), say("日期", "DATE"), say("图片", "PICTURES"),
                            say("支付对象", "PAYEE"), say("标准金额", "AMOUNT")],
                           rows.map { [$0.item, $0.unit, AdoptionLevel(rawValue: $0.level)?.label(UILanguage.current) ?? $0.level, $0.onDate,
                                       String($0.pictures), $0.payeeLabel, Fen($0.amountFen).description] })
            }
        }
    }

    struct Propose: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "编辑：为一条信息尚未支付的采用提议稿酬 / Editors: propose remuneration for an item's unpaid adoptions.",
            discussion: "The amount is the city's rate for each adoption level plus each picture, within the caps per item and per person a year. An accountant must approve.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: LedgerCommand.KeyOption
        @Argument(help: "The item (信息编号).") var item: String
        func run() async throws {
            try await reportingErrors {
                let payment = try await connection.session().call(.proposeRemuneration, item, body: KeyBody(idempotencyKey: idempotency.resolve()),
                                                                  as: Payment.self)
                print(say("稿酬 #\(payment.id)：\(item) \(payment.amount)，支付给 \(PaymentText.payees(payment))；须由会计批准",
                          "payment #\(payment.id): \(item) \(payment.amount) to \(PaymentText.payees(payment)); an accountant must approve"))
            }
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "会计：批准他人提议的稿酬或补助 / Accountants: approve a remuneration or subsidy someone else proposed.",
            discussion: "Posts it against its fund. For an informant, a voucher code is sealed to the informant's key and shown only on their /informant page.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: LedgerCommand.KeyOption
        @Argument(help: "The payment number.") var id: Int64
        func run() async throws {
            try await reportingErrors {
                let payment = try await connection.session().call(.approvePayment, String(id), body: KeyBody(idempotencyKey: idempotency.resolve()),
                                                                  as: Payment.self)
                if payment.paysInformant {
                    let until = payment.expiresAt.map(ShownTime.text) ?? "-"
                    print(say("#\(id) 已批准 \(payment.amount)；兑付码已加密给信息员，只在其本人页面显示（有效至 \(until)）",
                              "#\(id) approved \(payment.amount); the voucher was sealed to the informant and shows only on their page (valid until \(until))"))
                } else {
                    print(say("#\(id) 已批准 \(payment.amount)，支付后用 pay 登记", "#\(id) approved \(payment.amount); record the transfer with pay"))
                }
            }
        }
    }

    struct Decline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "会计（或提议人）：拒绝稿酬或补助提议 / Accountants (or the proposer): decline a proposal.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: LedgerCommand.KeyOption
        @Argument(help: "The payment number.") var id: Int64
        func run() async throws {
            try await reportingErrors {
                _ = try await connection.session().call(.declinePayment, String(id), body: KeyBody(idempotencyKey: idempotency.resolve()),
                                                        as: Payment.self)
                print(say("#\(id) 已拒绝", "#\(id) declined"))
            }
        }
    }

    struct Pay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "会计：登记已向署名作者或单位支付 / Accountants: record that an approved payment to named authors or a unit was made.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: LedgerCommand.KeyOption
        @Argument(help: "The payment number.") var id: Int64
        func run() async throws {
            try await reportingErrors {
                let payment = try await connection.session().call(.payPayment, String(id), body: KeyBody(idempotencyKey: idempotency.resolve()),
                                                                  as: Payment.self)
                print(say("#\(id) 已支付 \(payment.amount) 给 \(PaymentText.payees(payment))", "#\(id) paid \(payment.amount) to \(PaymentText.payees(payment))"))
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "稿酬与补助列表 / Remuneration and subsidy payments.")
        @OptionGroup var connection: ConnectionOptions
        @Flag(help: "Machine-readable output.") var json = false
        func run() async throws {
            try await reportingErrors {
                let payments = try await connection.session().call(.payments, as: [Payment].self)
                if json { try printJSON(payments); return }
                printTable([say("编号", "ID"), say("类别", "SCHEME"), say("事项", "SUBJECT"), say("单位", "UNIT"), say("支付对象", "PAYEE"),
                            say("金额", "AMOUNT"), say("状态", "STATUS"), say("提议时间", "PROPOSED")],
                           payments.map { [String($0.id), PaymentText.scheme($0.scheme), $0.subject, $0.unit, PaymentText.payees($0),
                                           $0.amount.description, RewardRow.status($0.status.rawValue), ShownTime.text($0.proposedAt)] })
            }
        }
    }
}

/// Payment words staff read.
enum PaymentText {
    static func payees(_ payment: Payment) -> String {
        payment.payees.map { payee in
            switch payee.kind {
            case .informant: say("信息员（兑付码）", "an informant (voucher)")
            case .author, .unit: "\(payee.name ?? "") \(payee.amount)"
            }
        }.joined(separator: "、")
    }

    static func scheme(_ scheme: PaymentScheme) -> String {
        scheme == .remuneration ? say("信息稿酬", "remuneration") : say("专项补助", "subsidy")
    }
}
