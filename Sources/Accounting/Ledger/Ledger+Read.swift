import LedgerModel
import Foundation
import GRDB
import TiplineCore

extension Ledger {
    /// Balances from the running balances, positive on each account's normal side.
    static func balances(_ db: Database) throws -> LedgerBalances {
        var net: [LedgerAccount: Int64] = [:]
        for record in try AccountRecord.fetchAll(db) {
            net[record.code] = record.netDebit
        }
        var balances: [LedgerAccount: Fen] = [:]
        for account in LedgerAccount.allCases {
            let value = net[account] ?? 0
            balances[account] = Fen(account.normalSide == .debit ? value : 0 &- value)
        }
        return LedgerBalances(balances)
    }

    /// The entry at `seq` with its postings.
    static func entry(seq: Int64, _ db: Database) throws -> JournalEntry {
        guard let record = try EntryRecord.fetchOne(db, key: seq) else {
            throw LedgerError.storage("journal entry missing")
        }
        return try entry(record, db)
    }

    /// The posting lines of entry `seq`, in order.
    static func postings(ofEntry seq: Int64, _ db: Database) throws -> [PostingRecord] {
        try PostingRecord.filter(PostingRecord.Columns.entrySeq == seq).order(PostingRecord.Columns.line).fetchAll(db)
    }

    /// A public entry from its row and its postings.
    static func entry(_ record: EntryRecord, _ db: Database) throws -> JournalEntry {
        let postings = try postings(ofEntry: record.seq, db)
        return JournalEntry(
            seq: record.seq, at: record.at, kind: record.kind,
            total: Fen(record.total), rewardID: record.rewardID, actor: record.actor, memo: record.memo,
            evidence: Hex.encode(record.evidence),
            postings: postings.map {
                Posting(line: Int($0.line), account: $0.account, side: $0.side, amount: Fen($0.amount))
            },
            prevHash: Hex.encode(record.prevHash), hash: Hex.encode(record.hash))
    }

    /// The tip reference of reward `id` ("" if there is none: a memo, never an error).
    static func reference(ofReward id: Int64, _ db: Database) throws -> String {
        try ProposalRecord.select(ProposalRecord.Columns.reference, as: String.self).filter(key: id).fetchOne(db) ?? ""
    }

    /// A reward assembled from its proposal, decision, voucher and settlement.
    static func reward(id: Int64, _ db: Database) throws -> Reward {
        guard let proposal = try ProposalRecord.fetchOne(db, key: id),
              let proposer = try ActionRecord.fetchOne(db, key: proposal.actionID) else {
            throw LedgerError.storage("reward missing")
        }
        let decision = try DecisionRecord.fetchOne(db, key: id)
        let decider = try decision.flatMap { try ActionRecord.fetchOne(db, key: $0.actionID) }
        let voucher = try VoucherRecord.filter(VoucherRecord.Columns.proposalID == id).fetchOne(db)
        let settlement = try voucher.flatMap { try SettlementRecord.fetchOne(db, key: $0.hash) }
        let status: Reward.Status
        switch (decision?.decision, settlement?.outcome) {
        case (nil, _): status = .proposed
        case (.declined?, _): status = .declined
        case (_, .redeemed?): status = .paid
        case (_, .expired?): status = .expired
        default: status = .approved
        }
        let outcome = RewardBasis(canonicalText: proposal.outcome) ?? RewardBasis(kind: .administrative)
        return Reward(
            id: id, reference: proposal.reference, centre: proposal.centre, outcome: outcome,
            allowed: RewardRange(tier: proposal.tier, minimum: Fen(proposal.minAmount), maximum: Fen(proposal.maxAmount),
                                 capped: proposal.capped),
            amount: Fen(proposal.amount), status: status, proposedAt: proposal.proposedAt,
            proposerKeyID: proposer.keyID, decidedAt: decision?.decidedAt, deciderKeyID: decider?.keyID,
            voucherHash: voucher.map { Hex.encode($0.hash) }, expiresAt: voucher?.expiresAt,
            settledAt: settlement?.settledAt)
    }
}
