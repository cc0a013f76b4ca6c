/// Staff-written reasons: short, single-paragraph text. They are stored in the audit log in
/// clear (auditors must read them), so the CLI reminds staff never to write personal data there.
public enum ReasonText {
    public static let maxScalars = 1000

    public static func clean(_ text: String?) -> String? {
        var errors: [FieldError] = []
        let clean = TextField.clean(text, field: "reason", required: true, maxScalars: maxScalars, multiline: false, errors: &errors)
        return errors.isEmpty ? clean : nil
    }
}
