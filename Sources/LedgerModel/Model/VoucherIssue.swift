public import Foundation

/// What an approval returns: the reward, the voucher code (sealed to the reporter's key by the
/// caller's `seal`) and the journal entry that posted the payable.
public struct VoucherIssue: Sendable, Equatable {
    /// The approved reward.
    public let reward: Reward
    /// The voucher code, in clear: the only place it ever exists outside the reporter's envelope.
    /// Only the first approval returns it; a retry with the same idempotency key returns nil
    /// (the ledger keeps no copy anyone on the host can open, docs/LEDGER.md).
    public let code: VoucherCode?
    /// The code as the approval's `seal` sealed it (to the reporter), the same bytes on every
    /// retry; nil when the approval was made without a `seal`.
    public let sealedCode: Data?
    /// When the voucher stops being redeemable (UTC seconds).
    public let expiresAt: Int64
    /// The entry posting fund → payable.
    public let entry: JournalEntry

    /// An issued voucher.
    public init(reward: Reward, code: VoucherCode?, sealedCode: Data? = nil, expiresAt: Int64, entry: JournalEntry) {
        self.reward = reward
        self.code = code
        self.sealedCode = sealedCode
        self.expiresAt = expiresAt
        self.entry = entry
    }
}
