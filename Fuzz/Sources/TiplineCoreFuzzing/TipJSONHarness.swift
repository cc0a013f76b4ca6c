import Foundation
public import FuzzSupport
public import TiplineCore

/// `FuzzTipJSON`: a request body decoded as a `TipSubmission` and validated, as the JSON API does.
///
/// Properties beyond "no crash, no hang":
/// - a refusal lists at least one field error, each with a known code;
/// - an accepted tip respects the policy bounds (lengths, control characters, known category
///   and district), and validating it again from its own cleaned values gives the same tip
///   (normalisation is idempotent, so what is sealed is what a second pass would accept).
public enum TipJSONHarness {
    static let codes: Set<String> = ["required", "too_long", "unknown_field", "invalid", "control_characters"]

    /// Checks one input against `policies`.
    public static func check(_ bytes: [UInt8], policies: PolicySet) throws(FuzzPropertyViolation) {
        let data = Data(bytes)
        // The API refuses a body that is not UTF-8 before decoding (JSONInput.decode).
        guard String(data: data, encoding: .utf8) != nil else { return }
        let submission: TipSubmission
        do {
            submission = try JSONDecoder().decode(TipSubmission.self, from: data)
        } catch {
            return
        }
        let tip: ValidatedTip
        do {
            tip = try submission.validate(policies: policies)
        } catch {
            guard !error.errors.isEmpty else { throw FuzzPropertyViolation("refused without a field error") }
            for fieldError in error.errors where !codes.contains(fieldError.code) {
                throw FuzzPropertyViolation("unknown error code \(fieldError.code)")
            }
            return
        }
        try checkBounds(tip, policies: policies)

        let again = TipSubmission(
            category: tip.category.rawValue, district: tip.district.token, location: tip.location,
            occurredAt: tip.occurredAt, description: tip.description,
            reporter: tip.identity.isEmpty ? nil : ReporterSubmission(values: Dictionary(uniqueKeysWithValues: tip.identity.map { ($0.name, $0.value) })),
            wantsReward: tip.wantsReward)
        let second: ValidatedTip
        do {
            second = try again.validate(policies: policies)
        } catch {
            throw FuzzPropertyViolation("a validated tip is refused when validated again: \(error.errors.map(\.code))")
        }
        guard second == tip else { throw FuzzPropertyViolation("validating a validated tip changed it") }
    }

    private static func checkBounds(_ tip: ValidatedTip, policies: PolicySet) throws(FuzzPropertyViolation) {
        let limits = policies.security.limits
        guard policies.categories.category(tip.category) != nil else { throw FuzzPropertyViolation("unknown category accepted") }
        if case .known(let id) = tip.district, !policies.centres.districts.contains(where: { $0.id == id }) {
            throw FuzzPropertyViolation("unknown district accepted")
        }
        try checkText(tip.description, max: limits.maxDescriptionChars, multiline: true, "description")
        if let location = tip.location { try checkText(location, max: limits.maxLocationChars, multiline: false, "location") }
        for field in tip.identity {
            try checkText(field.value, max: limits.maxIdentityFieldChars, multiline: field.name == "address", "reporter.\(field.name)")
        }
        if let occurredAt = tip.occurredAt, occurredAt.utf8.count > 40 || !occurredAt.unicodeScalars.allSatisfy(\.isASCII) {
            throw FuzzPropertyViolation("occurred_at accepted outside its bounds")
        }
    }

    private static func checkText(_ text: String, max: Int, multiline: Bool, _ field: String) throws(FuzzPropertyViolation) {
        guard !text.isEmpty else { throw FuzzPropertyViolation("\(field) accepted empty") }
        guard text.unicodeScalars.count <= max else { throw FuzzPropertyViolation("\(field) accepted over its length limit") }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let allowedControl = value == 0x09 || (multiline && value == 0x0A)
            if (value < 0x20 || (0x7F...0x9F).contains(value)) && !allowedControl {
                throw FuzzPropertyViolation("\(field) accepted with a control character")
            }
            if (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) {
                throw FuzzPropertyViolation("\(field) accepted with a bidirectional override")
            }
        }
    }
}
