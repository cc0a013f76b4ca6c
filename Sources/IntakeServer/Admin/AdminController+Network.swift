import Foundation
import Hummingbird
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The reporting network's registry on the admin listener (issue 14, docs/NETWORK.md): units,
/// liaisons, trainings, areas, coverage and informants. The server stores informant identities
/// sealed; it never sees them in clear.
extension AdminController {
    func registerNetwork(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.units) { _, context in
            try await handle(context, .readNetwork) { _, _ in try JSONResponse.json(.ok, try await store.unitSummaries()) }
        }
        v1.on(.unit) { _, context in
            try await handle(context, .readNetwork) { _, _ in
                try JSONResponse.json(.ok, try await store.unitDetail(try context.parameters.require("unit")))
            }
        }
        v1.on(.setUnitLeaders) { _, context in
            try await handle(context, .setUnitLeaders) { actor, body in
                try await store.setUnitLeaders(try context.parameters.require("unit"), try decode(UnitLeadersBody.self, body), by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["recorded": true])
            }
        }
        v1.on(.unitSelfCheck) { _, context in
            try await handle(context, .unitSelfCheck) { actor, body in
                try await store.recordSelfCheck(try context.parameters.require("unit"), try decode(UnitSelfCheckBody.self, body), by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["recorded": true])
            }
        }
        v1.on(.liaisons) { _, context in
            try await handle(context, .readNetwork) { _, _ in try JSONResponse.json(.ok, try await store.liaisons()) }
        }
        v1.on(.recordLiaison) { _, context in
            try await handle(context, .recordLiaison) { actor, body in
                try await store.recordLiaison(try context.parameters.require("key"), try decode(LiaisonRecordBody.self, body), by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["recorded": true])
            }
        }
        v1.on(.addTraining) { _, context in
            try await handle(context, .addTraining) { actor, body in
                let id = try await store.addTraining(try decode(TrainingBody.self, body), by: actor, at: time.now())
                return try JSONResponse.json(.created, ["training": id])
            }
        }
        v1.on(.areas) { request, context in
            try await handle(context, .readNetwork) { _, _ in
                try JSONResponse.json(.ok, try await store.areas(district: request.uri.queryParameters.get("district")))
            }
        }
        v1.on(.importAreas) { _, context in
            try await handle(context, .importAreas) { actor, body in
                try JSONResponse.json(.ok, try await store.importAreas(try decode(AreasImportBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.coverage) { request, context in
            try await handle(context, .readNetwork) { actor, _ in
                // A district office's staff see their own district; the city and the other units see every district.
                let own = store.ownDistrict(of: actor.member)?.rawValue
                let asked = request.uri.queryParameters.get("district")
                if let own, let asked, asked != own { throw APIError(status: .forbidden, code: "forbidden", message: "a district office sees its own coverage") }
                return try JSONResponse.json(.ok, try await store.coverage(district: asked ?? own))
            }
        }
        v1.on(.informants) { request, context in
            try await handle(context, .readInformants) { actor, _ in
                let query = request.uri.queryParameters
                let status = try query.get("status").map { text in
                    guard let status = InformantStatus(rawValue: text) else {
                        throw APIError(status: .badRequest, code: "invalid", message: "status is active, suspended or retired")
                    }
                    return status
                }
                let overdue = query.get("overdue") == "1" ? CivilDate.today(at: time.now()) : nil
                return try JSONResponse.json(.ok, try await store.informants(for: actor.member, status: status, overdueOn: overdue,
                                                                              limit: try Self.pageLimit(query.get("limit"))))
            }
        }
        v1.on(.registerInformant) { _, context in
            try await handle(context, .registerInformant) { actor, body in
                try JSONResponse.json(.created, try await store.registerInformant(try decode(InformantRegistration.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.informant) { _, context in
            try await handle(context, .readInformants) { actor, _ in
                try JSONResponse.json(.ok, try await store.informantDetail(try pseudonym(context), for: actor.member))
            }
        }
        v1.on(.changeInformant) { _, context in
            try await handle(context, .changeInformant) { actor, body in
                try JSONResponse.json(.ok, try await store.changeInformant(try pseudonym(context), try decode(InformantStatusBody.self, body),
                                                                          by: actor, at: time.now()))
            }
        }
        v1.on(.reviewInformant) { _, context in
            try await handle(context, .reviewInformant) { actor, body in
                try JSONResponse.json(.created, try await store.reviewInformant(try pseudonym(context), try decode(InformantReviewBody.self, body),
                                                                               by: actor, at: time.now()))
            }
        }
        v1.on(.reissueInformantCode) { _, context in
            try await handle(context, .reissueInformantCode) { actor, body in
                try JSONResponse.json(.ok, try await store.reissueInformantCode(try pseudonym(context), try decode(InformantCodeBody.self, body),
                                                                               by: actor, at: time.now()))
            }
        }
        v1.on(.requestInformantUnseal) { _, context in
            try await handle(context, .requestInformantUnseal) { actor, body in
                try JSONResponse.json(.accepted, try await store.requestInformantUnseal(try pseudonym(context), reason: try decode(ReasonBody.self, body).reason,
                                                                                       by: actor, at: time.now()))
            }
        }
        v1.on(.approveInformantUnseal) { _, context in
            try await handle(context, .approveInformantUnseal) { actor, body in
                try await store.approveInformantUnseal(try pseudonym(context), try decode(UnsealApprovalBody.self, body), by: actor, at: time.now())
                return try JSONResponse.json(.ok, ["approved": true])
            }
        }
        v1.on(.unsealInformant) { _, context in
            try await handle(context, .unsealInformant) { actor, body in
                try JSONResponse.json(.ok, try await store.unsealInformant(try pseudonym(context), reason: try decode(ReasonBody.self, body).reason,
                                                                          by: actor, at: time.now()))
            }
        }
    }

    /// The `:pseudonym` parameter as typed (`nm-7`, full-width dash…), normalised; 404 when it cannot be one.
    private func pseudonym(_ context: TiplineRequestContext) throws -> String {
        guard let pseudonym = Pseudonym(try context.parameters.require("pseudonym")) else {
            throw APIError(status: .notFound, code: "not_found", message: "not found: informant")
        }
        return pseudonym.rawValue
    }
}
