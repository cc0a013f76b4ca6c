import LedgerModel
import TiplineCore
import Foundation
import GRDB
import Sealing

extension Ledger {
    /// One line to post: account, side, amount.
    typealias Line = (account: LedgerAccount, side: EntrySide, amount: Int64)

    /// The next entry's sequence number.
    static func nextSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) + 1 FROM journal_entry") ?? 1
    }

    /// Appends a balanced entry: its postings, then the entry row (whose insert trigger checks
    /// the balance), then the running balances. Call inside the command's write transaction.
    @discardableResult
    static func post(kind: JournalEntry.Kind, at: Int64, rewardID: Int64?, actor: String, memo: String,
                     evidence: [UInt8], lines: [Line], _ db: Database) throws -> EntryRecord {
        let debits = lines.filter { $0.side == .debit }.reduce(Int64(0)) { $0 + $1.amount }
        let credits = lines.filter { $0.side == .credit }.reduce(Int64(0)) { $0 + $1.amount }
        guard lines.count >= 2, lines.allSatisfy({ $0.amount > 0 }), debits == credits, debits > 0 else {
            throw LedgerError.storage("refusing an unbalanced entry")
        }
        let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal_entry ORDER BY seq DESC LIMIT 1")
        let seq: Int64 = (last?["seq"] as Int64? ?? 0) + 1
        let prevHash: Data = last?["hash"] ?? Data(genesisHash)
        let postings = lines.enumerated().map { index, line in
            PostingRecord(entrySeq: seq, line: Int64(index + 1), account: line.account, side: line.side, amount: line.amount)
        }
        var record = EntryRecord(seq: seq, at: at, kind: kind, total: debits, rewardID: rewardID, actor: actor,
                                 memo: memo, evidence: Data(evidence), prevHash: prevHash, hash: Data())
        record.hash = Data(Hashing.sha256(chainBytes(record, postings)))
        for posting in postings { try posting.insert(db) }
        try record.insert(db)
        for line in lines {
            let current = try AccountRecord.fetchOne(db, key: line.account)?.netDebit ?? 0
            let delta = line.side == .debit ? line.amount : -line.amount
            let (updated, overflow) = current.addingReportingOverflow(delta)
            guard !overflow else { throw LedgerError.overflow }
            try AccountRecord.filter(key: line.account).updateAll(db, AccountRecord.Columns.netDebit.set(to: updated))
        }
        return record
    }

    /// The bytes an entry's hash covers (docs/LEDGER.md "Chain encoding"): every column but the
    /// hash, then every posting line in order, then the previous entry's hash.
    static func chainBytes(_ entry: EntryRecord, _ postings: [PostingRecord]) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-v1")
        out.int(entry.seq)
        out.int(entry.at)
        out.text(entry.kind.rawValue)
        out.int(entry.total)
        out.optionalInt(entry.rewardID)
        out.text(entry.actor)
        out.text(entry.memo)
        out.blob(Array(entry.evidence))
        out.int(Int64(postings.count))
        for posting in postings {
            out.int(posting.line)
            out.text(posting.account.rawValue)
            out.text(posting.side.rawValue)
            out.int(posting.amount)
        }
        out.blob(Array(entry.prevHash))
        return out.bytes
    }

    // MARK: - Evidence: what each entry's `evidence` hash commits to

    static func encode(action: ActionRecord, into out: inout CanonicalEncoder) {
        out.text(action.kind.rawValue)
        out.int(action.at)
        out.text(action.keyID)
        out.text(action.role)
        out.blob(Array(action.request))
        out.blob(Array(action.signature))
    }

    /// A top-up: the funding action.
    static func fundEvidence(_ action: ActionRecord, amount: Int64) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:fund")
        out.int(amount)
        encode(action: action, into: &out)
        return Hashing.sha256(out.bytes)
    }

    /// An approval: the proposal, the proposer's action, the approver's action, the voucher.
    static func approveEvidence(_ proposal: ProposalRecord, proposer: ActionRecord, approver: ActionRecord,
                                decidedAt: Int64, voucher: VoucherRecord) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:approve")
        out.optionalInt(proposal.id)
        out.text(proposal.reference)
        out.text(proposal.centre)
        out.text(proposal.outcome)
        out.text(proposal.tier.rawValue)
        out.int(proposal.minAmount)
        out.int(proposal.maxAmount)
        out.int(proposal.capped ? 1 : 0)
        out.int(proposal.amount)
        out.blob(Array(proposal.policyDigest))
        out.int(proposal.proposedAt)
        encode(action: proposer, into: &out)
        out.int(decidedAt)
        encode(action: approver, into: &out)
        out.blob(Array(voucher.hash))
        out.int(voucher.amount)
        out.int(voucher.issuedAt)
        out.int(voucher.expiresAt)
        return Hashing.sha256(out.bytes)
    }

    /// A redemption: the voucher and the accountant's action.
    static func redeemEvidence(_ voucher: VoucherRecord, action: ActionRecord) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:redeem")
        out.blob(Array(voucher.hash))
        out.int(voucher.proposalID)
        out.int(voucher.amount)
        encode(action: action, into: &out)
        return Hashing.sha256(out.bytes)
    }

    /// An expiry or the restore that follows it: the voucher and its deadline.
    static func expiryEvidence(_ voucher: VoucherRecord, kind: JournalEntry.Kind) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:\(kind.rawValue)")
        out.blob(Array(voucher.hash))
        out.int(voucher.proposalID)
        out.int(voucher.amount)
        out.int(voucher.expiresAt)
        return Hashing.sha256(out.bytes)
    }
}
