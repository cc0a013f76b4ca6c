import Foundation
public import LedgerModel
import GRDB
import Sealing
import TiplineCore

/// Remuneration for adopted information (S-3.4) and unit subsidies (三(五)): proposed by one person,
/// approved by a second, posted in fen like rewards (docs/LEDGER.md "Payments"). An informant is
/// paid by a voucher whose code the caller seals to the informant's key; the ledger keeps its hash.
extension Ledger {
    /// The most payee lines and covers a payment may carry.
    public static let maximumPayees = 10
    public static let maximumCovers = 50

    func paymentPolicy() throws(LedgerError) -> RemunerationPolicy {
        guard let payments else { throw .paymentRefused("this ledger was opened without remuneration.yaml") }
        return payments
    }

    /// Proposes a payment (step 1 of two). No money moves.
    ///
    /// Refused when the proposer's role may not propose for the scheme, when the request is
    /// malformed (payee kinds that do not fit the scheme; an informant not alone), when any cover
    /// is already in a payment that was not declined, when the subject has a payment awaiting
    /// approval, or when a remuneration would take its item past `per_item_fen` or a named author
    /// past `per_person_year_fen` in the China-time year of `now`.
    public func proposePayment(_ request: PaymentRequest, proposer: SignedStaffRequest, idempotencyKey: String,
                               now: Int64) async throws(LedgerError) -> Payment {
        let policy = try paymentPolicy()
        try Self.checkPaymentRequest(request)
        try Self.checkTime(now)
        try proposer.validate()
        guard policy.approval(request.scheme).proposerRoles.contains(proposer.role) else {
            throw .roleNotAllowed(action: "propose a \(request.scheme.rawValue) payment", role: proposer.role)
        }
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("payment-propose") { out in
            Self.encode(request, into: &out)
            Self.encode(proposer, into: &out)
        }
        let digest = paymentsDigest
        return try await write { db in
            if let command = try Self.replay(key, kind: "payment-propose", requestHash: requestHash, db) {
                return try Self.payment(id: Int64(command.result) ?? 0, db)
            }
            let live = "(SELECT payment_id FROM payment_decision WHERE decision = 'declined')"
            for cover in request.covers {
                if let id = try Int64.fetchOne(db, sql: """
                    SELECT payment_id FROM payment_cover WHERE cover = ? AND payment_id NOT IN \(live) LIMIT 1
                    """, arguments: [cover]) {
                    throw LedgerError.paymentRefused("\(cover) is already in payment \(id)")
                }
            }
            if let id = try Int64.fetchOne(db, sql: """
                SELECT p.id FROM payment_proposal p LEFT JOIN payment_decision d ON d.payment_id = p.id
                WHERE p.subject = ? AND p.scheme = ? AND d.payment_id IS NULL LIMIT 1
                """, arguments: [request.subject, request.scheme]) {
                throw LedgerError.paymentRefused("\(request.subject) already has payment \(id) awaiting approval")
            }
            if request.scheme == .remuneration {
                let soFar = try Int64.fetchOne(db, sql: """
                    SELECT COALESCE(SUM(amount), 0) FROM payment_proposal
                    WHERE subject = ? AND scheme = 'remuneration' AND id NOT IN \(live)
                    """, arguments: [request.subject]) ?? 0
                guard soFar + request.amount.rawValue <= policy.perItemFen else {
                    throw LedgerError.paymentRefused("\(request.subject): \(Fen(soFar)) already, \(request.amount) more exceeds the cap of \(Fen(policy.perItemFen)) per item")
                }
                let year = CivilTime.chinaYearBounds(CivilTime.chinaYear(now))
                for payee in request.payees where payee.kind == .author {
                    let paid = try Int64.fetchOne(db, sql: """
                        SELECT COALESCE(SUM(e.amount), 0) FROM payment_payee e JOIN payment_proposal p ON p.id = e.payment_id
                        WHERE e.kind = 'author' AND e.name = ? AND p.scheme = 'remuneration'
                          AND p.proposed_at >= ? AND p.proposed_at < ? AND p.id NOT IN \(live)
                        """, arguments: [payee.name, year.start, year.end]) ?? 0
                    guard paid + payee.amount.rawValue <= policy.perPersonYearFen else {
                        throw LedgerError.paymentRefused("\(payee.name ?? ""): \(Fen(paid)) this year already, \(payee.amount) more exceeds the cap of \(Fen(policy.perPersonYearFen)) per person a year")
                    }
                }
            }
            var action = PaymentActionRecord(id: nil, kind: .propose, at: now, keyID: proposer.keyID, role: proposer.role.rawValue,
                                             request: proposer.request, signature: proposer.signature, entrySeq: nil)
            try action.insert(db)
            var proposal = PaymentProposalRecord(id: nil, scheme: request.scheme, subject: request.subject, unit: request.unit,
                                                 basis: request.basis, amount: request.amount.rawValue, policyDigest: Data(digest),
                                                 proposedAt: now, actionID: action.id!)
            try proposal.insert(db)
            for (index, payee) in request.payees.enumerated() {
                try PayeeRecord(paymentID: proposal.id!, line: Int64(index + 1), kind: payee.kind, name: payee.name,
                                amount: payee.amount.rawValue).insert(db)
            }
            for cover in request.covers { try CoverRecord(paymentID: proposal.id!, cover: cover).insert(db) }
            try Self.remember(key, kind: "payment-propose", requestHash: requestHash, result: String(proposal.id!), at: now, db)
            return try Self.payment(id: proposal.id!, db)
        }
    }

