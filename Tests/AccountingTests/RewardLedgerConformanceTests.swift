import Foundation
import Testing
import Accounting
import LedgerModel
import Sealing
import TiplineCore

/// The contract of `RewardLedger` (issue 12, item 10), written against the protocol only: every
/// implementation in `implementations` must pass it unchanged. Only `subject` is used here (never
/// `LedgerFixture.ledger`, the SQLite type), and `Accounting` is imported without `@testable`.
@Suite("RewardLedger: the contract every implementation keeps")
struct RewardLedgerConformanceTests {
    /// Every implementation under test. A new one (PostgreSQL) is one more line here.
    static let implementations: [RewardLedgerImplementation] = [
        .sqlite,
    ]

    static let t0 = LedgerFixture.t0
    static let day = LedgerFixture.day

    /// Checks what must hold after every command: each entry balances in integer fen, the
    /// appropriations equal what every other account holds, `expired` is empty, and the head is the
    /// last entry.
    static func expectBooksBalanced(_ ledger: any RewardLedger, _ context: String = "",
                                    sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let journal = try await ledger.journal()
        for entry in journal {
            let debits = entry.postings.filter { $0.side == .debit }.reduce(Int64(0)) { $0 + $1.amount.rawValue }
            let credits = entry.postings.filter { $0.side == .credit }.reduce(Int64(0)) { $0 + $1.amount.rawValue }
            #expect(debits == credits && debits == entry.total.rawValue && entry.postings.allSatisfy { $0.amount.rawValue > 0 },
                    "\(context): entry \(entry.seq) does not balance", sourceLocation: sourceLocation)
        }
        let balances = try await ledger.balance()
        let held = LedgerAccount.allCases.filter { $0 != .appropriation }.reduce(Int64(0)) { $0 + balances[$1].rawValue }
        #expect(balances.appropriation.rawValue == held, "\(context): appropriations \(balances.appropriation) but accounts hold \(Fen(held))",
                sourceLocation: sourceLocation)
        #expect(balances.expired == .zero, "\(context): money left in transit", sourceLocation: sourceLocation)
        let head = try await ledger.head()
        #expect(head.seq == journal.last?.seq ?? 0 && head.hash == journal.last?.hash ?? String(repeating: "0", count: 64),
                "\(context): the head is not the last entry", sourceLocation: sourceLocation)
    }

    // MARK: - Rewards

    @Test("propose → approve (a second person) → redeem: statuses, balances and the journal in integer fen",
          arguments: implementations)
    func rewardFlow(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        let top = try await f.fund(10_000)
        #expect(top.kind == .fund && top.postings.map(\.account) == [.appropriation, .fund] && top.total == Fen(1_000_000))

        let proposed = try await f.propose("GY-2026-000001", yuan: 3_000, at: Self.t0 + 60)
        #expect(proposed.status == .proposed && proposed.amount == Fen(300_000) && proposed.proposerKeyID == f.triage.keyID)
        #expect(try await ledger.balance().fund == Fen(1_000_000), "a proposal moves no money")
        #expect(try await ledger.reward(reference: "GY-2026-000001") == proposed)

        await #expect(throws: LedgerError.selfApproval, "the proposer never approves") {
            try await ledger.approve(reference: "GY-2026-000001", approver: f.triage.action("approve", role: .supervisor),
                                     idempotencyKey: f.key(), now: Self.t0 + 90, seal: nil)
        }
        let issue = try await f.approve("GY-2026-000001", at: Self.t0 + 120)
        let code = try #require(issue.code)
        #expect(issue.reward.status == .approved && issue.reward.deciderKeyID == f.supervisorB.keyID)
        #expect(issue.entry.kind == .approve && issue.entry.total == Fen(300_000))
        #expect(issue.expiresAt == Self.t0 + 120 + ledger.policy.claimWindowSeconds)
        #expect(issue.reward.voucherHash == Hex.encode(code.hash))
        #expect(f.open(issue.sealedCode) == code, "the sealed copy is the code, for its holder only")
        #expect(try await ledger.voucher(code: code.grouped.lowercased()) == issue.reward)
        #expect(try await ledger.balance() == LedgerBalances(appropriation: Fen(1_000_000), fund: Fen(700_000), payable: Fen(300_000),
                                                            paid: .zero, expired: .zero))
        let sealed = try #require(try await ledger.sealedVoucher(approvedAt: issue.entry.seq))
        #expect(sealed.sealed == issue.sealedCode && sealed.expiresAt == issue.expiresAt)

        let paid = try await f.redeem(code.grouped, at: Self.t0 + 3 * Self.day)
        #expect(paid.reward.status == .paid && paid.entry.kind == .redeem)
        #expect(paid.entry.postings == [Posting(line: 1, account: .payable, side: .debit, amount: Fen(300_000)),
                                        Posting(line: 2, account: .paid, side: .credit, amount: Fen(300_000))])
        await #expect(throws: LedgerError.voucherAlreadyRedeemed, "a code pays once") {
            try await f.redeem(code.text, at: Self.t0 + 4 * Self.day)
        }
        #expect(try await ledger.balance() == LedgerBalances(appropriation: Fen(1_000_000), fund: Fen(700_000), payable: .zero,
                                                            paid: Fen(300_000), expired: .zero))
        #expect(try await ledger.journal().map(\.kind) == [.fund, .approve, .redeem])
        #expect(try await ledger.rewards(status: .paid).map(\.id) == [proposed.id])
        #expect(try await ledger.rewards(status: .approved).isEmpty)
        try await Self.expectBooksBalanced(ledger, implementation.name)
    }

    @Test("decline: no money moves, the proposer may decline too, and the tip can be proposed again", arguments: implementations)
    func decline(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        try await f.fund(10_000)
        try await f.propose("GY-2026-000003", yuan: 9_000, outcome: RewardBasis(kind: .criminal))
        let before = try await ledger.journal()
        let declined = try await ledger.decline(reference: "GY-2026-000003", by: f.supervisorA.action("decline"),
                                                idempotencyKey: f.key(), now: Self.t0)
        #expect(declined.status == .declined && declined.deciderKeyID == f.supervisorA.keyID)
        #expect(try await ledger.journal() == before, "a decline posts nothing")
        await #expect(throws: LedgerError.noPendingProposal(reference: "GY-2026-000003")) {
            try await f.approve("GY-2026-000003")
        }
        try await f.propose("GY-2026-000003", yuan: 6_000, outcome: RewardBasis(kind: .criminal))
        let byProposer = try await ledger.decline(reference: "GY-2026-000003", by: f.triage.action("withdraw"),
                                                  idempotencyKey: f.key(), now: Self.t0)
        #expect(byProposer.status == .declined, "the proposer may withdraw their own proposal")
        try await f.propose("GY-2026-000003", yuan: 6_000, outcome: RewardBasis(kind: .criminal))
        let issue = try await f.approve("GY-2026-000003")
        #expect(issue.reward.amount == Fen(600_000))
        #expect(try await ledger.rewards().map(\.status) == [.declined, .declined, .approved])
        #expect(try await ledger.balance().fund == Fen(400_000))
        try await Self.expectBooksBalanced(ledger, implementation.name)
    }

    @Test("fund: each of the three funds, to the fen; appropriations always equal what the accounts hold", arguments: implementations)
    func fundBalancesTheBooks(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        let amounts: [(LedgerAccount, Int64)] = [(.fund, 1), (.informationFund, 100_001), (.subsidyFund, 2_999_999), (.fund, 12_345)]
        for (account, fen) in amounts {
            let entry = try await ledger.fund(amount: Fen(fen), memo: "line \(fen)", by: f.accountant.action("fund \(fen)"),
                                              idempotencyKey: f.key(), now: Self.t0, into: account)
            #expect(entry.kind == .fund && entry.total == Fen(fen) && entry.memo == "line \(fen)")
            #expect(entry.postings == [Posting(line: 1, account: .appropriation, side: .debit, amount: Fen(fen)),
                                       Posting(line: 2, account: account, side: .credit, amount: Fen(fen))])
            try await Self.expectBooksBalanced(ledger, "\(implementation.name) after \(fen) fen")
        }
        #expect(try await ledger.balance() == LedgerBalances(appropriation: Fen(3_112_346), fund: Fen(12_346), payable: .zero, paid: .zero,
                                                            expired: .zero, informationFund: Fen(100_001), subsidyFund: Fen(2_999_999)))
        await #expect(throws: LedgerError.invalidArgument("only a fund can be topped up")) {
            try await ledger.fund(amount: Fen(100), memo: "", by: f.accountant.action("fund"), idempotencyKey: f.key(), now: Self.t0,
                                  into: .payable)
        }
        await #expect(throws: LedgerError.invalidArgument("an amount must be positive")) {
            try await ledger.fund(amount: Fen(0), memo: "", by: f.accountant.action("fund"), idempotencyKey: f.key(), now: Self.t0,
                                  into: .fund)
        }
        await #expect(throws: LedgerError.roleNotAllowed(action: "top up the reward fund", role: .supervisor)) {
            try await ledger.fund(amount: Fen(100), memo: "", by: f.supervisorA.action("fund"), idempotencyKey: f.key(), now: Self.t0)
        }
        #expect(try await ledger.journal().count == amounts.count, "refusals post nothing")
        #expect(try await ledger.report(year: 2026).funded == Fen(12_346), "the reward report counts the reward fund's top-ups")
        let payments = try await ledger.paymentReport(year: 2026)
        #expect(payments.fundedInformation == Fen(100_001) && payments.fundedSubsidy == Fen(2_999_999))
    }

    // MARK: - Idempotency

    @Test("Every command retried with its key returns the first result and posts nothing", arguments: implementations)
    func idempotentRetries(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        func unchanged<T: Equatable>(_ label: String, _ first: T, _ retry: () async throws(LedgerError) -> T) async throws {
            let journal = try await ledger.journal()
            let balances = try await ledger.balance()
            let again = try await retry()
            #expect(again == first, "\(implementation.name): \(label) retried returned another result")
            let journalAfter = try await ledger.journal()
            let balancesAfter = try await ledger.balance()
            #expect(journalAfter == journal && balancesAfter == balances, "\(implementation.name): \(label) retried posted again")
        }

        let fundAction = f.accountant.action("fund 10000")
        let fundKey = f.key()
        let funded = try await ledger.fund(amount: Fen(1_000_000), memo: "m", by: fundAction, idempotencyKey: fundKey, now: Self.t0)
        try await unchanged("fund", funded) { () async throws(LedgerError) in
            try await ledger.fund(amount: Fen(1_000_000), memo: "m", by: fundAction, idempotencyKey: fundKey, now: Self.t0 + 99)
        }
        try await f.fundInformation(1_000)

        let proposer = f.triage.action("propose")
        let proposeKey = f.key()
        let proposal = try await ledger.propose(reference: "GY-2026-000200", centre: "city", outcome: LedgerFixture.administrative,
                                                amount: Fen(300_000), tip: LedgerFixture.verifiedTip, proposer: proposer,
                                                idempotencyKey: proposeKey, now: Self.t0)
        try await unchanged("propose", proposal) { () async throws(LedgerError) in
            try await ledger.propose(reference: "GY-2026-000200", centre: "city", outcome: LedgerFixture.administrative,
                                     amount: Fen(300_000), tip: LedgerFixture.verifiedTip, proposer: proposer,
                                     idempotencyKey: proposeKey, now: Self.t0 + 1)
        }

        let approver = f.supervisorB.action("approve")
        let approveKey = IdempotencyKey.generate()
        let issue = try await ledger.approve(reference: "GY-2026-000200", approver: approver, idempotencyKey: approveKey, now: Self.t0,
                                             seal: f.seal)
        let code = try #require(issue.code)
        let journal = try await ledger.journal()
        let again = try await ledger.approve(reference: "GY-2026-000200", approver: approver, idempotencyKey: approveKey,
                                             now: Self.t0 + 5, seal: f.seal)
        #expect(again.reward == issue.reward && again.entry == issue.entry && again.sealedCode == issue.sealedCode
                && again.expiresAt == issue.expiresAt)
        #expect(again.code == nil && f.open(again.sealedCode) == code, "a retry gets no code, only the sealed copy")
        #expect(try await ledger.journal() == journal, "a retried approval posts nothing and issues no second voucher")

        let redeemer = f.accountant.action("redeem")
        let redeemKey = f.key()
        let paid = try await ledger.redeem(code: code.text, accountant: redeemer, idempotencyKey: redeemKey, now: Self.t0 + 9)
        try await unchanged("redeem", paid) { () async throws(LedgerError) in
            try await ledger.redeem(code: code.grouped, accountant: redeemer, idempotencyKey: redeemKey, now: Self.t0 + 10)
        }

        try await f.propose("GY-2026-000201", yuan: 2_000)
        let lapsing = try await f.approve("GY-2026-000201")
        let expireKey = f.key()
        let swept = try await ledger.expire(now: lapsing.expiresAt, idempotencyKey: expireKey)
        #expect(swept.rewards.map(\.reference) == ["GY-2026-000201"])
        try await unchanged("expire", swept) { () async throws(LedgerError) in
            try await ledger.expire(now: lapsing.expiresAt + 100, idempotencyKey: expireKey)
        }

        try await f.propose("GY-2026-000202", yuan: 2_000)
        let decliner = f.supervisorA.action("decline")
        let declineKey = f.key()
        let declined = try await ledger.decline(reference: "GY-2026-000202", by: decliner, idempotencyKey: declineKey, now: Self.t0)
        try await unchanged("decline", declined) { () async throws(LedgerError) in
            try await ledger.decline(reference: "GY-2026-000202", by: decliner, idempotencyKey: declineKey, now: Self.t0 + 1)
        }

        let request = LedgerFixture.remuneration("NM-2026-000010", [LedgerFixture.author("张三", 3_000)])
        let paymentProposer = f.editor.action("propose payment")
        let paymentKey = f.key()
        let payment = try await ledger.proposePayment(request, proposer: paymentProposer, idempotencyKey: paymentKey, now: Self.t0)
        try await unchanged("proposePayment", payment) { () async throws(LedgerError) in
            try await ledger.proposePayment(request, proposer: paymentProposer, idempotencyKey: paymentKey, now: Self.t0 + 1)
        }
        let paymentApprover = f.accountantB.action("approve payment")
        let paymentApproveKey = f.key()
        let approved = try await ledger.approvePayment(id: payment.id, approver: paymentApprover, idempotencyKey: paymentApproveKey,
                                                       now: Self.t0, seal: nil)
        try await unchanged("approvePayment", approved) { () async throws(LedgerError) in
            try await ledger.approvePayment(id: payment.id, approver: paymentApprover, idempotencyKey: paymentApproveKey,
                                            now: Self.t0 + 1, seal: nil)
        }
        let payer = f.accountant.action("pay")
        let payKey = f.key()
        let settled = try await ledger.payPayment(id: payment.id, accountant: payer, idempotencyKey: payKey, now: Self.t0 + 2)
        try await unchanged("payPayment", settled) { () async throws(LedgerError) in
            try await ledger.payPayment(id: payment.id, accountant: payer, idempotencyKey: payKey, now: Self.t0 + 3)
        }
        try await Self.expectBooksBalanced(ledger, implementation.name)
        #expect(try await ledger.verify(signers: f.signers).passed)
    }

    @Test("The same key with another request is refused, within and across commands, and posts nothing", arguments: implementations)
    func keyReuseRefused(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        let key = f.key()
        _ = try await ledger.fund(amount: Fen(100), memo: "a", by: f.accountant.action("fund"), idempotencyKey: key, now: Self.t0)
        let journal = try await ledger.journal()
        await #expect(throws: LedgerError.idempotencyKeyReused, "another amount") {
            try await ledger.fund(amount: Fen(200), memo: "a", by: f.accountant.action("fund"), idempotencyKey: key, now: Self.t0)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused, "another memo") {
            try await ledger.fund(amount: Fen(100), memo: "b", by: f.accountant.action("fund"), idempotencyKey: key, now: Self.t0)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused, "another account") {
            try await ledger.fund(amount: Fen(100), memo: "a", by: f.accountant.action("fund"), idempotencyKey: key, now: Self.t0,
                                  into: .informationFund)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused, "another signer") {
            try await ledger.fund(amount: Fen(100), memo: "a", by: f.accountantB.action("fund"), idempotencyKey: key, now: Self.t0)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused, "another command") {
            try await ledger.expire(now: Self.t0, idempotencyKey: key)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused, "another command") {
            try await ledger.propose(reference: "GY-2026-000203", centre: "city", outcome: LedgerFixture.administrative,
                                     amount: Fen(100_000), tip: LedgerFixture.verifiedTip, proposer: f.triage.action("p"),
                                     idempotencyKey: key, now: Self.t0)
        }
        await #expect(throws: LedgerError.idempotencyKeyReused, "another command") {
            try await ledger.proposePayment(LedgerFixture.remuneration("NM-2026-000011", [LedgerFixture.author("李四", 100)]),
                                            proposer: f.editor.action("p"), idempotencyKey: key, now: Self.t0)
        }
        #expect(try await ledger.journal() == journal)
        #expect(try await ledger.rewards().isEmpty)
        #expect(try await ledger.payments().isEmpty)
        await #expect(throws: LedgerError.invalidArgument("an idempotency key is 16 to 128 printable ASCII characters")) {
            try await ledger.fund(amount: Fen(100), memo: "a", by: f.accountant.action("fund"), idempotencyKey: "short", now: Self.t0)
        }
    }

    @Test("A refused command is not remembered: its retry with the same key is judged afresh", arguments: implementations)
    func refusalsAreNotRemembered(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        try await f.fund(1_000)
        try await f.propose("GY-2026-000206", yuan: 3_000)
        let key = IdempotencyKey.generate()
        let approver = f.supervisorB.action("approve")
        await #expect(throws: LedgerError.insufficientFund(available: Fen(100_000), needed: Fen(300_000))) {
            try await ledger.approve(reference: "GY-2026-000206", approver: approver, idempotencyKey: key, now: Self.t0)
        }
        try await f.fund(2_000)
        #expect(try await ledger.approve(reference: "GY-2026-000206", approver: approver, idempotencyKey: key, now: Self.t0)
            .reward.status == .approved)
        try await Self.expectBooksBalanced(ledger, implementation.name)
    }

    @Test("Concurrent approvals of one proposal issue one voucher; concurrent redemptions pay once", arguments: implementations)
    func concurrentCommands(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        try await f.fund(10_000)
        try await f.propose("GY-2026-000400", yuan: 3_000)
        let approvers = (0..<6).map { _ in TestStaff(.supervisor) }
        let issued = await withTaskGroup(of: VoucherIssue?.self) { group in
            for approver in approvers {
                group.addTask {
                    try? await ledger.approve(reference: "GY-2026-000400", approver: approver.action("approve"),
                                              idempotencyKey: IdempotencyKey.generate(), now: Self.t0, seal: nil)
                }
            }
            return await group.reduce(into: [VoucherIssue]()) { if let issue = $1 { $0.append(issue) } }
        }
        #expect(issued.count == 1)
        let code = try #require(issued.first?.code?.text)
        let accountant = f.accountant
        let paid = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<6 {
                group.addTask {
                    (try? await ledger.redeem(code: code, accountant: accountant.action("redeem \(index)"),
                                              idempotencyKey: "concurrent-redeem-\(index)-key", now: Self.t0 + 1)) != nil
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(paid == 1)
        #expect(try await ledger.balance().paid == Fen(300_000))
        try await Self.expectBooksBalanced(ledger, implementation.name)
    }

    // MARK: - Expiry

    @Test("expire: a voucher past its window returns to its fund (rewards and informants'); it can no longer be paid",
          arguments: implementations)
    func expiry(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        try await f.fund(10_000)
        try await f.fundInformation(1_000)
        try await f.propose("GY-2026-000002", yuan: 2_000)
        let issue = try await f.approve("GY-2026-000002")
        let informant = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000003", [LedgerFixture.informant(5_000)]))
        let lapsing = try await f.approvePayment(informant.id)
        let paymentExpiry = try #require(lapsing.payment.expiresAt)
        let paymentCode = try #require(lapsing.code)
        #expect(try await ledger.paymentVoucher(code: paymentCode.grouped) == lapsing.payment)

        #expect(try await ledger.expire(now: issue.expiresAt - 1, idempotencyKey: f.key()).entries.isEmpty)
        let swept = try await ledger.expire(now: issue.expiresAt, idempotencyKey: f.key())
        #expect(swept.rewards.map(\.status) == [.expired] && swept.entries.map(\.kind) == [.expire, .restore])
        #expect(swept.total == Fen(200_000))
        await #expect(throws: LedgerError.voucherExpired(expiredAt: issue.expiresAt)) {
            try await f.redeem(issue.code!.text, at: Self.t0 + 1)
        }
        let late = try await ledger.expire(now: paymentExpiry, idempotencyKey: f.key())
        #expect(late.rewards.isEmpty && late.entries.map(\.kind) == [.paymentExpire, .paymentRestore])
        await #expect(throws: LedgerError.voucherExpired(expiredAt: paymentExpiry)) {
            try await ledger.redeemPayment(code: paymentCode.text, accountant: f.accountant.action("redeem"), idempotencyKey: f.key(),
                                           now: Self.t0 + 1)
        }
        #expect(try await ledger.payment(id: informant.id).status == .expired)
        #expect(try await ledger.balance() == LedgerBalances(appropriation: Fen(1_100_000), fund: Fen(1_000_000), payable: .zero, paid: .zero,
                                                            expired: .zero, informationFund: Fen(100_000)))
        #expect(try await ledger.report(year: 2026).totals.expired == Fen(200_000))
        try await Self.expectBooksBalanced(ledger, implementation.name)
        #expect(try await ledger.verify(signers: f.signers).passed)
    }

    // MARK: - Payments

    @Test("Payments: propose, a second person approves, pay named authors or redeem an informant's voucher; decline frees the covers",
          arguments: implementations)
    func payments(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        #expect(ledger.remunerationPolicy != nil)
        try await f.fundInformation(1_000)

        // Named authors: paid by a recorded transfer.
        let named = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000001", [LedgerFixture.author("张三", 3_000),
                                                                                          LedgerFixture.author("李四", 2_000)]))
        #expect(named.status == .proposed && named.amount == Fen(5_000) && !named.paysInformant)
        #expect(try await ledger.coveredAlready(["adoption:NM-2026-000001:kuaibao", "adoption:NM-2026-000099:kuaibao"])
                == ["adoption:NM-2026-000001:kuaibao"])
        #expect(try await ledger.committed(subject: "NM-2026-000001", scheme: .remuneration) == Fen(5_000))
        await #expect(throws: LedgerError.selfApproval) {
            try await ledger.approvePayment(id: named.id, approver: f.editor.action("approve", role: .accountant), idempotencyKey: f.key(),
                                            now: Self.t0, seal: nil)
        }
        let approved = try await f.approvePayment(named.id)
        #expect(approved.code == nil && approved.sealedCode == nil && approved.payment.status == .approved)
        #expect(try await ledger.payment(postedAt: approved.entry.seq) == approved.payment)
        #expect(try await ledger.sealedVoucher(approvedAt: approved.entry.seq) == nil, "a named payee has no voucher")
        let settled = try await ledger.payPayment(id: named.id, accountant: f.accountant.action("pay"), idempotencyKey: f.key(),
                                                  now: Self.t0 + 60)
        #expect(settled.payment.status == .paid && settled.entry.kind == .paymentPay)

        // An informant: paid by a voucher, once.
        let informant = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000002", [LedgerFixture.informant(7_000)]))
        let issue = try await f.approvePayment(informant.id)
        let code = try #require(issue.code)
        #expect(f.open(issue.sealedCode) == code && issue.payment.voucherHash == Hex.encode(code.hash))
        let kept = try #require(try await ledger.sealedVoucher(approvedAt: issue.entry.seq))
        #expect(kept.sealed == issue.sealedCode && kept.expiresAt == issue.payment.expiresAt)
        await #expect(throws: LedgerError.unknownVoucher, "a remuneration code is not a reward code") {
            try await ledger.voucher(code: code.text)
        }
        let redeemed = try await ledger.redeemPayment(code: code.text.lowercased(), accountant: f.accountant.action("redeem"),
                                                      idempotencyKey: f.key(), now: Self.t0 + 100)
        #expect(redeemed.payment.status == .paid && redeemed.entry.kind == .paymentRedeem)
        await #expect(throws: LedgerError.voucherAlreadyRedeemed) {
            try await ledger.redeemPayment(code: code.text, accountant: f.accountant.action("redeem"), idempotencyKey: f.key(),
                                           now: Self.t0 + 200)
        }

        // Declined: no money moves, and the covers may be proposed again.
        let third = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000004", [LedgerFixture.author("王五", 1_000)]))
        await #expect(throws: LedgerError.paymentRefused("adoption:NM-2026-000004:kuaibao is already in payment \(third.id)")) {
            try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000005", covers: ["adoption:NM-2026-000004:kuaibao"],
                                                                  [LedgerFixture.author("王五", 1_000)]))
        }
        let declined = try await ledger.declinePayment(id: third.id, by: f.accountantB.action("decline"), idempotencyKey: f.key(),
                                                       now: Self.t0)
        #expect(declined.status == .declined)
        #expect(try await ledger.coveredAlready(["adoption:NM-2026-000004:kuaibao"]).isEmpty)
        #expect(try await ledger.committed(subject: "NM-2026-000004", scheme: .remuneration) == .zero)

        #expect(try await ledger.payments().map(\.status) == [.paid, .paid, .declined])
        #expect(try await ledger.payments(scheme: .subsidy).isEmpty)
        #expect(try await ledger.balance() == LedgerBalances(appropriation: Fen(100_000), fund: .zero, payable: .zero, paid: .zero,
                                                            expired: .zero, informationFund: Fen(88_000), informationPaid: Fen(12_000)))
        let report = try await ledger.paymentReport(year: 2026)
        #expect(report.rows.map { "\($0.payee)/\($0.paid.rawValue)" } == ["author/5000", "informant/7000"])
        try await Self.expectBooksBalanced(ledger, implementation.name)
        #expect(try await ledger.verify(signers: f.signers).passed)
    }

    // MARK: - Verification

    @Test("verify: intact after a story of every command, with staff keys and against a checkpoint; a forged checkpoint fails",
          arguments: implementations)
    func verifyAfterStory(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        #expect(try await ledger.verify().passed, "an empty ledger verifies")
        #expect(try await ledger.head() == LedgerHead(seq: 0, hash: String(repeating: "0", count: 64)))
        try await f.fund(100_000)
        try await f.fundInformation(1_000)
        try await f.propose("GY-2026-000010", yuan: 3_000)
        let a = try await f.approve("GY-2026-000010")
        _ = try await f.redeem(a.code!.text, at: Self.t0 + 10)
        let checkpoint = try await ledger.head()
        try await f.propose("GY-2026-000011", yuan: 8_000, outcome: RewardBasis(kind: .criminal))
        _ = try await f.approve("GY-2026-000011")
        try await f.propose("GY-2026-000012", yuan: 2_000)
        _ = try await ledger.decline(reference: "GY-2026-000012", by: f.supervisorA.action("decline"), idempotencyKey: f.key(), now: Self.t0)
        let informant = try await f.proposePayment(LedgerFixture.remuneration("NM-2026-000001", [LedgerFixture.informant(4_000)]))
        _ = try await f.approvePayment(informant.id)
        _ = try await ledger.expire(now: Self.t0 + 400 * Self.day, idempotencyKey: f.key())

        let report = try await ledger.verify(signers: f.signers, checkpoint: checkpoint)
        #expect(report.passed, "\(implementation.name): \(report.summary)")
        #expect(report.failedChecks.isEmpty && report.results.map(\.check) == LedgerVerification.Check.allCases)
        #expect(report.result(.signatures)?.skipped == false && report.result(.signatures)?.checked ?? 0 > 0)
        let head = try await ledger.head()
        let entries = try await ledger.journal()
        #expect(report.head == head && report.entries == entries.count && head.seq == entries.last?.seq)
        #expect(report.rewards == 3 && report.payments == 1)
        #expect(try await ledger.verify().result(.signatures)?.skipped == true)
        let forged = LedgerHead(seq: checkpoint.seq, hash: String(repeating: "ab", count: 32))
        #expect(try await ledger.verify(checkpoint: forged).failedChecks == [.chain])
        let stranger = Ed25519PrivateKey.generate()
        let wrongKeys = f.signers.merging([f.supervisorB.keyID: stranger.publicKey]) { _, new in new }
        #expect(try await ledger.verify(signers: wrongKeys).failedChecks == [.signatures])
        try await Self.expectBooksBalanced(ledger, implementation.name)
    }

    // MARK: - Errors

    @Test("Refusals are typed LedgerErrors, change nothing, and never echo a voucher code or a signed request",
          arguments: implementations)
    func typedErrors(_ implementation: RewardLedgerImplementation) async throws {
        let f = try LedgerFixture(implementation: implementation)
        let ledger = f.subject
        try await f.fund(10_000)
        let secretRequest = "tipline-admin:v1:secret-request-bytes"
        let snooper = SignedStaffRequest(keyID: f.triage.keyID, role: .triage, request: Data(secretRequest.utf8), signature: Data([1]))
        let code = VoucherCode.generate()
        let administrativeRange = try ledger.policy.allowedRange(for: LedgerFixture.administrative)
        let cases: [(LedgerError, () async throws(LedgerError) -> Void)] = [
            (.unknownVoucher, { () async throws(LedgerError) in _ = try await ledger.voucher(code: code.text) }),
            (.unknownVoucher, { () async throws(LedgerError) in
                _ = try await ledger.redeem(code: code.text, accountant: f.accountant.action("r"), idempotencyKey: f.key(), now: Self.t0) }),
            (.unknownVoucher, { () async throws(LedgerError) in _ = try await ledger.paymentVoucher(code: "not a code") }),
            (.tipNotVerified(reference: "GY-2026-000500", status: "verifying"), { () async throws(LedgerError) in
                _ = try await f.subject.propose(reference: "GY-2026-000500", centre: "nanming", outcome: LedgerFixture.administrative,
                                                amount: Fen(200_000), tip: TipFacts(status: "verifying", wantsReward: true),
                                                proposer: snooper, idempotencyKey: f.key(), now: Self.t0) }),
            (.duplicateTip(reference: "GY-2026-000501"), { () async throws(LedgerError) in
                _ = try await ledger.propose(reference: "GY-2026-000501", centre: "nanming", outcome: LedgerFixture.administrative,
                                             amount: Fen(200_000), tip: TipFacts(status: "verified", duplicateOf: "GY-2026-000001", wantsReward: true),
                                             proposer: snooper, idempotencyKey: f.key(), now: Self.t0) }),
            (.rewardNotWanted(reference: "GY-2026-000502"), { () async throws(LedgerError) in
                _ = try await ledger.propose(reference: "GY-2026-000502", centre: "nanming", outcome: LedgerFixture.administrative,
                                             amount: Fen(200_000), tip: TipFacts(status: "verified", wantsReward: false),
                                             proposer: snooper, idempotencyKey: f.key(), now: Self.t0) }),
            (.amountOutsideTier(amount: Fen(99_999), allowed: administrativeRange),
             { () async throws(LedgerError) in
                _ = try await ledger.propose(reference: "GY-2026-000503", centre: "nanming", outcome: LedgerFixture.administrative,
                                             amount: Fen(99_999), tip: LedgerFixture.verifiedTip, proposer: snooper,
                                             idempotencyKey: f.key(), now: Self.t0) }),
            (.roleNotAllowed(action: "propose a reward", role: .accountant), { () async throws(LedgerError) in
                _ = try await ledger.propose(reference: "GY-2026-000504", centre: "nanming", outcome: LedgerFixture.administrative,
                                             amount: Fen(200_000), tip: LedgerFixture.verifiedTip, proposer: f.accountant.action("p"),
                                             idempotencyKey: f.key(), now: Self.t0) }),
            (.noPendingProposal(reference: "GY-2026-000505"), { () async throws(LedgerError) in
                _ = try await ledger.approve(reference: "GY-2026-000505", approver: f.supervisorB.action("a"), idempotencyKey: f.key(),
                                             now: Self.t0, seal: nil) }),
            (.unknownPayment(id: 999), { () async throws(LedgerError) in
                _ = try await ledger.approvePayment(id: 999, approver: f.accountantB.action("a"), idempotencyKey: f.key(), now: Self.t0,
                                                    seal: nil) }),
            (.unknownPayment(id: 998), { () async throws(LedgerError) in _ = try await ledger.payment(id: 998) }),
            (.invalidArgument("a tip reference is 1 to 40 ASCII letters, digits or hyphens"), { () async throws(LedgerError) in
                _ = try await ledger.decline(reference: "GY 2026/../x", by: f.supervisorA.action("d"), idempotencyKey: f.key(), now: Self.t0) }),
            (.invalidArgument("year must be between 1970 and 9998"), { () async throws(LedgerError) in
                _ = try await ledger.report(year: 1900) }),
        ]
        let journal = try await ledger.journal()
        for (expected, command) in cases {
            let result = await LedgerFixture.attempt(command)
            guard case let .failure(error) = result else {
                Issue.record("\(implementation.name): \(expected) expected, the command succeeded")
                continue
            }
            #expect(error == expected, "\(implementation.name)")
            for secret in [code.text, code.grouped, secretRequest] {
                #expect(!error.description.contains(secret), "\(implementation.name): \(error) names a secret")
            }
        }
        #expect(try await ledger.journal() == journal, "refusals post nothing")
        #expect(try await ledger.rewards().isEmpty)
        try await Self.expectBooksBalanced(ledger, implementation.name)
    }
}
