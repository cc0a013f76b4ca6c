/// A reward as the ledger knows it: a public tip reference, amounts, who acted, and the
/// voucher's hash — nothing about the reporter.
public struct Reward: Sendable, Equatable, Hashable, Codable {
    /// Where a reward stands.
    public enum Status: String, Sendable, Codable, CaseIterable {
        /// Proposed, waiting for a second person.
        case proposed
        /// Declined by a supervisor; no money moved.
        case declined
        /// Approved: the payable is posted and the voucher outstanding.
        case approved
        /// The voucher was redeemed.
        case paid
        /// The claim window passed; the amount went back to the fund.
        case expired
    }

    /// The ledger's id of the reward.
    public let id: Int64
    /// The tip's public reference.
    public let reference: String
    /// The centre that handled the tip.
    public let centre: String
    /// The verified outcome the amount was priced on.
    public let outcome: RewardBasis
    /// What the policy allowed for that outcome.
    public let allowed: RewardRange
    /// The amount.
    public let amount: Fen
    /// Where it stands.
    public let status: Status
    /// When it was proposed (UTC seconds).
    public let proposedAt: Int64
    /// Who proposed it.
    public let proposerKeyID: String
    /// When it was approved or declined.
    public let decidedAt: Int64?
    /// Who approved or declined it.
    public let deciderKeyID: String?
    /// SHA-256 (hex) of the voucher code, once issued.
    public let voucherHash: String?
    /// When the voucher stops being redeemable (UTC seconds).
    public let expiresAt: Int64?
    /// When the voucher was paid or lapsed.
    public let settledAt: Int64?

    /// A reward as read from the ledger.
    public init(id: Int64, reference: String, centre: String, outcome: RewardBasis, allowed: RewardRange,
                amount: Fen, status: Status, proposedAt: Int64, proposerKeyID: String, decidedAt: Int64?,
                deciderKeyID: String?, voucherHash: String?, expiresAt: Int64?, settledAt: Int64?) {
        self.id = id
        self.reference = reference
        self.centre = centre
        self.outcome = outcome
        self.allowed = allowed
        self.amount = amount
        self.status = status
        self.proposedAt = proposedAt
        self.proposerKeyID = proposerKeyID
        self.decidedAt = decidedAt
        self.deciderKeyID = deciderKeyID
        self.voucherHash = voucherHash
        self.expiresAt = expiresAt
        self.settledAt = settledAt
    }
}
