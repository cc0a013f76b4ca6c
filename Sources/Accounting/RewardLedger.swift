public import Foundation
public import LedgerModel
public import Sealing

/// Seals a freshly issued voucher code for its holder (the server seals it to the reporter's or the
/// informant's key). Runs inside the approval's transaction; what it returns is all a retry gets back.
public typealias VoucherSeal = @Sendable (VoucherCode) throws -> Data

/// The reward ledger as the server uses it: double-entry books of rewards, remuneration and
/// subsidies, in integer fen, hash-chained, two people per payment (docs/LEDGER.md).
///
/// The contract every implementation keeps (`RewardLedgerConformanceTests` checks it):
/// - every command runs in one transaction: it posts balanced, chained entries and records its
///   idempotency key, or changes nothing;
/// - a command retried with the same idempotency key and the same request returns the first
///   result and posts nothing; the same key with another request is `.idempotencyKeyReused`;
///   a refused command is not remembered, so its retry is evaluated afresh;
/// - a proposal is approved by a second person, never by its proposer;
/// - refusals and failures are `LedgerError`s whose text names no secret (no code, no request).
///
/// Nothing in it names a storage engine: `Ledger` keeps these books in SQLite (GRDB), and another
/// engine (PostgreSQL) can conform without changing a caller.
public protocol RewardLedger: Sendable {
    /// The reward policy proposals are priced against.
    var policy: RewardPolicy { get }
    /// The remuneration and subsidy rules; nil when opened without them (payments are then refused).
    var remunerationPolicy: RemunerationPolicy? { get }

    // MARK: Rewards

    /// Proposes a reward of `amount` for the verified tip `reference` (step 1 of two); no money moves.
    func propose(reference: String, centre: String, outcome: RewardBasis, amount: Fen, tip: TipFacts,
                 proposer: SignedStaffRequest, idempotencyKey: String, now: Int64) async throws(LedgerError) -> Reward

    /// Approves the pending proposal for `reference` (step 2, a second person): posts fund → payable
    /// and issues a voucher, whose code only the first answer carries (a retry gets `seal`'s copy).
    func approve(reference: String, approver: SignedStaffRequest, idempotencyKey: String, now: Int64,
                 seal: VoucherSeal?) async throws(LedgerError) -> VoucherIssue

    /// Declines the pending proposal for `reference`; no money moves and the tip may be proposed again.
    func decline(reference: String, by actor: SignedStaffRequest, idempotencyKey: String,
                 now: Int64) async throws(LedgerError) -> Reward

    /// Tops up `account` (one of `LedgerAccount.funds`): appropriation → that fund.
    func fund(amount: Fen, memo: String, by actor: SignedStaffRequest, idempotencyKey: String, now: Int64,
              into account: LedgerAccount) async throws(LedgerError) -> JournalEntry

    /// Pays a reward's voucher once, within its claim window: payable → paid.
    func redeem(code: String, accountant: SignedStaffRequest, idempotencyKey: String,
                now: Int64) async throws(LedgerError) -> Redemption

    /// Lapses every voucher (rewards' and informants') whose claim window has passed by `now`,
    /// returning its amount to its fund.
    func expire(now: Int64, idempotencyKey: String) async throws(LedgerError) -> ExpiryResult

    /// The reward a voucher code belongs to; reads only.
    func voucher(code: String) async throws(LedgerError) -> Reward

    /// The most recent reward for `reference`, if any.
    func reward(reference: String) async throws(LedgerError) -> Reward?

    /// All rewards, oldest first; only those in `status` unless it is nil.
    func rewards(status: Reward.Status?) async throws(LedgerError) -> [Reward]

    // MARK: Remuneration and subsidies

    /// Proposes a payment (step 1 of two); no money moves.
    func proposePayment(_ request: PaymentRequest, proposer: SignedStaffRequest, idempotencyKey: String,
                        now: Int64) async throws(LedgerError) -> Payment

    /// Approves payment `id` (a second person): posts fund → payable and, for an informant, issues a
    /// voucher whose code only `seal`'s output keeps.
    func approvePayment(id: Int64, approver: SignedStaffRequest, idempotencyKey: String, now: Int64,
                        seal: VoucherSeal?) async throws(LedgerError) -> PaymentIssue

    /// Declines payment `id`; its covers may be proposed again.
    func declinePayment(id: Int64, by actor: SignedStaffRequest, idempotencyKey: String,
                        now: Int64) async throws(LedgerError) -> Payment

    /// Records that approved payment `id` to named payees was made: payable → paid.
    func payPayment(id: Int64, accountant: SignedStaffRequest, idempotencyKey: String,
                    now: Int64) async throws(LedgerError) -> PaymentSettlement

