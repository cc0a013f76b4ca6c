import Foundation
import Hummingbird
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The yearly assessment on the admin listener (issue 17, S-3.5, S-6.3): the draft or frozen results,
/// a frozen year's ranking, adjustments and the freeze.
extension AdminController {
    func registerAssessment(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.assessment) { _, context in
            try await handle(context, .readAssessment) { _, _ in
                try JSONResponse.json(.ok, try await store.assessment(year: try Self.year(context), at: time.now()))
            }
        }
        v1.on(.frozenAssessment) { _, context in
            try await handle(context, .readAssessment) { _, _ in
                try JSONResponse.json(.ok, try await store.frozenRanking(year: try Self.year(context)))
            }
        }
        v1.on(.adjustAssessment) { _, context in
            try await handle(context, .adjustAssessment) { actor, body in
                try JSONResponse.json(.created, try await store.adjustAssessment(try decode(AdjustAssessmentBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.freezeAssessment) { _, context in
            try await handle(context, .freezeAssessment) { actor, body in
                try JSONResponse.json(.created, try await store.freezeAssessment(try decode(FreezeAssessmentBody.self, body), by: actor, at: time.now()))
            }
        }
    }

    /// The `:year` parameter: four digits.
    static func year(_ context: TiplineRequestContext) throws -> Int {
        guard let text = context.parameters.get("year"), text.utf8.count == 4, let year = Int(text), AssessmentScoring.isValidYear(year) else {
            throw APIError(status: .badRequest, code: "invalid", message: "the year is 2016–2100")
        }
        return year
    }
}
