import Foundation

/// Normalisation and bounds for free text (NFC, no control characters but newline and tab).
enum TextField {
    static func clean(_ raw: String?, field: String, required: Bool, maxScalars: Int, multiline: Bool,
                      errors: inout [FieldError]) -> String? {
        guard let raw else {
            if required { errors.append(FieldError(field: field, code: "required", message: "required")) }
            return nil
        }
        // Bound the work before normalising: NFC can grow text, but not by more than 3x per scalar.
        if raw.unicodeScalars.count > maxScalars * 4 {
            errors.append(FieldError(field: field, code: "too_long", message: "at most \(maxScalars) characters", limit: maxScalars))
            return nil
        }
        let text = raw.replacingOccurrences(of: "\r\n", with: "\n").precomposedStringWithCanonicalMapping
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if required { errors.append(FieldError(field: field, code: "required", message: "required")) }
            return nil
        }
        if trimmed.unicodeScalars.count > maxScalars {
            errors.append(FieldError(field: field, code: "too_long", message: "at most \(maxScalars) characters", limit: maxScalars))
            return nil
        }
        for scalar in trimmed.unicodeScalars where isForbidden(scalar, multiline: multiline) {
            errors.append(FieldError(field: field, code: "control_characters",
                                     message: multiline ? "control characters other than newline and tab are not allowed"
                                                        : "control characters are not allowed"))
            return nil
        }
        return trimmed
    }

    private static func isForbidden(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: return !multiline && scalar.value == 0x0A
        case 0x00...0x1F, 0x7F...0x9F: return true
        // Bidirectional overrides can disguise text shown to staff.
        case 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}

/// The time of the events, as people write it, normalised by `CivilTime.parseOccurrence` (China time
/// unless an offset is given).
enum OccurrenceTime {
    static func normalise(_ text: String, now: Int64) -> String? {
        CivilTime.parseOccurrence(text, now: now)?.canonical
    }
}

/// Validation of a follow-up message's text (same rules as the description).
public enum MessageText {
    /// The message text trimmed and NFC-normalised, or nil with its problems added to `errors` (field `text`).
    public static func clean(_ text: String?, maxScalars: Int, errors: inout [FieldError]) -> String? {
        TextField.clean(text, field: "text", required: true, maxScalars: maxScalars, multiline: true, errors: &errors)
    }
}
