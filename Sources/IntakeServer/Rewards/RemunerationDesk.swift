import Accounting
import Foundation
import LedgerModel
import Sealing
import TiplineAdminAPI
import TiplineCore
import TiplineStore

/// Joins the city desk's adoptions and the ledger for remuneration (issue 17, S-3.4). The amount is
/// the policy's, never typed by the proposer; a named author is paid by name, an informant by a
/// voucher sealed to the informant's key the moment it exists (the ledger keeps its hash only, and
/// the city's staff see 信息员（district）, never the pseudonym).
struct RemunerationDesk: Sendable {
    let ledger: any RewardLedger
    let store: any RemunerationStore & AssessmentStore & AuditTrailStore

    func policy() throws -> RemunerationPolicy {
        guard let policy = ledger.remunerationPolicy else {
            throw APIError(status: .serviceUnavailable, code: "unavailable", message: "remuneration.yaml is not loaded")
        }
        return policy
    }

    /// Adoptions not yet in a payment (of China-time `year`, or all), each priced by the policy; the
    /// first `limit` adoptions in date order are looked at.
    func pending(year: Int?, limit: Int = 1_000) async throws -> [PendingRemuneration] {
        let policy = try policy()
        let adoptions = try await store.payableAdoptions(year: year, limit: limit)
        let covered = try await ledger.coveredAlready(adoptions.map(\.cover))
        return adoptions.filter { !covered.contains($0.cover) }.map { adoption in
            let (payee, label) = Self.payee(adoption)
            return PendingRemuneration(item: adoption.item, unit: adoption.unit, level: adoption.level.rawValue, onDate: adoption.onDate,
                                       pictures: adoption.pictures, payee: payee, payeeLabel: label,
                                       amountFen: policy.price(level: adoption.level, pictures: adoption.pictures).rawValue,
                                       cover: adoption.cover)
        }
    }

    static func payee(_ adoption: PayableAdoption) -> (kind: String, label: String) {
        if let informant = adoption.informant { return (PayeeKind.informant.rawValue, "信息员（\(informant.district)）") }
        if !adoption.authors.isEmpty { return (PayeeKind.author.rawValue, adoption.authors.joined(separator: "、")) }
        return ("none", "—")
    }

