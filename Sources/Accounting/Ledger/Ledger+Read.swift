import LedgerModel
import Foundation
import GRDB
import TiplineCore

extension Ledger {
    /// Balances from the running balances, positive on each account's normal side.
    static func balances(_ db: Database) throws -> LedgerBalances {
        var net: [LedgerAccount: Int64] = [:]
        for record in try AccountRecord.fetchAll(db) {
            guard let account = LedgerAccount(rawValue: record.code) else { continue }
            net[account] = record.netDebit
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

    /// A public entry from its row and its postings.
    static func entry(_ record: EntryRecord, _ db: Database) throws -> JournalEntry {
        let postings = try PostingRecord.fetchAll(
            db, sql: "SELECT * FROM posting WHERE entry_seq = ? ORDER BY line", arguments: [record.seq])
        return JournalEntry(
            seq: record.seq, at: record.at, kind: JournalEntry.Kind(rawValue: record.kind) ?? .fund,
            total: Fen(record.total), rewardID: record.rewardID, actor: record.actor, memo: record.memo,
            evidence: Hex.encode(record.evidence),
            postings: postings.map {
                Posting(line: Int($0.line), account: LedgerAccount(rawValue: $0.account) ?? .fund,
                        side: EntrySide(rawValue: $0.side) ?? .debit, amount: Fen($0.amount))
            },
            prevHash: Hex.encode(record.prevHash), hash: Hex.encode(record.hash))
    }

    /// A reward assembled from its proposal, decision, voucher and settlement.
    static func reward(id: Int64, _ db: Database) throws -> Reward {
        guard let proposal = try ProposalRecord.fetchOne(db, key: id),
              let proposer = try ActionRecord.fetchOne(db, key: proposal.actionID) else {
            throw LedgerError.storage("reward missing")
        }
        let decision = try DecisionRecord.fetchOne(db, key: id)
        let decider = try decision.flatMap { try ActionRecord.fetchOne(db, key: $0.actionID) }
        let voucher = try VoucherRecord.fetchOne(db, sql: "SELECT * FROM voucher WHERE proposal_id = ?", arguments: [id])
        let settlement = try voucher.flatMap { try SettlementRecord.fetchOne(db, key: $0.hash) }
        let status: Reward.Status
        switch (decision?.decision, settlement?.outcome) {
        case (nil, _): status = .proposed
        case ("declined", _): status = .declined
        case (_, "redeemed"): status = .paid
        case (_, "expired"): status = .expired
        default: status = .approved
        }
        let outcome = RewardBasis(canonicalText: proposal.outcome) ?? RewardBasis(kind: .administrative)
        return Reward(
            id: id, reference: proposal.reference, centre: proposal.centre, outcome: outcome,
            allowed: RewardRange(tier: RewardTier(rawValue: proposal.tier) ?? .administrative,
                                 minimum: Fen(proposal.minAmount), maximum: Fen(proposal.maxAmount),
                                 capped: proposal.capped),
            amount: Fen(proposal.amount), status: status, proposedAt: proposal.proposedAt,
            proposerKeyID: proposer.keyID, decidedAt: decision?.decidedAt, deciderKeyID: decider?.keyID,
            voucherHash: voucher.map { Hex.encode($0.hash) }, expiresAt: voucher?.expiresAt,
            settledAt: settlement?.settledAt)
    }
}
