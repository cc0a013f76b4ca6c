import Accounting
import Foundation
import LedgerModel
import Sealing
import TiplineCore
import TiplineAdminAPI
import TiplineStore

/// Joins the tip store and the reward ledger (rewards issue). The ledger sees only public facts;
/// the voucher code is sealed to the reporter key the moment it exists and is never shown to staff.
struct RewardDesk: Sendable {
    let ledger: Ledger
    let store: TriageStore

    /// The ledger's view of a staff actor.
    static func ledgerActor(_ actor: StaffActor) throws -> SignedStaffRequest {
        guard let role = actor.member.staffRole else {
            throw APIError(status: .forbidden, code: "forbidden", message: "the role \(actor.member.role) has no ledger rights")
        }
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
        let reward = try ledger.propose(
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
        let issue = try ledger.approve(reference: reference, approver: try Self.ledgerActor(actor), idempotencyKey: idempotencyKey,
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
}
