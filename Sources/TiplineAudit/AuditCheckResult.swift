/// The outcome of one check: how many items it examined, how many failed, and the first failure
/// (lowest sequence number, or first in file order).
public struct AuditCheckResult: Sendable, Codable, Equatable {
    /// Which check.
    public var name: AuditCheckName
    /// Entries, requests, tips or checkpoints examined.
    public var checked: Int
    /// How many of them failed.
    public var failures: Int
    /// The first failure, if any.
    public var first: AuditFinding?

    /// Whether the check passed.
    public var passed: Bool { failures == 0 }

    enum CodingKeys: String, CodingKey { case name, checked, failures, first, passed }

    /// A result with its counts.
    public init(name: AuditCheckName, checked: Int, failures: Int, first: AuditFinding?) {
        self.name = name
        self.checked = checked
        self.failures = failures
        self.first = first
    }

    /// Decodes a result (the `passed` key is derived and ignored).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(AuditCheckName.self, forKey: .name)
        checked = try c.decode(Int.self, forKey: .checked)
        failures = try c.decode(Int.self, forKey: .failures)
        first = try c.decodeIfPresent(AuditFinding.self, forKey: .first)
    }

    /// Encodes the result with its derived `passed`.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(checked, forKey: .checked)
        try c.encode(failures, forKey: .failures)
        try c.encodeIfPresent(first, forKey: .first)
        try c.encode(passed, forKey: .passed)
    }
}