    /// Approves payment `id` (step 2: a second person): posts its fund → payable and, for an
    /// informant, issues a voucher whose code only `seal`'s output keeps (as for rewards).
    public func approvePayment(id: Int64, approver: SignedStaffRequest, idempotencyKey: String, now: Int64,
                               seal: VoucherSeal?) async throws(LedgerError) -> PaymentIssue {
        let policy = try paymentPolicy()
        try Self.checkTime(now)
        try approver.validate()
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("payment-approve") { out in
            out.int(id)
            Self.encode(approver, into: &out)
        }
        return try await write { db in
            if let command = try Self.replay(key, kind: "payment-approve", requestHash: requestHash, db) {
                return try Self.paymentIssue(id: Int64(command.result) ?? 0, code: nil, sealed: command.sealedCode, db)
            }
            let (proposal, proposer) = try Self.undecidedPayment(id: id, db)
            let scheme = proposal.scheme
            guard policy.approval(scheme).approverRoles.contains(approver.role) else {
                throw LedgerError.roleNotAllowed(action: "approve a \(scheme.rawValue) payment", role: approver.role)
            }
            guard proposer.keyID != approver.keyID else { throw LedgerError.selfApproval }
            let available = try Self.balances(db)[scheme.fund]
            guard available.rawValue >= proposal.amount else {
                throw LedgerError.insufficientFund(available: available, needed: Fen(proposal.amount))
            }
            let payees = try Self.payees(ofPayment: id, db)
            let seq = try Self.nextSeq(db)
            var action = PaymentActionRecord(id: nil, kind: .approve, at: now, keyID: approver.keyID, role: approver.role.rawValue,
                                             request: approver.request, signature: approver.signature, entrySeq: seq)
            try action.insert(db)
            try PaymentDecisionRecord(paymentID: id, decision: .approved, decidedAt: now, actionID: action.id!, entrySeq: seq).insert(db)
            var code: VoucherCode?
            var voucher: PaymentVoucherRecord?
            if payees.contains(where: { $0.kind == .informant }) {
                let (expiresAt, overflow) = now.addingReportingOverflow(policy.claimWindowSeconds)
                guard !overflow else { throw LedgerError.overflow }
                let fresh = VoucherCode.generate()
                voucher = PaymentVoucherRecord(hash: Data(fresh.hash), paymentID: id, amount: proposal.amount, issuedAt: now, expiresAt: expiresAt)
                try voucher!.insert(db)
                code = fresh
            }
            let covers = try Self.covers(ofPayment: id, db)
            try Self.post(kind: .paymentApprove, at: now, rewardID: nil, actor: approver.keyID, memo: proposal.subject,
                          evidence: Self.paymentApproveEvidence(proposal, payees: payees, covers: covers, proposer: proposer,
                                                                approver: action, decidedAt: now, voucher: voucher),
                          lines: [(scheme.fund, .debit, proposal.amount), (scheme.payable, .credit, proposal.amount)], db)
            var sealed: Data?
            if let code {
                do {
                    sealed = try seal?(code)
                } catch {
                    throw LedgerError.storage("the voucher code could not be sealed")
                }
            }
            try Self.remember(key, kind: "payment-approve", requestHash: requestHash, result: String(id), sealedCode: sealed, at: now, db)
            return try Self.paymentIssue(id: id, code: code, sealed: sealed, db)
        }
    }

