/// A reward as the admin API shows it and `tipline-admin ledger` reads it — never a voucher code.
public struct RewardSummary: Sendable, Codable, Equatable {
    public let reference: String
    public let centre: String
    public let status: String
    public let amountFen: Int64
    /// The amount in yuan, as `Fen` prints it.
    public let amount: String
    public let allowed: String
    public let proposer: String
    public let decider: String?
    public let expiresAt: Int64?

    /// The summary of `reward`.
    public init(_ reward: Reward) {
        reference = reward.reference
        centre = reward.centre
        status = reward.status.rawValue
        amountFen = reward.amount.rawValue
        amount = reward.amount.description
        allowed = "\(reward.allowed)"
        proposer = reward.proposerKeyID
        decider = reward.deciderKeyID
        expiresAt = reward.expiresAt
    }

    /// An informant's remuneration voucher in the same shape, so that a cashier pays either kind of
    /// code the same way (issue 17): `reference` is the item, `centre` the unit, `allowed` the scheme.
    public init(payment: Payment) {
        reference = payment.subject
        centre = payment.unit
        status = payment.status.rawValue
        amountFen = payment.amount.rawValue
        amount = payment.amount.description
        allowed = payment.scheme.rawValue
        proposer = payment.proposerKeyID
        decider = payment.deciderKeyID
        expiresAt = payment.expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case reference, centre, status, amount, allowed, proposer, decider
        case amountFen = "amount_fen"
        case expiresAt = "expires_at"
    }
}
