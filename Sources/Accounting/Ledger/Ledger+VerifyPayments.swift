import LedgerModel
import TiplineCore
import Foundation
import GRDB
import Sealing

extension Ledger {
    /// What the payments check found, and what the balances check needs from it.
    struct PaymentCheck {
        var tally = LedgerTally(.payments)
        /// Approved, unsettled payments per scheme: what each payable account must hold.
        var outstanding: [PaymentScheme: Int64] = [:]
        /// Every payment action, for the signatures check.
        var actions: [PaymentActionRecord] = []
        var count = 0
    }

    /// Re-derives every remuneration and subsidy posting from its records (docs/LEDGER.md "Payments").
    static func verifyPayments(_ db: Database, entries: [EntryRecord], linesByEntry: [Int64: [PostingRecord]],
                               policy: RemunerationPolicy?) throws -> PaymentCheck {
        var check = PaymentCheck()
        let proposals = try PaymentProposalRecord.order(PaymentProposalRecord.Columns.id).fetchAll(db)
        let payees = Dictionary(grouping: try PayeeRecord.order(PayeeRecord.Columns.paymentID, PayeeRecord.Columns.line).fetchAll(db),
                                by: \.paymentID)
        let covers = Dictionary(grouping: try CoverRecord.order(CoverRecord.Columns.paymentID, CoverRecord.Columns.cover).fetchAll(db),
                                by: \.paymentID)
        let actions = try PaymentActionRecord.order(PaymentActionRecord.Columns.id).fetchAll(db)
        let decisions = try PaymentDecisionRecord.fetchAll(db)
        let vouchers = try PaymentVoucherRecord.fetchAll(db)
        let settlements = try PaymentSettlementRecord.fetchAll(db)
        check.actions = actions
        check.count = proposals.count

        let proposalByID = Dictionary(proposals.compactMap { p in p.id.map { ($0, p) } }, uniquingKeysWith: { f, _ in f })
        let actionByID = Dictionary(actions.compactMap { a in a.id.map { ($0, a) } }, uniquingKeysWith: { f, _ in f })
        let decisionByID = Dictionary(decisions.map { ($0.paymentID, $0) }, uniquingKeysWith: { f, _ in f })
        let decisionByEntry = Dictionary(decisions.compactMap { d in d.entrySeq.map { ($0, d) } }, uniquingKeysWith: { f, _ in f })
        let voucherByID = Dictionary(vouchers.map { ($0.paymentID, $0) }, uniquingKeysWith: { f, _ in f })
        let settlementByID = Dictionary(settlements.map { ($0.paymentID, $0) }, uniquingKeysWith: { f, _ in f })
        let settlementByEntry = Dictionary(settlements.map { ($0.entrySeq, $0) }, uniquingKeysWith: { f, _ in f })
        let entryBySeq = Dictionary(entries.map { ($0.seq, $0) }, uniquingKeysWith: { f, _ in f })

        func moves(_ entry: EntryRecord, from debit: LedgerAccount, to credit: LedgerAccount) -> Bool {
            let lines = linesByEntry[entry.seq] ?? []
            return lines.count == 2
                && lines.contains { $0.account == debit && $0.side == .debit && $0.amount == entry.total }
                && lines.contains { $0.account == credit && $0.side == .credit && $0.amount == entry.total }
        }
        func allowedToPropose(_ role: String, _ scheme: PaymentScheme) -> Bool {
            guard let role = StaffRole(rawValue: role) else { return false }
            if let policy { return policy.approval(scheme).proposerRoles.contains(role) }
            return (scheme == .remuneration ? StaffAction.proposeRemuneration : StaffAction.proposeSubsidy).allows(role)
        }
        func allowedToApprove(_ role: String, _ scheme: PaymentScheme) -> Bool {
            guard let role = StaffRole(rawValue: role) else { return false }
            if let policy { return policy.approval(scheme).approverRoles.contains(role) }
            return StaffAction.approvePayment.allows(role)
        }

        for entry in entries {
            let kind = entry.kind
            guard kind.isPayment else {
                let lines = linesByEntry[entry.seq] ?? []
                if lines.contains(where: { line in PaymentScheme.allCases.contains { $0.payable == line.account } && line.side == .credit }) {
                    check.tally.fail("entry \(entry.seq): credits a payment payable without an approval")
                }
                continue
            }
            check.tally.examine()
            let place = "entry \(entry.seq)"
            switch kind {
            case .paymentApprove:
                guard let decision = decisionByEntry[entry.seq], decision.decision == .approved,
                      let proposal = proposalByID[decision.paymentID],
                      let proposer = actionByID[proposal.actionID], proposer.kind == .propose,
                      let approver = actionByID[decision.actionID], approver.kind == .approve, approver.entrySeq == entry.seq else {
                    check.tally.fail("\(place): payable without a recorded payment proposal and approval")
                    continue
                }
                let scheme = proposal.scheme
                let lines = payees[decision.paymentID] ?? []
                let informant = lines.contains { $0.kind == .informant }
                let voucher = voucherByID[decision.paymentID]
                if proposer.keyID == approver.keyID {
                    check.tally.fail("\(place): payment \(decision.paymentID) approved by its proposer")
                } else if !allowedToPropose(proposer.role, scheme) || !allowedToApprove(approver.role, scheme) {
                    check.tally.fail("\(place): payment \(decision.paymentID) proposed or approved by a role the policy does not allow")
                } else if lines.isEmpty || lines.reduce(Int64(0), { $0 &+ $1.amount }) != proposal.amount || proposal.amount != entry.total
                            || !moves(entry, from: scheme.fund, to: scheme.payable) || entry.memo != proposal.subject {
                    check.tally.fail("\(place): payment \(decision.paymentID) amount, payees or accounts differ from its proposal")
                } else if informant != (voucher != nil) || (voucher.map { $0.amount != proposal.amount } ?? false) {
                    check.tally.fail("\(place): payment \(decision.paymentID) voucher does not match its payee")
                } else if Data(paymentApproveEvidence(proposal, payees: lines, covers: (covers[decision.paymentID] ?? []).map(\.cover),
                                                      proposer: proposer, approver: approver, decidedAt: decision.decidedAt,
                                                      voucher: voucher)) != entry.evidence {
                    check.tally.fail("\(place): evidence does not match the proposal and approval of payment \(decision.paymentID)")
                }
            case .paymentPay, .paymentRedeem:
                guard let settlement = settlementByEntry[entry.seq],
                      settlement.outcome == (kind == .paymentPay ? .paid : .redeemed),
                      let proposal = proposalByID[settlement.paymentID],
                      let action = settlement.actionID.flatMap({ actionByID[$0] }), action.entrySeq == entry.seq,
                      action.kind == (kind == .paymentPay ? .pay : .redeem),
                      let decision = decisionByID[settlement.paymentID], decision.decision == .approved,
                      let approvedAt = decision.entrySeq, approvedAt < entry.seq else {
                    check.tally.fail("\(place): \(kind.rawValue) without an approved payment and its settling action")
                    continue
                }
                let scheme = proposal.scheme
                let voucher = voucherByID[settlement.paymentID]
                let role = StaffRole(rawValue: action.role)
                let allowed = kind == .paymentPay ? role.map(StaffAction.payPayment.allows) : role.map(StaffAction.redeemVoucher.allows)
                if allowed != true {
                    check.tally.fail("\(place): paid by a \(action.role)")
                } else if (kind == .paymentRedeem) != (voucher != nil) || proposal.amount != entry.total
                            || !moves(entry, from: scheme.payable, to: scheme.paid) || entry.memo != proposal.subject
                            || (voucher.map { entry.at >= $0.expiresAt } ?? false) {
                    check.tally.fail("\(place): \(kind.rawValue) of payment \(settlement.paymentID) does not match it")
                } else if Data(paymentSettleEvidence(kind: kind, paymentID: settlement.paymentID, amount: entry.total,
                                                     voucherHash: voucher?.hash, action: action)) != entry.evidence {
                    check.tally.fail("\(place): evidence does not match the settlement of payment \(settlement.paymentID)")
                }
            case .paymentExpire:
                guard let settlement = settlementByEntry[entry.seq], settlement.outcome == .expired,
                      let voucher = voucherByID[settlement.paymentID], let proposal = proposalByID[settlement.paymentID] else {
                    check.tally.fail("\(place): expiry without an informant's voucher and its settlement")
                    continue
                }
                let scheme = proposal.scheme
                let next = entryBySeq[entry.seq + 1]
                check.tally.require(entry.at >= voucher.expiresAt && voucher.amount == entry.total
                                    && moves(entry, from: scheme.payable, to: .expired)
                                    && Data(paymentExpiryEvidence(voucher, kind: .paymentExpire)) == entry.evidence,
                                    "\(place): expiry of payment \(settlement.paymentID) does not match its voucher")
                check.tally.require(next.map { $0.kind == .paymentRestore && moves($0, from: .expired, to: scheme.fund)
                                               && Data(paymentExpiryEvidence(voucher, kind: .paymentRestore)) == $0.evidence } ?? false,
                                    "\(place): expiry of payment \(settlement.paymentID) is not followed by its restore")
            default:  // a restore: checked with the expiry before it
                check.tally.require(entryBySeq[entry.seq - 1]?.kind == .paymentExpire,
                                    "\(place): a restore that follows no expiry")
            }
        }
        for decision in decisions where decision.decision == .approved {
            check.tally.examine()
            check.tally.require(decision.entrySeq.flatMap { entryBySeq[$0] }?.kind == .paymentApprove,
                                "payment \(decision.paymentID): approval without its payable entry")
        }
        for settlement in settlements {
            check.tally.examine()
            let expected: JournalEntry.Kind = switch settlement.outcome {
            case .paid: .paymentPay
            case .redeemed: .paymentRedeem
            case .expired: .paymentExpire
            }
            check.tally.require(entryBySeq[settlement.entrySeq]?.kind == expected,
                                "payment \(settlement.paymentID): settlement without its \(expected.rawValue) entry")
        }
        // No cover in two payments that were not declined.
        var coveredBy: [String: Int64] = [:]
        for (paymentID, rows) in covers.sorted(by: { $0.key < $1.key }) where decisionByID[paymentID]?.decision != .declined {
            for row in rows {
                if let earlier = coveredBy[row.cover] {
                    check.tally.fail("\(row.cover) is paid by both payment \(earlier) and payment \(paymentID)")
                }
                coveredBy[row.cover] = paymentID
            }
        }
        for proposal in proposals {
            guard let id = proposal.id, decisionByID[id]?.decision == .approved, settlementByID[id] == nil else { continue }
            check.outstanding[proposal.scheme, default: 0] &+= proposal.amount
        }
        return check
    }
}