    /// Declines payment `id`; no money moves, and its covers may be proposed again. An approver
    /// (per policy) or the proposer may decline.
    public func declinePayment(id: Int64, by actor: SignedStaffRequest, idempotencyKey: String,
                               now: Int64) async throws(LedgerError) -> Payment {
        let policy = try paymentPolicy()
        try Self.checkTime(now)
        try actor.validate()
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("payment-decline") { out in
            out.int(id)
            Self.encode(actor, into: &out)
        }
        return try await write { db in
            if let command = try Self.replay(key, kind: "payment-decline", requestHash: requestHash, db) {
                return try Self.payment(id: Int64(command.result) ?? 0, db)
            }
            let (proposal, proposer) = try Self.undecidedPayment(id: id, db)
            let scheme = proposal.scheme
            guard policy.approval(scheme).approverRoles.contains(actor.role) || proposer.keyID == actor.keyID else {
                throw LedgerError.roleNotAllowed(action: "decline a \(scheme.rawValue) payment", role: actor.role)
            }
            var action = PaymentActionRecord(id: nil, kind: .decline, at: now, keyID: actor.keyID, role: actor.role.rawValue,
                                             request: actor.request, signature: actor.signature, entrySeq: nil)
            try action.insert(db)
            try PaymentDecisionRecord(paymentID: id, decision: .declined, decidedAt: now, actionID: action.id!, entrySeq: nil).insert(db)
            try Self.remember(key, kind: "payment-decline", requestHash: requestHash, result: String(id), at: now, db)
            return try Self.payment(id: id, db)
        }
    }

    /// Records that approved payment `id` to named payees (authors, a unit) was made: payable → paid.
    /// An informant's payment is settled only by redeeming its voucher.
    public func payPayment(id: Int64, accountant: SignedStaffRequest, idempotencyKey: String,
                           now: Int64) async throws(LedgerError) -> PaymentSettlement {
        _ = try paymentPolicy()
        try Self.checkTime(now)
        try accountant.validate()
        guard StaffAction.payPayment.allows(accountant.role) else {
            throw .roleNotAllowed(action: "record a payment", role: accountant.role)
        }
        let key = try CommandKey(idempotencyKey)
        let requestHash = Self.requestHash("payment-pay") { out in
            out.int(id)
            Self.encode(accountant, into: &out)
        }
        return try await write { db in
            if let command = try Self.replay(key, kind: "payment-pay", requestHash: requestHash, db) {
                return try Self.settlement(id: Int64(command.result) ?? 0, db)
            }
            let payment = try Self.payment(id: id, db)
            guard payment.status == .approved else {
                throw LedgerError.paymentRefused("payment \(id) is \(payment.status.rawValue), not approved and unpaid")
            }
            guard !payment.paysInformant else {
                throw LedgerError.paymentRefused("payment \(id) is an informant's: it is paid when the voucher is redeemed")
            }
            let seq = try Self.nextSeq(db)
            var action = PaymentActionRecord(id: nil, kind: .pay, at: now, keyID: accountant.keyID, role: accountant.role.rawValue,
                                             request: accountant.request, signature: accountant.signature, entrySeq: seq)
            try action.insert(db)
            try PaymentSettlementRecord(paymentID: id, outcome: .paid, settledAt: now, actionID: action.id!, entrySeq: seq).insert(db)
            try Self.post(kind: .paymentPay, at: now, rewardID: nil, actor: accountant.keyID, memo: payment.subject,
                          evidence: Self.paymentSettleEvidence(kind: .paymentPay, paymentID: id, amount: payment.amount.rawValue,
                                                               voucherHash: nil, action: action),
                          lines: [(payment.scheme.payable, .debit, payment.amount.rawValue),
                                  (payment.scheme.paid, .credit, payment.amount.rawValue)], db)
            try Self.remember(key, kind: "payment-pay", requestHash: requestHash, result: String(id), at: now, db)
            return try Self.settlement(id: id, db)
        }
    }

