public import LedgerModel
import Foundation
import GRDB

extension Ledger {
    /// Lapses every outstanding voucher whose claim window has passed by `now`, returning its
    /// amount to the fund: Dr payable / Cr expired, then Dr expired / Cr fund — informants'
    /// remuneration vouchers likewise, back to the information fund (`payment-expire`, `payment-restore`).
    ///
    /// Safe to run at any time and as often as wanted; with the same idempotency key it returns
    /// the first sweep's result and posts nothing more.
    public func expire(now: Int64, idempotencyKey: String) async throws(LedgerError) -> ExpiryResult {
        try Self.checkTime(now)
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("expire") { _ in }
        return try await write { db in
            if let command = try Self.replay(key, kind: "expire", requestHash: requestHash, db) {
                return try Self.expiryResult(command.result, db)
            }
            let due = try VoucherRecord.fetchAll(db, sql: """
                SELECT v.* FROM voucher v LEFT JOIN voucher_settlement s ON s.voucher_hash = v.hash
                WHERE s.voucher_hash IS NULL AND v.expires_at <= ? ORDER BY v.expires_at, v.proposal_id
                """, arguments: [now])
            var seqs: [Int64] = []
            for voucher in due {
                let reference = try Self.reference(ofReward: voucher.proposalID, db)
                let seq = try Self.nextSeq(db)
                try SettlementRecord(voucherHash: voucher.hash, outcome: .expired, settledAt: now, actionID: nil,
                                     entrySeq: seq).insert(db)
                try Self.post(kind: .expire, at: now, rewardID: voucher.proposalID, actor: "system", memo: reference,
                              evidence: Self.expiryEvidence(voucher, kind: .expire),
                              lines: [(.payable, .debit, voucher.amount), (.expired, .credit, voucher.amount)], db)
                try Self.post(kind: .restore, at: now, rewardID: voucher.proposalID, actor: "system", memo: reference,
                              evidence: Self.expiryEvidence(voucher, kind: .restore),
                              lines: [(.expired, .debit, voucher.amount), (.fund, .credit, voucher.amount)], db)
                seqs.append(seq)
            }
            // Informants' remuneration vouchers lapse the same way, back to the information fund.
            let duePayments = try PaymentVoucherRecord.fetchAll(db, sql: """
                SELECT v.* FROM payment_voucher v LEFT JOIN payment_settlement s ON s.payment_id = v.payment_id
                WHERE s.payment_id IS NULL AND v.expires_at <= ? ORDER BY v.expires_at, v.payment_id
                """, arguments: [now])
            for voucher in duePayments {
                let payment = try Self.payment(id: voucher.paymentID, db)
                let seq = try Self.nextSeq(db)
                try PaymentSettlementRecord(paymentID: voucher.paymentID, outcome: .expired, settledAt: now, actionID: nil,
                                            entrySeq: seq).insert(db)
                try Self.post(kind: .paymentExpire, at: now, rewardID: nil, actor: "system", memo: payment.subject,
                              evidence: Self.paymentExpiryEvidence(voucher, kind: .paymentExpire),
                              lines: [(payment.scheme.payable, .debit, voucher.amount), (.expired, .credit, voucher.amount)], db)
                try Self.post(kind: .paymentRestore, at: now, rewardID: nil, actor: "system", memo: payment.subject,
                              evidence: Self.paymentExpiryEvidence(voucher, kind: .paymentRestore),
                              lines: [(.expired, .debit, voucher.amount), (payment.scheme.fund, .credit, voucher.amount)], db)
                seqs.append(seq)
            }
            let result = seqs.map(String.init).joined(separator: ",")
            try Self.remember(key, kind: "expire", requestHash: requestHash, result: result, at: now, db)
            return try Self.expiryResult(result, db)
        }
    }

    /// Rebuilds a sweep's result from the `expire` entries it posted (each followed by its restore).
    static func expiryResult(_ result: String, _ db: Database) throws -> ExpiryResult {
        var rewards: [Reward] = []
        var entries: [JournalEntry] = []
        for text in result.split(separator: ",") {
            guard let seq = Int64(text) else { throw LedgerError.storage("malformed stored result") }
            let expire = try entry(seq: seq, db)
            entries.append(expire)
            entries.append(try entry(seq: seq + 1, db))
            if let rewardID = expire.rewardID { rewards.append(try reward(id: rewardID, db)) }
        }
        return ExpiryResult(rewards: rewards, entries: entries)
    }
}
