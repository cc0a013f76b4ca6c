import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

/// Remuneration for adopted information (S-3.4) and unit subsidies (三(五)), issue 17.
@Suite("Ledger: remuneration and subsidies")
struct LedgerPaymentTests {
    static let t0 = LedgerFixture.t0

    @Test("Named authors: an editor proposes, a second person (an accountant) approves, an accountant records the transfer; verify passes")
    func namedAuthors() async throws {
        let f = try LedgerFixture()
        try await f.fundInformation(1_000)
        let proposed = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000001", [LedgerFixture.author("张三", 3_000), LedgerFixture.author("李四", 2_000)]))
        #expect(proposed.status == .proposed && proposed.amount == Fen(5_000) && proposed.payees.count == 2)
        let issue = try await f.approvePayment(proposed.id)
        #expect(issue.code == nil && issue.sealedCode == nil, "a named payee gets no voucher")
        #expect(issue.payment.status == .approved)
        var balances = try await f.ledger.balance()
        #expect(balances.informationFund == Fen.yuan(950)! && balances.informationPayable == Fen(5_000))
        let settled = try await f.ledger.payPayment(id: proposed.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(), now: Self.t0 + 60)
        #expect(settled.payment.status == .paid && settled.entry.kind == .paymentPay)
        balances = try await f.ledger.balance()
        #expect(balances == LedgerBalances(appropriation: Fen.yuan(1_000)!, fund: .zero, payable: .zero, paid: .zero, expired: .zero,
                                           informationFund: Fen.yuan(950)!, informationPaid: Fen(5_000)))
        await #expect(throws: LedgerError.paymentRefused("payment \(proposed.id) is paid, not approved and unpaid")) {
            try await f.ledger.payPayment(id: proposed.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(), now: Self.t0 + 90)
        }
        let report = try await f.ledger.verify(signers: f.signers)
        #expect(report.passed, "\(report.summary)")
        #expect(report.payments == 1 && report.result(.payments)?.checked == 4)
        let year = try await f.ledger.paymentReport(year: 2026)
        #expect(year.rows.map { "\($0.scheme)/\($0.payee)/\($0.unit)/\($0.paidCount)/\($0.paid.rawValue)" } == ["remuneration/author/nanming/1/5000"])
        #expect(year.fundedInformation == Fen.yuan(1_000)!)
        #expect(try await f.ledger.report(year: 2026).funded == .zero, "the reward report counts only the reward fund's top-ups")
    }

    @Test("An informant: the voucher code exists only sealed; it pays once; a lapsed one returns to the information fund")
    func informantVoucher() async throws {
        let f = try LedgerFixture()
        try await f.fundInformation(1_000)
        let first = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000002", [LedgerFixture.informant(7_000)]))
        let issue = try await f.approvePayment(first.id)
        let code = try #require(issue.code)
        #expect(f.open(issue.sealedCode) == code, "the copy opens with the informant's key only")
        #expect(issue.payment.voucherHash == Hex.encode(code.hash) && issue.payment.payees == [LedgerFixture.informant(7_000)])
        #expect(try await f.ledger.paymentVoucher(code: code.grouped).id == first.id)
        await #expect(throws: LedgerError.paymentRefused("payment \(first.id) is an informant's: it is paid when the voucher is redeemed")) {
            try await f.ledger.payPayment(id: first.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(), now: Self.t0 + 10)
        }
        let paid = try await f.ledger.redeemPayment(code: code.text.lowercased(), accountant: f.accountant.action("redeem"),
                                              idempotencyKey: f.key(), now: Self.t0 + 100)
        #expect(paid.payment.status == .paid && paid.entry.kind == .paymentRedeem)
        await #expect(throws: LedgerError.voucherAlreadyRedeemed) {
            try await f.ledger.redeemPayment(code: code.text, accountant: f.accountant.action("redeem"), idempotencyKey: f.key(), now: Self.t0 + 200)
        }
        await #expect(throws: LedgerError.unknownVoucher, "a remuneration code is not a reward code") {
            try await f.ledger.redeem(code: code.text, accountant: f.accountant.action("redeem"), idempotencyKey: f.key(), now: Self.t0 + 200)
        }
        // A second voucher lapses after 180 days, back to the information fund.
        let second = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000003", [LedgerFixture.informant(5_000)]))
        let lapsing = try await f.approvePayment(second.id, at: Self.t0 + 1_000)
        let swept = try await f.ledger.expire(now: lapsing.payment.expiresAt!, idempotencyKey: f.key())
        #expect(swept.rewards.isEmpty && swept.entries.map(\.kind) == [.paymentExpire, .paymentRestore])
        await #expect(throws: LedgerError.voucherExpired(expiredAt: lapsing.payment.expiresAt!)) {
            try await f.ledger.redeemPayment(code: lapsing.code!.text, accountant: f.accountant.action("redeem"), idempotencyKey: f.key(),
                                       now: lapsing.payment.expiresAt! + 1)
        }
        #expect(try await f.ledger.payment(id: second.id).status == .expired)
        #expect(try await f.ledger.balance().informationFund == Fen(100_000 - 7_000))
        let report = try await f.ledger.verify(signers: f.signers)
        #expect(report.passed, "\(report.summary)")
        // Nothing in the file (or its WAL) holds either code in clear.
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: f.path + suffix).map(Array.init) else { continue }
            for form in [code.text, code.grouped, lapsing.code!.text] {
                #expect(!LedgerAtRestTests.contains(bytes, Array(form.utf8)), "a remuneration code in clear in ledger.sqlite\(suffix)")
            }
        }
    }

    @Test("Subsidies: an assessor proposes a grant to a unit from the special fund, an accountant approves and pays")
    func subsidy() async throws {
        let f = try LedgerFixture()
        _ = try await f.ledger.fund(amount: Fen.yuan(100_000)!, memo: "专项经费", by: f.accountant.action("fund"), idempotencyKey: f.key(),
                              now: Self.t0, into: .subsidyFund)
        let request = PaymentRequest(scheme: .subsidy, subject: "2026-nanming", unit: "nanming", basis: "rank=1;points=95",
                                     covers: ["subsidy:2026:nanming"], payees: [Payee(kind: .unit, name: "nanming", amount: Fen(3_000_000))])
        await #expect(throws: LedgerError.roleNotAllowed(action: "propose a subsidy payment", role: .editor)) {
            try await f.ledger.proposePayment(request, proposer: f.editor.action("p"), idempotencyKey: f.key(), now: Self.t0)
        }
        let proposed = try await f.proposePayment(request, by: f.assessor)
        _ = try await f.approvePayment(proposed.id)
        _ = try await f.ledger.payPayment(id: proposed.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(), now: Self.t0 + 5)
        let balances = try await f.ledger.balance()
        #expect(balances.subsidyFund == Fen.yuan(70_000)! && balances.subsidyPaid == Fen.yuan(30_000)! && balances.informationFund == .zero)
        await #expect(throws: LedgerError.paymentRefused("subsidy:2026:nanming is already in payment \(proposed.id)")) {
            try await f.proposePayment(request, by: f.assessor)
        }
        #expect(try await f.ledger.verify(signers: f.signers).passed)
        #expect(try await f.ledger.paymentReport(year: 2026).rows.map(\.payee) == ["unit"])
    }

    @Test("Refusals: covers paid once, caps per item and per person a year, two people, roles, funds, payee kinds")
    func refusals() async throws {
        let f = try LedgerFixture()
        try await f.fundInformation(100)
        let base = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000010", [LedgerFixture.author("王五", 60_000)]))
        // The same adoption again, even in another item's payment.
        await #expect(throws: LedgerError.paymentRefused("adoption:NM-2026-000010:kuaibao is already in payment \(base.id)")) {
            try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000011", covers: ["adoption:NM-2026-000010:kuaibao"], [LedgerFixture.author("王五", 100)]))
        }
        // A second pending payment for the same item.
        await #expect(throws: LedgerError.paymentRefused("NM-2026-000010 already has payment \(base.id) awaiting approval")) {
            try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000010", covers: ["adoption:NM-2026-000010:jianbao"], [LedgerFixture.author("王五", 100)]))
        }
        // Not enough in the information fund (¥100 < ¥600).
        await #expect(throws: LedgerError.insufficientFund(available: Fen(10_000), needed: Fen(60_000))) { try await f.approvePayment(base.id) }
        try await f.fundInformation(10_000)
        // Two people: the same key cannot propose and approve, whatever role it claims.
        let loner = try await f.ledger.proposePayment(LedgerFixture.remuneration("NM-2026-000020", [LedgerFixture.author("赵六", 100)]),
                                                proposer: f.accountant.action("p", role: .editor), idempotencyKey: f.key(), now: Self.t0)
        await #expect(throws: LedgerError.selfApproval) { try await f.approvePayment(loner.id, by: f.accountant) }
        await #expect(throws: LedgerError.roleNotAllowed(action: "approve a remuneration payment", role: .editor)) {
            try await f.approvePayment(base.id, by: TestStaff(.editor))
        }
        await #expect(throws: LedgerError.roleNotAllowed(action: "propose a remuneration payment", role: .triage)) {
            try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000030", [LedgerFixture.author("x", 1)]), by: f.triage)
        }
        _ = try await f.approvePayment(base.id)
        // Per item: ¥600 paid, ¥500 more would pass ¥1,000.
        await #expect(throws: LedgerError.paymentRefused("NM-2026-000010: ¥600.00 already, ¥500.00 more exceeds the cap of ¥1,000.00 per item")) {
            try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000010", covers: ["adoption:NM-2026-000010:national"], [LedgerFixture.author("孙七", 50_000)]))
        }
        // Per person a year: 王五 has ¥600; eight more items at ¥600 would pass ¥5,000 on the seventh.
        for n in 40..<46 {
            _ = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-0000\(n)", [LedgerFixture.author("王五", 60_000)]))
        }
        await #expect(throws: LedgerError.paymentRefused("王五: ¥4,200.00 this year already, ¥900.00 more exceeds the cap of ¥5,000.00 per person a year")) {
            try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000046", [LedgerFixture.author("王五", 90_000)]))
        }
        // ... but the next year starts afresh.
        _ = try await f.proposePayment(LedgerFixture.remuneration("NM-2027-000001", [LedgerFixture.author("王五", 90_000)]), at: Self.t0 + 366 * 86_400)
        // Payee kinds: an informant alone and unnamed; no unit in remuneration, no author in a subsidy.
        for payees in [[LedgerFixture.informant(100), LedgerFixture.author("a", 100)], [Payee(kind: .informant, name: "某某", amount: Fen(100))],
                       [Payee(kind: .unit, name: "nanming", amount: Fen(100))]] {
            await #expect(throws: LedgerError.self) { try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000050", payees)) }
        }
        // A declined payment frees its covers.
        let declined = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000060", [LedgerFixture.author("周八", 100)]))
        _ = try await f.ledger.declinePayment(id: declined.id, by: f.accountantB.action("decline"), idempotencyKey: f.key(), now: Self.t0)
        _ = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000060", [LedgerFixture.author("周八", 100)]))
        await #expect(throws: LedgerError.unknownPayment(id: 999)) { try await f.approvePayment(999) }
        #expect(try await f.ledger.verify(signers: f.signers).passed)
        // Without remuneration.yaml every payment command is refused.
        let bare = try LedgerFixture(payments: nil)
        await #expect(throws: LedgerError.paymentRefused("this ledger was opened without remuneration.yaml")) {
            try await bare.proposePayment(LedgerFixture.remuneration("NM-2026-000001", [LedgerFixture.author("x", 1)]))
        }
    }

    @Test("Tampering with a payment's payees, amount or covers, or posting to a payable without approval, fails verify")
    func tampering() async throws {
        func populated() async throws -> (LedgerFixture, Int64) {
            let f = try LedgerFixture()
            try await f.fundInformation(1_000)
            let named = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000001", [LedgerFixture.author("张三", 5_000)]))
            _ = try await f.approvePayment(named.id)
            let informant = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000002", [LedgerFixture.informant(4_000)]))
            _ = try await f.approvePayment(informant.id)
            #expect(try await f.ledger.verify(signers: f.signers).passed)
            try f.dropTriggers()
            return (f, named.id)
        }
        for (sql, check) in [
            ("UPDATE payment_payee SET name = '冒名' WHERE payment_id = 1", LedgerVerification.Check.payments),
            ("UPDATE payment_payee SET amount = 4000 WHERE payment_id = 1", .payments),
            ("UPDATE payment_cover SET cover = 'adoption:NM-2026-000002:kuaibao' WHERE payment_id = 1", .payments),
            ("UPDATE payment_voucher SET amount = 1", .payments),
            ("UPDATE payment_action SET role = 'editor' WHERE kind = 'approve'", .payments),
            ("UPDATE posting SET account = 'info-payable' WHERE entry_seq = 1 AND side = 'C'", .payments),
        ] {
            let (f, _) = try await populated()
            try f.tamper(sql)
            let report = try await f.ledger.verify(signers: f.signers)
            #expect(report.result(check)?.passed == false, "\(sql): \(report.summary)")
        }
        // A changed amount on the approval entry breaks the chain and the balances too.
        let (f, _) = try await populated()
        try f.tamper("UPDATE posting SET amount = 1 WHERE entry_seq = 2; UPDATE journal_entry SET total = 1 WHERE seq = 2")
        let report = try await f.ledger.verify()
        #expect(report.result(.chain)?.passed == false && report.result(.payments)?.passed == false && report.result(.balances)?.passed == false)
    }

    @Test("Policies/remuneration.yaml is the fixture; a broken file names its line and key")
    func policyFile() throws {
        let url = RewardPolicyTests.policiesDirectory().appendingPathComponent("remuneration.yaml")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(try RemunerationPolicy.parse(file: "remuneration.yaml", text: text) == .standard)
        for (original, broken, key) in [
            ("  approver_roles: [accountant]\nsubsidy:", "  approver_roles: [editor]\nsubsidy:", "approval.approver_roles"),
            ("  per_item_fen: 100000", "  per_item_fen: 900000", "caps"),
            ("  grants_fen: [3000000, 2000000, 1000000]", "  grants_fen: [1000000, 2000000]", "subsidy.grants_fen"),
            ("  jianbao:\n", "  jianbao2:\n", "rates"),
        ] {
            #expect(text.contains(original), "\(original)")
            do {
                _ = try RemunerationPolicy.parse(file: "remuneration.yaml", text: text.replacingOccurrences(of: original, with: broken))
                Issue.record("accepted a broken remuneration.yaml (\(key))")
            } catch {
                #expect(error.file == "remuneration.yaml" && error.line != nil)
                #expect(error.key.hasPrefix(key), "\(error)")
            }
        }
        #expect(RemunerationPolicy.standard.price(level: .jianbao, pictures: 2) == Fen(16_000))
    }
}
