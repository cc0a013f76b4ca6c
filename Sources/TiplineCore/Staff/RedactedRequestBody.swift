import Foundation
import Sealing

/// The body of a staff request as it is kept with its audit entry (docs/AUDIT.md, "What a stored
/// request keeps"): no secret is ever stored (security rule 7).
///
/// A body whose fields are all in ``clearFields`` is kept byte for byte, so its SHA-256 still
/// matches the hash in the signed message and an auditor proves every field. Any other body is
/// kept as canonical JSON (sorted keys, no whitespace) in which every field not in
/// ``clearFields`` — idempotency keys, voucher codes, wraps, envelopes, and any field added later —
/// is replaced by `{"sha256":"<hex>"}`: the SHA-256 of the string's UTF-8 bytes, or for a
/// non-string value of its canonical JSON. Deny by default: a field is hashed unless it is listed.
public enum RedactedRequestBody {
    /// Fields that are never secret and are kept in clear: what staff asked for (status, centre,
    /// reason, amount…), the enrolment request (a public key and its proof), how a recorded tip
    /// came (`channel`: phone, letter, visit, email — never its content) and a ledger request's clear part.
    public static let clearFields: Set<String> = [
        "to", "reason", "enforcement_unit", "outcome", "urgency", "of", "centre", "amount_fen", "memo",
        "name", "role", "public_key", "created_at", "proof", "unit", "channel",
        // Issue 16, the ledgers: a record's date, which version an edit was made from, whether it keeps the
        // sealed names, and what a read asked for (period, record id, versions, page) — never the sealed values.
        "record_date", "base_version", "keep_names", "period", "record", "versions", "limit", "after",
        // Issue 17, the assessment: the year, criterion and points of an adjustment, the results hash a freeze signs.
        "year", "criterion", "points", "results_sha256",
        // Issue 17, payments: which fund a top-up credits.
        "account",
        // Key rotation: which centre key a rotation, re-wrap or retirement is about (public key ids only;
        // a re-wrap's `wraps` stay hashed).
        "key_class", "key_id", "old_key", "new_key",
    ]
    /// The one key of a replaced value.
    public static let hashKey = "sha256"
    /// The field name under which a body that is not a JSON object is kept (as its hash).
    public static let wholeBodyField = "_body"

    /// The body to store for `body`.
    public static func redact(_ body: [UInt8]) -> [UInt8] {
        if body.isEmpty { return body }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            return encode([wholeBodyField: [hashKey: Hashing.sha256Hex(body)]])
        }
        if object.keys.allSatisfy(clearFields.contains) { return body }
        var kept: [String: Any] = [:]
        for (name, value) in object {
            kept[name] = clearFields.contains(name) ? value : [hashKey: hash(of: value)]
        }
        return encode(kept)
    }

    /// The hash that replaces `value`: SHA-256 of a string's UTF-8 bytes, else of its canonical JSON.
    public static func hash(of value: Any) -> String {
        if let text = value as? String { return Hashing.sha256Hex(Array(text.utf8)) }
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])) ?? Data()
        return Hashing.sha256Hex(Array(data))
    }

    /// Whether `stored` has the shape of a redacted body: a JSON object whose every field is either
    /// in ``clearFields`` or exactly `{"sha256": <64 lowercase hex>}`, with at least one such hash.
    public static func isRedaction(_ stored: [UInt8]) -> Bool {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(stored))) as? [String: Any] else { return false }
        var hashed = 0
        for (name, value) in object where !clearFields.contains(name) {
            guard let replaced = value as? [String: Any], replaced.count == 1, let hex = replaced[hashKey] as? String,
                  hex.utf8.count == 64, hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
                return false
            }
            hashed += 1
        }
        return hashed > 0
    }

    /// The names of the fields `stored` keeps only as hashes (sorted).
    public static func hashedFields(_ stored: [UInt8]) -> [String] {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(stored))) as? [String: Any] else { return [] }
        return object.keys.filter { !clearFields.contains($0) }.sorted()
    }

    private static func encode(_ object: [String: Any]) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }
}
