public import Foundation
public import LedgerModel
import GRDB

extension Ledger {
    /// What an approval posted at `seq` kept for retries: the voucher code as the approval's `seal`
    /// sealed it (to the reporter's or the informant's key), with its expiry — nil for an entry that is
    /// not an approval, or one approved without `seal`. Start-up reconciliation stores it for the
    /// reporter or informant when the process stopped before the server's own transaction did.
    public func sealedVoucher(approvedAt seq: Int64) throws(LedgerError) -> (sealed: Data, expiresAt: Int64)? {
        try read { db in
            guard let entry = try EntryRecord.fetchOne(db, key: seq) else { return nil }
            switch entry.kind {
            case JournalEntry.Kind.approve.rawValue:
                guard let rewardID = entry.rewardID,
                      let sealed = try Data.fetchOne(db, sql: "SELECT sealed_code FROM command WHERE kind = 'approve' AND result = ?",
                                                     arguments: [String(rewardID)]),
                      let expiresAt = try Int64.fetchOne(db, sql: "SELECT expires_at FROM voucher WHERE proposal_id = ?", arguments: [rewardID])
                else { return nil }
                return (sealed, expiresAt)
            case JournalEntry.Kind.paymentApprove.rawValue:
                guard let paymentID = try Int64.fetchOne(db, sql: "SELECT payment_id FROM payment_decision WHERE entry_seq = ?", arguments: [seq]),
                      let sealed = try Data.fetchOne(db, sql: "SELECT sealed_code FROM command WHERE kind = 'payment-approve' AND result = ?",
                                                     arguments: [String(paymentID)]),
                      let expiresAt = try Int64.fetchOne(db, sql: "SELECT expires_at FROM payment_voucher WHERE payment_id = ?", arguments: [paymentID])
                else { return nil }
                return (sealed, expiresAt)
            default:
                return nil
            }
        }
    }

    /// The payment an approval, payment or redemption entry at `seq` belongs to, if any.
    public func payment(postedAt seq: Int64) throws(LedgerError) -> Payment? {
        try read { db in
            let id = try Int64.fetchOne(db, sql: """
                SELECT payment_id FROM payment_decision WHERE entry_seq = ?1
                UNION SELECT payment_id FROM payment_settlement WHERE entry_seq = ?1
                """, arguments: [seq])
            return try id.map { try Self.payment(id: $0, db) }
        }
    }
}
