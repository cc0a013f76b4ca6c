/// What a redemption returns: the paid reward and the entry posting payable → paid.
public struct Redemption: Sendable, Equatable, Codable {
    /// The reward, now `paid`.
    public let reward: Reward
    /// The entry posting payable → paid.
    public let entry: JournalEntry

    /// A redemption.
    public init(reward: Reward, entry: JournalEntry) {
        self.reward = reward
        self.entry = entry
    }
}
