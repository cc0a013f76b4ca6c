import Hummingbird
import MultipartKit
package import NIOCore
import TiplineCore

/// One part of a multipart body.
package struct FormPart: Sendable {
    /// The part's form field name.
    package let name: String
    /// The file name the client sent, for a file part.
    package let filename: String?
    /// The part's bytes.
    package let body: [UInt8]
}

/// Reads request bodies within their bounds (rule 5): the limit is enforced while reading,
/// so a 100 MiB body is refused after at most `limit` bytes, never buffered whole. Every byte held
/// is charged to the request's `BodyLease` (global budget, 503 when exhausted) and the whole body
/// must arrive within `BodyLimits.readTimeout` (408 otherwise).
package enum BodyReader {
    static func collect(_ request: Request, limit: Int, lease: BodyLease, limits: BodyLimits) async throws(IntakeError) -> ByteBuffer {
        var buffer = ByteBuffer()
        try await stream(request, limit: limit, lease: lease, limits: limits) { chunk throws(IntakeError) in
            buffer.writeImmutableBuffer(chunk)
        }
        return buffer
    }

    /// Feeds the body to `consume` chunk by chunk, charging each chunk before it is handed on.
    static func stream(_ request: Request, limit: Int, lease: BodyLease, limits: BodyLimits,
                       _ consume: (ByteBuffer) throws(IntakeError) -> Void) async throws(IntakeError) {
        let small = limit <= limits.smallBodyBytes
        if let length = request.headers[.contentLength].flatMap(Int.init) {
            if length > limit { throw .tooLarge("the request body is larger than \(limit) bytes") }
            // Admission: refuse at once a body that could not fit now.
            if !lease.budget.fits(length, small: small) { throw .busy(retryAfterSeconds: limits.retryAfterSeconds) }
        }
        let deadline = ContinuousClock.now + limits.readTimeout
        var received = 0
        var failure: IntakeError?
        do {
            for try await chunk in request.body {
                received += chunk.readableBytes
                if received > limit { failure = .tooLarge("the request body is larger than \(limit) bytes"); break }
                if ContinuousClock.now > deadline { failure = .timeout; break }
                guard lease.take(chunk.readableBytes, small: small) else {
                    failure = .busy(retryAfterSeconds: limits.retryAfterSeconds)
                    break
                }
                // A Result rather than a typed-throws catch (the latter crashes this compiler in async code).
                if case .failure(let error) = Result(catching: { () throws(IntakeError) in try consume(chunk) }) {
                    failure = error
                    break
                }
            }
        } catch {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "the request body could not be read")])
        }
        if let failure { throw failure }
    }

    /// Reads a multipart body part by part: only the parts' bytes are held (charged to `lease`),
    /// never a second copy of the whole body.
    static func streamParts(_ request: Request, boundary: String, limit: Int, maxParts: Int, maxPartBytes: Int,
                            lease: BodyLease, limits: BodyLimits) async throws(IntakeError) -> [FormPart] {
        let parser = try PartsParser(boundary: boundary, maxParts: maxParts, maxPartBytes: maxPartBytes)
        try await stream(request, limit: limit, lease: lease, limits: limits) { chunk throws(IntakeError) in
            try parser.feed(chunk)
        }
        return try parser.finish()
    }

    /// The media type without parameters, lowercased.
    static func mediaType(_ request: Request) -> String {
        (request.headers[.contentType] ?? "").split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
    }

    /// The multipart boundary of the request, if its media type is multipart/form-data.
    static func boundary(_ request: Request) -> String? {
        guard let header = request.headers[.contentType] else { return nil }
        for parameter in header.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return isValidBoundary(value) ? value : nil
            }
        }
        return nil
    }

    /// Splits a multipart body into at most `maxParts` parts of at most `maxPartBytes` each.
    package static func parts(_ body: ByteBuffer, boundary: String, maxParts: Int, maxPartBytes: Int) throws(IntakeError) -> [FormPart] {
        let parser = try PartsParser(boundary: boundary, maxParts: maxParts, maxPartBytes: maxPartBytes)
        let chunkSize = 65_536
        var offset = 0
        while offset < body.readableBytes {
            let length = min(chunkSize, body.readableBytes - offset)
            try parser.feed(body.getSlice(at: body.readerIndex + offset, length: length)!)
            offset += length
        }
        return try parser.finish()
    }

    /// 1 to 70 printable ASCII characters (RFC 2046 allows a subset of these).
    static func isValidBoundary(_ boundary: String) -> Bool {
        (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }
}

