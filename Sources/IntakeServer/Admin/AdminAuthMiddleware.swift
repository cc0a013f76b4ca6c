import Foundation
public import Hummingbird
import NIOCore
import HTTPTypes
import Sealing
import TiplineCore
import TiplineAdminAPI
import TiplineStore

/// Authenticates every admin request by its Ed25519 signature (docs/ADMIN-API.md):
/// unknown or revoked key, bad signature, a timestamp more than 5 minutes off, or a nonce seen
/// before → 401. The body is read here (bounded) because its hash is part of what is signed; its
/// bytes are charged to the server's one body budget (as a large body: the small-body reserve stays
/// for plain tips) and must arrive within the read timeout, like the public listener's bodies
/// (issue 11 #8): 503 with Retry-After when the budget is full, 408 when the body is too slow.
public struct AdminAuthMiddleware: RouterMiddleware {
    /// Both listeners' request context.
    public typealias Context = TiplineRequestContext
    let store: any StaffStore
    let time: any TimeSource
    let maxBodyBytes: Int
    /// The body budget and read timeout shared with the public listener.
    let bodies: BodyLimits
    /// Paths that need no signature (liveness only; `/metrics` is signed, issue 11 #9).
    let openPaths: Set<String>

    init(store: any StaffStore, time: any TimeSource, bodies: BodyLimits, maxBodyBytes: Int = 1 << 20,
         openPaths: Set<String> = [AdminListenerPath.health]) {
        self.store = store
        self.time = time
        self.bodies = bodies
        self.maxBodyBytes = maxBodyBytes
        self.openPaths = openPaths
    }

    /// Checks the request's signature and sets `context.staff`, or answers 401; open paths pass unchecked.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) { return try await next(request, context) }
        var context = context
        // A Result rather than typed-throws catch: the latter crashes this compiler in async code.
        let parsed = Result { () throws(AdminRequestSignature.ParseError) -> AdminRequestSignature in
            try AdminRequestSignature.parse(
                keyID: request.headers[HTTPField.Name(AdminRequestSignature.keyIDHeader)!],
                timestamp: request.headers[HTTPField.Name(AdminRequestSignature.timestampHeader)!],
                nonce: request.headers[HTTPField.Name(AdminRequestSignature.nonceHeader)!],
                signature: request.headers[HTTPField.Name(AdminRequestSignature.signatureHeader)!])
        }
        let signature: AdminRequestSignature
        switch parsed {
        case .success(let value): signature = value
        case .failure(let error):
            return JSONResponse.error(.unauthorized, "unauthenticated", "a signed request is required (\(Self.describe(error)))")
        }
        // Held until the answer is written: the body stays in `context.adminBody` until then.
        let lease = bodies.lease()
        defer { lease.release() }
        let body: ByteBuffer
        do {
            body = try await BodyReader.collect(request, limit: maxBodyBytes, lease: lease, limits: bodies)
        } catch {
            return APIError(error).response()
        }
        let now = time.now()
        guard abs(now - signature.timestamp) <= AdminRequestSignature.allowedSkewSeconds else {
            return JSONResponse.error(.unauthorized, "stale", "the request timestamp is more than 5 minutes from the server's clock")
        }
        guard let member = try await store.staffMember(signature.keyID), member.isActive,
              let key = try? Ed25519PublicKey(rawRepresentation: Array(member.publicKey)) else {
            return JSONResponse.error(.unauthorized, "unknown_key", "unknown or revoked staff key")
        }
        let target = request.uri.query.map { "\(request.uri.path)?\($0)" } ?? request.uri.path
        let redacted = RedactedRequestBody.redact(Array(body.readableBytesView))
        let message = AdminRequestSignature.message(method: request.method.rawValue, target: target, timestamp: signature.timestamp,
                                                    nonce: signature.nonce, redactedBody: redacted)
        guard key.isValidSignature(signature.signature, for: message) else {
            return JSONResponse.error(.unauthorized, "bad_signature", "the signature does not verify")
        }
        guard try await store.recordNonce(keyID: signature.keyID, nonce: signature.nonce, at: now) else {
            return JSONResponse.error(.unauthorized, "replayed", "this request was already received (nonce reused)")
        }
        // Kept with the audit entry: the signed message and the body with every secret field
        // replaced by its hash (security rule 7; docs/AUDIT.md).
        context.staff = StaffActor(member: member, request: Data(SignedAdminRequest.record(message: message, body: redacted)),
                                   signature: Data(signature.signature))
        context.adminBody = body
        return try await next(request, context)
    }

    private static func describe(_ error: AdminRequestSignature.ParseError) -> String {
        switch error {
        case .missing(let header): "missing \(header)"
        case .malformed(let header): "malformed \(header)"
        }
    }
}

