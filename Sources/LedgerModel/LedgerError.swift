public import TiplineCore

/// The one error type of the `Accounting` module.
///
/// Descriptions name what was refused and why, using only public references, amounts, account
/// names and key ids — never a voucher code, a request body or a memo.
public enum LedgerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An argument is malformed (e.g. an empty reference, a key id that is not hex, a negative amount).
    case invalidArgument(String)
    /// The policy itself is inconsistent (e.g. a tier whose minimum exceeds its maximum).
    case invalidPolicy(String)
    /// The acting staff member's role may not do this (e.g. an accountant proposing a reward).
    case roleNotAllowed(action: String, role: StaffRole)
    /// The tip is not in status `verified` (S-3.4: only verified, handled leads earn a reward).
    case tipNotVerified(reference: String, status: String)
    /// The tip duplicates an earlier tip: only the first reporter is rewarded.
    case duplicateTip(reference: String)
    /// The reporter did not ask for a reward.
    case rewardNotWanted(reference: String)
    /// The tip already has an approved (issued, paid or lapsed) reward.
    case alreadyRewarded(reference: String)
    /// The tip already has a proposal waiting for a second person.
    case proposalPending(reference: String)
    /// No pending proposal exists for the tip.
    case noPendingProposal(reference: String)
    /// The proposed amount is outside what the policy allows for the verified outcome.
    case amountOutsideTier(amount: Fen, allowed: RewardRange)
    /// The approver is the proposer: two different people must act.
    case selfApproval
    /// The reward fund's uncommitted balance cannot cover the amount.
    case insufficientFund(available: Fen, needed: Fen)
    /// No voucher has this code.
    case unknownVoucher
    /// The voucher has already been paid.
    case voucherAlreadyRedeemed
    /// The voucher's claim window has passed.
    case voucherExpired(expiredAt: Int64)
    /// The idempotency key was already used for a different request.
    case idempotencyKeyReused
    /// No payment has this id (or no payment policy is loaded).
    case unknownPayment(id: Int64)
    /// A payment command refused, with the reason (a cap, a cover already paid, a state).
    case paymentRefused(String)
    /// An amount would overflow 64-bit fen.
    case overflow
    /// The ledger file could not be opened, read or written.
    case storage(String)

    /// A description free of personal data and secrets.
    public var description: String {
        switch self {
        case let .invalidArgument(what): "invalid argument: \(what)"
        case let .invalidPolicy(what): "invalid reward policy: \(what)"
        case let .roleNotAllowed(action, role): "a \(role.rawValue) may not \(action)"
        case let .tipNotVerified(reference, status):
            "tip \(reference) is \(status), not verified: only verified and handled leads are rewarded"
        case let .duplicateTip(reference):
            "tip \(reference) duplicates an earlier tip: only the first reporter is rewarded"
        case let .rewardNotWanted(reference): "the reporter of tip \(reference) did not ask for a reward"
        case let .alreadyRewarded(reference): "tip \(reference) already has a reward"
        case let .proposalPending(reference): "tip \(reference) already has a proposal awaiting approval"
        case let .noPendingProposal(reference): "tip \(reference) has no proposal awaiting approval"
        case let .amountOutsideTier(amount, allowed):
            "\(amount) is outside the allowed range \(allowed.minimum)–\(allowed.maximum) (\(allowed.tier.rawValue))"
        case .selfApproval: "the approver proposed this reward: a second, different supervisor must approve"
        case let .insufficientFund(available, needed):
            "the reward fund has \(available) uncommitted, \(needed) needed"
        case .unknownVoucher: "no voucher has this code"
        case .voucherAlreadyRedeemed: "this voucher has already been paid"
        case let .voucherExpired(at): "this voucher's claim window closed at \(at) (UTC seconds)"
        case .idempotencyKeyReused: "this idempotency key was already used for a different request"
        case let .unknownPayment(id): "no payment \(id)"
        case let .paymentRefused(why): why
        case .overflow: "amount overflow"
        case let .storage(what): "ledger storage: \(what)"
        }
    }
}