    /// Pays an informant's voucher once, within its claim window: payable → paid.
    func redeemPayment(code: String, accountant: SignedStaffRequest, idempotencyKey: String,
                       now: Int64) async throws(LedgerError) -> PaymentSettlement

    /// The payment an informant's voucher code belongs to; reads only.
    func paymentVoucher(code: String) async throws(LedgerError) -> Payment

    /// Payment `id`.
    func payment(id: Int64) async throws(LedgerError) -> Payment

    /// The payment an approval, payment or redemption entry at `seq` belongs to, if any.
    func payment(postedAt seq: Int64) async throws(LedgerError) -> Payment?

    /// All payments, oldest first; only those of `scheme` unless it is nil.
    func payments(scheme: PaymentScheme?) async throws(LedgerError) -> [Payment]

    /// Of `covers`, those already in a payment that was not declined.
    func coveredAlready(_ covers: [String]) async throws(LedgerError) -> Set<String>

    /// What the payments of `subject` in `scheme` that were not declined add up to.
    func committed(subject: String, scheme: PaymentScheme) async throws(LedgerError) -> Fen

    // MARK: The books

    /// The journal in order, from entry `from` (1-based), at most `limit` entries (nil: all).
    func journal(from: Int64, limit: Int?) async throws(LedgerError) -> [JournalEntry]

    /// The chain head, to be recorded outside the ledger (checkpoints).
    func head() async throws(LedgerError) -> LedgerHead

    /// Current balances, positive on each account's normal side.
    func balance() async throws(LedgerError) -> LedgerBalances

    /// The reward activity of a calendar year in China time, per centre and tier.
    func report(year: Int) async throws(LedgerError) -> LedgerReport

    /// Remuneration and subsidies of a calendar year in China time, by scheme, payee type and unit.
    func paymentReport(year: Int) async throws(LedgerError) -> PaymentReport

    /// Re-derives everything the ledger claims and reports the first problem per check; `signers`
    /// (staff public keys by key id) checks every stored signature, `checkpoint` a head kept outside.
    func verify(signers: [String: Ed25519PublicKey]?, checkpoint: LedgerHead?) async throws(LedgerError) -> LedgerVerification

    /// What the approval posted at `seq` kept for retries (the sealed code and its expiry), or nil.
    func sealedVoucher(approvedAt seq: Int64) async throws(LedgerError) -> (sealed: Data, expiresAt: Int64)?
}

extension RewardLedger {
    /// Approves without sealing the code (the answer is then its only copy).
    public func approve(reference: String, approver: SignedStaffRequest, idempotencyKey: String,
                        now: Int64) async throws(LedgerError) -> VoucherIssue {
        try await approve(reference: reference, approver: approver, idempotencyKey: idempotencyKey, now: now, seal: nil)
    }

    /// Approves payment `id` without sealing an informant's code.
    public func approvePayment(id: Int64, approver: SignedStaffRequest, idempotencyKey: String,
                               now: Int64) async throws(LedgerError) -> PaymentIssue {
        try await approvePayment(id: id, approver: approver, idempotencyKey: idempotencyKey, now: now, seal: nil)
    }

    /// Tops up the reward fund.
    public func fund(amount: Fen, memo: String, by actor: SignedStaffRequest, idempotencyKey: String,
                     now: Int64) async throws(LedgerError) -> JournalEntry {
        try await fund(amount: amount, memo: memo, by: actor, idempotencyKey: idempotencyKey, now: now, into: .fund)
    }

    /// All rewards, oldest first.
    public func rewards() async throws(LedgerError) -> [Reward] {
        try await rewards(status: nil)
    }

    /// All payments, oldest first.
    public func payments() async throws(LedgerError) -> [Payment] {
        try await payments(scheme: nil)
    }

    /// The whole journal, in order.
    public func journal() async throws(LedgerError) -> [JournalEntry] {
        try await journal(from: 1, limit: nil)
    }

    /// The journal in order from entry `from` (1-based).
    public func journal(from: Int64) async throws(LedgerError) -> [JournalEntry] {
        try await journal(from: from, limit: nil)
    }

    /// Verifies without staff keys (signatures skipped) and without a checkpoint.
    public func verify() async throws(LedgerError) -> LedgerVerification {
        try await verify(signers: nil, checkpoint: nil)
    }

    /// Verifies, checking every stored signature under `signers`.
    public func verify(signers: [String: Ed25519PublicKey]?) async throws(LedgerError) -> LedgerVerification {
        try await verify(signers: signers, checkpoint: nil)
    }

    /// Verifies against a head kept outside the ledger, without staff keys.
    public func verify(checkpoint: LedgerHead?) async throws(LedgerError) -> LedgerVerification {
        try await verify(signers: nil, checkpoint: checkpoint)
    }
}
