import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger: refusals")
struct LedgerRefusalTests {
    let t0 = LedgerFixture.t0

    @Test("Self-approval is refused, and a different supervisor can then approve")
    func selfApproval() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000100", yuan: 3_000, by: f.supervisorA)
        await #expect(throws: LedgerError.selfApproval) { try await f.approve("GY-2026-000100", by: f.supervisorA) }
        #expect(try await f.ledger.journal().count == 1)
        #expect(try await f.approve("GY-2026-000100", by: f.supervisorB).reward.status == .approved)
    }

    @Test("Roles: an accountant cannot propose, a triage officer cannot approve, a supervisor cannot pay")
    func roles() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        await #expect(throws: LedgerError.roleNotAllowed(action: "propose a reward", role: .accountant)) {
            try await f.propose("GY-2026-000101", yuan: 3_000, by: f.accountant)
        }
        try await f.propose("GY-2026-000101", yuan: 3_000)
        await #expect(throws: LedgerError.roleNotAllowed(action: "approve a reward", role: .triage)) {
            try await f.ledger.approve(reference: "GY-2026-000101", approver: TestStaff(.triage).action("approve"),
                                 idempotencyKey: f.key(), now: t0)
        }
        let issue = try await f.approve("GY-2026-000101")
        await #expect(throws: LedgerError.roleNotAllowed(action: "pay a voucher", role: .supervisor)) {
            try await f.ledger.redeem(code: issue.code!.text, accountant: f.supervisorA.action("redeem"),
                                idempotencyKey: f.key(), now: t0)
        }
    }

    @Test("An amount outside the tier is refused with the allowed range in the reason")
    func outsideTier() async throws {
        let f = try LedgerFixture()
        try await f.fund(100_000)
        var caught: LedgerError?
        do { try await f.propose("GY-2026-000102", yuan: 6_000) } catch { caught = error as? LedgerError }
        let allowed = RewardRange(tier: .administrative, minimum: Fen(100_000), maximum: Fen(500_000), capped: false)
        #expect(caught == .amountOutsideTier(amount: Fen(600_000), allowed: allowed))
        #expect(caught?.description == "¥6,000.00 is outside the allowed range ¥1,000.00–¥5,000.00 (administrative)")
        await #expect(throws: LedgerError.amountOutsideTier(amount: Fen(99_999), allowed: allowed)) {
            try await f.ledger.propose(reference: "GY-2026-000102", centre: "city", outcome: LedgerFixture.administrative,
                                 amount: Fen(99_999), tip: LedgerFixture.verifiedTip,
                                 proposer: f.triage.action("propose"), idempotencyKey: f.key(), now: t0)
        }
        #expect(try await f.ledger.rewards().isEmpty)
    }

    @Test("A tip that is not verified is refused", arguments: ["received", "triaged", "verifying", "unfounded", "rejected", "closed"])
    func notVerified(status: String) async throws {
        let f = try LedgerFixture()
        await #expect(throws: LedgerError.tipNotVerified(reference: "GY-2026-000103", status: status)) {
            try await f.propose("GY-2026-000103", yuan: 3_000, tip: TipFacts(status: status, wantsReward: true))
        }
    }

    @Test("A duplicate of an earlier tip is refused: only the first reporter is rewarded")
    func duplicate() async throws {
        let f = try LedgerFixture()
        await #expect(throws: LedgerError.duplicateTip(reference: "GY-2026-000105")) {
            try await f.propose("GY-2026-000105", yuan: 3_000,
                          tip: TipFacts(status: "verified", duplicateOf: "GY-2026-000104", wantsReward: true))
        }
    }

    @Test("A tip filed without a reward request is refused")
    func notWanted() async throws {
        let f = try LedgerFixture()
        await #expect(throws: LedgerError.rewardNotWanted(reference: "GY-2026-000106")) {
            try await f.propose("GY-2026-000106", yuan: 3_000, tip: TipFacts(status: "verified", wantsReward: false))
        }
    }

    @Test("A tip already rewarded is refused, from the ledger itself, whether paid, outstanding or lapsed")
    func alreadyRewarded() async throws {
        let f = try LedgerFixture()
        try await f.fund(100_000)
        try await f.propose("GY-2026-000107", yuan: 3_000)
        await #expect(throws: LedgerError.proposalPending(reference: "GY-2026-000107")) {
            try await f.propose("GY-2026-000107", yuan: 2_000)
        }
        let issue = try await f.approve("GY-2026-000107")
        await #expect(throws: LedgerError.alreadyRewarded(reference: "GY-2026-000107")) {
            try await f.propose("GY-2026-000107", yuan: 2_000)
        }
        await #expect(throws: LedgerError.alreadyRewarded(reference: "GY-2026-000107")) {
            try await f.approve("GY-2026-000107", by: f.supervisorA)
        }
        _ = try await f.ledger.expire(now: issue.expiresAt, idempotencyKey: f.key())
        await #expect(throws: LedgerError.alreadyRewarded(reference: "GY-2026-000107")) {
            try await f.propose("GY-2026-000107", yuan: 2_000)
        }
    }

    @Test("Approval is refused when the fund cannot cover the amount")
    func fundTooSmall() async throws {
        let f = try LedgerFixture()
        try await f.fund(2_000)
        try await f.propose("GY-2026-000108", yuan: 3_000)
        await #expect(throws: LedgerError.insufficientFund(available: Fen.yuan(2_000)!, needed: Fen.yuan(3_000)!)) {
            try await f.approve("GY-2026-000108")
        }
        #expect(try await f.ledger.balance().payable == .zero)
        try await f.fund(1_000)
        #expect(try await f.approve("GY-2026-000108").reward.status == .approved)
        #expect(try await f.ledger.balance().fund == .zero)
    }

    @Test("An expired code is refused even before the sweep runs")
    func expiredCode() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000109", yuan: 3_000)
        let issue = try await f.approve("GY-2026-000109")
        await #expect(throws: LedgerError.voucherExpired(expiredAt: issue.expiresAt)) {
            try await f.redeem(issue.code!.text, at: issue.expiresAt)
        }
        #expect(try await f.ledger.balance().payable == Fen.yuan(3_000)!, "nothing posted")
        #expect(try await f.redeem(issue.code!.text, at: issue.expiresAt - 1).reward.status == .paid, "the last second still pays")
    }

    @Test("An unknown or malformed code is refused", arguments: [
        "0000000000000000000", "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", "not a code", "", "UUUUUUUUUUUUUUUUUUUU",
    ])
    func unknownCode(code: String) async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000110", yuan: 3_000)
        _ = try await f.approve("GY-2026-000110")
        await #expect(throws: LedgerError.unknownVoucher) { try await f.redeem(code) }
    }

    @Test("Malformed arguments are refused before anything is written")
    func malformed() async throws {
        let f = try LedgerFixture()
        await #expect(throws: LedgerError.self) {
            try await f.ledger.fund(amount: Fen(-1), memo: "", by: f.accountant.action("fund"), idempotencyKey: f.key(), now: t0)
        }
        await #expect(throws: LedgerError.self) {
            try await f.ledger.fund(amount: Fen(1), memo: "line\nbreak", by: f.accountant.action("fund"), idempotencyKey: f.key(), now: t0)
        }
        await #expect(throws: LedgerError.self) {
            try await f.ledger.fund(amount: Fen(1), memo: "", by: f.accountant.action("fund"), idempotencyKey: "short", now: t0)
        }
        await #expect(throws: LedgerError.self) {
            try await f.ledger.propose(reference: "GY 2026'; DROP", centre: "city", outcome: LedgerFixture.administrative,
                                 amount: Fen(100_000), tip: LedgerFixture.verifiedTip, proposer: f.triage.action("p"),
                                 idempotencyKey: f.key(), now: t0)
        }
        let unsigned = SignedStaffRequest(keyID: f.triage.keyID, role: .triage, request: Data(), signature: Data())
        await #expect(throws: LedgerError.self) {
            try await f.ledger.propose(reference: "GY-2026-000111", centre: "city", outcome: LedgerFixture.administrative,
                                 amount: Fen(100_000), tip: LedgerFixture.verifiedTip, proposer: unsigned,
                                 idempotencyKey: f.key(), now: t0)
        }
        #expect(try await f.ledger.journal().isEmpty)
    }

    @Test("Error descriptions carry no voucher code, request bytes or memo")
    func descriptionsAreClean() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000112", yuan: 3_000)
        let issue = try await f.approve("GY-2026-000112")
        _ = try await f.redeem(issue.code!.text)
        do {
            _ = try await f.redeem(issue.code!.text)
            Issue.record("second redemption accepted")
        } catch {
            #expect(!String(describing: error).contains(issue.code!.text))
            #expect(!String(describing: error).contains(issue.code!.grouped))
        }
        #expect(!"\(issue.code)".contains(issue.code!.text))
    }
}
