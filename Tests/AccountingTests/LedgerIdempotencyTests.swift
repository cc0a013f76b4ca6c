import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger: idempotency keys make every command safe to retry")
struct LedgerIdempotencyTests {
    let t0 = LedgerFixture.t0

    @Test("Retrying each command with the same key returns the same result and posts nothing")
    func retries() async throws {
        let f = try LedgerFixture()
        let fundAction = f.accountant.action("fund 10000")
        let fundKey = f.key()
        let funded = try await f.ledger.fund(amount: Fen.yuan(10_000)!, memo: "m", by: fundAction, idempotencyKey: fundKey, now: t0)
        let fundedAgain = try await f.ledger.fund(amount: Fen.yuan(10_000)!, memo: "m", by: fundAction, idempotencyKey: fundKey,
                                            now: t0 + 99)
        #expect(funded == fundedAgain)

        let proposer = f.triage.action("propose")
        let proposeKey = f.key()
        func propose() async throws -> Reward {
            try await f.ledger.propose(reference: "GY-2026-000200", centre: "city", outcome: LedgerFixture.administrative,
                                 amount: Fen.yuan(3_000)!, tip: LedgerFixture.verifiedTip, proposer: proposer,
                                 idempotencyKey: proposeKey, now: t0)
        }
        let proposal = try await propose()
        #expect(try await propose() == proposal)

        let approver = f.supervisorB.action("approve")
        let approveKey = IdempotencyKey.generate()
        let issue = try await f.ledger.approve(reference: "GY-2026-000200", approver: approver, idempotencyKey: approveKey, now: t0,
                                         seal: f.seal)
        let again = try await f.ledger.approve(reference: "GY-2026-000200", approver: approver, idempotencyKey: approveKey,
                                         now: t0 + 5, seal: f.seal)
        #expect(again.reward == issue.reward && again.entry == issue.entry && again.sealedCode == issue.sealedCode,
                "the same approval and the same sealed copy come back")
        #expect(again.code == nil && f.open(again.sealedCode) == issue.code, "a retry gets no code; only the reporter's key opens the copy")
        let late = try await propose()
        #expect(late.id == proposal.id && late.status == .approved,
                "a late retry returns the same reward, as it stands now, and proposes nothing new")

        let redeemer = f.accountant.action("redeem")
        let redeemKey = f.key()
        let paid = try await f.ledger.redeem(code: issue.code!.text, accountant: redeemer, idempotencyKey: redeemKey, now: t0 + 9)
        let paidAgain = try await f.ledger.redeem(code: issue.code!.grouped, accountant: redeemer, idempotencyKey: redeemKey,
                                            now: t0 + 10)
        #expect(paidAgain == paid)

        try await f.propose("GY-2026-000201", yuan: 2_000)
        let lapsing = try await f.approve("GY-2026-000201")
        let expireKey = f.key()
        let swept = try await f.ledger.expire(now: lapsing.expiresAt, idempotencyKey: expireKey)
        #expect(swept.rewards.count == 1)
        #expect(try await f.ledger.expire(now: lapsing.expiresAt + 100, idempotencyKey: expireKey) == swept)

        let declineKey = f.key()
        try await f.propose("GY-2026-000202", yuan: 2_000)
        let decliner = f.supervisorA.action("decline")
        let declined = try await f.ledger.decline(reference: "GY-2026-000202", by: decliner, idempotencyKey: declineKey, now: t0)
        #expect(try await f.ledger.decline(reference: "GY-2026-000202", by: decliner, idempotencyKey: declineKey, now: t0) == declined)

        #expect(try await f.ledger.journal().map(\.kind) == [.fund, .approve, .redeem, .approve, .expire, .restore])
        #expect(try await f.ledger.balance() == LedgerBalances(appropriation: Fen.yuan(10_000)!, fund: Fen.yuan(7_000)!,
                                                         payable: .zero, paid: Fen.yuan(3_000)!, expired: .zero))
        #expect(try await f.ledger.verify(signers: f.signers).passed)
    }

    @Test("Reusing a key for a different request is refused, across and within commands")
    func reuseRefused() async throws {
        let f = try LedgerFixture()
        let key = f.key()
        _ = try await f.ledger.fund(amount: Fen(100), memo: "a", by: f.accountant.action("fund"), idempotencyKey: key, now: t0)
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await f.ledger.fund(amount: Fen(200), memo: "a", by: f.accountant.action("fund"), idempotencyKey: key, now: t0)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await f.ledger.fund(amount: Fen(100), memo: "b", by: f.accountant.action("fund"), idempotencyKey: key, now: t0)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await f.ledger.expire(now: t0, idempotencyKey: key)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await f.ledger.propose(reference: "GY-2026-000203", centre: "city", outcome: LedgerFixture.administrative,
                                 amount: Fen(100_000), tip: LedgerFixture.verifiedTip, proposer: f.triage.action("p"),
                                 idempotencyKey: key, now: t0)
        }
        try await f.fund(10_000)
        try await f.propose("GY-2026-000204", yuan: 1_000)
        try await f.propose("GY-2026-000205", yuan: 1_000)
        let approveKey = IdempotencyKey.generate()
        let approver = f.supervisorB.action("approve")
        _ = try await f.ledger.approve(reference: "GY-2026-000204", approver: approver, idempotencyKey: approveKey, now: t0)
        await #expect(throws: LedgerError.idempotencyKeyReused) {
            try await f.ledger.approve(reference: "GY-2026-000205", approver: approver, idempotencyKey: approveKey, now: t0)
        }
        #expect(try await f.ledger.journal().count == 3)
        #expect(try await f.ledger.verify().passed)
    }

    @Test("A refused command leaves no trace: a retry with the same key is evaluated afresh")
    func refusalsAreNotRemembered() async throws {
        let f = try LedgerFixture()
        try await f.fund(1_000)
        try await f.propose("GY-2026-000206", yuan: 3_000)
        let key = IdempotencyKey.generate()
        let approver = f.supervisorB.action("approve")
        await #expect(throws: LedgerError.insufficientFund(available: Fen.yuan(1_000)!, needed: Fen.yuan(3_000)!)) {
            try await f.ledger.approve(reference: "GY-2026-000206", approver: approver, idempotencyKey: key, now: t0)
        }
        try await f.fund(2_000)
        #expect(try await f.ledger.approve(reference: "GY-2026-000206", approver: approver, idempotencyKey: key, now: t0)
            .reward.status == .approved)
    }
}
