import Foundation
import TiplineCore
import TiplineAdminAPI

/// Compares a recorded request's JSON body with what its audit entry says was done, so the server
/// cannot record a different reason, status, centre or key than the staff member signed for.
enum RequestBodies {

    /// A short description of the first difference; nil when the body agrees (or the action has no body to compare).
    static func mismatch(action: String, subject: String, details: [String: String], body: [UInt8], keys: KeyDirectory) -> String? {
        if action == "staff.enrol" || action == "staff.enrol-pending" {
            guard let request = try? JSONDecoder().decode(EnrolmentRequest.self, from: Data(body)) else { return "not an enrolment request" }
            guard let key = request.verifiedKey() else { return "the enrolment request's proof does not verify" }
            guard key.keyID == subject, request.publicKey.lowercased() == details["public_key"] else { return "public key" }
            guard request.role.rawValue == details["staff_role"] else { return "role" }
            guard request.centre == details["staff_centre"] else { return "centre" }
            if let unit = request.unit, unit != details["staff_unit"] { return "unit" }
            return nil
        }
        let fields: [(body: String, detail: String, clean: Bool)]
        switch action {
        case "books.add", "books.edit":
            // The sealed envelopes are kept as hashes (they hold wraps); the clear part must agree with the entry.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any], object["envelope"] != nil else {
                return "not a ledger record body"
            }
            if object["record_date"] as? String != details["record_date"] { return "record_date" }
            if ((object["keep_names"] as? Bool) ?? false) != (details["names"] == "kept") { return "keep_names" }
            if (object["names"] != nil) != (details["names_sha256"] != nil && details["names"] != "kept") { return "names" }
            return nil
        case "books.read":
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "not a ledger read body" }
            if (object["period"] as? String).flatMap(ReportingPeriod.init)?.text != details["period"] { return "period" }
            return nil
        case "books.zero-report":
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "not a zero report body" }
            return (object["period"] as? String).flatMap(ReportingPeriod.init)?.text == details["period"] ? nil : "period"
        case "books.names": fields = [("reason", "reason", true)]
        // Key rotation: the subject is the centre; the keys are public and kept in clear (a re-wrap's wraps as one hash).
        case "keys.rotate", "keys.rewrap", "keys.retire":
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "not a key body" }
            if object["centre"] as? String != subject { return "centre" }
            if action == "keys.rotate", (object["public_key"] as? String)?.lowercased() != details["public_key"] { return "public_key" }
            if action == "keys.rewrap" {
                if object["old_key"] as? String != details["old_key"] { return "old_key" }
                if object["new_key"] as? String != details["new_key"] { return "new_key" }
                if RedactedRequestBody.hashedFields(body) != ["wraps"] || !RedactedRequestBody.isRedaction(body) { return "the wraps are not kept as a hash" }
            }
            if action == "keys.retire", object["key_id"] as? String != details["key_id"] { return "key_id" }
            fields = [("key_class", "key_class", false)]
        case "assess.adjust":
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "not an adjustment body" }
            if integerText(object["year"]) != details["year"] { return "year" }
            if object["unit"] as? String != subject { return "unit" }
            if integerText(object["points"]) != details["points"] { return "points" }
            fields = [("criterion", "criterion", false), ("reason", "reason", true)]
        case "assess.freeze":
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "not a freeze body" }
            if integerText(object["year"]) != details["year"] { return "year" }
            return (object["results_sha256"] as? String)?.lowercased() == details["results_sha256"] ? nil : "results_sha256"
        case "tip.canary":
            // The body is the receipt alone, and it must be kept only as its hash (never in clear).
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
                  Set(object.keys) == ["receipt"] else { return "not a canary body (exactly one field, receipt)" }
            return RedactedRequestBody.hashedFields(body) == ["receipt"] && RedactedRequestBody.isRedaction(body)
                ? nil : "the receipt is not kept as a hash"
        case "tip.record", "tip.from-informant":
            // The channel in clear and equal to the entry's; the form (salted) and the sealed identity only as hashes.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
                  Set(object.keys) == ["channel", "tip", "identity"] else { return "not a recording body (channel, tip, identity)" }
            guard object["channel"] as? String == details["channel"] else { return "channel" }
            return RedactedRequestBody.hashedFields(body) == ["identity", "tip"] && RedactedRequestBody.isRedaction(body)
                ? nil : "the form or the identity is not kept as a hash"
        case "tip.status":
            fields = details["duplicate_of"] != nil ? [("of", "duplicate_of", false), ("reason", "reason", true)] : [("to", "to", false)]
        case "tip.route": fields = [("to", "to", false), ("reason", "reason", true)]
        case "tip.identity-wrap":
            // The target centre is not in the details (see ChainReplay.identityWrapped); compare it with the key.
            guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any],
                  let centre = object["centre"] as? String else { return "not a JSON object with a centre" }
            let keyID = details["added_wraps"]?.split(separator: ":").last.map(String.init) ?? ""
            return keys.keys[keyID].map { keys.centres[$0.centre] } == centre ? nil : "centre"
        case "tip.unseal", "staff.revoke": fields = [("reason", "reason", true)]
        case "tip.urgency": fields = [("urgency", "to", false), ("reason", "reason", true)]
        case "tip.assign": fields = [("to", "assignee", false)]
        default: return nil
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return "not a JSON object" }
        for field in fields {
            let raw = object[field.body] as? String
            let value = field.clean ? ReasonText.clean(raw) : raw
            if value != details[field.detail] { return field.body }
        }
        return nil
    }

    /// A JSON whole number as decimal text, however `JSONSerialization` bridged it (Int, Int64, NSNumber).
    static func integerText(_ value: Any?) -> String? {
        switch value {
        case let value as Int: String(value)
        case let value as Int64: String(value)
        case let value as NSNumber where value.doubleValue == value.doubleValue.rounded(): String(value.int64Value)
        default: nil
        }
    }
}
