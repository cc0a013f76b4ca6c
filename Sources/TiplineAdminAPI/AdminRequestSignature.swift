import Foundation
public import Sealing
public import TiplineCore

/// The signature on every admin request (triage issue, docs/ADMIN-API.md).
///
/// The staff member's Ed25519 key signs
/// `tipline-admin-request-v2\n<METHOD>\n<path?query>\n<timestamp>\n<nonce>\n<hex SHA-256 of the redacted body>`,
/// where the redacted body is `RedactedRequestBody.redact(body)`: the body itself when every field is
/// clear, else its clear fields with each secret field replaced by its SHA-256. That is exactly what
/// the server stores with the audit entry, so an auditor can check the staff signature over the
/// stored bytes — the clear fields are bound to the staff member, not only to the server's chain —
/// and prove the action was requested by that key and not invented by the server. Requests recorded
/// before v2 (`-v1`, the hash of the whole body) stay verifiable where their body had no secret field.
public struct AdminRequestSignature: Sendable, Equatable {
    public static let keyIDHeader = "Tipline-Key-Id"
    public static let timestampHeader = "Tipline-Timestamp"
    public static let nonceHeader = "Tipline-Nonce"
    public static let signatureHeader = "Tipline-Signature"
    /// How far a request's timestamp may be from the server's clock.
    public static let allowedSkewSeconds: Int64 = 300

    public let keyID: String
    public let timestamp: Int64
    public let nonce: String
    public let signature: [UInt8]

    public init(keyID: String, timestamp: Int64, nonce: String, signature: [UInt8]) {
        self.keyID = keyID
        self.timestamp = timestamp
        self.nonce = nonce
        self.signature = signature
    }

    /// Why a set of headers is not a well-formed signature.
    public enum ParseError: Error, Sendable, Equatable { case missing(String), malformed(String) }

    /// Parses the four headers (values as received). Bounded and strict: this runs before any
    /// authentication, on input anyone can send.
    public static func parse(keyID: String?, timestamp: String?, nonce: String?, signature: String?) throws(ParseError) -> AdminRequestSignature {
        guard let keyID else { throw .missing(keyIDHeader) }
        guard let timestamp else { throw .missing(timestampHeader) }
        guard let nonce else { throw .missing(nonceHeader) }
        guard let signature else { throw .missing(signatureHeader) }
        guard keyID.utf8.count == 32, keyID.utf8.allSatisfy(isLowerHex) else { throw .malformed(keyIDHeader) }
        guard (1...12).contains(timestamp.utf8.count), timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let seconds = Int64(timestamp) else { throw .malformed(timestampHeader) }
        guard (16...64).contains(nonce.utf8.count), nonce.utf8.allSatisfy(isLowerHex) else { throw .malformed(nonceHeader) }
        guard signature.utf8.count <= 100, let bytes = Data(base64Encoded: signature), bytes.count == 64 else {
            throw .malformed(signatureHeader)
        }
        return AdminRequestSignature(keyID: keyID, timestamp: seconds, nonce: nonce, signature: Array(bytes))
    }

    private static func isLowerHex(_ c: UInt8) -> Bool { (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) }

    /// The exact bytes that are signed.
    public static func message(method: String, target: String, timestamp: Int64, nonce: String, body: [UInt8]) -> [UInt8] {
        message(method: method, target: target, timestamp: timestamp, nonce: nonce, redactedBody: RedactedRequestBody.redact(body))
    }

    /// The exact bytes that are signed, for a body already passed through `RedactedRequestBody.redact`
    /// (the server redacts once, for the signature and for what it stores).
    public static func message(method: String, target: String, timestamp: Int64, nonce: String, redactedBody: [UInt8]) -> [UInt8] {
        Array("\(currentVersion)\n\(method)\n\(target)\n\(timestamp)\n\(nonce)\n\(Hashing.sha256Hex(redactedBody))".utf8)
    }

    /// The first line of every request signed now.
    public static let currentVersion = "tipline-admin-request-v2"
    /// The first line of requests signed before v2 (over the whole body), still read in old logs.
    public static let firstVersion = "tipline-admin-request-v1"

    /// Signs a request (the CLI side).
    public static func sign(method: String, target: String, body: [UInt8], key: Ed25519PrivateKey, timestamp: Int64,
                            nonce: String = Hex.encode(SecureRandom.bytes(16))) throws(SealingError) -> (signature: AdminRequestSignature, message: [UInt8]) {
        let message = message(method: method, target: target, timestamp: timestamp, nonce: nonce, body: body)
        let signature = try key.signature(for: message)
        return (AdminRequestSignature(keyID: key.publicKey.keyID, timestamp: timestamp, nonce: nonce, signature: signature), message)
    }

    /// The headers carrying this signature.
    public var headers: [(String, String)] {
        [(Self.keyIDHeader, keyID), (Self.timestampHeader, String(timestamp)), (Self.nonceHeader, nonce),
         (Self.signatureHeader, Data(signature).base64EncodedString())]
    }
}

/// How a staff request is kept with its audit entry: the signed message, a newline, then the body
/// as `RedactedRequestBody.redact` keeps it (no secret field in clear). An auditor splits it and
/// checks the signature over the message (who, when, method, path, body hash) and that the stored
/// body has the signed hash. A v1 request (signed over the whole body) whose body was redacted cannot
/// match it: its clear fields are then bound by the chain only (docs/AUDIT.md).
public enum SignedAdminRequest {
    public struct Parts: Sendable, Equatable {
        public let message: [UInt8]
        /// A v2 request: the signed hash is of the redacted body, so the stored body must match it.
        public let signsRedactedBody: Bool
        public let method: String
        public let target: String
        public let timestamp: Int64
        public let nonce: String
        public let bodyHashHex: String
        public let body: [UInt8]
    }

    public static func record(message: [UInt8], body: [UInt8]) -> [UInt8] { message + [0x0A] + body }

    /// Splits a recorded request; nil if it is not one.
    public static func parse(_ record: [UInt8]) -> Parts? {
        var lines: [ArraySlice<UInt8>] = []
        var start = record.startIndex
        var index = record.startIndex
        while index < record.endIndex, lines.count < 6 {
            if record[index] == 0x0A {
                lines.append(record[start..<index])
                start = index + 1
            }
            index += 1
        }
        let version = String(decoding: lines.first ?? [], as: UTF8.self)
        guard lines.count == 6, version == AdminRequestSignature.currentVersion || version == AdminRequestSignature.firstVersion,
              let timestamp = Int64(String(decoding: lines[3], as: UTF8.self)) else { return nil }
        let messageEnd = lines[5].endIndex
        return Parts(message: Array(record[record.startIndex..<messageEnd]), signsRedactedBody: version == AdminRequestSignature.currentVersion, method: String(decoding: lines[1], as: UTF8.self),
                     target: String(decoding: lines[2], as: UTF8.self), timestamp: timestamp,
                     nonce: String(decoding: lines[4], as: UTF8.self), bodyHashHex: String(decoding: lines[5], as: UTF8.self),
                     body: Array(record[start..<record.endIndex]))
    }
}
