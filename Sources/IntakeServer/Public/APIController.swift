import Foundation
import Hummingbird
import NIOCore
import TiplineCore
import TiplineStore

/// The JSON API of the public listener (documented in openapi.yaml).
struct APIController: Sendable {
    let intake: IntakeService
    let limiter: RateLimiter
    let resolver: ClientResolver
    let limits: SecurityPolicy.Limits
    let bodies: BodyLimits
    let serverKeyID: String

    func register(on router: Router<TiplineRequestContext>) {
        router.post("/api/v1/tips") { request, context in try await self.submit(request, context) }
        router.post("/api/v1/followup") { request, context in try await self.followup(request, context) }
        router.post("/api/v1/followup/messages") { request, context in try await self.message(request, context) }
        router.post("/api/v1/followup/evidence") { request, context in try await self.addEvidence(request, context) }
    }

    private func submit(_ request: Request, _ context: TiplineRequestContext) async throws -> Response {
        let lease = bodies.lease()
        defer { lease.release() }
        do {
            // Refuse an over-limit client before reading its body; count only a valid tip.
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.submission, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let (tip, files) = try await readTip(request, lease: lease)
            let validated: ValidatedTip
            do {
                validated = try tip.validate(policies: intake.policies, now: intake.time.now())
            } catch {
                throw IntakeError.invalid(error.errors)
            }
            let evidence = try EvidenceIntake.sanitize(files, limits: limits)
            if case .limited(let seconds) = await limiter.charge(.submission, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let result = try await intake.submit(validated, evidence: evidence)
            let body = TipCreatedResponse(
                reference: result.stored.reference.rawValue, receipt: result.receipt.grouped,
                receivedAt: ISO8601.string(fromSeconds: result.stored.receivedAt),
                proof: Data(result.stored.proof).base64EncodedString(),
                submissionHash: Hex.encode(result.stored.submissionHash), serverKeyID: serverKeyID,
                proofStatement: String(decoding: ProofOfReport.message(reference: result.stored.reference, receivedAt: result.stored.receivedAt,
                                                                       submissionHash: result.stored.submissionHash), as: UTF8.self),
                receivedAtChina: ISO8601.chinaString(fromSeconds: result.stored.receivedAt))
            return try JSONResponse.json(.created, body)
        } catch let error as IntakeError {
            return APIError(error).response()
        }
    }

    /// Reads a tip from JSON or from multipart (`tip` JSON part + `evidence` file parts).
    private func readTip(_ request: Request, lease: BodyLease) async throws(IntakeError) -> (TipSubmission, [[UInt8]]) {
        let mediaType = BodyReader.mediaType(request)
        switch mediaType {
        case "application/json":
            let body = try await BodyReader.collect(request, limit: limits.maxJSONBodyBytes, lease: lease, limits: bodies)
            return (try JSONInput.decode(TipSubmission.self, from: body), [])
        case "multipart/form-data":
            guard let boundary = BodyReader.boundary(request) else {
                throw .invalid([FieldError(field: "body", code: "invalid", message: "multipart body without a boundary")])
            }
            let parts = try await BodyReader.streamParts(request, boundary: boundary, limit: limits.maxBodyBytes,
                                                         maxParts: limits.maxEvidenceFiles + 2,
                                                         maxPartBytes: limits.maxEvidenceBytes, lease: lease, limits: bodies)
            var tip: TipSubmission?
            var files: [[UInt8]] = []
            for part in parts {
                switch part.name {
                case "tip":
                    guard tip == nil else { throw .invalid([FieldError(field: "tip", code: "invalid", message: "only one tip part")]) }
                    guard part.body.count <= limits.maxJSONBodyBytes else { throw .tooLarge("the tip part is too large") }
                    tip = try JSONInput.decode(TipSubmission.self, from: ByteBuffer(bytes: part.body))
                case "evidence":
                    files.append(part.body)
                    if files.count > limits.maxEvidenceFiles { throw .tooLarge("at most \(limits.maxEvidenceFiles) evidence files") }
                default:
                    throw .invalid([FieldError(field: String(part.name.prefix(64)), code: "unknown_field", message: "unknown part")])
                }
            }
            guard let tip else { throw .invalid([FieldError(field: "tip", code: "required", message: "the tip part is missing")]) }
            return (tip, files)
        default:
            throw .unsupportedMediaType("send application/json or multipart/form-data")
        }
    }

    private func followup(_ request: Request, _ context: TiplineRequestContext) async throws -> Response {
        let lease = bodies.lease()
        defer { lease.release() }
        do {
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            try requireJSON(request)
            let body = try await BodyReader.collect(request, limit: 4096, lease: lease, limits: bodies)
            let input = try JSONInput.decode(FollowupRequest.self, from: body)
            guard let receipt = Receipt(normalizing: input.receipt) else { throw IntakeError.unknownReceipt }
            // Counted once the receipt is well-formed: from here on it costs a KDF run.
            if case .limited(let seconds) = await limiter.charge(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let result = try await intake.followup(receipt)
            var response = FollowupResponse(
                found: true, reference: result.reference.rawValue,
                receivedAt: ISO8601.string(fromSeconds: result.receivedAt),
                status: result.status.publicStatus.rawValue, statusLabel: result.status.publicStatus.label(.zh),
                messages: result.messages.map {
                    .init(author: $0.author, at: ISO8601.string(fromSeconds: $0.createdAt), text: $0.text)
                },
                reward: result.reward.map { reward in
                    var body = FollowupResponse.Reward(reward)
                    body.note = PageRenderer.rewardNote(reward, result, WebStrings.zh)
                    return body
                })
            response.unreadableMessages = result.unreadableMessages
            response.statusExplanation = result.publicStatus.explanation(.zh)
            if let outcome = result.resolution?.publicStatus, outcome != .concluded {
                response.outcome = outcome.rawValue
                response.outcomeLabel = outcome.label(.zh)
            }
            response.centre = result.centre.map {
                .init(id: $0.id.rawValue, name: $0.nameZh, nameEn: $0.nameEn, address: $0.addressZh, addressEn: $0.addressEn)
            }
            response.files = result.files
            response.filesAllowed = result.filesAllowed
            return try JSONResponse.json(.ok, response)
        } catch IntakeError.unknownReceipt {
            // Same shape as a hit; the KDF already ran, so the timing matches too.
            return (try? JSONResponse.json(.notFound, FollowupResponse(
                found: false, reference: nil, receivedAt: nil, status: nil, statusLabel: nil, messages: [], reward: nil)))
                ?? Response(status: .notFound)
        } catch let error as IntakeError {
            return APIError(error).response()
        }
    }

    private func message(_ request: Request, _ context: TiplineRequestContext) async throws -> Response {
        let lease = bodies.lease()
        defer { lease.release() }
        do {
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            try requireJSON(request)
            let body = try await BodyReader.collect(request, limit: limits.maxMessageChars * 4 + 1024, lease: lease, limits: bodies)
            let input = try JSONInput.decode(MessageRequest.self, from: body)
            guard let receipt = Receipt(normalizing: input.receipt) else { throw IntakeError.unknownReceipt }
            if case .limited(let seconds) = await limiter.charge(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let reference = try await intake.postMessage(receipt, text: input.text)
            return try JSONResponse.json(.created, ["reference": reference.rawValue, "status": "sent"])
        } catch let error as IntakeError {
            return APIError(error).response()
        }
    }

    /// `POST /api/v1/followup/evidence` (issue 13 item 10): multipart with one `receipt` part (text) and
    /// `evidence` file parts; the same limits, stripping and sealing as intake (`IntakeService.addEvidence`).
    private func addEvidence(_ request: Request, _ context: TiplineRequestContext) async throws -> Response {
        let lease = bodies.lease()
        defer { lease.release() }
        do {
            let client = context.clientKey(request, resolver)
            if case .limited(let seconds) = await limiter.peek(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let form = try await AddedFilesForm.read(request, limits: limits, bodies: bodies, lease: lease)
            let files = form.files
            guard let receiptText = form.receiptText else { throw IntakeError.invalid([FieldError(field: "receipt", code: "required", message: "required")]) }
            guard let receipt = Receipt(normalizing: receiptText) else { throw IntakeError.unknownReceipt }
            guard !files.isEmpty else {
                throw IntakeError.invalid([FieldError(field: "evidence", code: "required", message: "at least one evidence part")])
            }
            let evidence = try EvidenceIntake.sanitize(files, limits: limits)
            if case .limited(let seconds) = await limiter.charge(.followup, client: client) {
                throw IntakeError.rateLimited(retryAfterSeconds: seconds)
            }
            let (reference, count) = try await intake.addEvidence(receipt, files: evidence)
            return try JSONResponse.json(.created, AddedEvidenceResponse(reference: reference.rawValue, added: evidence.count, files: count))
        } catch let error as IntakeError {
            return APIError(error).response()
        }
    }

    private func requireJSON(_ request: Request) throws(IntakeError) {
        guard BodyReader.mediaType(request) == "application/json" else {
            throw .unsupportedMediaType("send application/json")
        }
    }
}

/// Decoding of untrusted JSON into request types, with errors that never quote the input.
enum JSONInput {
    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws(IntakeError) -> T {
        try decode(from: buffer) { try JSONDecoder().decode(type, from: $0) }
    }

    static func decode<T: StrictBody>(_ type: T.Type, from buffer: ByteBuffer) throws(IntakeError) -> T {
        try decode(from: buffer) { try T.decodeStrictly(from: $0) }
    }

    private static func decode<T>(from buffer: ByteBuffer, _ body: (Data) throws -> T) throws(IntakeError) -> T {
        let bytes = Data(buffer.readableBytesView)
        guard String(data: bytes, encoding: .utf8) != nil else {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "the body is not valid UTF-8")])
        }
        do {
            try JSONDuplicateKeys.check(bytes)
            return try body(bytes)
        } catch let error as DuplicateKeyError {
            throw .invalid([FieldError(field: error.field, code: "duplicate_field", message: "this field is given more than once")])
        } catch let error as UnknownFieldError {
            throw .invalid([FieldError(field: error.field, code: "unknown_field", message: "this field is not part of the API")])
        } catch let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context) {
            throw .invalid([FieldError(field: context.codingPath.map(\.stringValue).joined(separator: "."),
                                       code: "invalid", message: "wrong type")])
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath + [key]).map(\.stringValue).joined(separator: ".")
            throw .invalid([FieldError(field: path, code: "required", message: "required")])
        } catch {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "the body is not valid JSON")])
        }
    }
}
