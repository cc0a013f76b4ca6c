/// Staff-written reasons: short, single-paragraph text. They are stored in the audit log in
/// clear (auditors must read them), so the CLI reminds staff never to write personal data there.
public enum ReasonText {
    /// The most characters a reason may have.
    public static let maxScalars = 1000

    /// The reason trimmed and NFC-normalised; nil when it is missing, empty, too long or has control characters.
    public static func clean(_ text: String?) -> String? {
        var errors: [FieldError] = []
        let clean = TextField.clean(text, field: "reason", required: true, maxScalars: maxScalars, multiline: false, errors: &errors)
        return errors.isEmpty ? clean : nil
    }
}
