import Foundation
import Hummingbird
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The city desk on the admin listener (issue 16): versions, adoptions and their statistics, bulletins.
extension AdminController {
    func registerCityDesk(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.editItem) { _, context in
            try await handle(context, .editItem) { actor, body in
                try JSONResponse.json(.created, try await store.editItem(try context.parameters.require("ref"), try decode(EditItemBody.self, body),
                                                                          by: actor, at: time.now()))
            }
        }
        v1.on(.adoptItem) { _, context in
            try await handle(context, .adoptItem) { actor, body in
                try JSONResponse.json(.created, try await store.adoptItem(try context.parameters.require("ref"), try decode(AdoptBody.self, body),
                                                                           by: actor, at: time.now()))
            }
        }
        v1.on(.adoption) { request, context in
            try await handle(context, .readAdoption) { _, _ in
                let query = request.uri.queryParameters
                guard let period = query.get("period").flatMap(ReportingPeriod.init) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "period is 2026-11, 2026-Q2 or 2026")
                }
                return try JSONResponse.json(.ok, try await store.adoption(period: period, by: query.get("by") ?? "unit"))
            }
        }
        v1.on(.bulletins) { request, context in
            try await handle(context, .listBulletins) { _, _ in
                try JSONResponse.json(.ok, try await store.bulletins(limit: try Self.pageLimit(request.uri.queryParameters.get("limit"))))
            }
        }
        v1.on(.newBulletin) { _, context in
            try await handle(context, .newBulletin) { actor, body in
                try JSONResponse.json(.created, try await store.newBulletin(try decode(NewBulletinBody.self, body).type, by: actor, at: time.now()))
            }
        }
        v1.on(.bulletin) { _, context in
            try await handle(context, .listBulletins) { _, _ in
                try JSONResponse.json(.ok, try await store.bulletin(try context.parameters.require("id")))
            }
        }
        v1.on(.addToBulletin) { _, context in
            try await handle(context, .addToBulletin) { actor, body in
                try JSONResponse.json(.created, try await store.addToBulletin(try context.parameters.require("id"), try decode(BulletinItemBody.self, body),
                                                                               by: actor, at: time.now()))
            }
        }
        v1.on(.publishBulletin) { _, context in
            try await handle(context, .publishBulletin) { actor, body in
                try JSONResponse.json(.ok, try await store.publishBulletin(try context.parameters.require("id"), try decode(PublishBulletinBody.self, body),
                                                                            by: actor, at: time.now()))
            }
        }
        v1.on(.bulletinDocument) { _, context in
            try await handle(context, .readBulletin) { actor, _ in
                try JSONResponse.json(.ok, try await store.bulletinDocument(try context.parameters.require("id"), by: actor, at: time.now()))
            }
        }
    }
}
