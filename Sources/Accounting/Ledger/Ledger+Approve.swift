import Foundation
public import LedgerModel
import GRDB
import Sealing

extension Ledger {
    /// Approves the pending proposal for `reference` (step 2: a second person), posts the
    /// payable (Dr fund / Cr payable) and issues a voucher.
    ///
    /// Refused when the approver proposed it (`.selfApproval`), when their role may not approve,
    /// when there is no pending proposal, or when the fund's uncommitted balance cannot cover
    /// the amount. The returned code is the only clear copy: the ledger keeps its SHA-256 and,
    /// for retries, only what `seal` made of it (the server seals it to the reporter's key, which
    /// nobody on the host holds). A retry with the same idempotency key returns the same reward,
    /// entry and sealed bytes, and no code (docs/LEDGER.md, "Retries").
    public func approve(reference: String, approver: SignedStaffRequest, idempotencyKey: String,
                        now: Int64, seal: VoucherSeal?) async throws(LedgerError) -> VoucherIssue {
        try Self.checkReference(reference)
        try Self.checkTime(now)
        try approver.validate()
        guard policy.approval.approverRoles.contains(approver.role) else {
            throw .roleNotAllowed(action: "approve a reward", role: approver.role)
        }
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("approve") { out in
            out.text(reference)
            Self.encode(approver, into: &out)
        }
        let claimWindow = policy.claimWindowSeconds
        return try await write { db in
            if let command = try Self.replay(key, kind: "approve", requestHash: requestHash, db) {
                return try Self.issue(proposalID: Int64(command.result) ?? 0, sealed: command.sealedCode, db)
            }
            let proposal = try Self.pendingProposal(reference: reference, db)
            guard let proposer = try ActionRecord.fetchOne(db, key: proposal.actionID) else {
                throw LedgerError.storage("proposal action missing")
            }
            guard proposer.keyID != approver.keyID else { throw LedgerError.selfApproval }
            let available = try Self.balances(db).fund
            guard available.rawValue >= proposal.amount else {
                throw LedgerError.insufficientFund(available: available, needed: Fen(proposal.amount))
            }
            let (expiresAt, overflow) = now.addingReportingOverflow(claimWindow)
            guard !overflow else { throw LedgerError.overflow }

            let code = VoucherCode.generate()
            let seq = try Self.nextSeq(db)
            var action = ActionRecord(id: nil, kind: .approve, at: now, keyID: approver.keyID,
                                      role: approver.role.rawValue, request: approver.request,
                                      signature: approver.signature, entrySeq: seq)
            try action.insert(db)
            try DecisionRecord(proposalID: proposal.id!, decision: .approved, decidedAt: now,
                               actionID: action.id!, entrySeq: seq).insert(db)
            let voucher = VoucherRecord(hash: Data(code.hash), proposalID: proposal.id!, amount: proposal.amount,
                                        issuedAt: now, expiresAt: expiresAt)
            try voucher.insert(db)
            try Self.post(
                kind: .approve, at: now, rewardID: proposal.id!, actor: approver.keyID, memo: proposal.reference,
                evidence: Self.approveEvidence(proposal, proposer: proposer, approver: action, decidedAt: now,
                                               voucher: voucher),
                lines: [(.fund, .debit, proposal.amount), (.payable, .credit, proposal.amount)], db)
            let sealed: Data?
            do {
                sealed = try seal?(code)
            } catch {
                throw LedgerError.storage("the voucher code could not be sealed")
            }
            try Self.remember(key, kind: "approve", requestHash: requestHash, result: String(proposal.id!),
                              sealedCode: sealed, at: now, db)
            return try Self.issue(proposalID: proposal.id!, code: code, sealed: sealed, db)
        }
    }

    /// Declines the pending proposal for `reference`; no money moves, and the tip may be
    /// proposed again. A supervisor (per policy) or the proposer themselves may decline.
    public func decline(reference: String, by actor: SignedStaffRequest, idempotencyKey: String,
                        now: Int64) async throws(LedgerError) -> Reward {
        try Self.checkReference(reference)
        try Self.checkTime(now)
        try actor.validate()
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("decline") { out in
            out.text(reference)
            Self.encode(actor, into: &out)
        }
        let approverRoles = policy.approval.approverRoles
        return try await write { db in
            if let command = try Self.replay(key, kind: "decline", requestHash: requestHash, db) {
                return try Self.reward(id: Int64(command.result) ?? 0, db)
            }
            let proposal = try Self.pendingProposal(reference: reference, db)
            let proposer = try ActionRecord.fetchOne(db, key: proposal.actionID)
            guard approverRoles.contains(actor.role) || proposer?.keyID == actor.keyID else {
                throw LedgerError.roleNotAllowed(action: "decline a reward", role: actor.role)
            }
            var action = ActionRecord(id: nil, kind: .decline, at: now, keyID: actor.keyID, role: actor.role.rawValue,
                                      request: actor.request, signature: actor.signature, entrySeq: nil)
            try action.insert(db)
            try DecisionRecord(proposalID: proposal.id!, decision: .declined, decidedAt: now,
                               actionID: action.id!, entrySeq: nil).insert(db)
            try Self.remember(key, kind: "decline", requestHash: requestHash, result: String(proposal.id!), at: now, db)
            return try Self.reward(id: proposal.id!, db)
        }
    }

    /// The undecided proposal for `reference`, or the reason there is none.
    static func pendingProposal(reference: String, _ db: Database) throws -> ProposalRecord {
        if let proposal = try ProposalRecord.fetchOne(db, sql: """
            SELECT p.* FROM reward_proposal p LEFT JOIN reward_decision d ON d.proposal_id = p.id
            WHERE p.reference = ? AND d.proposal_id IS NULL ORDER BY p.id DESC LIMIT 1
            """, arguments: [reference]) {
            return proposal
        }
        let approved = try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM reward_proposal p JOIN reward_decision d ON d.proposal_id = p.id
                           WHERE p.reference = ? AND d.decision = 'approved')
            """, arguments: [reference]) ?? false
        throw approved ? LedgerError.alreadyRewarded(reference: reference) : LedgerError.noPendingProposal(reference: reference)
    }

    /// Rebuilds an approval's result; on a retry there is no code, only the sealed copy.
    static func issue(proposalID: Int64, code: VoucherCode? = nil, sealed: Data?, _ db: Database) throws -> VoucherIssue {
        let reward = try reward(id: proposalID, db)
        guard let decision = try DecisionRecord.fetchOne(db, key: proposalID), let seq = decision.entrySeq,
              let expiresAt = reward.expiresAt else {
            throw LedgerError.storage("approval missing")
        }
        return VoucherIssue(reward: reward, code: code, sealedCode: sealed, expiresAt: expiresAt, entry: try entry(seq: seq, db))
    }
}
