import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

/// Issue 12 item 2: one `StaffRole` and one permission table (`TiplineCore.StaffAction`). The
/// ledger's own role checks must give the same answer as the table the admin API enforces, for
/// every role, so that a request the API admits is never refused by the ledger and the ledger never
/// admits what the API would refuse (funding was once allowed to supervisors by the ledger only).
@Suite("The ledger's role checks agree with the API's permission table")
struct PermissionAgreementTests {
    @Test("Funding the rewards: the ledger admits exactly the roles StaffAction.fundRewards allows", arguments: StaffRole.allCases)
    func fund(role: StaffRole) async throws {
        let f = try LedgerFixture()
        let attempt = await LedgerFixture.attempt { () async throws(LedgerError) in
            try await f.ledger.fund(amount: Fen.yuan(100)!, memo: "budget", by: TestStaff(role).action("fund"),
                                    idempotencyKey: f.key(), now: LedgerFixture.t0)
        }
        if StaffAction.fundRewards.allows(role) {
            _ = try attempt.get()
        } else {
            #expect(throws: LedgerError.roleNotAllowed(action: "top up the reward fund", role: role)) { try attempt.get() }
        }
    }

    @Test("Paying a voucher: the ledger admits exactly the roles StaffAction.redeemVoucher allows", arguments: StaffRole.allCases)
    func redeem(role: StaffRole) async throws {
        let f = try LedgerFixture()
        try await f.fund(10_000)
        try await f.propose("GY-2026-000301", yuan: 3_000)
        let code = try #require(try await f.approve("GY-2026-000301").code)
        let attempt = await LedgerFixture.attempt { () async throws(LedgerError) in
            try await f.ledger.redeem(code: code.text, accountant: TestStaff(role).action("redeem"),
                                      idempotencyKey: f.key(), now: LedgerFixture.t0)
        }
        if StaffAction.redeemVoucher.allows(role) {
            _ = try attempt.get()
        } else {
            #expect(throws: LedgerError.roleNotAllowed(action: "pay a voucher", role: role)) { try attempt.get() }
        }
    }

    @Test("Proposing and approving: the shipped policy grants exactly what the table allows, and no policy can grant more")
    func rewardRoles() throws {
        let approval = RewardPolicy.standard.approval
        #expect(Set(approval.proposerRoles) == StaffAction.proposeReward.allowedRoles)
        #expect(Set(approval.approverRoles) == StaffAction.approveReward.allowedRoles)
        for role in StaffRole.allCases {
            var wider = RewardPolicy.standard
            wider.approval.proposerRoles.append(role)
            if !StaffAction.proposeReward.allows(role) {
                #expect(throws: LedgerError.self) { try wider.validated() }
            } else {
                _ = try wider.validated()
            }
            wider = RewardPolicy.standard
            wider.approval.approverRoles.append(role)
            if !StaffAction.approveReward.allows(role) {
                #expect(throws: LedgerError.self) { try wider.validated() }
            } else {
                _ = try wider.validated()
            }
        }
    }
}
