import Accounting
import Foundation
import LedgerModel
import Sealing
import TiplineCore
import TiplineAdminAPI
import TiplineStore

/// Joins the tip store and the reward ledger (rewards issue): the one place every ledger command of the
/// rewards runs — propose, approve, decline, fund, redeem, expire — each followed by its audit entry
/// (docs/LEDGER.md "Two databases": the ledger commits first; a stop in between is reconciled at the next
/// start). The ledger sees only public facts; the voucher code is sealed to the reporter key the moment it
/// exists and is never shown to staff.
struct RewardDesk: Sendable {
    let ledger: any RewardLedger
    let store: any RewardRecordStore & AuditTrailStore

    /// The ledger's view of a staff actor.
    static func ledgerActor(_ actor: StaffActor) throws -> SignedStaffRequest {
        let role = actor.member.role
        // The ledger keeps the signed message (its body hash included) so it can check the signature
        // on its own; the body itself stays with the audit entry.
        let message = SignedAdminRequest.parse(Array(actor.request))?.message ?? Array(actor.request)
        return SignedStaffRequest(keyID: actor.member.keyID, role: role, request: Data(message), signature: actor.signature)
    }

    static func ledgerOutcome(_ outcome: VerifiedOutcome) -> RewardBasis {
        RewardBasis(kind: outcome.kind == .criminal ? .criminal : .administrative,
                                   turnoverFen: outcome.turnoverFen.map { Fen($0) },
                                   finesAndConfiscationsFen: outcome.finesFen.map { Fen($0) },
                                   equipmentLead: outcome.equipmentLead, harmsMinorsOnline: outcome.harmsMinorsOnline)
    }

