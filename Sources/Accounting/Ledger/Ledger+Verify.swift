public import LedgerModel
import TiplineCore
import Foundation
import GRDB
public import Sealing

extension Ledger {
    /// Re-derives everything the ledger claims from its rows and reports the first problem per
    /// check (see `LedgerVerification.Check`).
    ///
    /// - Parameters:
    ///   - signers: staff public keys by key id; when given, every stored action's signature over
    ///     its request must verify under the key of its key id. Nil skips that check.
    ///   - checkpoint: a head recorded earlier outside the ledger (e.g. in the audit log); the
    ///     journal must still contain that entry with that hash.
    ///
    /// A row holding a value no version of the ledger writes (a kind, account, side, tier, scheme,
    /// payee, decision or outcome outside the schema's CHECK lists, which only a tampered file can
    /// hold) fails the verification instead of throwing: see `unreadable(_:)`.
    public func verify(signers: [String: Ed25519PublicKey]?,
                       checkpoint: LedgerHead?) async throws(LedgerError) -> LedgerVerification {
        let policy = self.policy
        let payments = self.payments
        return try await read { db in
            do {
                return try Self.verify(db, policy: policy, payments: payments, signers: signers, checkpoint: checkpoint)
            } catch is RowDecodingError {
                return try Self.unreadable(db)
            }
        }
    }

    /// The verification of a ledger whose rows do not all decode: the chain check fails (its rows
    /// cannot be re-hashed), nothing else is examined, and the head is read from the raw columns.
    static func unreadable(_ db: Database) throws -> LedgerVerification {
        func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
        var chain = LedgerTally(.chain)
        chain.examine()
        chain.fail("a row holds a kind, account, side, tier, scheme, payee, decision or outcome this ledger never writes")
        let results = LedgerVerification.Check.allCases.map { check in
            check == .chain ? chain.result() : LedgerTally(check).result(skipped: check == .signatures)
        }
        return LedgerVerification(entries: try count("journal_entry"), postings: try count("posting"),
                                  rewards: try count("reward_proposal"), vouchers: try count("voucher"),
                                  payments: try count("payment_proposal"), head: try head(db), results: results)
    }

