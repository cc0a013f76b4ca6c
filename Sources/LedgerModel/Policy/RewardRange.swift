/// The amounts a reward may take for one verified outcome, and the rule that set the ceiling.
public struct RewardRange: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// The rule that set `maximum` (before the single-reward cap).
    public let tier: RewardTier
    /// The smallest allowed amount.
    public let minimum: Fen
    /// The largest allowed amount.
    public let maximum: Fen
    /// Whether the single-reward cap lowered the ceiling.
    public let capped: Bool

    /// Creates a range; the policy computes these, callers normally do not.
    public init(tier: RewardTier, minimum: Fen, maximum: Fen, capped: Bool) {
        self.tier = tier
        self.minimum = minimum
        self.maximum = maximum
        self.capped = capped
    }

    /// Whether `amount` lies within the range (both ends included).
    public func contains(_ amount: Fen) -> Bool { minimum <= amount && amount <= maximum }

    /// `¥1,000.00–¥5,000.00 (administrative)`.
    public var description: String {
        "\(minimum)–\(maximum) (\(tier.rawValue)\(capped ? ", single-reward cap" : ""))"
    }
}
