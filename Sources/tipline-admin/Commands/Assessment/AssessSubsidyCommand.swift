import AdminClient
import ArgumentParser
import Foundation
import LedgerModel
import TiplineAdminAPI
import TiplineCore

extension AssessCommand {
    /// `assess subsidy --year` (三(五), S-3.5): the best units of the frozen ranking get the city's grants
    /// from the special fund; an accountant approves and pays them (`ledger subsidy approve|pay`).
    struct Subsidy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "按冻结的考核排名提议专项经费补助 / Propose subsidies to the best units of the frozen ranking.",
            discussion: "Each unit ranked within subsidy.grants_fen of remuneration.yaml gets the grant of its rank, the unit as payee. A second person (an accountant) approves and records the transfer. Running it again proposes only what is missing.")
        @OptionGroup var connection: ConnectionOptions
        @OptionGroup var idempotency: LedgerCommand.KeyOption
        @Option(help: "The year, e.g. 2026.") var year: Int

        func run() async throws {
            try await reportingErrors {
                let body = ProposeSubsidiesBody(year: try AssessCommand.checkedYear(year), idempotencyKey: idempotency.resolve())
                let payments = try await connection.session().call(.proposeSubsidies, body: body, as: [Payment].self)
                if payments.isEmpty {
                    print(say("没有新的补助提议（已全部提议过）", "no new subsidy proposals (all were proposed before)"))
                }
                for payment in payments {
                    print(say("补助 #\(payment.id)：\(payment.unit) \(payment.amount)（\(payment.basis.split(separator: ";").prefix(2).joined(separator: "，"))），须由会计批准",
                              "subsidy #\(payment.id): \(payment.unit) \(payment.amount) (\(payment.basis.split(separator: ";").prefix(2).joined(separator: ", "))); an accountant must approve"))
                }
            }
        }
    }
}

/// `tipline-admin ledger subsidy …`: the accountant's side of unit subsidies (the same payments as remuneration).
struct SubsidyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subsidy",
        abstract: "专项补助：批准、拒绝、支付、列表（提议见 assess subsidy）/ Unit subsidies: approve, decline, pay, list (propose with assess subsidy).",
        subcommands: [RemunerationCommand.Approve.self, RemunerationCommand.Decline.self, RemunerationCommand.Pay.self, RemunerationCommand.List.self])
}
