/// What `audit verify` found: one result per check, the chain head, and notes that are not failures.
public struct AuditReport: Sendable, Codable, Equatable {
    /// Format of this report (`--json`), for programs that read it.
    public var format: String = "tipline-audit-report-v1"
    /// Entries read from the audit table.
    public var entries: Int64
    /// Tips in the tip table.
    public var tips: Int
    /// The last entry's sequence number and hash (hex), if any.
    public var headSeq: Int64
    public var headHash: String
    /// One result per check, in `AuditCheckName` order.
    public var checks: [AuditCheckResult]
    /// Observations that do not fail a check (e.g. entries after the last checkpoint).
    public var notes: [String]
    /// Wall-clock seconds the verification took.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case format, entries, tips, checks, notes, seconds, passed
        case headSeq = "head_seq"
        case headHash = "head_hash"
    }

    /// Assembles a report.
    public init(entries: Int64, tips: Int, headSeq: Int64, headHash: String, checks: [AuditCheckResult], notes: [String], seconds: Double) {
        self.entries = entries
        self.tips = tips
        self.headSeq = headSeq
        self.headHash = headHash
        self.checks = checks
        self.notes = notes
        self.seconds = seconds
    }

    /// True only when every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    /// The result of one check.
    public func result(_ name: AuditCheckName) -> AuditCheckResult? { checks.first { $0.name == name } }

    /// The checks that failed.
    public var failedChecks: [AuditCheckName] { checks.filter { !$0.passed }.map(\.name) }

    /// Decodes a report (the `passed` key is derived and ignored).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(String.self, forKey: .format)
        entries = try c.decode(Int64.self, forKey: .entries)
        tips = try c.decode(Int.self, forKey: .tips)
        headSeq = try c.decode(Int64.self, forKey: .headSeq)
        headHash = try c.decode(String.self, forKey: .headHash)
        checks = try c.decode([AuditCheckResult].self, forKey: .checks)
        notes = try c.decode([String].self, forKey: .notes)
        seconds = try c.decode(Double.self, forKey: .seconds)
    }

    /// Encodes the report with its derived `passed`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(passed, forKey: .passed)
        try c.encode(entries, forKey: .entries)
        try c.encode(tips, forKey: .tips)
        try c.encode(headSeq, forKey: .headSeq)
        try c.encode(headHash, forKey: .headHash)
        try c.encode(checks, forKey: .checks)
        try c.encode(notes, forKey: .notes)
        try c.encode(seconds, forKey: .seconds)
    }
}
