import Foundation
import Sealing
import Testing
import TiplineCore

/// Issue 11, item 1: what a stored staff request keeps of its body.
@Suite("Redacted request bodies")
struct RedactedRequestBodyTests {
    @Test("Secret fields (idempotency key, code, wraps, envelopes, any unknown field) become their SHA-256; clear fields stay")
    func secretsBecomeHashes() throws {
        let key = "01HZZZZZZZZZZZZZZZZZZZZZZZ"
        let body = Array(#"{"amount_fen":300000,"idempotency_key":"\#(key)","memo":"预算 2026","surprise":{"a":[1,2]}}"#.utf8)
        let stored = RedactedRequestBody.redact(body)
        #expect(!String(decoding: stored, as: UTF8.self).contains(key))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(stored)) as? [String: Any])
        #expect((object["idempotency_key"] as? [String: String]) == ["sha256": Hashing.sha256Hex(Array(key.utf8))])
        #expect((object["surprise"] as? [String: String])?["sha256"]?.count == 64, "a field nobody listed is hashed")
        #expect(object["amount_fen"] as? Int == 300000 && object["memo"] as? String == "预算 2026")
        #expect(RedactedRequestBody.isRedaction(stored))
        #expect(RedactedRequestBody.hashedFields(stored) == ["idempotency_key", "surprise"])
        #expect(Hashing.sha256Hex(stored) != Hashing.sha256Hex(body))
        let wrap = Data((0..<81).map { UInt8($0) }).base64EncodedString()
        let route = RedactedRequestBody.redact(Array(#"{"content_wrap":"\#(wrap)","reason":"地点","to":"huaxi"}"#.utf8))
        #expect(!String(decoding: route, as: UTF8.self).contains(wrap))
        let redeem = RedactedRequestBody.redact(Array(#"{"code":"ABCDE-FGHJK-MNPQR-STVWX","idempotency_key":"k-0123456789abcdef"}"#.utf8))
        #expect(!String(decoding: redeem, as: UTF8.self).contains("ABCDE"))
    }

    @Test("A body with only clear fields is kept byte for byte (its hash still matches the signed one); empty stays empty; a non-object is hashed whole")
    func clearBodiesVerbatim() {
        let status = Array(#"{"reason":"不属于","to":"rejected"}"#.utf8)
        #expect(RedactedRequestBody.redact(status) == status)
        #expect(!RedactedRequestBody.isRedaction(status))
        #expect(RedactedRequestBody.redact([]) == [])
        let odd = RedactedRequestBody.redact(Array("not json secret".utf8))
        #expect(!String(decoding: odd, as: UTF8.self).contains("secret") && RedactedRequestBody.isRedaction(odd))
        #expect(!RedactedRequestBody.isRedaction(Array(#"{"idempotency_key":"in clear"}"#.utf8)), "a secret in clear is not a redaction")
        #expect(!RedactedRequestBody.isRedaction(Array(#"{"code":{"sha256":"xyz"}}"#.utf8)))
    }
}
