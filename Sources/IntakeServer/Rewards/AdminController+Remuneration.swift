import Accounting
import LedgerModel
import Foundation
import Hummingbird
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The remuneration and subsidy routes of the admin API (issue 17).
extension AdminController {
    var remuneration: RemunerationDesk { RemunerationDesk(ledger: rewards.ledger, store: store) }

    func registerRemuneration(on v1: RouterGroup<TiplineRequestContext>) {
        registerSubsidies(on: v1)
        v1.on(.remunerationPending) { request, context in
            try await handle(context, .readPayments) { _, _ in
                let year = request.uri.queryParameters.get("year").flatMap(Int.init)
                let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 1_000
                guard (1...5_000).contains(limit) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "limit: 1 to 5000")
                }
                return try JSONResponse.json(.ok, try await remuneration.pending(year: year, limit: limit))
            }
        }
        v1.on(.proposeRemuneration) { _, context in
            try await handle(context, .proposeRemuneration) { actor, body in
                let input = try decode(KeyBody.self, body)
                let payment = try await remuneration.propose(try context.parameters.require("ref"), idempotencyKey: input.idempotencyKey,
                                                             by: actor, at: time.now())
                return try JSONResponse.json(.created, payment)
            }
        }
        v1.on(.payments) { _, context in
            try await handle(context, .readPayments) { _, _ in try JSONResponse.json(.ok, try await rewards.ledger.payments()) }
        }
        v1.on(.approvePayment) { _, context in
            try await handle(context, .approvePayment) { actor, body in
                let input = try decode(KeyBody.self, body)
                let payment = try await remuneration.approve(try paymentID(context), idempotencyKey: input.idempotencyKey, by: actor, at: time.now())
                return try JSONResponse.json(.ok, payment)
            }
        }
        v1.on(.declinePayment) { _, context in
            // An approver declines (the audit entry is the approver's action, like a reward's decline).
            try await handle(context, .approvePayment) { actor, body in
                let input = try decode(KeyBody.self, body)
                return try JSONResponse.json(.ok, try await remuneration.decline(try paymentID(context), idempotencyKey: input.idempotencyKey,
                                                                                 by: actor, at: time.now()))
            }
        }
        v1.on(.payPayment) { _, context in
            try await handle(context, .payPayment) { actor, body in
                let input = try decode(KeyBody.self, body)
                return try JSONResponse.json(.ok, try await remuneration.pay(try paymentID(context), idempotencyKey: input.idempotencyKey,
                                                                             by: actor, at: time.now()))
            }
        }
    }

    func registerSubsidies(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.proposeSubsidies) { _, context in
            try await handle(context, .proposeSubsidy) { actor, body in
                let input = try decode(ProposeSubsidiesBody.self, body)
                guard (2016...2100).contains(input.year) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "year: 2016 to 2100")
                }
                let payments = try await remuneration.proposeSubsidies(year: input.year, idempotencyKey: input.idempotencyKey,
                                                                       by: actor, at: time.now())
                return try JSONResponse.json(.created, payments)
            }
        }
    }

    func paymentID(_ context: TiplineRequestContext) throws -> Int64 {
        guard let id = Int64(try context.parameters.require("id")), id > 0 else {
            throw APIError(status: .badRequest, code: "invalid", message: "a payment id is a positive number")
        }
        return id
    }
}
