import Accounting
import Foundation
import Sealing
public import TiplineCore
import TiplineDeployment
public import TiplineStore

/// An evidence file after metadata stripping, ready to seal.
public struct SanitizedEvidence: Sendable {
    public let format: ImageFormat
    public let bytes: [UInt8]
}

/// What the reporter gets once the tip is committed.
public struct SubmissionResult: Sendable {
    public let receipt: Receipt
    public let stored: StoredTip
}

/// One message of a thread, opened for this response only.
public struct OpenedMessage: Sendable, Equatable {
    public let author: String
    public let createdAt: Int64
    public let text: String
}

/// What follow-up shows the reporter.
public struct FollowupResult: Sendable {
    public let reference: TipReference
    public let receivedAt: Int64
    public let status: TipStatus
    public let wantsReward: Bool
    public let messages: [OpenedMessage]
    public let reward: RewardState?
}

/// The reward as the reporter sees it: the state, and once approved the voucher code (opened
/// with the receipt for this response only), amount and claim deadline.
public struct RewardState: Sendable, Equatable {
    /// `requested`, `proposed`, `approved`, `paid`, `expired` or `declined`.
    public let state: String
    public let amountFen: Int64?
    public let voucherCode: String?
    public let expiresAt: Int64?
}

/// The intake pipeline shared by the web form and the JSON API:
/// validate → receipt KDF (gated) → seal with public keys → one transaction → answer.
public struct IntakeService: Sendable {
    let policies: PolicySet
    let recipients: Recipients
    let sealer: TipSealer
    let store: any TipStore
    let gate: KDFGate
    let receiptSalt: [UInt8]
    let time: any TimeSource
    let ledger: Ledger?

    init(policies: PolicySet, recipients: Recipients, store: any TipStore, gate: KDFGate,
         receiptSalt: [UInt8], time: any TimeSource, ledger: Ledger?) {
        self.ledger = ledger
        self.policies = policies
        self.recipients = recipients
        self.sealer = TipSealer(policies: policies, recipients: recipients)
        self.store = store
        self.gate = gate
        self.receiptSalt = receiptSalt
        self.time = time
    }

    /// Derives the receipt keys behind the gate; a full gate becomes `.busy`.
    private func receiptKeys(_ receipt: Receipt, lane: KDFGate.Lane) async throws(IntakeError) -> ReceiptKeys {
        let salt = receiptSalt
        let parameters = policies.security.receiptKDF
        do {
            return try await gate.run(lane) { try ReceiptKeys.derive(receipt: receipt, salt: salt, parameters: parameters) }
        } catch is KDFGate.Full {
            throw .busy(retryAfterSeconds: policies.security.kdfGate.retryAfterSeconds)
        } catch {
            throw .internalFailure("receipt key derivation failed")
        }
    }

    /// Seals and stores a validated tip; returns only after the commit (rule 4).
    public func submit(_ tip: ValidatedTip, evidence: [SanitizedEvidence]) async throws(IntakeError) -> SubmissionResult {
        let receipt = Receipt.generate()
        let keys = try await receiptKeys(receipt, lane: .submission)
        do {
            let newTip = try sealer.seal(tip, keys: keys, receivedAt: time.now(), evidence: evidence)
            let stored = try await store.insert(newTip)
            return SubmissionResult(receipt: receipt, stored: stored)
        } catch let error as StoreError {
            throw .internalFailure("store: \(error)")
        } catch {
            throw .internalFailure("sealing failed")
        }
    }

