/// CSV as staff open it in a spreadsheet (RFC 4180): the one home of field quoting for every CSV the
/// tools write (`ledger report`, `network coverage --csv`, `books export --csv`).
public enum CSVText {
    /// A field quoted when it needs it, a spreadsheet formula defused (a leading `=`, `+`, `-` or `@`
    /// gets a `'`, so an exported value never runs as a formula).
    public static func field(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first) { value = "'" + value }
        // By scalar: "\r\n" is one Character, so a Character test would miss a lone "\n" or "\r".
        guard value.unicodeScalars.contains(where: { ",\"\r\n".unicodeScalars.contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line of fields (without its line end).
    public static func row(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") }
}
