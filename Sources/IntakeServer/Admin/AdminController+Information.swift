import Foundation
import Hummingbird
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// Information items on the admin listener (issue 15): the server stores sealed items and their
/// signed statements; it never reads an item's title, body or facts.
extension AdminController {
    func registerInformation(on v1: RouterGroup<TiplineRequestContext>) {
        registerCalls(on: v1)
        v1.on(.newItem) { _, context in
            try await handle(context, .newItem) { actor, body in
                try JSONResponse.json(.created, try await store.newItem(try decode(NewItemBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.items) { request, context in
            try await handle(context, .listItems) { actor, _ in
                let query = request.uri.queryParameters
                let period = try query.get("period").map { text in
                    guard let period = ReportingPeriod(text) else {
                        throw APIError(status: .badRequest, code: "invalid", message: "period is 2026-11, 2026-Q2 or 2026")
                    }
                    return period
                }
                return try JSONResponse.json(.ok, try await store.items(for: actor.member, unit: query.get("unit"), kind: query.get("kind"),
                                                                         late: query.get("late") == "1", period: period,
                                                                         limit: try Self.pageLimit(query.get("limit"))))
            }
        }
        v1.on(.item) { _, context in
            try await handle(context, .readItem) { actor, _ in
                try JSONResponse.json(.ok, try await store.readItem(try context.parameters.require("ref"), by: actor, at: time.now()))
            }
        }
        v1.on(.submitItem) { _, context in
            try await handle(context, .submitItem) { actor, _ in
                try JSONResponse.json(.ok, try await store.submitItem(try context.parameters.require("ref"), by: actor, at: time.now()))
            }
        }
        v1.on(.addItemPicture) { _, context in
            try await handle(context, .addItemPicture) { actor, body in
                try JSONResponse.json(.created, try await store.addItemPicture(try context.parameters.require("ref"), try decode(ItemPictureBody.self, body),
                                                                                by: actor, at: time.now()))
            }
        }
        v1.on(.returnItem) { _, context in
            try await handle(context, .returnItem) { actor, body in
                let reason = try decode(ReasonBody.self, body).reason
                return try JSONResponse.json(.ok, try await store.decideItem(try context.parameters.require("ref"), accept: false, reason: reason,
                                                                              by: actor, at: time.now()))
            }
        }
        v1.on(.acceptItem) { _, context in
            try await handle(context, .acceptItem) { actor, _ in
                try JSONResponse.json(.ok, try await store.decideItem(try context.parameters.require("ref"), accept: true, reason: nil,
                                                                       by: actor, at: time.now()))
            }
        }
        v1.on(.zeroReport) { _, context in
            try await handle(context, .zeroReport) { actor, body in
                try await store.zeroReport(try period(try decode(ZeroReportBody.self, body).period), by: actor, at: time.now())
                return try JSONResponse.json(.created, ["filed": true])
            }
        }
        v1.on(.silent) { request, context in
            try await handle(context, .listItems) { _, _ in
                try JSONResponse.json(.ok, try await store.silentNodes(try period(request.uri.queryParameters.get("period") ?? "")))
            }
        }
    }

    func registerCalls(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.openCall) { _, context in
            try await handle(context, .openCall) { actor, body in
                try JSONResponse.json(.created, try await store.openCall(try decode(CallBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.calls) { _, context in
            try await handle(context, .listItems) { _, _ in try JSONResponse.json(.ok, try await store.calls()) }
        }
        v1.on(.researchDuty) { request, context in
            try await handle(context, .listItems) { _, _ in
                guard let year = request.uri.queryParameters.get("year").flatMap(Int.init), (2000...2100).contains(year) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "year is 2000–2100")
                }
                return try JSONResponse.json(.ok, try await store.researchDuty(year: year))
            }
        }
    }

    private func period(_ text: String) throws -> ReportingPeriod {
        guard let period = ReportingPeriod(text) else {
            throw APIError(status: .badRequest, code: "invalid", message: "period is 2026-11, 2026-Q2 or 2026")
        }
        return period
    }
}
