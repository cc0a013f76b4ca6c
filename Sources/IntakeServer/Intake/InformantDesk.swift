import Foundation
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore

/// The informant channel's logic (issue 15, `/informant`): an informant's code opens their page the
/// way a receipt opens a tip (one KDF run behind the gate, constant-time comparison, the same answer
/// for every failure); a report is validated, its photos stripped, and sealed here at once to the
/// district office's and the city office's content keys, then stored with its audit entry before the
/// page says it arrived. Replies are opened with the informant's own key, which only the code unseals.
struct InformantDesk: Sendable {
    let store: any InformantChannelStore
    let gate: KDFGate
    let policies: PolicySet
    /// Per district centre: the district office's and the city office's content keys.
    let recipients: [String: [X25519PublicKey]]
    let time: any TimeSource

    /// An opened code: the informant's record and private key, for this request only.
    struct Session: Sendable {
        let code: StoredInformantCode
        let privateKey: X25519PrivateKey
    }

    /// One of the informant's reports with its replies opened.
    struct PageReport: Sendable {
        let reference: String
        let kind: InformantReportKind
        let receivedAt: Int64
        let photos: Int
        let becameItem: Bool
        let becameTip: Bool
        let replies: [(at: Int64, text: String)]
    }

    init(store: any InformantChannelStore, gate: KDFGate, deployment: Deployment, time: any TimeSource) throws {
        self.store = store
        self.gate = gate
        self.policies = deployment.policies
        self.time = time
        var recipients: [String: [X25519PublicKey]] = [:]
        let units = deployment.policies.units
        if let city = try deployment.manifest.unitKey(units.cityOffice.id) {
            for office in units.districtOffices {
                guard let centre = office.centre, let key = try deployment.manifest.unitKey(office.id) else { continue }
                recipients[centre.rawValue] = [key, city]
            }
        }
        self.recipients = recipients
    }

    /// Opens the page `code` belongs to; `.unknownReceipt` for a wrong code, an unknown one or an
    /// informant who is no longer active, after the same KDF work.
    func open(_ code: InformantCode) async throws(IntakeError) -> Session {
        let candidates: [StoredInformantCode]
        do {
            candidates = try await store.informantCodes(locatorHash: code.locatorHash)
        } catch {
            throw .internalFailure("store: \(error)")
        }
        let usable = candidates.filter { ReceiptRecord.acceptsStored($0.parameters) }
        guard !usable.isEmpty else {
            _ = try await derive(code, salt: SecureRandom.bytes(16), parameters: policies.security.receiptKDF)
            throw .unknownReceipt
        }
        for candidate in usable {
            let keys = try await derive(code, salt: candidate.salt, parameters: candidate.parameters)
            guard keys.matches(candidate.verifier) else { continue }
            guard candidate.status == .active else { throw .unknownReceipt }
            do {
                var raw = try AESGCM.openCombined(candidate.sealedKey, key: keys.sealingKey, aad: InformantCode.sealedKeyAAD(uid: candidate.uid))
                defer { SecureWipe.wipe(&raw) }
                return Session(code: candidate, privateKey: try X25519PrivateKey(rawRepresentation: raw))
            } catch {
                throw .internalFailure("the informant key does not open")
            }
        }
        throw .unknownReceipt
    }

    private func derive(_ code: InformantCode, salt: [UInt8], parameters: Scrypt.Parameters) async throws(IntakeError) -> InformantCodeKeys {
        do {
            return try await gate.run(.followup) { try InformantCodeKeys.derive(code, salt: salt, parameters: parameters) }
        } catch is KDFGate.Full {
            throw .busy(retryAfterSeconds: policies.security.kdfGate.retryAfterSeconds)
        } catch {
            throw .internalFailure("informant code derivation failed")
        }
    }

    /// The informant's latest reports with the replies opened (a reply that does not open is left out).
    func reports(_ session: Session) async throws(IntakeError) -> [PageReport] {
        let stored: [InformantPageReport]
        do {
            stored = try await store.reports(of: session.code.pseudonym, limit: 50)
        } catch {
            throw .internalFailure("store: \(error)")
        }
        return stored.map { report in
            let replies = report.replies.compactMap { reply -> (at: Int64, text: String)? in
                guard let envelope = try? JSONDecoder().decode(Envelope.self, from: reply.envelope),
                      let text = try? EnvelopeCrypto.openMessage(envelope, name: InformantReportContent.replyFieldName, with: session.privateKey) else {
                    return nil
                }
                return (reply.at, String(decoding: text, as: UTF8.self))
            }
            return PageReport(reference: report.reference, kind: report.kind, receivedAt: report.receivedAt, photos: report.photos,
                              becameItem: report.becameItem, becameTip: report.becameTip, replies: replies)
        }
    }

