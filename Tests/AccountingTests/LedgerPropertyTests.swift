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
        // Remuneration (issue 17): the information fund and the payments, kept the same way.
        var infoFund: Int64 = 0
        var infoPayable: Int64 = 0
        var infoPaid: Int64 = 0
        var subsidyFund: Int64 = 0
        var subsidyPayable: Int64 = 0
        var subsidyPaid: Int64 = 0
        struct PaymentModel {
            enum State: Equatable { case pending, declined, outstanding(code: String?, expiresAt: Int64?), paid, lapsed }
            let id: Int64
            let subject: String
            let covers: [String]
            let payees: [Payee]
            let amount: Int64
            let proposedAt: Int64
            let proposer: String
            var state: State
            var live: Bool { state != .declined }
        }
        var payments: [PaymentModel] = []
        /// Subsidies paid, by cover.
        var subsidies: [String: Int64] = [:]

        var balances: LedgerBalances {
            LedgerBalances(appropriation: Fen(appropriation), fund: Fen(fund), payable: Fen(payable), paid: Fen(paid),
                           expired: .zero, informationFund: Fen(infoFund), informationPayable: Fen(infoPayable),
                           informationPaid: Fen(infoPaid), subsidyFund: Fen(subsidyFund), subsidyPayable: Fen(subsidyPayable),
                           subsidyPaid: Fen(subsidyPaid))
        }

        /// Why the ledger must refuse this remuneration proposal, if it must (the same rules, written again).
        func refusal(_ request: PaymentRequest, at now: Int64, policy: RemunerationPolicy) -> LedgerError? {
            for cover in request.covers {
                if let earlier = payments.first(where: { $0.live && $0.covers.contains(cover) }) {
                    return .paymentRefused("\(cover) is already in payment \(earlier.id)")
                }
            }
            if let pending = payments.first(where: { $0.subject == request.subject && $0.state == .pending }) {
                return .paymentRefused("\(request.subject) already has payment \(pending.id) awaiting approval")
            }
            let soFar = payments.filter { $0.live && $0.subject == request.subject }.reduce(Int64(0)) { $0 + $1.amount }
            if soFar + request.amount.rawValue > policy.perItemFen {
                return .paymentRefused("\(request.subject): \(Fen(soFar)) already, \(request.amount) more exceeds the cap of \(Fen(policy.perItemFen)) per item")
            }
            let year = CivilTime.chinaYear(now)
            for payee in request.payees where payee.kind == .author {
                let paid = payments.filter { $0.live && CivilTime.chinaYear($0.proposedAt) == year }
                    .flatMap(\.payees).filter { $0.kind == .author && $0.name == payee.name }.reduce(Int64(0)) { $0 + $1.amount.rawValue }
                if paid + payee.amount.rawValue > policy.perPersonYearFen {
                    return .paymentRefused("\(payee.name ?? ""): \(Fen(paid)) this year already, \(payee.amount) more exceeds the cap of \(Fen(policy.perPersonYearFen)) per person a year")
                }
            }
            return nil
        }
    }

    /// A command that already succeeded, replayed with the same key and request.
    typealias Retry = () async throws -> Bool

    @Test("Several hundred random steps per seed, rewards and remuneration: balances match the model and verify passes",
          arguments: [UInt64(1), 2, 3, 20_260_101])
    func randomSequences(seed: UInt64) async throws {
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
        let steps = 400

        func note(_ label: String) { outcomes[label, default: 0] += 1 }

        for step in 1...steps {
            let context = "seed \(seed) step \(step)"
            now += Int64.random(in: 0...(3 * LedgerFixture.day), using: &rng)
            switch Int.random(in: 0..<140, using: &rng) {
            case 0..<12: // top up
                let amount = Int64.random(in: 1...2_000_000, using: &rng)
                let action = f.accountant.action("fund \(amount)")
                let key = f.key()
                let entry = try await ledger.fund(amount: Fen(amount), memo: "step \(step)", by: action, idempotencyKey: key, now: now)
                model.appropriation += amount
                model.fund += amount
                retries.append { try await ledger.fund(amount: Fen(amount), memo: "step \(step)", by: action, idempotencyKey: key, now: now + 7) == entry }
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
                switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                    try await ledger.propose(reference: reference, centre: "baiyun", outcome: outcome, amount: Fen(amount),
                                       tip: facts, proposer: action, idempotencyKey: key, now: now)
                }) {
                case let .success(reward):
                    #expect(expected == nil, "\(context): proposal accepted, expected \(String(describing: expected))")
                    model.rewards[reference] = .pending(proposer: proposer.keyID, amount: amount)
                    retries.append {
                        try await ledger.propose(reference: reference, centre: "baiyun", outcome: outcome, amount: Fen(amount),
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
                switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                    try await ledger.approve(reference: reference, approver: action, idempotencyKey: key, now: now)
                }) {
                case let .success(issue):
                    #expect(expected == nil, "\(context): approval accepted, expected \(String(describing: expected))")
                    #expect(issue.reward.amount == Fen(amount))
                    model.fund -= amount
                    model.payable += amount
                    model.rewards[reference] = .outstanding(code: issue.code!.text, amount: amount, expiresAt: issue.expiresAt)
                    retries.append {
                        // The same voucher and entry come back; the reward is shown as it stands now.
                        let again = try await ledger.approve(reference: reference, approver: action, idempotencyKey: key, now: now + 3)
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
                _ = try await ledger.decline(reference: reference, by: f.supervisorA.action("decline \(reference)"),
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
                    switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                        try await ledger.redeem(code: code, accountant: action, idempotencyKey: key, now: now)
                    }) {
                    case let .success(paid):
                        #expect(now < expiresAt, "\(context): a voucher past its window was paid")
                        model.payable -= amount
                        model.paid += amount
                        model.rewards[reference] = .paid
                        model.spentCodes.append(code)
                        retries.append { try await ledger.redeem(code: code, accountant: action, idempotencyKey: key, now: now + 9) == paid }
                        note("redeem")
                    case let .failure(error):
                        #expect(error == .voucherExpired(expiredAt: expiresAt) && now >= expiresAt, "\(context): \(error)")
                        note("redeem late")
                    }
                } else if choice < 9, let code = model.spentCodes.randomElement(using: &rng) {
                    await #expect(throws: LedgerError.voucherAlreadyRedeemed, "\(context)") {
                        try await ledger.redeem(code: code, accountant: action, idempotencyKey: key, now: now)
                    }
                    note("redeem twice refused")
                } else {
                    await #expect(throws: LedgerError.unknownVoucher, "\(context)") {
                        try await ledger.redeem(code: VoucherCode.generate().text, accountant: action, idempotencyKey: key, now: now)
                    }
                    note("redeem unknown refused")
                }

            case 82..<90: // expiry sweep, sometimes far in the future
                if Int.random(in: 0..<3, using: &rng) == 0 { now += 30 * LedgerFixture.day }
                let key = f.key()
                let swept = try await ledger.expire(now: now, idempotencyKey: key)
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
                for index in model.payments.indices {
                    if case let .outstanding(code?, expiresAt?) = model.payments[index].state, expiresAt <= now {
                        _ = code
                        model.infoPayable -= model.payments[index].amount
                        model.infoFund += model.payments[index].amount
                        model.payments[index].state = .lapsed
                    }
                }
                let sweptAt = now
                retries.append { try await ledger.expire(now: sweptAt + 1_000, idempotencyKey: key) == swept }
                note("expire")

            case 100..<104: // top up the information fund
                let amount = Int64.random(in: 1...300_000, using: &rng)
                _ = try await ledger.fund(amount: Fen(amount), memo: "info \(step)", by: f.accountant.action("fund info"), idempotencyKey: f.key(),
                                    now: now, into: .informationFund)
                model.appropriation += amount
                model.infoFund += amount
                note("fund info")

            case 104..<114: // propose remuneration: few items and names, so covers, pending items and caps collide
                let item = String(format: "NM-2026-%06d", Int.random(in: 1...8, using: &rng))
                let level = AdoptionLevel.allCases.randomElement(using: &rng)!
                let payees: [Payee]
                if Bool.random(using: &rng) {
                    payees = [Payee(kind: .informant, name: nil, amount: Fen(Int64.random(in: 1_000...60_000, using: &rng)))]
                } else {
                    payees = ["张三", "李四", "王五"].shuffled(using: &rng).prefix(Int.random(in: 1...2, using: &rng)).map {
                        Payee(kind: .author, name: $0, amount: Fen(Int64.random(in: 1_000...60_000, using: &rng)))
                    }
                }
                let request = PaymentRequest(scheme: .remuneration, subject: item, unit: "nanming", basis: "level=\(level.rawValue)",
                                             covers: ["adoption:\(item):\(level.rawValue)"], payees: payees)
                // Now and then an accountant proposes (acting as an editor), so that self-approval comes up.
                let proposer = Int.random(in: 0..<6, using: &rng) == 0 ? f.accountant : f.editor
                let expected = model.refusal(request, at: now, policy: .standard)
                switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                    try await ledger.proposePayment(request, proposer: proposer.action("propose \(item)", role: .editor), idempotencyKey: f.key(), now: now)
                }) {
                case let .success(payment):
                    #expect(expected == nil, "\(context): payment accepted, expected \(String(describing: expected))")
                    model.payments.append(.init(id: payment.id, subject: item, covers: request.covers, payees: payees,
                                                amount: request.amount.rawValue, proposedAt: now, proposer: proposer.keyID, state: .pending))
                    note("propose payment")
                case let .failure(error):
                    #expect(error == expected, "\(context): payment refused with \(error)")
                    note("propose payment refused")
                }

            case 114..<121: // approve, decline now and then
                guard let index = model.payments.indices.filter({ model.payments[$0].state == .pending }).randomElement(using: &rng) else { continue }
                let payment = model.payments[index]
                if Int.random(in: 0..<5, using: &rng) == 0 {
                    _ = try await ledger.declinePayment(id: payment.id, by: f.accountantB.action("decline"), idempotencyKey: f.key(), now: now)
                    model.payments[index].state = .declined
                    note("decline payment")
                    continue
                }
                let approver = Bool.random(using: &rng) ? f.accountant : f.accountantB
                let expected: LedgerError? = approver.keyID == payment.proposer ? .selfApproval
                    : model.infoFund < payment.amount ? .insufficientFund(available: Fen(model.infoFund), needed: Fen(payment.amount)) : nil
                switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                    try await ledger.approvePayment(id: payment.id, approver: approver.action("approve"), idempotencyKey: f.key(), now: now, seal: f.seal)
                }) {
                case let .success(issue):
                    #expect(expected == nil, "\(context): payment approved, expected \(String(describing: expected))")
                    #expect((issue.code != nil) == payment.payees.contains { $0.kind == .informant })
                    model.infoFund -= payment.amount
                    model.infoPayable += payment.amount
                    model.payments[index].state = .outstanding(code: issue.code?.text, expiresAt: issue.payment.expiresAt)
                    note("approve payment")
                case let .failure(error):
                    #expect(error == expected, "\(context): payment approval refused with \(error)")
                    note("approve payment refused")
                }

            case 121..<130: // settle: record a transfer, or redeem an informant's voucher (perhaps too late)
                guard let index = model.payments.indices.filter({
                    if case .outstanding = model.payments[$0].state { true } else { false }
                }).randomElement(using: &rng), case let .outstanding(code, expiresAt) = model.payments[index].state else { continue }
                let payment = model.payments[index]
                if let code, let expiresAt {
                    switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                        try await ledger.redeemPayment(code: code, accountant: f.accountant.action("redeem"), idempotencyKey: f.key(), now: now)
                    }) {
                    case .success:
                        #expect(now < expiresAt, "\(context): a lapsed remuneration voucher was paid")
                        model.payments[index].state = .paid
                        note("redeem payment")
                    case let .failure(error):
                        #expect(error == .voucherExpired(expiredAt: expiresAt) && now >= expiresAt, "\(context): \(error)")
                        continue
                    }
                } else {
                    _ = try await ledger.payPayment(id: payment.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(), now: now)
                    model.payments[index].state = .paid
                    note("pay payment")
                }
                model.infoPayable -= payment.amount
                model.infoPaid += payment.amount

            case 130..<140: // a subsidy (三(五)): fund, propose for a unit and year (each once), approve, pay
                let unit = ["nanming-office", "yunyan-office", "customs"].randomElement(using: &rng)!
                let year = 2026 + Int.random(in: 0...2, using: &rng)
                let cover = "subsidy:\(year):\(unit)"
                let amount = Int64([3_000_000, 2_000_000, 1_000_000].randomElement(using: &rng)!)
                if Bool.random(using: &rng) {
                    _ = try await ledger.fund(amount: Fen(amount), memo: "专项 \(step)", by: f.accountant.action("fund subsidy"), idempotencyKey: f.key(),
                                        now: now, into: .subsidyFund)
                    model.appropriation += amount
                    model.subsidyFund += amount
                }
                let request = PaymentRequest(scheme: .subsidy, subject: "\(year)-\(unit)", unit: unit, basis: "rank=1", covers: [cover],
                                             payees: [Payee(kind: .unit, name: unit, amount: Fen(amount))])
                let taken = model.subsidies[cover]
                switch await LedgerFixture.attempt({ () async throws(LedgerError) in
                    try await ledger.proposePayment(request, proposer: f.assessor.action("subsidy"), idempotencyKey: f.key(), now: now)
                }) {
                case let .success(payment):
                    #expect(taken == nil, "\(context): a subsidy proposed twice for \(cover)")
                    let approved = await LedgerFixture.attempt({ () async throws(LedgerError) in
                        try await ledger.approvePayment(id: payment.id, approver: f.accountantB.action("approve"), idempotencyKey: f.key(), now: now)
                    })
                    if case .success = approved {
                        #expect(model.subsidyFund >= amount, "\(context): a subsidy approved beyond its fund")
                        model.subsidyFund -= amount
                        _ = try await ledger.payPayment(id: payment.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(), now: now)
                        model.subsidyPaid += amount
                        model.subsidies[cover] = payment.id
                        note("subsidy paid")
                    } else {
                        #expect(model.subsidyFund < amount, "\(context): a subsidy refused with money in the fund")
                        _ = try await ledger.declinePayment(id: payment.id, by: f.accountantB.action("decline"), idempotencyKey: f.key(), now: now)
                        note("subsidy declined")
                    }
                case let .failure(error):
                    #expect(taken != nil && error == .paymentRefused("\(cover) is already in payment \(taken!)"), "\(context): \(error)")
                    note("subsidy refused")
                }

            default: // retry an earlier successful command with its key
                guard let retry = retries.randomElement(using: &rng) else { continue }
                #expect(try await retry(), "\(context): a retry did not return the first result")
                note("retry")
            }

            #expect(try await ledger.balance() == model.balances, "\(context): balances differ from the model")
            if step % 50 == 0 {
                let report = try await ledger.verify(signers: nil)
                #expect(report.passed, "\(context): \(report.summary)")
            }
        }
        let report = try await ledger.verify(signers: f.signers.merging([supervisors[2].keyID: supervisors[2].key.publicKey]) { a, _ in a })
        #expect(report.passed, "seed \(seed): \(report.summary)")
        // The run exercised every path, not only the easy ones.
        for label in ["fund", "propose", "propose refused", "approve", "approve refused", "redeem", "expire", "retry",
                      "fund info", "propose payment", "propose payment refused", "approve payment", "pay payment", "redeem payment",
                      "subsidy paid"] {
            #expect(outcomes[label, default: 0] > 0, "seed \(seed): no \(label) in \(steps) steps")
        }
    }
}
