/// One problem a check found: where (an entry's sequence number, or a tip reference or file line)
/// and what. Problems are fixed phrases with ids and codes, never personal data.
public struct AuditFinding: Sendable, Codable, Equatable {
    /// The audit entry concerned, if the problem is about one.
    public var seq: Int64?
    /// The subject concerned: a tip reference, a staff key id, `checkpoints.log:<line>`.
    public var subject: String?
    /// What is wrong.
    public var problem: String

    /// A finding about `seq` / `subject`.
    public init(seq: Int64? = nil, subject: String? = nil, problem: String) {
        self.seq = seq
        self.subject = subject
        self.problem = problem
    }

    /// `#seq subject: problem`, for the table output.
    public var text: String {
        var parts: [String] = []
        if let seq { parts.append("#\(seq)") }
        if let subject { parts.append(subject) }
        return parts.isEmpty ? problem : parts.joined(separator: " ") + ": " + problem
    }
}
