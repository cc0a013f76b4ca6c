/// What the server records in the audit log on its own (actor `server`, no staff request): the
/// counterpart of `StaffAction`. The store writes these names and `tipline-audit verify` replays
/// them; both take them from here.
public enum ServerAction: String, Sendable, CaseIterable {
    /// A tip was stored (intake): routing, copies, wraps, submission hash.
    case tipReceived = "tip.received"
    /// The reporter wrote a follow-up message.
    case reporterMessage = "message.reporter"
    /// The reporter added an evidence file after submitting (issue 13 item 10): one entry per file,
    /// with the file's uid, the SHA-256 of its sealed envelope and the tip's file count after it.
    case reporterEvidence = "evidence.reporter"
    /// An informant filed a report through `/informant` (issue 15): sealed to the district office and
    /// the city office; the entry names the report, the pseudonym, the kind and the sealed bytes' hash.
    case informantReport = "informant.report"
    /// The policy files changed since the last start (their hashes).
    case policiesLoaded = "policies.loaded"
    /// The first administrator of `keys.json` was enrolled at first start.
    case staffBootstrap = "staff.bootstrap"
    /// Retention destroyed a tip's identity wraps and fields.
    case identityDestroyed = "retention.identity-destroyed"
    /// Retention destroyed a tip's content.
    case contentDestroyed = "retention.content-destroyed"
    /// The server's timer returned lapsed vouchers to the fund (same name as the accountant's request).
    case vouchersExpired = "ledger.expire"
    /// A ledger posting found at start-up without the audit entry that records it (the process stopped
    /// between the ledger's commit and the audit entry's, issue 12 item 11): recorded now, naming the
    /// posting, its kind, amount and the staff key that signed it; an approval's sealed voucher copy is
    /// stored for the reporter or informant in the same transaction.
    case ledgerReconciled = "ledger.reconciled"
    /// Receipt KDF parameters in force were recorded for tips made before per-tip parameters.
    case legacyReceiptParameters = "receipts.legacy-parameters"
}

/// The audit actions whose entries name the reward-ledger postings they record (`ledger_entry` or
/// `ledger_entries` in their details): the one list shared by the server's start-up reconciliation and
/// the auditor's ledger cross-check.
public enum LedgerClaimingAction {
    /// Their names, staff actions first, then the server's reconciliation entry.
    public static let names: [String] = [StaffAction.fundRewards, .approveReward, .redeemVoucher, .expireVouchers,
                                         .approvePayment, .payPayment].map(\.rawValue) + [ServerAction.ledgerReconciled.rawValue]
}