    static func verify(_ db: Database, policy: RewardPolicy, payments paymentPolicy: RemunerationPolicy?,
                       signers: [String: Ed25519PublicKey]?, checkpoint: LedgerHead?) throws -> LedgerVerification {
        let entries = try EntryRecord.order(EntryRecord.Columns.seq).fetchAll(db)
        let postings = try PostingRecord.order(PostingRecord.Columns.entrySeq, PostingRecord.Columns.line).fetchAll(db)
        let actions = try ActionRecord.order(ActionRecord.Columns.id).fetchAll(db)
        let proposals = try ProposalRecord.order(ProposalRecord.Columns.id).fetchAll(db)
        let decisions = try DecisionRecord.order(DecisionRecord.Columns.proposalID).fetchAll(db)
        let vouchers = try VoucherRecord.order(VoucherRecord.Columns.proposalID).fetchAll(db)
        let settlements = try SettlementRecord.order(SettlementRecord.Columns.entrySeq).fetchAll(db)
        let accounts = try AccountRecord.fetchAll(db)

        let linesByEntry = Dictionary(grouping: postings, by: \.entrySeq)
        let entryBySeq = Dictionary(entries.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        let actionByID = Dictionary(actions.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { f, _ in f })
        let proposalByID = Dictionary(proposals.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { f, _ in f })
        let decisionByProposal = Dictionary(decisions.map { ($0.proposalID, $0) }, uniquingKeysWith: { f, _ in f })
        let voucherByProposal = Dictionary(vouchers.map { ($0.proposalID, $0) }, uniquingKeysWith: { f, _ in f })
        let voucherByHash = Dictionary(vouchers.map { ($0.hash, $0) }, uniquingKeysWith: { f, _ in f })
        let settlementByEntry = Dictionary(settlements.map { ($0.entrySeq, $0) }, uniquingKeysWith: { f, _ in f })
        let settlementByHash = Dictionary(settlements.map { ($0.voucherHash, $0) }, uniquingKeysWith: { f, _ in f })
        let actionByEntry = Dictionary(actions.compactMap { a in a.entrySeq.map { ($0, a) } }, uniquingKeysWith: { f, _ in f })

        // balanced
        var balanced = LedgerTally(.balanced)
        for entry in entries {
            balanced.examine()
            let lines = linesByEntry[entry.seq] ?? []
            var debits: Int64 = 0
            var credits: Int64 = 0
            var wellFormed = lines.count >= 2
            for line in lines {
                wellFormed = wellFormed && line.amount > 0
                switch line.side {
                case .debit: debits = debits &+ line.amount
                case .credit: credits = credits &+ line.amount
                }
            }
            balanced.require(wellFormed && debits == credits && debits == entry.total,
                             "entry \(entry.seq): debits \(Fen(debits)), credits \(Fen(credits)), total \(Fen(entry.total))")
        }
        for seq in linesByEntry.keys.sorted() where entryBySeq[seq] == nil {
            balanced.fail("postings of entry \(seq) belong to no entry")
        }

        // chain
        var chain = LedgerTally(.chain)
        var prevHash = Data(genesisHash)
        var expectedSeq: Int64 = 1
        var chainBroken = false
        for entry in entries {
            chain.examine()
            if chainBroken { continue }
            var problem: String?
            if entry.seq != expectedSeq {
                problem = "entry \(entry.seq): expected entry \(expectedSeq) (an entry is missing or out of order)"
            } else if entry.prevHash != prevHash {
                problem = "entry \(entry.seq): prev_hash does not link to entry \(entry.seq - 1)"
            } else if Data(Hashing.sha256(chainBytes(entry, linesByEntry[entry.seq] ?? []))) != entry.hash {
                problem = "entry \(entry.seq): hash does not match its contents"
            }
            if let problem {
                chain.fail(problem)
                chainBroken = true
            }
            prevHash = entry.hash
            expectedSeq = entry.seq + 1
        }
        let head = LedgerHead(seq: entries.last?.seq ?? 0, hash: Hex.encode(entries.last?.hash ?? Data(genesisHash)))
        if let checkpoint, checkpoint.seq > 0 {
            chain.examine()
            if let entry = entryBySeq[checkpoint.seq] {
                chain.require(Hex.encode(entry.hash) == checkpoint.hash.lowercased(),
                              "entry \(checkpoint.seq): hash differs from the checkpoint")
            } else {
                chain.fail("entry \(checkpoint.seq): in the checkpoint but missing from the journal")
            }
        }

        // vouchers
        var voucherCheck = LedgerTally(.vouchers)
        var paidEntries: [Int64: [Int64]] = [:]
        var expiredEntries: [Int64: [Int64]] = [:]
        for entry in entries {
            let kind = entry.kind
            guard kind == .redeem || kind == .expire || kind == .restore else { continue }
            voucherCheck.examine()
            guard let rewardID = entry.rewardID, let voucher = voucherByProposal[rewardID] else {
                voucherCheck.fail("entry \(entry.seq): \(kind.rawValue) of a reward without a voucher")
                continue
            }
            voucherCheck.require(entry.total == voucher.amount,
                                 "entry \(entry.seq): amount differs from the voucher of reward \(rewardID)")
            switch kind {
            case .redeem:
                paidEntries[rewardID, default: []].append(entry.seq)
                let settlement = settlementByEntry[entry.seq]
                let action = actionByEntry[entry.seq]
                if let settlement, settlement.outcome == .redeemed, settlement.voucherHash == voucher.hash,
                   let action, action.kind == .redeem, action.id == settlement.actionID {
                    voucherCheck.require(Data(redeemEvidence(voucher, action: action)) == entry.evidence,
                                         "entry \(entry.seq): evidence does not match the redemption of reward \(rewardID)")
                    voucherCheck.require(StaffRole(rawValue: action.role).map(StaffAction.redeemVoucher.allows) == true,
                                         "entry \(entry.seq): paid by a \(action.role), not an accountant")
                } else {
                    voucherCheck.fail("entry \(entry.seq): redemption of reward \(rewardID) has no matching settlement")
                }
            case .expire:
                expiredEntries[rewardID, default: []].append(entry.seq)
                let settlement = settlementByEntry[entry.seq]
                voucherCheck.require(settlement?.outcome == .expired && settlement?.voucherHash == voucher.hash,
                                     "entry \(entry.seq): expiry of reward \(rewardID) has no matching settlement")
                voucherCheck.require(Data(expiryEvidence(voucher, kind: .expire)) == entry.evidence
                                     && entry.at >= voucher.expiresAt,
                                     "entry \(entry.seq): expiry of reward \(rewardID) does not match its voucher")
                let next = entryBySeq[entry.seq + 1]
                voucherCheck.require(next?.kind == .restore && next?.rewardID == rewardID,
                                     "entry \(entry.seq): expiry of reward \(rewardID) is not followed by its restore")
            default:
                voucherCheck.require(Data(expiryEvidence(voucher, kind: .restore)) == entry.evidence,
                                     "entry \(entry.seq): restore of reward \(rewardID) does not match its voucher")
            }
        }
        for (rewardID, seqs) in paidEntries.sorted(by: { $0.key < $1.key }) where seqs.count > 1 {
            voucherCheck.fail("reward \(rewardID): voucher paid \(seqs.count) times (entries \(seqs.map(String.init).joined(separator: ", ")))")
        }
        for (rewardID, seqs) in expiredEntries.sorted(by: { $0.key < $1.key }) {
            if seqs.count > 1 { voucherCheck.fail("reward \(rewardID): voucher expired \(seqs.count) times") }
            if let paid = paidEntries[rewardID] {
                voucherCheck.fail("reward \(rewardID): voucher both paid (entry \(paid[0])) and expired (entry \(seqs[0]))")
            }
        }
        for settlement in settlements {
            voucherCheck.examine()
            let entry = entryBySeq[settlement.entrySeq]
            let voucher = voucherByHash[settlement.voucherHash]
            let expectedKind: JournalEntry.Kind = settlement.outcome == .redeemed ? .redeem : .expire
            voucherCheck.require(entry != nil && voucher != nil && entry?.kind == expectedKind
                                 && entry?.rewardID == voucher?.proposalID,
                                 "settlement at entry \(settlement.entrySeq) does not match a journal entry")
        }

        // approvals
        var approvals = LedgerTally(.approvals)
        for entry in entries {
            let lines = linesByEntry[entry.seq] ?? []
            let creditsPayable = lines.contains { $0.account == .payable && $0.side == .credit }
            if entry.kind != .approve {
                if creditsPayable { approvals.fail("entry \(entry.seq): credits payable without an approval") }
                continue
            }
            approvals.examine()
            guard let rewardID = entry.rewardID, let proposal = proposalByID[rewardID],
                  let decision = decisionByProposal[rewardID], decision.decision == .approved,
                  decision.entrySeq == entry.seq,
                  let proposer = actionByID[proposal.actionID], proposer.kind == .propose,
                  let approver = actionByID[decision.actionID], approver.kind == .approve, approver.entrySeq == entry.seq,
                  let voucher = voucherByProposal[rewardID] else {
                approvals.fail("entry \(entry.seq): payable without a recorded proposal, approval and voucher")
                continue
            }
            if proposer.keyID == approver.keyID {
                approvals.fail("entry \(entry.seq): reward \(rewardID) approved by its proposer")
            } else if !policy.approval.proposerRoles.map(\.rawValue).contains(proposer.role)
                        || !policy.approval.approverRoles.map(\.rawValue).contains(approver.role) {
                approvals.fail("entry \(entry.seq): reward \(rewardID) proposed or approved by a role the policy does not allow")
            } else if proposal.amount != entry.total || voucher.amount != entry.total
                        || proposal.amount < proposal.minAmount || proposal.amount > proposal.maxAmount {
                approvals.fail("entry \(entry.seq): reward \(rewardID) amount differs from its proposal or range")
            } else if Data(approveEvidence(proposal, proposer: proposer, approver: approver, decidedAt: decision.decidedAt,
                                           voucher: voucher)) != entry.evidence {
                approvals.fail("entry \(entry.seq): evidence does not match the proposal and approval of reward \(rewardID)")
            }
        }
        for decision in decisions where decision.decision == .approved {
            let entry = decision.entrySeq.flatMap { entryBySeq[$0] }
            approvals.require(entry?.kind == .approve && entry?.rewardID == decision.proposalID,
                              "reward \(decision.proposalID): approval without its payable entry")
        }

        // funding
        var funding = LedgerTally(.funding)
        for entry in entries where entry.kind == .fund {
            funding.examine()
            guard let action = actionByEntry[entry.seq], action.kind == .fund else {
                funding.fail("entry \(entry.seq): top-up without a funding action")
                continue
            }
            funding.require(Data(fundEvidence(action, amount: entry.total)) == entry.evidence && action.keyID == entry.actor,
                            "entry \(entry.seq): evidence does not match its funding action")
            let lines = linesByEntry[entry.seq] ?? []
            funding.require(lines.count == 2 && lines.contains { $0.account == .appropriation && $0.side == .debit }
                            && lines.contains { LedgerAccount.funds.contains($0.account) && $0.side == .credit },
                            "entry \(entry.seq): a top-up must move appropriation to a fund")
            funding.require(StaffRole(rawValue: action.role).map(StaffAction.fundRewards.allows) == true,
                            "entry \(entry.seq): top-up by a \(action.role)")
        }

        // payments
        let paymentCheck = try verifyPayments(db, entries: entries, linesByEntry: linesByEntry, policy: paymentPolicy)

        // balances
        var balances = LedgerTally(.balances)
        var sums: [LedgerAccount: Int64] = [:]
        for line in postings {
            let delta = line.side == .debit ? line.amount : 0 &- line.amount
            sums[line.account, default: 0] = sums[line.account, default: 0] &+ delta
        }
        var stored: [LedgerAccount: Int64] = [:]
        for account in LedgerAccount.allCases {
            balances.examine()
            guard let record = accounts.first(where: { $0.code == account }) else {
                balances.fail("account \(account.rawValue) is missing")
                continue
            }
            stored[account] = record.netDebit
            balances.require(record.netDebit == sums[account, default: 0],
                             "account \(account.rawValue): balance \(Fen(normal(account, record.netDebit))) but its postings sum to \(Fen(normal(account, sums[account, default: 0])))")
        }
        let derived = { (account: LedgerAccount) in normal(account, sums[account, default: 0]) }
        balances.examine()
        let held = LedgerAccount.allCases.filter { $0 != .appropriation }.reduce(Int64(0)) { $0 &+ derived($1) }
        balances.require(derived(.appropriation) == held,
                         "appropriations differ from the sum of the funds, payables, paid and expired accounts")
        balances.require(derived(.expired) == 0, "account expired: \(Fen(derived(.expired))) left in transit")
        for fund in LedgerAccount.funds {
            balances.require(derived(fund) >= 0, "account \(fund.rawValue) is overdrawn: \(Fen(derived(fund)))")
        }
        for scheme in PaymentScheme.allCases {
            let owed = paymentCheck.outstanding[scheme, default: 0]
            balances.require(derived(scheme.payable) == owed,
                             "account \(scheme.payable.rawValue): \(Fen(derived(scheme.payable))) but approved unpaid payments total \(Fen(owed))")
        }
        let outstanding = vouchers.filter { settlementByHash[$0.hash] == nil }.reduce(Int64(0)) { $0 &+ $1.amount }
        balances.require(derived(.payable) == outstanding,
                         "account payable: \(Fen(derived(.payable))) but outstanding vouchers total \(Fen(outstanding))")

        // signatures
        var signatures = LedgerTally(.signatures)
        if let signers {
            for action in actions + paymentCheck.actions.map(\.asAction) {
                signatures.examine()
                guard let key = signers[action.keyID] else {
                    signatures.fail("action \(action.id ?? 0) (\(action.kind.rawValue)): unknown staff key \(action.keyID)")
                    continue
                }
                signatures.require(key.isValidSignature(Array(action.signature), for: Array(action.request)),
                                   "action \(action.id ?? 0) (\(action.kind.rawValue)): signature does not verify")
            }
        }

        return LedgerVerification(
            entries: entries.count, postings: postings.count, rewards: proposals.count, vouchers: vouchers.count,
            payments: paymentCheck.count, head: head,
            results: [balanced.result(), chain.result(), voucherCheck.result(), approvals.result(), funding.result(),
                      paymentCheck.tally.result(), balances.result(), signatures.result(skipped: signers == nil)])
    }

    /// A net-debit amount as a positive-on-the-normal-side amount.
    static func normal(_ account: LedgerAccount, _ netDebit: Int64) -> Int64 {
        account.normalSide == .debit ? netDebit : 0 &- netDebit
    }
}
