/// What an expiry sweep did: the rewards whose vouchers lapsed, and the entries it posted.
public struct ExpiryResult: Sendable, Equatable, Codable {
    /// The rewards that lapsed in this sweep, now `expired`.
    public let rewards: [Reward]
    /// The entries posted (an `expire` and a `restore` per reward).
    public let entries: [JournalEntry]

    /// A sweep's result.
    public init(rewards: [Reward], entries: [JournalEntry]) {
        self.rewards = rewards
        self.entries = entries
    }

    /// The total returned to the fund.
    public var total: Fen { Fen(rewards.reduce(0) { $0 + $1.amount.rawValue }) }
}
