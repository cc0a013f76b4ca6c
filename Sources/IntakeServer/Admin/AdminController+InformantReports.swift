import Foundation
import Hummingbird
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// Informant reports on the admin listener (issue 15): lists, audited reads, the handler's sealed
/// replies, and a report turned into a tip (channel `informant`, no identity).
extension AdminController {
    func registerInformantReports(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.informantReports) { request, context in
            try await handle(context, .listReports) { actor, _ in
                try JSONResponse.json(.ok, try await store.informantReports(for: actor.member,
                                                                             limit: try Self.pageLimit(request.uri.queryParameters.get("limit"))))
            }
        }
        v1.on(.informantReport) { _, context in
            try await handle(context, .readReport) { actor, _ in
                try JSONResponse.json(.ok, try await store.readInformantReport(try context.parameters.require("ref"), by: actor, at: time.now()))
            }
        }
        v1.on(.replyReport) { _, context in
            try await handle(context, .replyReport) { actor, body in
                try JSONResponse.json(.created, try await store.replyToInformant(try context.parameters.require("ref"),
                                                                                  try decode(InformantReplyBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.reportToTip) { _, context in
            try await handle(context, .reportToTip) { actor, body in
                let input = try decode(RecordTipBody.self, body)
                guard input.channel == TipChannel.informant.rawValue else {
                    throw APIError(status: .badRequest, code: "invalid", message: "a report becomes a tip of channel informant",
                                   fields: [FieldError(field: "channel", code: "invalid", message: "must be informant")])
                }
                guard input.identity.fields.isEmpty else {
                    throw APIError(status: .badRequest, code: "invalid", message: "a tip from an informant's report carries no identity",
                                   fields: [FieldError(field: "identity", code: "invalid", message: "no identity fields")])
                }
                let reference = try context.parameters.require("ref")
                let store = self.store
                return try await record(input, channel: .informant) { newTip in try await store.recordTip(newTip, fromReport: reference, by: actor) }
            }
        }
    }
}
