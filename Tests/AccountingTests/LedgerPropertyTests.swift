import Foundation
import Testing
import TiplineTestSupport
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger: random command sequences keep every invariant")
struct LedgerPropertyTests {
    /// What the test expects, kept independently of the ledger.
    struct Model {
        enum State: Equatable { case pending(proposer: String, amount: Int64), outstanding(code: String, amount: Int64, expiresAt: Int64), paid, lapsed }
        var appropriation: Int64 = 0
        var fund: Int64 = 0
        var payable: Int64 = 0
        var paid: Int64 = 0
        var rewards: [String: State] = [:]
        var spentCodes: [String] = []

        var balances: LedgerBalances {
            LedgerBalances(appropriation: Fen(appropriation), fund: Fen(fund), payable: Fen(payable), paid: Fen(paid),
                           expired: .zero)
        }
    }

    /// Runs a ledger command and returns its result or its typed error.
    static func attempt<T>(_ body: () throws(LedgerError) -> T) -> Result<T, LedgerError> {
        do { return .success(try body()) } catch { return .failure(error) }
    }

    /// A command that already succeeded, replayed with the same key and request.
    typealias Retry = () throws -> Bool

    @Test("Several hundred random steps per seed: balances match the model and verify passes",
          arguments: [UInt64(1), 2, 3, 20_260_101])
    func randomSequences(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let f = try LedgerFixture()
        let ledger = f.ledger
        let supervisors = [f.supervisorA, f.supervisorB, TestStaff(.supervisor)]
        let proposers = [f.triage, f.supervisorA, f.supervisorB]
        var model = Model()
        var retries: [Retry] = []
        var now = LedgerFixture.t0
        var nextTip = 1
        var outcomes: [String: Int] = [:]
        let steps = 300

        func note(_ label: String) { outcomes[label, default: 0] += 1 }

        for step in 1...steps {
            let context = "seed \(seed) step \(step)"
            now += Int64.random(in: 0...(3 * LedgerFixture.day), using: &rng)
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<12: // top up
                let amount = Int64.random(in: 1...2_000_000, using: &rng)
                let action = f.accountant.action("fund \(amount)")
                let key = f.key()
                let entry = try ledger.fund(amount: Fen(amount), memo: "step \(step)", by: action, idempotencyKey: key, now: now)
                model.appropriation += amount
                model.fund += amount
                retries.append { try ledger.fund(amount: Fen(amount), memo: "step \(step)", by: action, idempotencyKey: key, now: now + 7) == entry }
                note("fund")

            case 12..<40: // propose, sometimes for a tip that must be refused
                let reuse = !model.rewards.isEmpty && Int.random(in: 0..<4, using: &rng) == 0
                let reference: String
                if reuse, let existing = model.rewards.keys.sorted().randomElement(using: &rng) {
                    reference = existing
                } else {
                    reference = String(format: "GY-2026-%06d", nextTip)
                    nextTip += 1
                }
                let kind: RewardBasis.Kind = Bool.random(using: &rng) ? .administrative : .criminal
                let outcome = RewardBasis(kind: kind, harmsMinorsOnline: Int.random(in: 0..<5, using: &rng) == 0)
                let range = try RewardPolicy.standard.allowedRange(for: outcome)
                let amount = Int64.random(in: (range.minimum.rawValue - 50_000)...(range.maximum.rawValue + 50_000), using: &rng)
                let facts = [TipFacts(status: "verified", wantsReward: true), TipFacts(status: "verified", wantsReward: true),
                             TipFacts(status: "verified", wantsReward: true), TipFacts(status: "verifying", wantsReward: true),
                             TipFacts(status: "verified", duplicateOf: "GY-2026-000001", wantsReward: true),
                             TipFacts(status: "verified", wantsReward: false)].randomElement(using: &rng)!
                let proposer = proposers.randomElement(using: &rng)!
                let action = proposer.action("propose \(reference) \(amount)")
                let key = f.key()
                let state = model.rewards[reference]
                var expected: LedgerError?
                if facts.status != "verified" { expected = .tipNotVerified(reference: reference, status: facts.status) }
                else if facts.duplicateOf != nil { expected = .duplicateTip(reference: reference) }
                else if !facts.wantsReward { expected = .rewardNotWanted(reference: reference) }
                else if let state, case .pending = state { expected = .proposalPending(reference: reference) }
                else if state != nil { expected = .alreadyRewarded(reference: reference) }
                else if !range.contains(Fen(amount)) { expected = .amountOutsideTier(amount: Fen(amount), allowed: range) }
                switch Self.attempt({ () throws(LedgerError) in
                    try ledger.propose(reference: reference, centre: "baiyun", outcome: outcome, amount: Fen(amount),
                                       tip: facts, proposer: action, idempotencyKey: key, now: now)
                }) {
                case let .success(reward):
                    #expect(expected == nil, "\(context): proposal accepted, expected \(String(describing: expected))")
                    model.rewards[reference] = .pending(proposer: proposer.keyID, amount: amount)
                    retries.append {
                        try ledger.propose(reference: reference, centre: "baiyun", outcome: outcome, amount: Fen(amount),
                                           tip: facts, proposer: action, idempotencyKey: key, now: now + 1).id == reward.id
                    }
                    note("propose")
                case let .failure(error):
                    #expect(error == expected, "\(context): proposal refused with \(error)")
                    note("propose refused")
                }

            case 40..<62: // approve a pending proposal, perhaps by its proposer
                let pending = model.rewards.filter { if case .pending = $0.value { true } else { false } }.keys.sorted()
                guard let reference = pending.randomElement(using: &rng),
                      case let .pending(proposerKey, amount) = model.rewards[reference]! else { note("approve skipped"); continue }
                let approver = supervisors.randomElement(using: &rng)!
                let action = approver.action("approve \(reference)")
                let key = IdempotencyKey.generate()
                let expected: LedgerError? = approver.keyID == proposerKey ? .selfApproval
                    : model.fund < amount ? .insufficientFund(available: Fen(model.fund), needed: Fen(amount)) : nil
                switch Self.attempt({ () throws(LedgerError) in
                    try ledger.approve(reference: reference, approver: action, idempotencyKey: key, now: now)
                }) {
                case let .success(issue):
                    #expect(expected == nil, "\(context): approval accepted, expected \(String(describing: expected))")
                    #expect(issue.reward.amount == Fen(amount))
                    model.fund -= amount
                    model.payable += amount
                    model.rewards[reference] = .outstanding(code: issue.code!.text, amount: amount, expiresAt: issue.expiresAt)
                    retries.append {
                        // The same voucher and entry come back; the reward is shown as it stands now.
                        let again = try ledger.approve(reference: reference, approver: action, idempotencyKey: key, now: now + 3)
                        return again.code == nil && again.sealedCode == issue.sealedCode && again.entry == issue.entry && again.expiresAt == issue.expiresAt
                            && again.reward.id == issue.reward.id
                    }
                    note("approve")
                case let .failure(error):
                    #expect(error == expected, "\(context): approval refused with \(error)")
                    note("approve refused")
                }

            case 62..<64: // decline
                let pending = model.rewards.filter { if case .pending = $0.value { true } else { false } }.keys.sorted()
                guard let reference = pending.randomElement(using: &rng) else { continue }
                _ = try ledger.decline(reference: reference, by: f.supervisorA.action("decline \(reference)"),
                                       idempotencyKey: f.key(), now: now)
                model.rewards[reference] = nil // may be proposed again
                note("decline")

            case 64..<82: // redeem an outstanding, a spent or a made-up code
                let outstanding = model.rewards.compactMap { reference, state -> (String, String, Int64, Int64)? in
                    if case let .outstanding(code, amount, expiresAt) = state { return (reference, code, amount, expiresAt) }
                    return nil
                }.sorted { $0.0 < $1.0 }
                let choice = Int.random(in: 0..<10, using: &rng)
                let action = f.accountant.action("redeem")
                let key = f.key()
                if choice < 7, let (reference, code, amount, expiresAt) = outstanding.randomElement(using: &rng) {
                    switch Self.attempt({ () throws(LedgerError) in
                        try ledger.redeem(code: code, accountant: action, idempotencyKey: key, now: now)
                    }) {
                    case let .success(paid):
                        #expect(now < expiresAt, "\(context): a voucher past its window was paid")
                        model.payable -= amount
                        model.paid += amount
                        model.rewards[reference] = .paid
                        model.spentCodes.append(code)
                        retries.append { try ledger.redeem(code: code, accountant: action, idempotencyKey: key, now: now + 9) == paid }
                        note("redeem")
                    case let .failure(error):
                        #expect(error == .voucherExpired(expiredAt: expiresAt) && now >= expiresAt, "\(context): \(error)")
                        note("redeem late")
                    }
                } else if choice < 9, let code = model.spentCodes.randomElement(using: &rng) {
                    #expect(throws: LedgerError.voucherAlreadyRedeemed, "\(context)") {
                        try ledger.redeem(code: code, accountant: action, idempotencyKey: key, now: now)
                    }
                    note("redeem twice refused")
                } else {
                    #expect(throws: LedgerError.unknownVoucher, "\(context)") {
                        try ledger.redeem(code: VoucherCode.generate().text, accountant: action, idempotencyKey: key, now: now)
                    }
                    note("redeem unknown refused")
                }

