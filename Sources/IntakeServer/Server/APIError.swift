import Foundation
import Hummingbird
import LedgerModel
import Sealing
import TiplineCore
import TiplineStore

/// The one error answer of both listeners (docs/ADMIN-API.md "Errors"):
/// `{"error": {"code", "message", "fields"?}}` with its status and, for 429/503, `Retry-After`.
///
/// A Hummingbird `HTTPResponseError`, so a handler throws it and the router answers; and the one
/// place where what handlers throw (intake refusals, store and ledger refusals, malformed sealed
/// data) becomes a status code. Messages never carry personal data (rule 1): they name fields,
/// references and rules, never values.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let code: String
    let message: String
    var fields: [FieldError] = []
    var retryAfterSeconds: Int? = nil

    init(status: HTTPResponse.Status, code: String, message: String, fields: [FieldError] = [], retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// A public intake refusal.
    init(_ error: IntakeError) {
        switch error {
        case .invalid(let fields): self.init(status: .badRequest, code: "invalid", message: "the request has invalid fields", fields: fields)
        case .tooLarge(let what): self.init(status: .contentTooLarge, code: "too_large", message: what)
        case .unsupportedMediaType(let what): self.init(status: .unsupportedMediaType, code: "unsupported_media_type", message: what)
        case .busy(let seconds):
            self.init(status: .serviceUnavailable, code: "busy", message: "the tip-line is busy; please try again shortly", retryAfterSeconds: seconds)
        case .timeout: self.init(status: .requestTimeout, code: "timeout", message: "the request body did not arrive in time")
        case .rateLimited(let seconds):
            self.init(status: .tooManyRequests, code: "rate_limited", message: "too many requests; please try again later", retryAfterSeconds: seconds)
        case .unknownReceipt: self.init(status: .notFound, code: "unknown_receipt", message: "no tip matches this receipt")
        case .conflict(let what): self.init(status: .conflict, code: "conflict", message: what)
        case .internalFailure: self.init(status: .internalServerError, code: "internal", message: "the tip could not be processed; nothing was stored")
        }
    }

    /// Whatever a handler threw, as an answer: the one mapping of the server.
    init(mapping error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as IntakeError: self.init(error)
        case let error as StoreError:
            switch error {
            case .notFound(let what): self.init(status: .notFound, code: "not_found", message: what)
            case .conflict(let what): self.init(status: .conflict, code: "refused", message: what)
            case .forbidden(let what): self.init(status: .forbidden, code: "forbidden", message: what)
            case .invalid(let what): self.init(status: .badRequest, code: "invalid", message: what)
            default: self.init(status: .internalServerError, code: "internal", message: "the request failed; nothing was changed")
            }
        case let error as LedgerError:
            switch error {
            case .invalidArgument, .overflow, .invalidPolicy: self.init(status: .badRequest, code: "invalid", message: error.description)
            case .roleNotAllowed: self.init(status: .forbidden, code: "forbidden", message: error.description)
            case .unknownVoucher, .unknownPayment: self.init(status: .notFound, code: "not_found", message: error.description)
            case .storage: self.init(status: .internalServerError, code: "internal", message: "the request failed; nothing was changed")
            default: self.init(status: .conflict, code: "refused", message: error.description)
            }
        case let error as SealingError: self.init(status: .badRequest, code: "invalid", message: "malformed sealed data: \(error)")
        default: self.init(status: .internalServerError, code: "internal", message: "the request failed; nothing was changed")
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response() }

    /// The answer, for handlers that return rather than throw.
    func response() -> Response {
        var response = (try? JSONResponse.json(status, ErrorBody(error: .init(code: code, message: message, fields: fields))))
            ?? Response(status: status)
        if let retryAfterSeconds { response.headers[.retryAfter] = String(retryAfterSeconds) }
        return response
    }
}

/// JSON answers of both listeners (sorted keys, no escaped slashes, `Data` as base64).
enum JSONResponse {
    static func json<T: Encodable>(_ status: HTTPResponse.Status, _ value: T) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dataEncodingStrategy = .base64
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
    }

    /// An error answer (`APIError`).
    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        APIError(status: status, code: code, message: message).response()
    }
}