    /// A remuneration voucher opened with the informant's key (issue 17): the code a cashier pays.
    struct PageVoucher: Sendable {
        let report: String
        let amountFen: Int64
        let expiresAt: Int64
        let code: String
    }

    /// The informant's remuneration vouchers with their codes opened (one that does not open is left out).
    func vouchers(_ session: Session) async throws(IntakeError) -> [PageVoucher] {
        let stored: [InformantPageVoucher]
        do {
            stored = try await store.vouchers(of: session.code.pseudonym, limit: 50)
        } catch {
            throw .internalFailure("store: \(error)")
        }
        return stored.compactMap { voucher in
            guard let envelope = try? JSONDecoder().decode(Envelope.self, from: voucher.envelope),
                  let code = try? EnvelopeCrypto.openMessage(envelope, name: "voucher", with: session.privateKey) else { return nil }
            return PageVoucher(report: voucher.report, amountFen: voucher.amountFen, expiresAt: voucher.expiresAt,
                               code: String(decoding: code, as: UTF8.self))
        }
    }

    /// Validates, seals and stores a report; returns its reference once committed.
    func file(_ session: Session, kind: String?, area: String?, occurredAt: String?, text: String?,
              photos: [SanitizedEvidence]) async throws(IntakeError) -> String {
        var errors: [FieldError] = []
        let kind = kind.flatMap(InformantReportKind.init(rawValue:))
        if kind == nil { errors.append(FieldError(field: "kind", code: "invalid", message: "case-lead or dynamic")) }
        let area = area?.trimmingCharacters(in: .whitespaces)
        if area == nil || !session.code.areas.contains(where: { $0.code == area }) {
            errors.append(FieldError(field: "area", code: "invalid", message: "one of your areas"))
        }
        let when = occurredAt?.trimmingCharacters(in: .whitespacesAndNewlines)
        if let when, !when.isEmpty, when.count > 40 || CivilTime.parseOccurrence(when, now: time.now()) == nil {
            errors.append(FieldError(field: "occurred_at", code: "invalid", message: "not a date and time"))
        }
        let clean = MessageText.clean(text, maxScalars: InformantReportContent.maxTextScalars, errors: &errors)
        if photos.count > InformantReportContent.maxPhotos {
            errors.append(FieldError(field: "evidence", code: "too_long", message: "at most \(InformantReportContent.maxPhotos) photos",
                                     limit: InformantReportContent.maxPhotos))
        }
        guard errors.isEmpty, let kind, let area, let clean else { throw .invalid(errors) }
        guard let keys = recipients[session.code.district], keys.count == 2 else {
            throw .internalFailure("no content keys for the informant's district office")
        }
        let uid = "rep-" + Hex.encode(SecureRandom.bytes(16))
        do {
            var plaintext = try InformantReportContent(kind: kind, area: area, occurredAt: (when?.isEmpty ?? true) ? nil : when, text: clean).canonicalJSON()
            defer { SecureWipe.wipe(&plaintext) }
            let envelope = try EnvelopeCrypto.sealMessage(recordID: uid, name: InformantReportContent.fieldName, value: plaintext, recipients: keys)
            let sealedPhotos = try photos.enumerated().map { index, photo in
                try EnvelopeCrypto.sealMessage(recordID: "\(uid).\(index)", name: InformantReportContent.photoFieldName, value: photo.bytes, recipients: keys)
            }
            return try await store.fileReport(NewInformantReport(pseudonym: session.code.pseudonym, uid: uid, kind: kind, envelope: envelope,
                                                                 photos: sealedPhotos, receivedAt: time.now()))
        } catch let error as StoreError {
            if case .notFound = error { throw .unknownReceipt }
            throw .internalFailure("store: \(error)")
        } catch {
            throw .internalFailure("sealing failed")
        }
    }
}
