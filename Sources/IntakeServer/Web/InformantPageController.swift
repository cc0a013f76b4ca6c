import Foundation
import Hummingbird
import Logging
import NIOCore
import TiplineCore

/// The informant's page (issue 15, S-4.4): `GET /informant` asks for the code; `POST /informant`
/// opens the informant's reports and the handler's replies; `POST /informant/report` files a report
/// with photos. No JavaScript; the code travels in the form body only (never the URL); the same
/// same-origin check, rate limit, KDF gate and security headers as the tip form and follow-up.
struct InformantPageController: Sendable {
    let desk: InformantDesk
    let limiter: RateLimiter
    let resolver: ClientResolver
    let pages: PageRenderer
    let limits: SecurityPolicy.Limits
    let bodies: BodyLimits
    let logger: Logger

    func register(on router: Router<TiplineRequestContext>) {
        router.get("/informant") { request, _ in pages.informant(PageRenderer.language(of: request)) }
        router.post("/informant") { request, context in await handle(request, context, filing: false) }
        router.post("/informant/report") { request, context in await handle(request, context, filing: true) }
        // A stray GET (a reload after the POST): the code form.
        router.get("/informant/report") { request, _ in pages.informant(PageRenderer.language(of: request)) }
    }

    private func handle(_ request: Request, _ context: TiplineRequestContext, filing: Bool) async -> Response {
        let language = PageRenderer.language(of: request)
        let t = WebStrings.table(language)
        guard SameOriginCheck.allows(request) else {
            return pages.informant(language, status: .forbidden, error: t["cross_site"])
        }
        let lease = bodies.lease()
        defer { lease.release() }
        var opened: InformantDesk.Session?
        var values: [String: String] = [:]
        do {
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let (fields, files) = try await WebController.readForm(request, limits: limits, bodies: bodies, lease: lease)
            values = fields
            guard let code = fields["code"].flatMap(InformantCode.init(normalizing:)) else { throw IntakeError.unknownReceipt }
            if case .limited(let seconds) = await limiter.charge(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let session = try await desk.open(code)
            opened = session
            var notice: String?
            if filing {
                let photos = try EvidenceIntake.sanitize(files, limits: limits)
                let reference = try await desk.file(session, kind: fields["kind"], area: fields["area"], occurredAt: fields["occurred_at"],
                                                    text: fields["text"], photos: photos)
                notice = (t["inf_filed"] ?? "{reference}").replacingOccurrences(of: "{reference}", with: reference)
                values = [:]
            }
            return pages.informant(language, session: session, code: code, reports: try await desk.reports(session),
                                  vouchers: try await desk.vouchers(session), notice: notice)
        } catch let error as IntakeError {
            let refusal = APIError(error)
            var text: String?
            switch error {
            case .invalid(let fields): text = fields.map { PageRenderer.localized($0, t) }.joined(separator: "; ")
            case .unknownReceipt: text = t["inf_unknown_code"]
            default: text = WebController.message(error, t)
            }
            if case .internalFailure(let detail) = error { logger.error("informant page failed", metadata: ["cause": .string(detail)]) }
            var response = pages.informant(language, status: refusal.status, error: text)
            // A refused report with an opened code: the informant's own page again, what they typed kept (never files).
            if let session = opened, let code = values["code"].flatMap(InformantCode.init(normalizing:)),
               let reports = try? await desk.reports(session) {
                response = pages.informant(language, status: refusal.status, session: session, code: code, reports: reports, error: text,
                                           values: values, filesDropped: true)
            }
            if let retry = refusal.retryAfterSeconds { response.headers[.retryAfter] = String(retry) }
            return response
        } catch {
            return pages.informant(language, status: .internalServerError, error: t["failed"])
        }
    }
}
