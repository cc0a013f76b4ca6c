import Foundation
import Hummingbird
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// The seven ledgers on the admin listener (issue 16, S-5.4): the server stores sealed record versions
/// and checks who writes and to whom they are sealed; it never reads a record's values or names.
extension AdminController {
    func registerBooks(on v1: RouterGroup<TiplineRequestContext>) {
        v1.on(.books) { _, context in
            // The definitions are policy, nothing secret: every staff member reads them (handlers and identity holders too).
            try await handle(context, nil) { _, _ in try JSONResponse.json(.ok, store.policies.ledgers) }
        }
        v1.on(.addRecord) { _, context in
            try await handle(context, .addRecord) { actor, body in
                try JSONResponse.json(.created, try await store.addRecord(book: try context.parameters.require("book"),
                                                                           try decode(RecordBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.editRecord) { _, context in
            try await handle(context, .editRecord) { actor, body in
                try JSONResponse.json(.created, try await store.editRecord(try context.parameters.require("record"),
                                                                            try decode(RecordBody.self, body), by: actor, at: time.now()))
            }
        }
        v1.on(.openRecords) { _, context in
            try await handle(context, .readRecords) { actor, body in
                let filter = try store.recordFilter(try decode(OpenRecordsBody.self, body), for: actor.member)
                return try JSONResponse.json(.ok, try await store.openRecords(book: try context.parameters.require("book"), filter, by: actor, at: time.now()))
            }
        }
        v1.on(.recordNames) { _, context in
            try await handle(context, .readRecordNames) { actor, body in
                try JSONResponse.json(.ok, try await store.recordNames(try context.parameters.require("record"),
                                                                        reason: try decode(RecordNamesBody.self, body).reason, by: actor, at: time.now()))
            }
        }
        v1.on(.bookZeroReport) { _, context in
            try await handle(context, .bookZeroReport) { actor, body in
                let text = try decode(BookZeroReportBody.self, body).period
                guard let period = ReportingPeriod(text) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "period is 2026-11, 2026-Q2 or 2026")
                }
                try await store.bookZeroReport(book: try context.parameters.require("book"), period: period, by: actor, at: time.now())
                return try JSONResponse.json(.created, ["filed": true])
            }
        }
        v1.on(.bookCompleteness) { request, context in
            try await handle(context, .listBooks) { actor, _ in
                guard let period = request.uri.queryParameters.get("period").flatMap(ReportingPeriod.init) else {
                    throw APIError(status: .badRequest, code: "invalid", message: "period is 2026-11, 2026-Q2 or 2026")
                }
                return try JSONResponse.json(.ok, try await store.bookCompleteness(period, for: actor.member))
            }
        }
        v1.on(.tipLeads) { request, context in
            try await handle(context, .listBooks) { actor, _ in
                let query = request.uri.queryParameters
                let period = try query.get("period").map { text in
                    guard let period = ReportingPeriod(text) else {
                        throw APIError(status: .badRequest, code: "invalid", message: "period is 2026-11, 2026-Q2 or 2026")
                    }
                    return period
                }
                return try JSONResponse.json(.ok, try await store.tipLeads(period: period, for: actor.member,
                                                                            limit: try Self.pageLimit(query.get("limit")), after: query.get("after")))
            }
        }
    }
}
