public import LedgerModel
import TiplineCore
import Foundation
import GRDB
import Sealing

extension Ledger {
    /// Pays a voucher: Dr payable / Cr paid. A code pays once.
    ///
    /// The code is looked up by its SHA-256 (the stored hash is compared again in constant
    /// time). Refused for an unknown or malformed code, a code already paid, and a code whose
    /// claim window has passed (whether or not `expire` has run yet).
    ///
    /// - Parameters:
    ///   - code: the voucher code as the reporter presents it (case, hyphens and spaces ignored).
    ///   - accountant: the accountant paying out, with the signed request.
    ///   - idempotencyKey: the same key with the same request returns the same redemption.
    ///   - now: UTC seconds.
    public func redeem(code: String, accountant: SignedStaffRequest, idempotencyKey: String,
                       now: Int64) async throws(LedgerError) -> Redemption {
        let (key, codeHash, requestHash) = try Self.redemption("redeem", code: code, accountant: accountant,
                                                               idempotencyKey: idempotencyKey, now: now)
        return try await write { db in
            if let command = try Self.replay(key, kind: "redeem", requestHash: requestHash, db) {
                let reward = try Self.reward(id: Int64(command.result) ?? 0, db)
                guard let hash = try VoucherRecord.select(VoucherRecord.Columns.hash, as: Data.self)
                    .filter(VoucherRecord.Columns.proposalID == reward.id).fetchOne(db),
                      let settlement = try SettlementRecord.fetchOne(db, key: hash) else {
                    throw LedgerError.storage("redemption missing")
                }
                return Redemption(reward: reward, entry: try Self.entry(seq: settlement.entrySeq, db))
            }
            guard let voucher = try VoucherRecord.fetchOne(db, key: Data(codeHash)),
                  ConstantTime.equals(Array(voucher.hash), codeHash) else {
                throw LedgerError.unknownVoucher
            }
            if let settlement = try SettlementRecord.fetchOne(db, key: voucher.hash) {
                throw settlement.outcome == .redeemed
                    ? LedgerError.voucherAlreadyRedeemed : LedgerError.voucherExpired(expiredAt: voucher.expiresAt)
            }
            guard now < voucher.expiresAt else { throw LedgerError.voucherExpired(expiredAt: voucher.expiresAt) }
            let seq = try Self.nextSeq(db)
            var action = ActionRecord(id: nil, kind: .redeem, at: now, keyID: accountant.keyID,
                                      role: accountant.role.rawValue, request: accountant.request,
                                      signature: accountant.signature, entrySeq: seq)
            try action.insert(db)
            try SettlementRecord(voucherHash: voucher.hash, outcome: .redeemed, settledAt: now,
                                 actionID: action.id!, entrySeq: seq).insert(db)
            let reference = try Self.reference(ofReward: voucher.proposalID, db)
            let record = try Self.post(
                kind: .redeem, at: now, rewardID: voucher.proposalID, actor: accountant.keyID, memo: reference,
                evidence: Self.redeemEvidence(voucher, action: action),
                lines: [(.payable, .debit, voucher.amount), (.paid, .credit, voucher.amount)], db)
            try Self.remember(key, kind: "redeem", requestHash: requestHash, result: String(voucher.proposalID),
                              at: now, db)
            return Redemption(reward: try Self.reward(id: voucher.proposalID, db), entry: try Self.entry(record, db))
        }
    }

    /// The reward a voucher code belongs to (amount, expiry, state), for the cashier to check before
    /// paying; reads only. Refused like `redeem` for an unknown or malformed code.
    public func voucher(code: String) async throws(LedgerError) -> Reward {
        guard let voucherCode = VoucherCode(parsing: code) else { throw .unknownVoucher }
        let codeHash = voucherCode.hash
        return try await read { db in
            guard let voucher = try VoucherRecord.fetchOne(db, key: Data(codeHash)), ConstantTime.equals(Array(voucher.hash), codeHash) else {
                throw LedgerError.unknownVoucher
            }
            return try Self.reward(id: voucher.proposalID, db)
        }
    }

    /// What every redemption checks first — time, the signed actor, a role that may pay, the key, the
    /// code's form — and its key, the code's hash and the request hash (a reward's `redeem`, a payment's
    /// `payment-redeem`).
    static func redemption(_ kind: String, code: String, accountant: SignedStaffRequest, idempotencyKey: String,
                           now: Int64) throws(LedgerError) -> (CommandKey, [UInt8], [UInt8]) {
        try checkTime(now)
        try accountant.validate()
        guard StaffAction.redeemVoucher.allows(accountant.role) else {
            throw .roleNotAllowed(action: "pay a voucher", role: accountant.role)
        }
        let key = try CommandKey(idempotencyKey)
        guard let voucherCode = VoucherCode(parsing: code) else { throw .unknownVoucher }
        let codeHash = voucherCode.hash
        let requestHash = Self.requestHash(kind) { out in
            out.blob(codeHash)
            encode(accountant, into: &out)
        }
        return (key, codeHash, requestHash)
    }
}
