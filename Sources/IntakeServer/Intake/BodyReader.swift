import Hummingbird
import MultipartKit
import NIOCore
import TiplineCore

/// One part of a multipart body.
struct FormPart: Sendable {
    let name: String
    let filename: String?
    let body: [UInt8]
}

/// Reads request bodies within their bounds (rule 5): the limit is enforced while reading,
/// so a 100 MiB body is refused after at most `limit` bytes, never buffered whole.
enum BodyReader {
    static func collect(_ request: Request, limit: Int) async throws(IntakeError) -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw .tooLarge("the request body is larger than \(limit) bytes")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw .tooLarge("the request body is larger than \(limit) bytes")
        } catch {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "the request body could not be read")])
        }
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
    static func parts(_ body: ByteBuffer, boundary: String, maxParts: Int, maxPartBytes: Int) throws(IntakeError) -> [FormPart] {
        // MultipartParser traps on an empty boundary, and `headerNamesAreSafe` relies on a
        // boundary without DEL or bytes >= 0x80.
        guard isValidBoundary(boundary), headerNamesAreSafe(body, boundary: boundary) else {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "malformed multipart body")])
        }
        let parser = MultipartParser(boundary: boundary)
        final class Collector {
            var parts: [FormPart] = []
            var headers: [(String, String)] = []
            var body: [UInt8] = []
            var failure: IntakeError?
        }
        let collector = Collector()
        parser.onHeader = { name, value in collector.headers.append((name.lowercased(), value)) }
        parser.onBody = { buffer in
            guard collector.failure == nil else { return }
            if collector.body.count + buffer.readableBytes > maxPartBytes {
                collector.failure = .tooLarge("a file is larger than \(maxPartBytes) bytes")
                return
            }
            collector.body.append(contentsOf: buffer.readableBytesView)
        }
        parser.onPartComplete = {
            defer { collector.headers = []; collector.body = [] }
            guard collector.failure == nil else { return }
            guard collector.parts.count < maxParts else {
                collector.failure = .tooLarge("too many parts")
                return
            }
            let disposition = collector.headers.first { $0.0 == "content-disposition" }?.1 ?? ""
            let parameters = ContentDisposition.parameters(disposition)
            guard let name = parameters["name"] else {
                collector.failure = .invalid([FieldError(field: "body", code: "invalid", message: "a part has no name")])
                return
            }
            collector.parts.append(FormPart(name: name, filename: parameters["filename"], body: collector.body))
        }
        do {
            try parser.execute(body)
        } catch {
            throw .invalid([FieldError(field: "body", code: "invalid", message: "malformed multipart body")])
        }
        if let failure = collector.failure { throw failure }
        return collector.parts
    }

    /// 1 to 70 printable ASCII characters (RFC 2046 allows a subset of these).
    static func isValidBoundary(_ boundary: String) -> Bool {
        (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy { $0 >= 0x20 && $0 <= 0x7E }
    }

    /// Whether MultipartKit can parse `body` without trapping.
    ///
    /// MultipartKit 4.7.1 (the last 4.x) looks every byte of a part's header *name* up in a
    /// 128-entry table, so a byte >= 0x80 there is an out-of-bounds trap that stops the whole
    /// server (found by Fuzz/FuzzMultipart; Fuzz/regressions/FuzzMultipart/). This dry run
    /// parses a copy with every such byte replaced by DEL (0x7F). Everywhere but in a header
    /// name the parser treats DEL exactly like a byte >= 0x80 (neither is CR, LF, ':', '-',
    /// space, tab or a boundary byte), so it walks the same states; in a header name DEL is
    /// refused with a thrown error where the real run would trap. Chunked, so it needs no
    /// second copy of a large body.
    static func headerNamesAreSafe(_ body: ByteBuffer, boundary: String) -> Bool {
        let probe = MultipartParser(boundary: boundary)
        let bytes = body.readableBytesView
        let chunkSize = 65_536
        var start = bytes.startIndex
        do {
            while start < bytes.endIndex {
                let end = min(start + chunkSize, bytes.endIndex)
                try probe.execute(bytes[start..<end].map { $0 >= 0x80 ? 0x7F : $0 })
                start = end
            }
        } catch {
            return false
        }
        return true
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