    func propose(_ reference: String, amountFen: Int64, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Reward {
        let facts = try await store.rewardFacts(reference, for: actor.member)
        guard let outcome = facts.outcome else {
            throw LedgerError.tipNotVerified(reference: reference, status: facts.status)
        }
        let reward = try await ledger.propose(
            reference: reference, centre: facts.centre, outcome: Self.ledgerOutcome(outcome), amount: Fen(amountFen),
            tip: TipFacts(status: facts.status, duplicateOf: facts.duplicateOf, wantsReward: facts.wantsReward),
            proposer: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
        try await store.recordLedgerAction(.proposeReward, subject: reference, details: [
            "amount_fen": String(reward.amount.rawValue), "reward_id": String(reward.id),
            "allowed": "\(reward.allowed)", "idempotency": Hashing.sha256Hex(Array(idempotencyKey.utf8)),
        ], by: actor, at: at)
        return reward
    }

    /// Approves: posts the payable, seals the new voucher code to the reporter key, stores it.
    func approve(_ reference: String, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Reward {
        let facts = try await store.rewardFacts(reference, for: actor.member)
        // The tip must still be rewardable at approval time, not only when it was proposed.
        guard facts.status == TipStatus.verified.rawValue || facts.status == TipStatus.closed.rawValue, facts.duplicateOf == nil else {
            throw LedgerError.tipNotVerified(reference: reference, status: facts.status)
        }
        // The code is sealed to the reporter key inside the ledger's transaction; the ledger keeps
        // only that envelope for retries (nobody on the host can open it, docs/LEDGER.md).
        let reporter = try X25519PublicKey(rawRepresentation: facts.reporterPublicKey)
        let issue = try await ledger.approve(reference: reference, approver: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey,
                                       now: at, seal: { code in
            let sealed = try EnvelopeCrypto.seal(recordID: Hex.encode(SecureRandom.bytes(16)), content: [("voucher", Array(code.text.utf8))],
                                                 identity: [], contentRecipients: [reporter], identityRecipients: [])
            return try JSONEncoder().encode(sealed.envelope)
        })
        guard let stored = issue.sealedCode, let envelope = try? JSONDecoder().decode(Envelope.self, from: stored) else {
            throw APIError(status: .conflict, code: "conflict", message: "this approval was made before v5: its voucher copy is gone; ask an administrator")
        }
        try await store.storeVoucher(reference, envelope: envelope, amountFen: issue.reward.amount.rawValue,
                                     expiresAt: issue.expiresAt, details: [
                                        "amount_fen": String(issue.reward.amount.rawValue), "reward_id": String(issue.reward.id),
                                        "proposer": issue.reward.proposerKeyID, "voucher_hash": issue.reward.voucherHash ?? "",
                                        "expires_at": String(issue.expiresAt), "ledger_entry": String(issue.entry.seq),
                                     ], by: actor, at: at)
        return issue.reward
    }

    /// Declines the pending proposal for `reference`; `reason` (already one clean line) is shown to the reporter.
    func decline(_ reference: String, reason: String?, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Reward {
        // Scoped like tips: another district's reward answers 404 (issue 11, item 6).
        try await store.requireVisible(reference, to: actor.member)
        let reward = try await ledger.decline(reference: reference, by: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
        var details: [String: String] = ["declined": "1", "reward_id": String(reward.id)]
        if let reason { details["reason"] = reason }
        try await store.recordLedgerAction(.approveReward, subject: reference, details: details, by: actor, at: at)
        return reward
    }

    /// Tops up `account` (the reward, information or subsidy fund).
    func fund(amountFen: Int64, memo: String, into account: LedgerAccount, idempotencyKey: String, by actor: StaffActor,
              at: Int64) async throws -> JournalEntry {
        let entry = try await ledger.fund(amount: Fen(amountFen), memo: memo, by: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey,
                                    now: at, into: account)
        try await store.recordLedgerAction(.fundRewards, subject: "ledger", details: [
            "amount_fen": String(amountFen), "ledger_entry": String(entry.seq), "account": account.rawValue,
        ], by: actor, at: at)
        return entry
    }

    /// Pays the voucher a cashier is shown: a reporter's reward or an informant's remuneration (issue 17),
    /// so the cashier need not know which it is.
    func redeem(code: String, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> RewardSummary {
        if (try? await ledger.voucher(code: code)) == nil, (try? await ledger.paymentVoucher(code: code)) != nil {
            let settled = try await ledger.redeemPayment(code: code, accountant: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
            try await store.recordLedgerAction(.redeemVoucher, subject: settled.payment.subject, details: [
                "amount_fen": String(settled.payment.amount.rawValue), "voucher_hash": settled.payment.voucherHash ?? "",
                "payment_id": String(settled.payment.id), "ledger_entry": String(settled.entry.seq),
            ], by: actor, at: at)
            return RewardSummary(payment: settled.payment)
        }
        let redemption = try await ledger.redeem(code: code, accountant: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
        try await store.recordLedgerAction(.redeemVoucher, subject: redemption.reward.reference, details: [
            "amount_fen": String(redemption.reward.amount.rawValue), "voucher_hash": redemption.reward.voucherHash ?? "",
            "ledger_entry": String(redemption.entry.seq),
        ], by: actor, at: at)
        return RewardSummary(redemption.reward)
    }

    /// Lapses every voucher past its claim window (rewards and informants' remuneration) and records it:
    /// as the accountant's `ledger.expire` naming every expiry posting, or — `actor` nil, the server's
    /// timer — one server entry per lapsed voucher (naming the tip or item, never the informant).
    @discardableResult
    func expire(idempotencyKey: String, by actor: StaffActor?, at: Int64) async throws -> ExpiryResult {
        let result = try await ledger.expire(now: at, idempotencyKey: idempotencyKey)
        let expiries = result.entries.filter { $0.kind == .expire || $0.kind == .paymentExpire }
        if let actor {
            try await store.recordLedgerAction(.expireVouchers, subject: "ledger", details: [
                "expired": String(expiries.count),
                // Each expiry posting's seq, so `audit verify` can match ledger and audit (issue 11, item 10).
                "ledger_entries": expiries.map { String($0.seq) }.joined(separator: ","),
            ], by: actor, at: at)
            return result
        }
        for entry in expiries {
            var details = ["amount_fen": String(entry.total.rawValue), "ledger_entry": String(entry.seq)]
            if let reward = result.rewards.first(where: { $0.id == entry.rewardID }) {
                details["voucher_hash"] = reward.voucherHash ?? ""
            } else {
                details["payment"] = "1"
            }
            try await store.recordServerEvent(.vouchersExpired, subject: entry.memo, details: details, at: at)
        }
        return result
    }
}
