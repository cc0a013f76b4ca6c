import Accounting
import Foundation
import LedgerModel
import Logging
import Sealing
import TiplineStore

/// Start-up reconciliation of the two databases (issue 12 item 11). Every ledger command commits in
/// `ledger.sqlite` first, then the server writes its audit entry (and, for an approval, the voucher copy
/// for the reporter or informant) in the main database. A process stopped between the two leaves a
/// posting no audit entry names: `tipline-audit verify` reports it, and at the next start this records
/// it (`ledger.reconciled`, naming the posting, its kind, amount and signer) and stores the voucher
/// copy the ledger kept — so the two never disagree silently, and no approved voucher is lost.
struct LedgerReconciler: Sendable {
    let ledger: any RewardLedger
    let store: any RewardRecordStore & RemunerationStore

    /// How many recent claiming entries are read: postings older than the oldest of them were reconciled
    /// at an earlier start (the crash window only ever holds the newest postings).
    static let window = 2_000

    /// Records every unclaimed posting; returns how many.
    @discardableResult
    func run(at: Int64, logger: Logger) async throws -> Int {
        let claimed = try await store.recentLedgerClaims(limit: Self.window)
        let floor = claimed.count >= Self.window ? (claimed.min() ?? 0) : 0
        var recorded = 0
        for entry in try await ledger.journal(from: floor + 1) where !claimed.contains(entry.seq) {
            // A restore is part of its expiry; neither needs a second entry.
            guard entry.kind != .restore, entry.kind != .paymentRestore else { continue }
            var voucher: UnrecordedPosting.Voucher?
            if let kept = try await ledger.sealedVoucher(approvedAt: entry.seq),
               let envelope = try? JSONDecoder().decode(Envelope.self, from: kept.sealed) {
                var informant: (pseudonym: String, paymentID: Int64)?
                if entry.kind == .paymentApprove, let payment = try await ledger.payment(postedAt: entry.seq), payment.paysInformant,
                   let pseudonym = try await store.payableAdoptions(item: payment.subject).compactMap(\.informant).first?.pseudonym {
                    informant = (pseudonym, payment.id)
                }
                voucher = .init(envelope: envelope, expiresAt: kept.expiresAt, tip: entry.kind == .approve ? entry.memo : nil, informant: informant)
            }
            try await store.recordReconciliation(UnrecordedPosting(seq: entry.seq, kind: entry.kind.rawValue, totalFen: entry.total.rawValue,
                                                                   memo: entry.memo, actor: entry.actor, voucher: voucher), at: at)
            recorded += 1
        }
        if recorded > 0 {
            logger.warning("ledger postings recorded at start-up", metadata: ["count": "\(recorded)"])
        }
        return recorded
    }
}
