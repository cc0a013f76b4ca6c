public import Hummingbird
public import HTTPTypes

/// Adds the hardening headers of the intake issue to every response, errors included,
/// and refuses TRACE (and other methods we never serve) with 405.
public struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The headers set on every response: HSTS, `no-store`, CSP, framing, referrer and permissions policies.
    public static var headers: [(HTTPField.Name, String)] {
        [
            (.strictTransportSecurity, "max-age=31536000; includeSubDomains"),
            (.cacheControl, "no-store"),
            (HTTPField.Name("Referrer-Policy")!, "no-referrer"),
            (.contentSecurityPolicy,
             "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
            (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
            (HTTPField.Name("X-Frame-Options")!, "DENY"),
            (HTTPField.Name("Cross-Origin-Opener-Policy")!, "same-origin"),
            (HTTPField.Name("Cross-Origin-Resource-Policy")!, "same-origin"),
            (HTTPField.Name("Permissions-Policy")!, "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ]
    }

    /// The middleware.
    public init() {}

    /// Answers methods other than GET, HEAD and POST with 405; otherwise passes the request on, then sets `headers`.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        if ![.get, .head, .post].contains(request.method) {
            response = Response(status: .methodNotAllowed, headers: [.allow: "GET, HEAD, POST"])
        } else {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                response = try error.response(from: request, context: context)
            }
        }
        for (name, value) in Self.headers { response.headers[name] = value }
        return response
    }
}
