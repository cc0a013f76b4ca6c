import Accounting
import LedgerModel
import Foundation
import Hummingbird
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The rewards and ledger routes of the admin API (rewards issue).
extension AdminController {
    func registerLedger(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.proposeReward) { _, context in
            try await handle(context, .proposeReward) { actor, body in
                let input = try decode(ProposeBody.self, body)
                let reward = try await rewards.propose(try context.parameters.require("ref"), amountFen: input.amountFen,
                                                       idempotencyKey: input.idempotencyKey, by: actor, at: time.now())
                return try JSONResponse.json(.created, RewardSummary(reward))
            }
        }
        v1.on(.approveReward) { _, context in
            try await handle(context, .approveReward) { actor, body in
                let input = try decode(KeyBody.self, body)
                let reward = try await rewards.approve(try context.parameters.require("ref"), idempotencyKey: input.idempotencyKey,
                                                       by: actor, at: time.now())
                return try JSONResponse.json(.ok, RewardSummary(reward))
            }
        }
        v1.on(.declineReward) { _, context in
            try await handle(context, .approveReward) { actor, body in
                let input = try decode(DeclineBody.self, body)
                var reason: String?
                if let text = input.reason {
                    // Shown to the reporter on follow-up (issue 13, item 10): one line, bounded.
                    guard let clean = ReasonText.clean(text) else {
                        throw APIError(status: .badRequest, code: "invalid", message: "reason: one line of at most \(ReasonText.maxScalars) characters")
                    }
                    reason = clean
                }
                let reward = try await rewards.decline(try context.parameters.require("ref"), reason: reason,
                                                       idempotencyKey: input.idempotencyKey, by: actor, at: time.now())
                return try JSONResponse.json(.ok, RewardSummary(reward))
            }
        }
        v1.on(.rewards) { _, context in
            try await handle(context, .readLedger) { actor, _ in
                // Scoped like tips: a district sees the rewards of the tips it sees, the city all.
                let all = try await rewards.ledger.rewards()
                let visible = try await store.visibleReferences(all.map(\.reference), to: actor.member)
                return try JSONResponse.json(.ok, all.filter { visible.contains($0.reference) }.map(RewardSummary.init))
            }
        }
        v1.on(.fund) { _, context in
            try await handle(context, .fundRewards) { actor, body in
                let input = try decode(FundBody.self, body)
                guard let account = LedgerAccount(rawValue: input.account ?? LedgerAccount.fund.rawValue),
                      LedgerAccount.funds.contains(account) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "account: one of "
                                   + LedgerAccount.funds.map(\.rawValue).joined(separator: ", "))
                }
                let entry = try await rewards.fund(amountFen: input.amountFen, memo: input.memo, into: account,
                                                   idempotencyKey: input.idempotencyKey, by: actor, at: time.now())
                return try JSONResponse.json(.created, FundReply(ledgerEntry: entry.seq))
            }
        }
        v1.on(.redeem) { _, context in
            try await handle(context, .redeemVoucher) { actor, body in
                let input = try decode(RedeemBody.self, body)
                return try JSONResponse.json(.ok, try await rewards.redeem(code: input.code, idempotencyKey: input.idempotencyKey,
                                                                           by: actor, at: time.now()))
            }
        }
        v1.on(.voucher) { _, context in
            try await handle(context, .redeemVoucher) { _, body in
                let input = try decode(VoucherLookupBody.self, body)
                if let payment = try? await rewards.ledger.paymentVoucher(code: input.code) {
                    return try JSONResponse.json(.ok, RewardSummary(payment: payment))
                }
                return try JSONResponse.json(.ok, RewardSummary(try await rewards.ledger.voucher(code: input.code)))
            }
        }
        v1.on(.expire) { _, context in
            try await handle(context, .expireVouchers) { actor, body in
                let input = try decode(KeyBody.self, body)
                let result = try await rewards.expire(idempotencyKey: input.idempotencyKey, by: actor, at: time.now())
                return try JSONResponse.json(.ok, ExpireReply(expired: result.rewards.map(\.reference)))
            }
        }
        v1.on(.balance) { _, context in
            try await handle(context, .readLedger) { _, _ in try JSONResponse.json(.ok, try await rewards.ledger.balance()) }
        }
        v1.on(.journal) { _, context in
            try await handle(context, .readLedger) { actor, _ in
                let entries = try await rewards.ledger.journal()
                guard let centre = ledgerScope(actor) else { return try JSONResponse.json(.ok, entries) }
                // A district's supervisor reads the postings of the rewards of its own tips, not the fund's
                // top-ups or other districts' rewards (scoped like `rewards`).
                let mine = Set(try await rewards.ledger.rewards().filter { $0.centre == centre }.map(\.id))
                return try JSONResponse.json(.ok, entries.filter { $0.rewardID.map(mine.contains) ?? false })
            }
        }
        v1.on(.report) { request, context in
            try await handle(context, .readLedger) { actor, _ in
                let year = request.uri.queryParameters.get("year").flatMap(Int.init) ?? CivilTime.chinaYear(time.now())
                var report = try await rewards.ledger.report(year: year)
                if let centre = ledgerScope(actor) {
                    report = LedgerReport(year: report.year, funded: Fen(0), rows: report.rows.filter { $0.centre == centre })
                    return try JSONResponse.json(.ok, ReportReply(csv: report.csv))
                }
                // Remuneration and subsidies by payee type and unit (issue 17), for the whole-ledger readers.
                return try JSONResponse.json(.ok, ReportReply(csv: report.csv, paymentsCSV: try await rewards.ledger.paymentReport(year: year).csv))
            }
        }
        v1.on(.verifyLedger) { _, context in
            try await handle(context, .readLedger) { _, _ in
                var signers: [String: Ed25519PublicKey] = [:]
                for member in try await store.listStaff() {
                    signers[member.keyID] = try? Ed25519PublicKey(rawRepresentation: Array(member.publicKey))
                }
                let verification = try await rewards.ledger.verify(signers: signers)
                return try JSONResponse.json(verification.passed ? .ok : .conflict,
                                              LedgerCheckReply(passed: verification.passed, summary: verification.summary))
            }
        }
    }
}

extension AdminController {
    /// The one centre whose ledger a caller may read, or nil for the whole ledger: accountants and
    /// auditors (their job is the whole fund) and the city's staff see everything; a district's
    /// supervisor sees its own centre's rewards only.
    func ledgerScope(_ actor: StaffActor) -> String? {
        guard actor.member.role == .supervisor else { return nil }
        return actor.member.centre == store.policies.centres.city.id ? nil : actor.member.centre.rawValue
    }
}
