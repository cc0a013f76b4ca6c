/// The side of a posting.
public enum EntrySide: String, Sendable, Codable, CaseIterable {
    /// Debit, stored as `D`.
    case debit = "D"
    /// Credit, stored as `C`.
    case credit = "C"
}
