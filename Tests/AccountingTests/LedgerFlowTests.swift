import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger: the full reward flow (S-3.4)")
struct LedgerFlowTests {
    @Test("fund ¥10,000 → propose ¥3,000 → second supervisor approves → redeem → paid; the code pays once")
    func fullFlow() async throws {
        let f = try LedgerFixture()
        let t0 = LedgerFixture.t0
        let top = try await f.fund(10_000)
        #expect(top.kind == .fund)
        #expect(top.postings.map(\.account) == [.appropriation, .fund])

        let proposed = try await f.propose("GY-2026-000001", yuan: 3_000, at: t0 + 60)
        #expect(proposed.status == .proposed)
        #expect(proposed.allowed == RewardRange(tier: .administrative, minimum: Fen(100_000), maximum: Fen(500_000), capped: false))
        #expect(try await f.ledger.balance().fund == Fen.yuan(10_000)!, "a proposal moves no money")

        let issue = try await f.approve("GY-2026-000001", at: t0 + 120)
        #expect(issue.reward.status == .approved)
        #expect(issue.code!.text.count == 20)
        #expect(issue.code!.text.allSatisfy { VoucherCode.alphabet.contains($0) })
        #expect(issue.expiresAt == t0 + 120 + 60 * LedgerFixture.day)
        #expect(issue.entry.kind == .approve)
        #expect(issue.reward.voucherHash == Hex.encode(issue.code!.hash))
        var balances = try await f.ledger.balance()
        #expect(balances == LedgerBalances(appropriation: Fen.yuan(10_000)!, fund: Fen.yuan(7_000)!,
                                           payable: Fen.yuan(3_000)!, paid: .zero, expired: .zero))

        let paid = try await f.redeem(issue.code!.grouped.lowercased(), at: t0 + 3 * LedgerFixture.day)
        #expect(paid.reward.status == .paid)
        #expect(paid.entry.kind == .redeem)
        #expect(paid.entry.postings == [Posting(line: 1, account: .payable, side: .debit, amount: Fen(300_000)),
                                        Posting(line: 2, account: .paid, side: .credit, amount: Fen(300_000))])
        balances = try await f.ledger.balance()
        #expect(balances == LedgerBalances(appropriation: Fen.yuan(10_000)!, fund: Fen.yuan(7_000)!,
                                           payable: .zero, paid: Fen.yuan(3_000)!, expired: .zero))

        let report = try await f.ledger.verify(signers: f.signers)
        #expect(report.passed, "\(report.summary)")
        #expect(report.entries == 3)
        #expect(report.result(.signatures)?.checked == 4)
        #expect(try await f.ledger.journal().map(\.kind) == [.fund, .approve, .redeem])

        await #expect(throws: LedgerError.voucherAlreadyRedeemed) { try await f.redeem(issue.code!.text, at: t0 + 4 * LedgerFixture.day) }
        #expect(try await f.ledger.journal().count == 3, "a refused redemption posts nothing")
    }

    @Test("Journal entries link into a chain whose head can be checkpointed")
    func chainAndCheckpoint() async throws {
        let f = try LedgerFixture()
        try await f.fund(500)
        let first = try await f.ledger.head()
        try await f.fund(700)
        let entries = try await f.ledger.journal()
        #expect(entries[0].prevHash == String(repeating: "0", count: 64))
        #expect(entries[1].prevHash == entries[0].hash)
        #expect(first == LedgerHead(seq: 1, hash: entries[0].hash))
        #expect(try await f.ledger.verify(checkpoint: first).passed)
        let forged = LedgerHead(seq: 1, hash: String(repeating: "ab", count: 32))
        #expect(try await f.ledger.verify(checkpoint: forged).failedChecks == [.chain])
    }

    @Test("Expiry returns a lapsed voucher's amount to the fund through the expired account")
    func expiry() async throws {
        let f = try LedgerFixture()
        let t0 = LedgerFixture.t0
        try await f.fund(10_000)
        try await f.propose("GY-2026-000002", yuan: 2_000)
        let issue = try await f.approve("GY-2026-000002")
        #expect(try await f.ledger.expire(now: issue.expiresAt - 1, idempotencyKey: f.key("expire")).rewards.isEmpty)
        let swept = try await f.ledger.expire(now: issue.expiresAt, idempotencyKey: f.key("expire"))
        #expect(swept.rewards.map(\.status) == [.expired])
        #expect(swept.entries.map(\.kind) == [.expire, .restore])
        #expect(swept.total == Fen.yuan(2_000)!)
        #expect(try await f.ledger.balance() == LedgerBalances(appropriation: Fen.yuan(10_000)!, fund: Fen.yuan(10_000)!,
                                                         payable: .zero, paid: .zero, expired: .zero))
        await #expect(throws: LedgerError.voucherExpired(expiredAt: issue.expiresAt)) {
            try await f.redeem(issue.code!.text, at: t0 + 1)
        }
        #expect(try await f.ledger.verify(signers: f.signers).passed)
    }

    @Test("A declined proposal moves no money and the tip can be proposed again")
    func decline() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000003", yuan: 9_000, outcome: RewardBasis(kind: .criminal))
        let declined = try await f.ledger.decline(reference: "GY-2026-000003", by: f.supervisorA.action("decline"),
                                            idempotencyKey: f.key(), now: LedgerFixture.t0)
        #expect(declined.status == .declined)
        try await f.propose("GY-2026-000003", yuan: 6_000, outcome: RewardBasis(kind: .criminal))
        let issue = try await f.approve("GY-2026-000003")
        #expect(issue.reward.amount == Fen.yuan(6_000)!)
        #expect(try await f.ledger.rewards().map(\.status) == [.declined, .approved])
        #expect(try await f.ledger.verify(signers: f.signers).passed)
    }

    @Test("Yearly report per centre and tier, and its CSV")
    func report() async throws {
        let f = try LedgerFixture()
        let t0 = LedgerFixture.t0
        try await f.fund(100_000)
        try await f.propose("GY-2026-000010", yuan: 3_000)
        let a = try await f.approve("GY-2026-000010")
        _ = try await f.redeem(a.code!.text, at: t0 + 10)
        try await f.propose("GY-2026-000011", yuan: 8_000, outcome: RewardBasis(kind: .criminal))
        _ = try await f.approve("GY-2026-000011")
        try await f.propose("GY-2026-000012", yuan: 40_000,
                      outcome: RewardBasis(kind: .administrative, harmsMinorsOnline: true))
        let c = try await f.approve("GY-2026-000012", at: t0 + 360 * LedgerFixture.day)
        _ = c
        let report = try await f.ledger.report(year: 2026)
        #expect(report.funded == Fen.yuan(100_000)!)
        #expect(report.rows.map(\.tier) == ["administrative", "criminal", "harms-minors-online"])
        #expect(report.totals.approvedCount == 3)
        #expect(report.totals.approved == Fen.yuan(51_000)!)
        #expect(report.totals.paid == Fen.yuan(3_000)!)
        #expect(report.totals.outstandingCount == 2)
        #expect(report.csv.hasPrefix("year,centre,tier,approved_count,approved_yuan,approved_fen"))
        #expect(report.csv.contains("2026,nanming,administrative,1,3000.00,300000,1,3000.00,300000,0,0.00,0,0,0.00,0\r\n"))
        #expect(report.csv.hasSuffix("2026,all,all,3,51000.00,5100000,1,3000.00,300000,0,0.00,0,2,48000.00,4800000\r\n"))
        // The minors voucher lapses in 2027: next year's report shows it expired, nothing approved.
        _ = try await f.ledger.expire(now: t0 + 430 * LedgerFixture.day, idempotencyKey: f.key())
        let next = try await f.ledger.report(year: 2027)
        #expect(next.totals.approvedCount == 0)
        #expect(next.totals.expired == Fen.yuan(40_000)! + Fen.yuan(8_000)!)
        #expect(try await f.ledger.report(year: 2025).rows.isEmpty)
    }
}

extension Fen {
    static func + (lhs: Fen, rhs: Fen) -> Fen { Fen(lhs.rawValue + rhs.rawValue) }
}
