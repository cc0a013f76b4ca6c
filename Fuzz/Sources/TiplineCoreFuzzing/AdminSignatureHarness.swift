public import FuzzSupport
import Sealing
import TiplineCore
import TiplineAdminAPI

/// `FuzzAdminSignature`: the staff request headers and the recorded signed request.
///
/// The input's first four lines are the `Tipline-Key-Id`, `Tipline-Timestamp`, `Tipline-Nonce`
/// and `Tipline-Signature` header values (a missing line is a missing header; invalid UTF-8 is
/// repaired as an HTTP stack would); the whole input is also parsed as a recorded request.
///
/// Properties beyond "no crash, no hang":
/// - an accepted signature has the documented shape and parses again, unchanged, from the
///   headers it produces;
/// - a recorded request that parses is exactly `record(message:body:)` of its parts, and the
///   message rebuilt from its parts parses back to the same parts.
public enum AdminSignatureHarness {
    /// Checks one input.
    public static func check(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        try checkHeaders(bytes)
        try checkRecord(bytes)
    }

    private static func checkHeaders(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        let lines = FuzzInputs.split(bytes, maxPieces: 4).map { String(decoding: $0, as: UTF8.self) }
        func line(_ index: Int) -> String? { index < lines.count ? lines[index] : nil }
        let signature: AdminRequestSignature
        do {
            signature = try AdminRequestSignature.parse(keyID: line(0), timestamp: line(1), nonce: line(2), signature: line(3))
        } catch {
            return
        }
        guard signature.keyID.utf8.count == 32, signature.signature.count == 64, signature.timestamp >= 0,
              (16...64).contains(signature.nonce.utf8.count) else {
            throw FuzzPropertyViolation("an accepted signature is out of shape")
        }
        let headers = Dictionary(uniqueKeysWithValues: signature.headers.map { ($0.0, $0.1) })
        let again: AdminRequestSignature
        do {
            again = try AdminRequestSignature.parse(
                keyID: headers[AdminRequestSignature.keyIDHeader], timestamp: headers[AdminRequestSignature.timestampHeader],
                nonce: headers[AdminRequestSignature.nonceHeader], signature: headers[AdminRequestSignature.signatureHeader])
        } catch {
            throw FuzzPropertyViolation("the headers of an accepted signature are refused: \(error)")
        }
        guard again == signature else { throw FuzzPropertyViolation("a signature changed through its headers") }
    }

    private static func checkRecord(_ bytes: [UInt8]) throws(FuzzPropertyViolation) {
        guard let parts = SignedAdminRequest.parse(bytes) else { return }
        guard SignedAdminRequest.record(message: parts.message, body: parts.body) == bytes else {
            throw FuzzPropertyViolation("a parsed record is not message + newline + body")
        }
        let message = AdminRequestSignature.message(method: parts.method, target: parts.target, timestamp: parts.timestamp,
                                                    nonce: parts.nonce, body: parts.body)
        guard let again = SignedAdminRequest.parse(SignedAdminRequest.record(message: message, body: parts.body)) else {
            throw FuzzPropertyViolation("a message rebuilt from parsed parts does not parse")
        }
        guard again.method == parts.method, again.target == parts.target, again.timestamp == parts.timestamp,
              again.nonce == parts.nonce, again.body == parts.body,
              again.bodyHashHex == Hashing.sha256Hex(RedactedRequestBody.redact(parts.body)) else {
            throw FuzzPropertyViolation("a message rebuilt from parsed parts parses differently")
        }
    }
}