    /// Pays an informant's remuneration voucher: payable → paid, once, within its claim window.
    public func redeemPayment(code: String, accountant: SignedStaffRequest, idempotencyKey: String,
                              now: Int64) async throws(LedgerError) -> PaymentSettlement {
        let (key, codeHash, requestHash) = try Self.redemption("payment-redeem", code: code, accountant: accountant,
                                                               idempotencyKey: idempotencyKey, now: now)
        return try await write { db in
            if let command = try Self.replay(key, kind: "payment-redeem", requestHash: requestHash, db) {
                return try Self.settlement(id: Int64(command.result) ?? 0, db)
            }
            guard let voucher = try PaymentVoucherRecord.fetchOne(db, key: Data(codeHash)),
                  ConstantTime.equals(Array(voucher.hash), codeHash) else {
                throw LedgerError.unknownVoucher
            }
            if let settled = try PaymentSettlementRecord.fetchOne(db, key: voucher.paymentID) {
                throw settled.outcome == .expired ? LedgerError.voucherExpired(expiredAt: voucher.expiresAt) : LedgerError.voucherAlreadyRedeemed
            }
            guard now < voucher.expiresAt else { throw LedgerError.voucherExpired(expiredAt: voucher.expiresAt) }
            let payment = try Self.payment(id: voucher.paymentID, db)
            let seq = try Self.nextSeq(db)
            var action = PaymentActionRecord(id: nil, kind: .redeem, at: now, keyID: accountant.keyID, role: accountant.role.rawValue,
                                             request: accountant.request, signature: accountant.signature, entrySeq: seq)
            try action.insert(db)
            try PaymentSettlementRecord(paymentID: voucher.paymentID, outcome: .redeemed, settledAt: now, actionID: action.id!,
                                        entrySeq: seq).insert(db)
            try Self.post(kind: .paymentRedeem, at: now, rewardID: nil, actor: accountant.keyID, memo: payment.subject,
                          evidence: Self.paymentSettleEvidence(kind: .paymentRedeem, paymentID: voucher.paymentID, amount: voucher.amount,
                                                               voucherHash: voucher.hash, action: action),
                          lines: [(payment.scheme.payable, .debit, voucher.amount), (payment.scheme.paid, .credit, voucher.amount)], db)
            try Self.remember(key, kind: "payment-redeem", requestHash: requestHash, result: String(voucher.paymentID), at: now, db)
            return try Self.settlement(id: voucher.paymentID, db)
        }
    }

    /// The payment an informant's voucher code belongs to, for the cashier to check; reads only.
    public func paymentVoucher(code: String) async throws(LedgerError) -> Payment {
        guard let voucherCode = VoucherCode(parsing: code) else { throw .unknownVoucher }
        let codeHash = voucherCode.hash
        return try await read { db in
            guard let voucher = try PaymentVoucherRecord.fetchOne(db, key: Data(codeHash)),
                  ConstantTime.equals(Array(voucher.hash), codeHash) else { throw LedgerError.unknownVoucher }
            return try Self.payment(id: voucher.paymentID, db)
        }
    }

    /// Payment `id`.
    public func payment(id: Int64) async throws(LedgerError) -> Payment {
        try await read { db in try Self.payment(id: id, db) }
    }

    /// All payments, oldest first; only those of `scheme` unless it is nil.
    public func payments(scheme: PaymentScheme?) async throws(LedgerError) -> [Payment] {
        try await read { db in
            var request = PaymentProposalRecord.select(PaymentProposalRecord.Columns.id, as: Int64.self)
            if let scheme { request = request.filter(PaymentProposalRecord.Columns.scheme == scheme) }
            let ids = try request.order(PaymentProposalRecord.Columns.id).fetchAll(db)
            return try ids.map { try Self.payment(id: $0, db) }
        }
    }

    /// Of `covers`, those already in a payment that was not declined (one query, however many).
    public func coveredAlready(_ covers: [String]) async throws(LedgerError) -> Set<String> {
        guard !covers.isEmpty else { return [] }
        let list: String
        do {
            list = String(decoding: try JSONEncoder().encode(covers), as: UTF8.self)
        } catch {
            throw .invalidArgument("covers")
        }
        return try await read { db in
            Set(try String.fetchAll(db, sql: """
                SELECT DISTINCT cover FROM payment_cover WHERE cover IN (SELECT value FROM json_each(?))
                  AND payment_id NOT IN (SELECT payment_id FROM payment_decision WHERE decision = 'declined')
                """, arguments: [list]))
        }
    }