/// An incremental multipart parser: chunks in, parts out, bounded.
///
/// MultipartKit 4.7.1 (the last 4.x) looks every byte of a part's header *name* up in a
/// 128-entry table, so a byte >= 0x80 there is an out-of-bounds trap that stops the whole
/// server (found by Fuzz/FuzzMultipart; Fuzz/regressions/FuzzMultipart/). So every chunk first
/// goes through a probe parser, on a copy with every such byte replaced by DEL (0x7F). Everywhere
/// but in a header name the parser treats DEL exactly like a byte >= 0x80 (neither is CR, LF, ':',
/// '-', space, tab or a boundary byte), so the probe walks the same states as the real parser; in
/// a header name DEL is refused with a thrown error where the real run would trap. The real parser
/// sees a chunk only after the probe has accepted it (and every chunk before it).
final class PartsParser {
    private let parser: MultipartParser
    private let probe: MultipartParser
    private let maxParts: Int
    private let maxPartBytes: Int
    private var parts: [FormPart] = []
    private var headers: [(String, String)] = []
    private var body: [UInt8] = []
    private var failure: IntakeError?

    init(boundary: String, maxParts: Int, maxPartBytes: Int) throws(IntakeError) {
        // MultipartParser traps on an empty boundary, and the probe relies on a boundary without
        // DEL or bytes >= 0x80.
        guard BodyReader.isValidBoundary(boundary) else { throw Self.malformed }
        parser = MultipartParser(boundary: boundary)
        probe = MultipartParser(boundary: boundary)
        self.maxParts = maxParts
        self.maxPartBytes = maxPartBytes
        parser.onHeader = { [unowned self] name, value in headers.append((name.lowercased(), value)) }
        parser.onBody = { [unowned self] buffer in
            guard failure == nil else { return }
            if body.count + buffer.readableBytes > maxPartBytes {
                failure = .tooLarge("a file is larger than \(maxPartBytes) bytes")
                return
            }
            body.append(contentsOf: buffer.readableBytesView)
        }
        parser.onPartComplete = { [unowned self] in
            defer { headers = []; body = [] }
            guard failure == nil else { return }
            guard parts.count < maxParts else {
                failure = .tooLarge("too many parts")
                return
            }
            let disposition = headers.first { $0.0 == "content-disposition" }?.1 ?? ""
            let parameters = ContentDisposition.parameters(disposition)
            guard let name = parameters["name"] else {
                failure = .invalid([FieldError(field: "body", code: "invalid", message: "a part has no name")])
                return
            }
            parts.append(FormPart(name: name, filename: parameters["filename"], body: body))
        }
    }

    static let malformed = IntakeError.invalid([FieldError(field: "body", code: "invalid", message: "malformed multipart body")])

    func feed(_ chunk: ByteBuffer) throws(IntakeError) {
        if let failure { throw failure }
        do {
            try probe.execute(chunk.readableBytesView.map { $0 >= 0x80 ? 0x7F : $0 })
            try parser.execute(chunk)
        } catch {
            failure = Self.malformed
        }
        if let failure { throw failure }
    }

    func finish() throws(IntakeError) -> [FormPart] {
        if let failure { throw failure }
        return parts
    }
}

/// Parses `form-data; name="x"; filename="y"`.
enum ContentDisposition {
    static func parameters(_ header: String) -> [String: String] {
        var result: [String: String] = [:]
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            result[key] = value
        }
        return result
    }
}

import Foundation
