import Foundation
@testable import Accounting
@testable import LedgerModel
import TiplineCore

/// Remuneration and subsidies (issue 17): requests and the two-person steps, through `subject`.
extension LedgerFixture {
    /// A remuneration request for `item` (one adoption cover unless `covers` says otherwise).
    static func remuneration(_ item: String, covers: [String]? = nil, _ payees: [Payee], unit: String = "nanming") -> PaymentRequest {
        PaymentRequest(scheme: .remuneration, subject: item, unit: unit, basis: "adoptions=kuaibao@2026-01-02;pictures=0",
                       covers: covers ?? ["adoption:\(item):kuaibao"], payees: payees)
    }

    /// A named author's payee line of `fen`.
    static func author(_ name: String, _ fen: Int64) -> Payee { Payee(kind: .author, name: name, amount: Fen(fen)) }
    /// An informant's payee line of `fen` (no name: paid by voucher).
    static func informant(_ fen: Int64) -> Payee { Payee(kind: .informant, name: nil, amount: Fen(fen)) }

    /// Tops up the information fund by `yuan`.
    func fundInformation(_ yuan: Int64, at now: Int64 = t0) async throws {
        _ = try await subject.fund(amount: Fen.yuan(yuan)!, memo: "2026 信息稿酬", by: accountant.action("fund info \(yuan)"),
                                   idempotencyKey: key("fund"), now: now, into: .informationFund)
    }

    /// Proposes `request` (by the editor unless `staff` is given).
    func proposePayment(_ request: PaymentRequest, by staff: TestStaff? = nil, at now: Int64 = t0) async throws -> Payment {
        try await subject.proposePayment(request, proposer: (staff ?? editor).action("propose \(request.subject)"),
                                         idempotencyKey: key("pp"), now: now)
    }

    /// Approves payment `id` (by the second accountant unless `staff` is given), sealing any code with `seal`.
    func approvePayment(_ id: Int64, by staff: TestStaff? = nil, at now: Int64 = t0) async throws -> PaymentIssue {
        try await subject.approvePayment(id: id, approver: (staff ?? accountantB).action("approve \(id)"), idempotencyKey: key("pa"),
                                         now: now, seal: seal)
    }
}
