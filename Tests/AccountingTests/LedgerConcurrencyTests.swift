import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Ledger: concurrent commands and read-only auditing")
struct LedgerConcurrencyTests {
    @Test("Concurrent approvals of one proposal issue exactly one voucher; concurrent redemptions pay once")
    func concurrentApprovals() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000400", yuan: 3_000)
        let ledger = f.ledger
        let approvers = (0..<8).map { _ in TestStaff(.supervisor) }
        let results = await withTaskGroup(of: VoucherIssue?.self) { group in
            for approver in approvers {
                group.addTask {
                    try? await ledger.approve(reference: "GY-2026-000400", approver: approver.action("approve"),
                                        idempotencyKey: IdempotencyKey.generate(), now: LedgerFixture.t0)
                }
            }
            return await group.reduce(into: [VoucherIssue]()) { if let issue = $1 { $0.append(issue) } }
        }
        #expect(results.count == 1)
        let code = try #require(results.first?.code?.text)
        let accountant = f.accountant
        let paid = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    (try? await ledger.redeem(code: code, accountant: accountant.action("redeem \(index)"),
                                        idempotencyKey: "concurrent-redeem-\(index)-key", now: LedgerFixture.t0 + 1)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(paid == 1)
        #expect(try await ledger.balance().paid == Fen.yuan(3_000)!)
        #expect(try await ledger.verify().passed)
    }

    @Test("An auditor can open the ledger read-only to verify and report; commands then fail")
    func readOnly() async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000401", yuan: 3_000)
        _ = try await f.approve("GY-2026-000401")
        let auditor = try Ledger(path: f.path, policy: .standard, readOnly: true)
        #expect(try await auditor.verify(signers: f.signers).passed)
        #expect(try await auditor.balance().payable == Fen.yuan(3_000)!)
        #expect(try await auditor.report(year: 2026).totals.approvedCount == 1)
        await #expect(throws: LedgerError.self) {
            try await auditor.fund(amount: Fen(100), memo: "", by: f.accountant.action("fund"), idempotencyKey: f.key(),
                             now: LedgerFixture.t0)
        }
        let missing = f.directory.appendingPathComponent("none.sqlite").path
        #expect(throws: LedgerError.self) { try Ledger(path: missing, policy: .standard, readOnly: true) }
    }
}
