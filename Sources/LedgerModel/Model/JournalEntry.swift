/// One balanced, hash-chained entry of the journal.
public struct JournalEntry: Sendable, Equatable, Hashable, Codable {
    /// What an entry records.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A top-up: appropriation → fund.
        case fund
        /// An approval: fund → payable, a voucher issued.
        case approve
        /// A redemption: payable → paid.
        case redeem
        /// A voucher lapsed: payable → expired.
        case expire
        /// The lapsed amount returns: expired → fund.
        case restore
        /// A remuneration or subsidy approved by a second person: its fund → its payable (docs/LEDGER.md "Payments").
        case paymentApprove = "payment-approve"
        /// A named payee (an author, a unit) was paid: payable → paid, recorded by an accountant.
        case paymentPay = "payment-pay"
        /// An informant's remuneration voucher was redeemed: payable → paid.
        case paymentRedeem = "payment-redeem"
        /// An informant's voucher lapsed: payable → expired.
        case paymentExpire = "payment-expire"
        /// The lapsed remuneration returns: expired → its fund.
        case paymentRestore = "payment-restore"

        /// Whether the entry concerns a payment (remuneration or subsidy) rather than a reward.
        public var isPayment: Bool { rawValue.hasPrefix("payment-") }
    }

    /// Position in the chain, from 1 with no gaps.
    public let seq: Int64
    /// When it was posted (UTC seconds).
    public let at: Int64
    /// What it records.
    public let kind: Kind
    /// The sum of the debits, equal to the sum of the credits.
    public let total: Fen
    /// The reward it concerns (nil for a top-up and for payments).
    public let rewardID: Int64?
    /// The staff key id that caused it, or `system` for expiry.
    public let actor: String
    /// A short note (the top-up memo, or the tip reference for reward entries).
    public let memo: String
    /// SHA-256 (hex) of the canonical record of the action behind the entry.
    public let evidence: String
    /// The posting lines.
    public let postings: [Posting]
    /// The previous entry's hash (hex; 64 zeros for the first).
    public let prevHash: String
    /// SHA-256 (hex) of this entry's canonical encoding (docs/LEDGER.md "Chain").
    public let hash: String

    /// An entry as read from the journal.
    public init(seq: Int64, at: Int64, kind: Kind, total: Fen, rewardID: Int64?, actor: String, memo: String,
                evidence: String, postings: [Posting], prevHash: String, hash: String) {
        self.seq = seq
        self.at = at
        self.kind = kind
        self.total = total
        self.rewardID = rewardID
        self.actor = actor
        self.memo = memo
        self.evidence = evidence
        self.postings = postings
        self.prevHash = prevHash
        self.hash = hash
    }
}
