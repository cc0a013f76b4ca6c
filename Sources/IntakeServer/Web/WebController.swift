import Foundation
import Hummingbird
import Logging
import NIOCore
import TiplineCore

/// The no-JavaScript web pages: the tip form, the receipt page and follow-up.
struct WebController: Sendable {
    let intake: IntakeService
    let limiter: RateLimiter
    let resolver: ClientResolver
    let pages: PageRenderer
    let limits: SecurityPolicy.Limits
    let bodies: BodyLimits
    let logger: Logger

    func register(on router: Router<TiplineRequestContext>) {
        router.get("/") { request, _ in pages.form(PageRenderer.language(of: request)) }
        router.post("/report") { request, context in await report(request, context) }
        router.get("/followup") { request, _ in pages.followup(PageRenderer.language(of: request)) }
        router.post("/followup") { request, context in await followup(request, context) }
        router.post("/followup/evidence") { request, context in await addFiles(request, context) }
        // Reached by a stray GET (a bookmark, a reload after a redirect): the follow-up form.
        router.get("/followup/evidence") { request, _ in pages.followup(PageRenderer.language(of: request)) }
        router.get("/static/style.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8"],
                     body: .init(byteBuffer: ByteBuffer(string: Templates.stylesheet)))
        }
    }

    private func report(_ request: Request, _ context: TiplineRequestContext) async -> Response {
        let language = PageRenderer.language(of: request)
        let t = WebStrings.table(language)
        var values: [String: String] = [:]
        var hadFiles = false
        guard SameOriginCheck.allows(request) else {
            return pages.form(language, status: .forbidden, generalError: t["cross_site"])
        }
        let lease = bodies.lease()
        defer { lease.release() }
        do {
            // Refuse an over-limit client before reading its body; count only a valid tip.
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.submission, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let (fields, files) = try await Self.readForm(request, limits: limits, bodies: bodies, lease: lease)
            values = fields
            hadFiles = !files.isEmpty
            var identity: [String: String] = [:]
            for name in ReporterSubmission.fieldNames {
                if let value = fields["reporter_\(name)"], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    identity[name] = value
                }
            }
            let submission = TipSubmission(
                category: fields["category"], district: fields["district"], location: fields["location"],
                occurredAt: fields["occurred_at"], description: fields["description"],
                reporter: identity.isEmpty ? nil : ReporterSubmission(values: identity),
                wantsReward: fields["wants_reward"] == "1")
            let validated: ValidatedTip
            do {
                validated = try submission.validate(policies: pages.policies, now: intake.time.now())
            } catch {
                throw IntakeError.invalid(error.errors)
            }
            let evidence = try EvidenceIntake.sanitize(files, limits: limits)
            if case .limited(let seconds) = await limiter.charge(.submission, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let result = try await intake.submit(validated, evidence: evidence)
            return pages.receipt(language, result: result)
        } catch let error as IntakeError {
            let refusal = APIError(error)
            let (status, fields, retry) = (refusal.status, refusal.fields, refusal.retryAfterSeconds)
            var response: Response
            switch error {
            case .invalid:
                response = pages.form(language, status: status, values: values, errors: fields, filesDropped: hadFiles)
            default:
                if case .internalFailure(let detail) = error { logger.error("submission failed", metadata: ["cause": .string(detail)]) }
                response = pages.form(language, status: status, values: values, generalError: Self.message(error, t),
                                      filesDropped: hadFiles || Self.concernsFiles(error))
            }
            if let retry { response.headers[.retryAfter] = String(retry) }
            return response
        } catch {
            return pages.form(language, status: .internalServerError, values: values, generalError: t["failed"])
        }
    }

    /// Whether the refusal was about the attached files (which were then not read to the end).
    static func concernsFiles(_ error: IntakeError) -> Bool {
        switch error {
        case .tooLarge, .unsupportedMediaType, .conflict: true
        default: false
        }
    }

    static func message(_ error: IntakeError, _ t: [String: String]) -> String? {
        switch error {
        case .busy: t["busy"]
        case .rateLimited: t["limited"]
        case .tooLarge: t["too_large"]
        case .unsupportedMediaType: t["unsupported"]
        case .unknownReceipt: t["unknown_receipt"]
        default: t["failed"]
        }
    }

    /// Reads a form: multipart (text fields and `evidence` files) or urlencoded (without files).
    static func readForm(_ request: Request, limits: SecurityPolicy.Limits, bodies: BodyLimits,
                         lease: BodyLease) async throws(IntakeError) -> ([String: String], [[UInt8]]) {
        switch BodyReader.mediaType(request) {
        case "multipart/form-data":
            guard let boundary = BodyReader.boundary(request) else { throw .invalid([]) }
            let parts = try await BodyReader.streamParts(request, boundary: boundary, limit: limits.maxBodyBytes,
                                                         maxParts: 32 + limits.maxEvidenceFiles,
                                                         maxPartBytes: limits.maxEvidenceBytes, lease: lease, limits: bodies)
            var fields: [String: String] = [:]
            var files: [[UInt8]] = []
            for part in parts {
                if part.name == "evidence" {
                    // An empty file input still sends a part with an empty filename: skip it.
                    if part.body.isEmpty && (part.filename ?? "").isEmpty { continue }
                    files.append(part.body)
                } else {
                    guard part.body.count <= limits.maxJSONBodyBytes else { throw .tooLarge("a field is too large") }
                    guard let text = String(validating: part.body, as: UTF8.self) else {
                        throw .invalid([FieldError(field: part.name, code: "invalid", message: "not valid UTF-8")])
                    }
                    fields[part.name] = text
                }
            }
            return (fields, files)
        case "application/x-www-form-urlencoded":
            let body = try await BodyReader.collect(request, limit: limits.maxJSONBodyBytes, lease: lease, limits: bodies)
            return (FormURLEncoded.parse(body), [])
        default:
            throw .unsupportedMediaType("send the form")
        }
    }

    private func followup(_ request: Request, _ context: TiplineRequestContext) async -> Response {
        let language = PageRenderer.language(of: request)
        let t = WebStrings.table(language)
        guard SameOriginCheck.allows(request) else {
            return pages.followup(language, status: .forbidden, error: t["cross_site"])
        }
        let lease = bodies.lease()
        defer { lease.release() }
        do {
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            guard BodyReader.mediaType(request) == "application/x-www-form-urlencoded" else {
                throw IntakeError.unsupportedMediaType("send the form")
            }
            let body = try await BodyReader.collect(request, limit: limits.maxMessageChars * 12 + 1024, lease: lease, limits: bodies)
            let fields = FormURLEncoded.parse(body)
            guard let receipt = fields["receipt"].flatMap(Receipt.init(normalizing:)) else { throw IntakeError.unknownReceipt }
            if case .limited(let seconds) = await limiter.charge(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            var notice: String?
            if let message = fields["message"], !message.isEmpty {
                _ = try await intake.postMessage(receipt, text: message)
                notice = t["message_sent"]
            }
            let result = try await intake.followup(receipt)
            return pages.followup(language, result: result, receipt: receipt, notice: notice)
        } catch let error as IntakeError {
            let refusal = APIError(error)
            let (status, fields, retry) = (refusal.status, refusal.fields, refusal.retryAfterSeconds)
            let text = fields.isEmpty ? Self.message(error, t) : fields.map { PageRenderer.localized($0, t) }.joined(separator: "; ")
            var response = pages.followup(language, status: status, error: text)
            if let retry { response.headers[.retryAfter] = String(retry) }
            return response
        } catch {
            return pages.followup(language, status: .internalServerError, error: t["failed"])
        }
    }
}