    /// Opens the reporter's view of a tip. A wrong receipt costs the same KDF time as a right one.
    public func followup(_ receipt: Receipt) async throws(IntakeError) -> FollowupResult {
        let keys = try await receiptKeys(receipt, lane: .followup)
        let view: FollowupView?
        do {
            view = try await store.followup(lookupKey: keys.lookupKey)
        } catch {
            throw .internalFailure("store: \(error)")
        }
        guard let view else { throw .unknownReceipt }
        do {
            let reporterKey = try openReporterKey(view: view, keys: keys)
            var messages: [OpenedMessage] = []
            for message in view.messages {
                let envelope = try JSONDecoder().decode(Envelope.self, from: message.envelope)
                guard let wrap = envelope.wraps.first(where: { $0.recipientKeyID == reporterKey.publicKey.keyID }),
                      let field = envelope.fields.first(where: { $0.name == "text" }) else { continue }
                let dataKey = try EnvelopeCrypto.unwrap(wrap, recordID: envelope.recordID, with: reporterKey)
                let text = try EnvelopeCrypto.openField(field, recordID: envelope.recordID, key: dataKey)
                messages.append(OpenedMessage(author: message.author, createdAt: message.createdAt,
                                              text: String(decoding: text, as: UTF8.self)))
            }
            return FollowupResult(reference: view.reference, receivedAt: view.receivedAt, status: view.status,
                                  wantsReward: view.wantsReward, messages: messages,
                                  reward: try rewardState(view, reporterKey: reporterKey))
        } catch {
            throw .internalFailure("opening the thread failed")
        }
    }

    /// Adds a reporter's message, sealed to the reporter key and the content keys of the tip's centres.
    public func postMessage(_ receipt: Receipt, text: String) async throws(IntakeError) -> TipReference {
        var errors: [FieldError] = []
        let limit = policies.security.limits.maxMessageChars
        guard let clean = MessageText.clean(text, maxScalars: limit, errors: &errors) else { throw .invalid(errors) }
        let keys = try await receiptKeys(receipt, lane: .followup)
        let view: FollowupView?
        do {
            view = try await store.followup(lookupKey: keys.lookupKey)
        } catch {
            throw .internalFailure("store: \(error)")
        }
        guard let view else { throw .unknownReceipt }
        guard view.messages.count < policies.security.limits.maxMessagesPerTip else {
            throw .conflict("this tip's thread is full")
        }
        do {
            let reporterKey = try openReporterKey(view: view, keys: keys)
            let uid = Hex.encode(SecureRandom.bytes(16))
            let centres = view.contentCentres.map { CentreID($0) }
            let sealed = try EnvelopeCrypto.seal(
                recordID: uid, content: [("text", Array(clean.utf8))], identity: [],
                contentRecipients: [reporterKey.publicKey] + recipients.contentKeys(centres), identityRecipients: [])
            let data = try JSONEncoder().encode(sealed.envelope)
            try await store.addReporterMessage(tipID: view.tipID, uid: uid, envelope: data, at: time.now())
            return view.reference
        } catch let error as StoreError {
            throw .internalFailure("store: \(error)")
        } catch {
            throw .internalFailure("sealing failed")
        }
    }

    private func rewardState(_ view: FollowupView, reporterKey: X25519PrivateKey) throws -> RewardState? {
        guard view.wantsReward else { return nil }
        let reward = try ledger?.reward(reference: view.reference.rawValue)
        var code: String?
        if let voucher = view.voucher, reward?.status == .approved {
            let envelope = try JSONDecoder().decode(Envelope.self, from: voucher.envelope)
            if let wrap = envelope.wraps.first(where: { $0.recipientKeyID == reporterKey.publicKey.keyID }),
               let field = envelope.fields.first(where: { $0.name == "voucher" }) {
                let key = try EnvelopeCrypto.unwrap(wrap, recordID: envelope.recordID, with: reporterKey)
                code = VoucherCode(parsing: String(decoding: try EnvelopeCrypto.openField(field, recordID: envelope.recordID, key: key),
                                                   as: UTF8.self))?.grouped
            }
        }
        return RewardState(state: reward?.status.rawValue ?? "requested", amountFen: reward?.amount.rawValue,
                           voucherCode: code, expiresAt: reward?.expiresAt)
    }

    private func openReporterKey(view: FollowupView, keys: ReceiptKeys) throws -> X25519PrivateKey {
        let raw = try AESGCM.openCombined(view.reporterKeySealed, key: keys.sealingKey,
                                          aad: ReceiptKeys.reporterKeyAAD(recordID: view.uid))
        return try X25519PrivateKey(rawRepresentation: raw)
    }
}
