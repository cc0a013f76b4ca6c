public import LedgerModel
import TiplineCore
/// What `Ledger.verify` found: counts, and per check how much it examined and its first problem.
public struct LedgerVerification: Sendable, Equatable, Codable {
    /// The checks, in the order they run.
    public enum Check: String, Sendable, Codable, CaseIterable {
        /// Every entry's debits equal its credits and its total; every posting belongs to an entry.
        case balanced
        /// Sequence numbers run from 1 without gaps, each `prev_hash` links, each hash recomputes,
        /// and the chain matches the checkpoint if one was given.
        case chain
        /// No voucher is paid twice or both paid and expired; every settlement matches its entry.
        case vouchers
        /// Every payable is backed by a proposal and an approval by two different people in
        /// permitted roles, and the entry's evidence hash matches those records.
        case approvals
        /// Every top-up is backed by a funding action whose evidence matches.
        case funding
        /// Every remuneration or subsidy posting is backed by its proposal, payees and covers, an
        /// approval by a second person in a permitted role, and (for a payment or redemption) the
        /// settling action; evidence recomputes; no cover is paid twice (docs/LEDGER.md "Payments").
        case payments
        /// The running balances equal the sums of the postings; money is conserved; payable equals
        /// the outstanding vouchers; expired is zero.
        case balances
        /// Every stored staff action's signature verifies under the caller's staff keys
        /// (skipped when no keys were given).
        case signatures
    }

    /// The outcome of one check.
    public struct Result: Sendable, Equatable, Codable {
        /// Which check.
        public let check: Check
        /// How many items it examined.
        public let checked: Int
        /// How many problems it found.
        public let problems: Int
        /// The first problem, naming the entry, reward or account (never a code or request).
        public let firstProblem: String?
        /// Whether it was skipped (signatures without keys).
        public let skipped: Bool

        /// A check's outcome.
        public init(check: Check, checked: Int, problems: Int, firstProblem: String?, skipped: Bool = false) {
            self.check = check
            self.checked = checked
            self.problems = problems
            self.firstProblem = firstProblem
            self.skipped = skipped
        }

        /// Whether the check found nothing wrong.
        public var passed: Bool { problems == 0 }
    }

    /// Journal entries examined.
    public let entries: Int
    /// Posting lines examined.
    public let postings: Int
    /// Rewards (proposals) examined.
    public let rewards: Int
    /// Vouchers examined.
    public let vouchers: Int
    /// Remuneration and subsidy payments examined.
    public let payments: Int
    /// The chain head found.
    public let head: LedgerHead
    /// One result per check, in `Check.allCases` order.
    public let results: [Result]

    /// A report.
    public init(entries: Int, postings: Int, rewards: Int, vouchers: Int, payments: Int = 0, head: LedgerHead, results: [Result]) {
        self.entries = entries
        self.postings = postings
        self.rewards = rewards
        self.vouchers = vouchers
        self.payments = payments
        self.head = head
        self.results = results
    }

    /// Whether every check passed.
    public var passed: Bool { results.allSatisfy(\.passed) }

    /// The checks that failed.
    public var failedChecks: [Check] { results.filter { !$0.passed }.map(\.check) }

    /// The result of `check`.
    public func result(_ check: Check) -> Result? { results.first { $0.check == check } }

    /// A plain-text summary, one line per check, for the CLI.
    public var summary: String {
        var lines = ["ledger: \(entries) entries, \(postings) postings, \(rewards) rewards, \(vouchers) vouchers, \(payments) payments; head \(head.seq) \(head.hash)"]
        for result in results {
            let state = result.skipped ? "skipped" : result.passed ? "ok" : "FAILED (\(result.problems))"
            lines.append("\(result.check.rawValue): \(state), \(result.checked) checked"
                         + (result.firstProblem.map { "; first: \($0)" } ?? ""))
        }
        lines.append(passed ? "verify: passed" : "verify: FAILED")
        return lines.joined(separator: "\n")
    }
}

/// The ledger verifier's tally (one `CheckTally` for every verifier): problems are plain text.
typealias LedgerTally = CheckTally<LedgerVerification.Check, String>

extension CheckTally where Name == LedgerVerification.Check, Failure == String {
    /// The check's result for `LedgerVerification`.
    func result(skipped: Bool = false) -> LedgerVerification.Result {
        .init(check: name, checked: checked, problems: failures, firstProblem: first, skipped: skipped)
    }
}
