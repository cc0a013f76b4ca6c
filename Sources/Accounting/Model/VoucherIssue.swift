/// What an approval returns: the reward, the voucher code (to be sealed to the reporter's key
/// by the caller) and the journal entry that posted the payable.
public struct VoucherIssue: Sendable, Equatable {
    /// The approved reward.
    public let reward: Reward
    /// The voucher code, in clear: the only place it ever exists outside the reporter's envelope.
    public let code: VoucherCode
    /// When the voucher stops being redeemable (UTC seconds).
    public let expiresAt: Int64
    /// The entry posting fund → payable.
    public let entry: JournalEntry

    /// An issued voucher.
    public init(reward: Reward, code: VoucherCode, expiresAt: Int64, entry: JournalEntry) {
        self.reward = reward
        self.code = code
        self.expiresAt = expiresAt
        self.entry = entry
    }
}