            case 82..<90: // expiry sweep, sometimes far in the future
                if Int.random(in: 0..<3, using: &rng) == 0 { now += 30 * LedgerFixture.day }
                let key = f.key()
                let swept = try ledger.expire(now: now, idempotencyKey: key)
                var expected: [String] = []
                for (reference, state) in model.rewards {
                    if case let .outstanding(_, amount, expiresAt) = state, expiresAt <= now {
                        expected.append(reference)
                        model.payable -= amount
                        model.fund += amount
                        model.rewards[reference] = .lapsed
                    }
                }
                #expect(Set(swept.rewards.map(\.reference)) == Set(expected), "\(context): expiry swept the wrong vouchers")
                let sweptAt = now
                retries.append { try ledger.expire(now: sweptAt + 1_000, idempotencyKey: key) == swept }
                note("expire")

            default: // retry an earlier successful command with its key
                guard let retry = retries.randomElement(using: &rng) else { continue }
                #expect(try retry(), "\(context): a retry did not return the first result")
                note("retry")
            }

            #expect(try ledger.balance() == model.balances, "\(context): balances differ from the model")
            if step % 50 == 0 {
                let report = try ledger.verify(signers: nil)
                #expect(report.passed, "\(context): \(report.summary)")
            }
        }
        let report = try ledger.verify(signers: f.signers.merging([supervisors[2].keyID: supervisors[2].key.publicKey]) { a, _ in a })
        #expect(report.passed, "seed \(seed): \(report.summary)")
        // The run exercised every path, not only the easy ones.
        for label in ["fund", "propose", "propose refused", "approve", "approve refused", "redeem", "expire", "retry"] {
            #expect(outcomes[label, default: 0] > 0, "seed \(seed): no \(label) in \(steps) steps")
        }
    }
}
