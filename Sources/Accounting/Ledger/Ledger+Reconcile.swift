public import Foundation
public import LedgerModel
import GRDB

extension Ledger {
    /// What an approval posted at `seq` kept for retries: the voucher code as the approval's `seal`
    /// sealed it (to the reporter's or the informant's key), with its expiry — nil for an entry that is
    /// not an approval, or one approved without `seal`. Start-up reconciliation stores it for the
    /// reporter or informant when the process stopped before the server's own transaction did.
    public func sealedVoucher(approvedAt seq: Int64) async throws(LedgerError) -> (sealed: Data, expiresAt: Int64)? {
        try await read { db in
            guard let entry = try EntryRecord.fetchOne(db, key: seq) else { return nil }
            switch entry.kind {
            case .approve:
                guard let rewardID = entry.rewardID,
                      let sealed = try Self.sealedCode(kind: "approve", result: String(rewardID), db),
                      let expiresAt = try VoucherRecord.select(VoucherRecord.Columns.expiresAt, as: Int64.self)
                          .filter(VoucherRecord.Columns.proposalID == rewardID).fetchOne(db)
                else { return nil }
                return (sealed, expiresAt)
            case .paymentApprove:
                guard let paymentID = try PaymentDecisionRecord.select(PaymentDecisionRecord.Columns.paymentID, as: Int64.self)
                        .filter(PaymentDecisionRecord.Columns.entrySeq == seq).fetchOne(db),
                      let sealed = try Self.sealedCode(kind: "payment-approve", result: String(paymentID), db),
                      let expiresAt = try PaymentVoucherRecord.select(PaymentVoucherRecord.Columns.expiresAt, as: Int64.self)
                          .filter(PaymentVoucherRecord.Columns.paymentID == paymentID).fetchOne(db)
                else { return nil }
                return (sealed, expiresAt)
            default:
                return nil
            }
        }
    }

    /// The sealed code a `kind` command with `result` kept (nil: none, or it kept none).
    static func sealedCode(kind: String, result: String, _ db: Database) throws -> Data? {
        try CommandRecord.select(CommandRecord.Columns.sealedCode, as: Data.self)
            .filter(CommandRecord.Columns.kind == kind && CommandRecord.Columns.result == result).fetchOne(db)
    }

    /// The payment an approval, payment or redemption entry at `seq` belongs to, if any.
    public func payment(postedAt seq: Int64) async throws(LedgerError) -> Payment? {
        try await read { db in
            let id = try Int64.fetchOne(db, sql: """
                SELECT payment_id FROM payment_decision WHERE entry_seq = ?1
                UNION SELECT payment_id FROM payment_settlement WHERE entry_seq = ?1
                """, arguments: [seq])
            return try id.map { try Self.payment(id: $0, db) }
        }
    }
}