extension WebController {
    /// `POST /followup/evidence` (issue 13 item 10): the reporter adds files after submitting, with the
    /// receipt in the form body (never the URL). The same-origin check and the follow-up rate limit of
    /// `POST /followup`; the files go through the intake's limits and metadata stripper
    /// (`EvidenceIntake.sanitize`) and are sealed and stored by `IntakeService.addEvidence`.
    func addFiles(_ request: Request, _ context: TiplineRequestContext) async -> Response {
        let language = PageRenderer.language(of: request)
        let t = WebStrings.table(language)
        guard SameOriginCheck.allows(request) else {
            return pages.followup(language, status: .forbidden, error: t["cross_site"])
        }
        let lease = bodies.lease()
        defer { lease.release() }
        var receipt: Receipt?
        var charged = false
        do {
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let form = try await AddedFilesForm.read(request, limits: limits, bodies: bodies, lease: lease)
            let files = form.files
            receipt = form.receiptText.flatMap(Receipt.init(normalizing:))
            guard let receipt else { throw IntakeError.unknownReceipt }
            // Counted once the receipt is well-formed: from here on it costs a KDF run.
            if case .limited(let seconds) = await limiter.charge(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            charged = true
            guard !files.isEmpty else {
                throw IntakeError.invalid([FieldError(field: "evidence", code: "required", message: "choose at least one file")])
            }
            let evidence = try EvidenceIntake.sanitize(files, limits: limits)
            let (_, count) = try await intake.addEvidence(receipt, files: evidence)
            let result = try await intake.followup(receipt)
            let notice = (t["files_added"] ?? "").replacingOccurrences(of: "{count}", with: String(evidence.count))
                .replacingOccurrences(of: "{total}", with: String(count))
            return pages.followup(language, result: result, receipt: receipt, notice: notice)
        } catch let error as IntakeError {
            let refusal = APIError(error)
            var text: String?
            switch error {
            case .invalid(let fields): text = fields.map { PageRenderer.localized($0, t) }.joined(separator: "; ")
            case .tooLarge(let what) where what.contains("a tip has at most"): text = t["files_full"]
            case .conflict: text = t["files_closed"]
            default: text = Self.message(error, t)
            }
            var response = pages.followup(language, status: refusal.status, error: text)
            // A refused file with a receipt already paid for: the reporter's own page again, the reason at the top.
            if charged, let receipt, Self.concernsFiles(error) || { if case .invalid = error { true } else { false } }(),
               let result = try? await intake.followup(receipt) {
                response = pages.followup(language, status: refusal.status, result: result, receipt: receipt, error: text)
            }
            if let retry = refusal.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
            return response
        } catch {
            return pages.followup(language, status: .internalServerError, error: t["failed"])
        }
    }
}

/// `application/x-www-form-urlencoded` bodies.
enum FormURLEncoded {
    static func parse(_ buffer: ByteBuffer) -> [String: String] {
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = decode(parts[0])
            let value = parts.count > 1 ? decode(parts[1]) : ""
            if result[key] == nil { result[key] = value }
        }
        return result
    }

    private static func decode(_ text: Substring) -> String {
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
    }
}