    /// Proposes remuneration for every unpaid adoption of `item`: priced by the policy, capped per
    /// item (what the item was paid before counts), split equally between the byline's authors (the
    /// first takes the odd fen) or paid to the informant behind it, whose yearly cap is checked here.
    func propose(_ item: String, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Payment {
        let policy = try policy()
        let adoptions = try await store.payableAdoptions(item: item)
        guard let first = adoptions.first else {
            throw APIError(status: .notFound, code: "not_found", message: "item \(item) has no adoption to pay for")
        }
        let covered = try await ledger.coveredAlready(adoptions.map(\.cover))
        let open = adoptions.filter { !covered.contains($0.cover) }
        guard !open.isEmpty else {
            // A retry of the proposal that covered them (same idempotency key) gets that proposal back: its
            // request is rebuilt exactly, so the ledger replays it; any other key is refused by the covers.
            if let earlier = try await ledger.payments(scheme: .remuneration).last(where: { $0.subject == item && $0.status != .declined }),
               let replayed = try? await ledger.proposePayment(
                PaymentRequest(scheme: .remuneration, subject: earlier.subject, unit: earlier.unit, basis: earlier.basis,
                               covers: earlier.covers, payees: earlier.payees),
                proposer: try RewardDesk.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at), replayed.id == earlier.id {
                // Recorded again, as a retried reward proposal is: the first answer may have been lost before its entry.
                try await recordProposal(replayed, covers: replayed.covers.count, idempotencyKey: idempotencyKey, by: actor, at: at)
                return replayed
            }
            throw APIError(status: .conflict, code: "refused", message: "every adoption of \(item) is already paid or proposed")
        }
        let priced = open.reduce(Int64(0)) { $0 + policy.price(level: $1.level, pictures: $1.pictures).rawValue }
        let before = try await ledger.committed(subject: item, scheme: .remuneration).rawValue
        let amount = min(priced, policy.perItemFen - before)
        guard amount > 0 else {
            throw APIError(status: .conflict, code: "refused", message: "\(item) has reached the cap of \(Fen(policy.perItemFen)) per item")
        }
        let payees: [Payee]
        if let informant = first.informant {
            let year = CivilTime.chinaYearBounds(CivilTime.chinaYear(at))
            let paid = try await store.informantRemuneration(informant.pseudonym, from: year.start, to: year.end)
            guard paid + amount <= policy.perPersonYearFen else {
                throw APIError(status: .conflict, code: "refused",
                               message: "the informant behind \(item) would pass the cap of \(Fen(policy.perPersonYearFen)) a year")
            }
            payees = [Payee(kind: .informant, name: nil, amount: Fen(amount))]
        } else if !first.authors.isEmpty {
            let count = Int64(first.authors.count)
            guard amount >= count else { throw APIError(status: .conflict, code: "refused", message: "too little to share between the authors") }
            payees = first.authors.enumerated().map { index, name in
                Payee(kind: .author, name: name, amount: Fen(amount / count + (index == 0 ? amount % count : 0)))
            }
        } else {
            throw APIError(status: .conflict, code: "refused",
                           message: "\(item) has a unit-only byline and no informant behind it: there is nobody to pay")
        }
        let pictures = first.pictures
        let basis = "adoptions=" + open.map { "\($0.level.rawValue)@\($0.onDate)" }.joined(separator: ",")
            + ";pictures=\(pictures);priced_fen=\(priced);before_fen=\(before)"
        // Covers sorted as the ledger reads them back, so that a retry can rebuild this very request.
        let request = PaymentRequest(scheme: .remuneration, subject: item, unit: first.unit, basis: basis, covers: open.map(\.cover).sorted(),
                                     payees: payees)
        let payment = try await ledger.proposePayment(request, proposer: try RewardDesk.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
        try await recordProposal(payment, covers: open.count, idempotencyKey: idempotencyKey, by: actor, at: at)
        return payment
    }

    /// The proposal's audit entry (`remuneration.propose`).
    private func recordProposal(_ payment: Payment, covers: Int, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws {
        try await store.recordLedgerAction(.proposeRemuneration, subject: payment.subject, details: [
            "payment_id": String(payment.id), "amount_fen": String(payment.amount.rawValue), "payee": payment.payees[0].kind.rawValue,
            "covers": String(covers), "idempotency": Hashing.sha256Hex(Array(idempotencyKey.utf8)),
        ], by: actor, at: at)
    }

    /// Approves payment `id` (a second person): posts it and, for an informant, seals the new
    /// voucher code to the informant's key and stores it for their page in the same breath.
    func approve(_ id: Int64, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Payment {
        let payment = try await ledger.payment(id: id)
        let approver = try RewardDesk.ledgerActor(actor)
        guard payment.paysInformant else {
            let issue = try await ledger.approvePayment(id: id, approver: approver, idempotencyKey: idempotencyKey, now: at)
            try await store.recordLedgerAction(.approvePayment, subject: payment.subject, details: [
                "payment_id": String(id), "amount_fen": String(payment.amount.rawValue), "ledger_entry": String(issue.entry.seq),
            ], by: actor, at: at)
            return issue.payment
        }
        guard let informant = try await store.payableAdoptions(item: payment.subject).compactMap(\.informant).first else {
            throw APIError(status: .conflict, code: "refused", message: "the informant behind \(payment.subject) is not on record")
        }
        // The informant's yearly cap again, now that the money moves: proposals made side by side each passed it alone.
        let policy = try policy()
        let year = CivilTime.chinaYearBounds(CivilTime.chinaYear(at))
        let paid = try await store.informantRemuneration(informant.pseudonym, from: year.start, to: year.end, excluding: id)
        guard paid + payment.amount.rawValue <= policy.perPersonYearFen else {
            throw APIError(status: .conflict, code: "refused",
                           message: "the informant behind \(payment.subject) would pass the cap of \(Fen(policy.perPersonYearFen)) a year")
        }
        let key = try X25519PublicKey(rawRepresentation: informant.publicKey)
        let issue = try await ledger.approvePayment(id: id, approver: approver, idempotencyKey: idempotencyKey, now: at, seal: { code in
            let sealed = try EnvelopeCrypto.seal(recordID: Hex.encode(SecureRandom.bytes(16)), content: [("voucher", Array(code.text.utf8))],
                                                 identity: [], contentRecipients: [key], identityRecipients: [])
            return try JSONEncoder().encode(sealed.envelope)
        })
        guard let stored = issue.sealedCode, let envelope = try? JSONDecoder().decode(Envelope.self, from: stored),
              let expiresAt = issue.payment.expiresAt else {
            throw APIError(status: .internalServerError, code: "internal", message: "the voucher copy is missing")
        }
        try await store.storeInformantVoucher(paymentID: id, item: payment.subject, pseudonym: informant.pseudonym, envelope: envelope,
                                              amountFen: payment.amount.rawValue, expiresAt: expiresAt, details: [
                                                "payment_id": String(id), "amount_fen": String(payment.amount.rawValue),
                                                "voucher_hash": issue.payment.voucherHash ?? "", "expires_at": String(expiresAt),
                                                "ledger_entry": String(issue.entry.seq),
                                              ], by: actor, at: at)
        return issue.payment
    }

    /// Declines payment `id` (an approver); its covers may be proposed again.
    func decline(_ id: Int64, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Payment {
        let payment = try await ledger.declinePayment(id: id, by: try RewardDesk.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
        try await store.recordLedgerAction(.approvePayment, subject: payment.subject, details: ["payment_id": String(id), "declined": "1"],
                                           by: actor, at: at)
        return payment
    }

    /// Records the transfer of approved payment `id` to its named authors or unit.
    func pay(_ id: Int64, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> Payment {
        let settled = try await ledger.payPayment(id: id, accountant: try RewardDesk.ledgerActor(actor), idempotencyKey: idempotencyKey, now: at)
        try await store.recordLedgerAction(.payPayment, subject: settled.payment.subject, details: [
            "payment_id": String(id), "amount_fen": String(settled.payment.amount.rawValue), "ledger_entry": String(settled.entry.seq),
        ], by: actor, at: at)
        return settled.payment
    }

    /// Proposes the year's subsidies (三(五), S-3.5): `subsidy.grants_fen[rank − 1]` to every unit the
    /// **frozen** assessment ranks within the grants (a shared rank shares its grant level), the unit
    /// as payee. Units already proposed for the year are left alone, so a retry proposes only what is
    /// missing; one `subsidy.propose` entry names every proposal the request made.
    func proposeSubsidies(year: Int, idempotencyKey: String, by actor: StaffActor, at: Int64) async throws -> [Payment] {
        let policy = try policy()
        // A plain `catch` (a typed pattern here crashes this compiler): not frozen is a refusal, anything else fails.
        let ranking: FrozenRanking
        do {
            ranking = try await store.frozenRanking(year: year)
        } catch {
            if case StoreError.notFound = error {
                throw APIError(status: .conflict, code: "refused", message: "the \(year) assessment is not frozen: subsidies follow the frozen ranking")
            }
            throw error
        }
        let grants = policy.subsidyGrantsFen
        let winners = ranking.units.filter { $0.rank <= grants.count }
        let covered = try await ledger.coveredAlready(winners.map { PaymentRequest.subsidyCover(year: year, unit: $0.unit) })
        var proposed: [Payment] = []
        for entry in winners where !covered.contains(PaymentRequest.subsidyCover(year: year, unit: entry.unit)) {
            let amount = grants[entry.rank - 1]
            let request = PaymentRequest(scheme: .subsidy, subject: "\(year)-\(entry.unit)", unit: entry.unit,
                                         basis: "rank=\(entry.rank);points=\(entry.total);results_sha256=\(ranking.resultsSHA256)",
                                         covers: [PaymentRequest.subsidyCover(year: year, unit: entry.unit)], payees: [Payee(kind: .unit, name: entry.unit, amount: Fen(amount))])
            // One key per unit, derived from the request's, so that a retry finds each proposal again.
            let key = String((idempotencyKey + "-" + entry.unit).prefix(128))
            proposed.append(try await ledger.proposePayment(request, proposer: try RewardDesk.ledgerActor(actor), idempotencyKey: key, now: at))
        }
        // One signed request, one audit entry, naming every proposal it made.
        if !proposed.isEmpty {
            try await store.recordLedgerAction(.proposeSubsidy, subject: String(year), details: [
                "payment_ids": proposed.map { String($0.id) }.joined(separator: ","),
                "units": proposed.map(\.unit).joined(separator: ","),
                "amounts_fen": proposed.map { String($0.amount.rawValue) }.joined(separator: ","),
                "results_sha256": ranking.resultsSHA256,
            ], by: actor, at: at)
        }
        return proposed
    }
}