    /// What the payments of `subject` in `scheme` that were not declined add up to (for the per-item cap).
    public func committed(subject: String, scheme: PaymentScheme) async throws(LedgerError) -> Fen {
        try await read { db in
            Fen(try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(amount), 0) FROM payment_proposal WHERE subject = ? AND scheme = ?
                  AND id NOT IN (SELECT payment_id FROM payment_decision WHERE decision = 'declined')
                """, arguments: [subject, scheme]) ?? 0)
        }
    }

    // MARK: - Reading and checking

    static func checkPaymentRequest(_ request: PaymentRequest) throws(LedgerError) {
        guard (1...40).contains(request.subject.utf8.count),
              request.subject.utf8.allSatisfy({ isSubjectByte($0) }) else {
            throw .invalidArgument("a payment subject is 1 to 40 ASCII letters, digits or hyphens")
        }
        try checkCentre(request.unit)
        guard request.basis.count <= 400, !request.basis.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidArgument("a payment basis is at most 400 characters without control characters")
        }
        guard (1...maximumCovers).contains(request.covers.count), Set(request.covers).count == request.covers.count,
              request.covers.allSatisfy({ (1...64).contains($0.utf8.count) && $0.utf8.allSatisfy { (0x21...0x7E).contains($0) } }) else {
            throw .invalidArgument("a payment covers 1 to \(maximumCovers) distinct items of 1 to 64 printable ASCII characters")
        }
        guard (1...maximumPayees).contains(request.payees.count), request.payees.allSatisfy({ $0.amount.rawValue > 0 }) else {
            throw .invalidArgument("a payment has 1 to \(maximumPayees) payees, each with a positive amount")
        }
        guard request.amount.rawValue > 0, request.amount <= maximumTopUp else { throw .invalidArgument("a payment is at most \(maximumTopUp)") }
        for payee in request.payees {
            switch (request.scheme, payee.kind) {
            case (.remuneration, .informant):
                guard request.payees.count == 1, payee.name == nil else {
                    throw .invalidArgument("an informant is paid alone, by voucher, with no name")
                }
            case (.remuneration, .author), (.subsidy, .unit):
                guard let name = payee.name, (1...64).contains(name.count),
                      !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                    throw .invalidArgument("a named payee has a name of 1 to 64 characters")
                }
            default:
                throw .invalidArgument("a \(request.scheme.rawValue) payment cannot pay a \(payee.kind.rawValue)")
            }
        }
        if request.scheme == .subsidy, request.payees.count != 1 { throw .invalidArgument("a subsidy pays one unit") }
    }

    private static func isSubjectByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "-")
    }

    static func encode(_ request: PaymentRequest, into out: inout CanonicalEncoder) {
        out.text(request.scheme.rawValue)
        out.text(request.subject)
        out.text(request.unit)
        out.text(request.basis)
        out.int(Int64(request.covers.count))
        for cover in request.covers { out.text(cover) }
        out.int(Int64(request.payees.count))
        for payee in request.payees {
            out.text(payee.kind.rawValue)
            out.optionalText(payee.name)
            out.int(payee.amount.rawValue)
        }
    }

    static func undecidedPayment(id: Int64, _ db: Database) throws -> (PaymentProposalRecord, PaymentActionRecord) {
        guard let proposal = try PaymentProposalRecord.fetchOne(db, key: id),
              let proposer = try PaymentActionRecord.fetchOne(db, key: proposal.actionID) else {
            throw LedgerError.unknownPayment(id: id)
        }
        if let decision = try PaymentDecisionRecord.fetchOne(db, key: id) {
            throw LedgerError.paymentRefused("payment \(id) was already \(decision.decision.rawValue)")
        }
        return (proposal, proposer)
    }

    static func payment(id: Int64, _ db: Database) throws -> Payment {
        guard let proposal = try PaymentProposalRecord.fetchOne(db, key: id),
              let proposer = try PaymentActionRecord.fetchOne(db, key: proposal.actionID) else {
            throw LedgerError.unknownPayment(id: id)
        }
        let payees = try Self.payees(ofPayment: id, db)
        let covers = try Self.covers(ofPayment: id, db)
        let decision = try PaymentDecisionRecord.fetchOne(db, key: id)
        let decider = try decision.flatMap { try PaymentActionRecord.fetchOne(db, key: $0.actionID) }
        let voucher = try PaymentVoucherRecord.filter(PaymentVoucherRecord.Columns.paymentID == id).fetchOne(db)
        let settlement = try PaymentSettlementRecord.fetchOne(db, key: id)
        let status: Payment.Status
        switch (decision?.decision, settlement?.outcome) {
        case (nil, _): status = .proposed
        case (.declined?, _): status = .declined
        case (_, .expired?): status = .expired
        case (_, .some): status = .paid
        default: status = .approved
        }
        return Payment(
            id: id, scheme: proposal.scheme, subject: proposal.subject, unit: proposal.unit,
            basis: proposal.basis, covers: covers,
            payees: payees.map { Payee(kind: $0.kind, name: $0.name, amount: Fen($0.amount)) },
            amount: Fen(proposal.amount), status: status, proposedAt: proposal.proposedAt, proposerKeyID: proposer.keyID,
            decidedAt: decision?.decidedAt, deciderKeyID: decider?.keyID, voucherHash: voucher.map { Hex.encode($0.hash) },
            expiresAt: voucher?.expiresAt, settledAt: settlement?.settledAt)
    }

    /// The payee lines of payment `id`, in order.
    static func payees(ofPayment id: Int64, _ db: Database) throws -> [PayeeRecord] {
        try PayeeRecord.filter(PayeeRecord.Columns.paymentID == id).order(PayeeRecord.Columns.line).fetchAll(db)
    }

    /// What payment `id` covers, sorted (the order its approval's evidence hashes them in).
    static func covers(ofPayment id: Int64, _ db: Database) throws -> [String] {
        try CoverRecord.select(CoverRecord.Columns.cover, as: String.self).filter(CoverRecord.Columns.paymentID == id)
            .order(CoverRecord.Columns.cover).fetchAll(db)
    }

    static func paymentIssue(id: Int64, code: VoucherCode?, sealed: Data?, _ db: Database) throws -> PaymentIssue {
        guard let decision = try PaymentDecisionRecord.fetchOne(db, key: id), let seq = decision.entrySeq else {
            throw LedgerError.storage("approval missing")
        }
        return PaymentIssue(payment: try payment(id: id, db), code: code, sealedCode: sealed, entry: try entry(seq: seq, db))
    }

    static func settlement(id: Int64, _ db: Database) throws -> PaymentSettlement {
        guard let settled = try PaymentSettlementRecord.fetchOne(db, key: id) else { throw LedgerError.storage("settlement missing") }
        return PaymentSettlement(payment: try payment(id: id, db), entry: try entry(seq: settled.entrySeq, db))
    }

    // MARK: - Evidence

    /// An approval: the proposal with its payees and covers, both actions, the voucher if any.
    static func paymentApproveEvidence(_ proposal: PaymentProposalRecord, payees: [PayeeRecord], covers: [String],
                                       proposer: PaymentActionRecord, approver: PaymentActionRecord, decidedAt: Int64,
                                       voucher: PaymentVoucherRecord?) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:payment-approve")
        out.optionalInt(proposal.id)
        out.text(proposal.scheme.rawValue)
        out.text(proposal.subject)
        out.text(proposal.unit)
        out.text(proposal.basis)
        out.int(proposal.amount)
        out.blob(Array(proposal.policyDigest))
        out.int(proposal.proposedAt)
        out.int(Int64(payees.count))
        for payee in payees {
            out.int(payee.line)
            out.text(payee.kind.rawValue)
            out.optionalText(payee.name)
            out.int(payee.amount)
        }
        out.int(Int64(covers.count))
        for cover in covers { out.text(cover) }
        encode(action: proposer.asAction, into: &out)
        out.int(decidedAt)
        encode(action: approver.asAction, into: &out)
        out.int(voucher == nil ? 0 : 1)
        if let voucher {
            out.blob(Array(voucher.hash))
            out.int(voucher.amount)
            out.int(voucher.issuedAt)
            out.int(voucher.expiresAt)
        }
        return Hashing.sha256(out.bytes)
    }

    /// A settlement by a person (paid to named payees, or a voucher redeemed).
    static func paymentSettleEvidence(kind: JournalEntry.Kind, paymentID: Int64, amount: Int64, voucherHash: Data?,
                                      action: PaymentActionRecord) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:\(kind.rawValue)")
        out.int(paymentID)
        out.int(amount)
        out.int(voucherHash == nil ? 0 : 1)
        if let voucherHash { out.blob(Array(voucherHash)) }
        encode(action: action.asAction, into: &out)
        return Hashing.sha256(out.bytes)
    }

    /// An informant's voucher lapsed, or the restore that follows.
    static func paymentExpiryEvidence(_ voucher: PaymentVoucherRecord, kind: JournalEntry.Kind) -> [UInt8] {
        var out = CanonicalEncoder(domain: "tipline-ledger-evidence-v1:\(kind.rawValue)")
        out.blob(Array(voucher.hash))
        out.int(voucher.paymentID)
        out.int(voucher.amount)
        out.int(voucher.expiresAt)
        return Hashing.sha256(out.bytes)
    }
}
