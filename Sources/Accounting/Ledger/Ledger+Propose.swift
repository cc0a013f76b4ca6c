public import LedgerModel
import Foundation
import GRDB

extension Ledger {
    /// Proposes a reward for a verified tip (step 1 of two-person approval). No money moves.
    ///
    /// Refused when the tip is not `verified`, duplicates an earlier tip (only the first
    /// reporter is rewarded), was filed without a reward request, already has an approved reward
    /// or a pending proposal (from the ledger itself), or when `amount` is outside the range the
    /// policy allows for `outcome` (the error names the range).
    ///
    /// - Parameters:
    ///   - reference: the tip's public reference.
    ///   - centre: the centre that handled the tip (for reports).
    ///   - outcome: the verified outcome recorded at triage.
    ///   - amount: the proposed reward.
    ///   - tip: the tip's facts, as the tip store has them.
    ///   - proposer: a triage officer or supervisor (per policy), with the signed request.
    ///   - idempotencyKey: the same key with the same request returns the same proposal.
    ///   - now: UTC seconds.
    public func propose(reference: String, centre: String, outcome: RewardBasis, amount: Fen, tip: TipFacts,
                        proposer: SignedStaffRequest, idempotencyKey: String, now: Int64) async throws(LedgerError) -> Reward {
        try Self.checkReference(reference)
        try Self.checkCentre(centre)
        try Self.checkAmount(amount)
        try Self.checkTime(now)
        try proposer.validate()
        guard policy.approval.proposerRoles.contains(proposer.role) else {
            throw .roleNotAllowed(action: "propose a reward", role: proposer.role)
        }
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("propose") { out in
            out.text(reference)
            out.text(centre)
            out.text(outcome.canonicalText)
            out.int(amount.rawValue)
            out.text(tip.status)
            out.optionalText(tip.duplicateOf)
            out.int(tip.wantsReward ? 1 : 0)
            Self.encode(proposer, into: &out)
        }
        let policy = self.policy
        let policyDigest = self.policyDigest
        return try await write { db in
            if let command = try Self.replay(key, kind: "propose", requestHash: requestHash, db) {
                return try Self.reward(id: Int64(command.result) ?? 0, db)
            }
            guard tip.status == "verified" else {
                throw LedgerError.tipNotVerified(reference: reference, status: Self.safeStatus(tip.status))
            }
            guard tip.duplicateOf == nil else { throw LedgerError.duplicateTip(reference: reference) }
            guard tip.wantsReward else { throw LedgerError.rewardNotWanted(reference: reference) }
            let states = try Optional<DecisionRecord.Decision>.fetchAll(db, sql: """
                SELECT d.decision FROM reward_proposal p LEFT JOIN reward_decision d ON d.proposal_id = p.id
                WHERE p.reference = ?
                """, arguments: [reference])
            if states.contains(.approved) { throw LedgerError.alreadyRewarded(reference: reference) }
            if states.contains(where: { $0 == nil }) { throw LedgerError.proposalPending(reference: reference) }
            let range = try policy.allowedRange(for: outcome)
            guard range.contains(amount) else { throw LedgerError.amountOutsideTier(amount: amount, allowed: range) }

            var action = ActionRecord(id: nil, kind: .propose, at: now, keyID: proposer.keyID,
                                      role: proposer.role.rawValue, request: proposer.request,
                                      signature: proposer.signature, entrySeq: nil)
            try action.insert(db)
            var proposal = ProposalRecord(
                id: nil, reference: reference, centre: centre, outcome: outcome.canonicalText,
                tier: range.tier, minAmount: range.minimum.rawValue, maxAmount: range.maximum.rawValue,
                capped: range.capped, amount: amount.rawValue, policyDigest: Data(policyDigest), proposedAt: now,
                actionID: action.id!)
            try proposal.insert(db)
            try Self.remember(key, kind: "propose", requestHash: requestHash, result: String(proposal.id!), at: now, db)
            return try Self.reward(id: proposal.id!, db)
        }
    }

    /// A status for an error message: the caller's text only if it is a plain lowercase word.
    static func safeStatus(_ status: String) -> String {
        (1...16).contains(status.utf8.count) && status.utf8.allSatisfy({ (0x61...0x7A).contains($0) }) ? status : "not verified"
    }
}
