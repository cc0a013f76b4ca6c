import Accounting
import LedgerModel
import Foundation
import Sealing
public import TiplineCore
import TiplineDeployment
public import TiplineStore

/// An evidence file after metadata stripping, ready to seal.
public struct SanitizedEvidence: Sendable {
    /// The image format the bytes were recognised as.
    public let format: ImageFormat
    /// The file's bytes with the metadata stripped.
    public let bytes: [UInt8]
}

/// What the reporter gets once the tip is committed.
public struct SubmissionResult: Sendable {
    /// The receipt, shown to the reporter once and kept nowhere.
    public let receipt: Receipt
    /// The stored tip: its reference, time, submission hash and proof of report.
    public let stored: StoredTip
}

/// The sealed tip of the last attempt of `IntakeService.record` (set within the call, read after it).
private final class NewTipBox: @unchecked Sendable {
    var value: NewTip?
}

/// One message of a thread, opened for this response only.
public struct OpenedMessage: Sendable, Equatable {
    /// Who wrote it: `reporter` or `centre`.
    public let author: String
    /// Unix seconds (UTC) when the message was stored.
    public let createdAt: Int64
    /// The message's text.
    public let text: String
}

/// What follow-up shows the reporter.
public struct FollowupResult: Sendable {
    /// The tip's public reference.
    public let reference: TipReference
    /// Unix seconds (UTC) when the tip was received.
    public let receivedAt: Int64
    /// The tip's current status.
    public let status: TipStatus
    /// Whether the reporter asked to be considered for a reward.
    public let wantsReward: Bool
    /// The thread's messages that opened, oldest first.
    public let messages: [OpenedMessage]
    /// The reward; nil when the reporter did not ask for one.
    public let reward: RewardState?
    /// Messages that did not open with the reporter key (a bad wrap, key commitment or ciphertext):
    /// skipped, so that one bad message cannot hide the rest of the thread or the reward (issue 11, item 5).
    public var unreadableMessages: Int = 0
    /// The centre handling the tip (issue 13 item 10): its public name and address, from centres.yaml.
    public var centre: Centre?
    /// What a closed tip was before it was closed (`verified`, `unfounded`, `rejected`), if recorded.
    public var resolution: TipStatus?
    /// Files sent with the tip and added since; how many more may be added (0 once content is destroyed).
    public var files = 0
    /// How many more files the reporter may add.
    public var filesAllowed = 0

    /// The status as the reporter is told it (受理 / 核查中 / 查证属实 / 未查实 / 不予受理 / 已办结).
    public var publicStatus: PublicStatus { status.publicStatus }
}

/// The reward as the reporter sees it: the state, and once approved the voucher code (opened
/// with the receipt for this response only), amount and claim deadline.
public struct RewardState: Sendable, Equatable {
    /// `requested`, `proposed`, `approved`, `paid`, `expired` or `declined`.
    public let state: String
    /// The amount in fen, once proposed.
    public let amountFen: Int64?
    /// The voucher code in groups, opened with the receipt while the reward is approved.
    public let voucherCode: String?
    /// Unix seconds (UTC) by which the voucher must be claimed.
    public let expiresAt: Int64?
    /// Why a declined reward was declined, in the centre's words (when the supervisor gave one).
    public var declineReason: String? = nil
}

/// The intake pipeline shared by the web form and the JSON API:
/// validate → receipt KDF (gated) → seal with public keys → one transaction → answer.
public struct IntakeService: Sendable {
    let policies: PolicySet
    let recipients: Recipients
    let sealer: TipSealer
    let store: any TipStore
    let gate: KDFGate
    /// The deployment's salt: legacy (16-digit) receipts only.
    let receiptSalt: [UInt8]
    /// The scrypt parameters of new receipts (the policy's).
    let receiptKDF: Scrypt.Parameters
    /// The parameters legacy tips were derived with (read at start-up; usually one set, or none).
    let legacyReceiptKDF: [Scrypt.Parameters]
    let time: any TimeSource
    let ledger: (any RewardLedger)?

    init(policies: PolicySet, recipients: Recipients, store: any TipStore, gate: KDFGate,
         receiptSalt: [UInt8], legacyReceiptKDF: [Scrypt.Parameters] = [],
         time: any TimeSource, ledger: (any RewardLedger)?) {
        self.ledger = ledger
        self.policies = policies
        self.recipients = recipients
        self.sealer = TipSealer(policies: policies, recipients: recipients)
        self.store = store
        self.gate = gate
        self.receiptSalt = receiptSalt
        self.receiptKDF = policies.security.receiptKDF
        self.legacyReceiptKDF = legacyReceiptKDF
        self.time = time
    }

    /// Runs one receipt derivation behind the gate; a full gate becomes `.busy`.
    private func derive(_ receipt: Receipt, salt: [UInt8], parameters: Scrypt.Parameters,
                        lane: KDFGate.Lane) async throws(IntakeError) -> ReceiptKeys {
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
        try await issue { keys, now throws(SealingError) in
            try sealer.seal(tip, keys: keys, receivedAt: now, evidence: evidence)
        } store: { newTip in
            try await store.insert(newTip)
        }
    }

    /// A tip a triage officer recorded (`POST tips/record`, issue 15), already validated with the public
    /// form's rules: routed, receipted and sealed exactly as `submit` does, except that the identity
    /// comes sealed from the officer's machine (`identity`, checked against this server's routing:
    /// `.invalid` when malformed, `.conflict` when wrapped for other keys). `store` writes the tip and
    /// the officer's entry in one transaction. The receipt is returned once, for the officer to read
    /// back; it is kept nowhere.
    func record(_ tip: ValidatedTip, identity: Envelope, channel: TipChannel,
                       store: @escaping @Sendable (NewTip) async throws -> StoredTip) async throws(IntakeError) -> (SubmissionResult, NewTip) {
        if let problem = sealer.presealedProblem(identity, for: tip) {
            if problem.conflict { throw .conflict(problem.message) }
            throw .invalid([FieldError(field: "identity", code: "invalid", message: problem.message)])
        }
        let sealed = NewTipBox()
        let result = try await issue { keys, now throws(SealingError) in
            let newTip = try sealer.seal(tip, keys: keys, receivedAt: now, urgency: nil, evidence: [], presealed: identity, channel: channel)
            sealed.value = newTip
            return newTip
        } store: { newTip in
            try await store(newTip)
        }
        guard let newTip = sealed.value else { throw .internalFailure("sealing failed") }
        return (result, newTip)
    }

    /// A fresh receipt, its keys behind the gate, the sealed tip, the store: a receipt whose locator
    /// another tip holds (10^8 locators) is replaced by a fresh one.
    private func issue(seal: (ReceiptKeys, Int64) throws(SealingError) -> NewTip,
                       store: (NewTip) async throws -> StoredTip) async throws(IntakeError) -> SubmissionResult {
        for _ in 0..<4 {
            let receipt = Receipt.generate()
            let keys = try await derive(receipt, salt: SecureRandom.bytes(ReceiptRecord.saltCount), parameters: receiptKDF,
                                        lane: .submission)
            do {
                let newTip = try seal(keys, time.now())
                let stored = try await store(newTip)
                return SubmissionResult(receipt: receipt, stored: stored)
            } catch let error as StoreError where error == .receiptLocatorInUse {
                continue
            } catch let error as StoreError {
                if case .conflict(let what) = error { throw .conflict(what) }
                throw .internalFailure("store: \(error)")
            } catch {
                throw .internalFailure("sealing failed")
            }
        }
        throw .internalFailure("no free receipt locator")
    }

    /// Finds the tip a receipt opens, with the keys it derives. Every path costs one receipt KDF and
    /// answers `.unknownReceipt` alike: a located receipt whose locator matches no tip is derived with
    /// the current parameters and a throw-away salt, exactly the work of a wrong secret for a tip
    /// made under them; only a verifier that matches (constant-time) opens anything.
    private func open(_ receipt: Receipt) async throws(IntakeError) -> (FollowupView, ReceiptKeys) {
        switch receipt.format {
        case .located:
            guard let locator = receipt.locatorHash else { throw .unknownReceipt }
            let stored: StoredReceipt?
            do {
                stored = try await store.receipt(locatorHash: locator)
            } catch {
                throw .internalFailure("store: \(error)")
            }
            let target = stored.flatMap { ReceiptRecord.acceptsStored($0.record.parameters) ? $0 : nil }
            let keys = try await derive(receipt, salt: target?.record.salt ?? SecureRandom.bytes(ReceiptRecord.saltCount),
                                        parameters: target?.record.parameters ?? receiptKDF, lane: .followup)
            guard let target, keys.matches(target.record) else { throw .unknownReceipt }
            let view: FollowupView?
            do {
                view = try await store.followup(tipID: target.tipID)
            } catch {
                throw .internalFailure("store: \(error)")
            }
            guard let view else { throw .unknownReceipt }
            return (view, keys)
        case .legacy:
            // Checked against the tips marked legacy only (their old single-salt derivation).
            let sets = legacyReceiptKDF.filter(ReceiptRecord.acceptsStored)
            guard !sets.isEmpty else {
                _ = try await derive(receipt, salt: receiptSalt, parameters: receiptKDF, lane: .followup)
                throw .unknownReceipt
            }
            for parameters in sets {
                let keys = try await derive(receipt, salt: receiptSalt, parameters: parameters, lane: .followup)
                let view: FollowupView?
                do {
                    view = try await store.followup(lookupKey: keys.lookupKey)
                } catch {
                    throw .internalFailure("store: \(error)")
                }
                if let view { return (view, keys) }
            }
            throw .unknownReceipt
        }
    }

    /// The reference of the tip `receipt` opens, found and checked exactly as a follow-up does (`open`:
    /// the tip's own salt and parameters, one receipt KDF behind the gate, constant-time comparison of
    /// the verifiers); `.unknownReceipt` otherwise. For an auditor's canary mark (`POST tips/{ref}/canary`).
    public func reference(opening receipt: Receipt) async throws(IntakeError) -> TipReference {
        try await open(receipt).0.reference
    }

    /// Opens the reporter's view of a tip. A wrong receipt costs the same KDF time as a right one.
    public func followup(_ receipt: Receipt) async throws(IntakeError) -> FollowupResult {
        let (view, keys) = try await open(receipt)
        do {
            let reporterKey = try openReporterKey(view: view, keys: keys)
            var messages: [OpenedMessage] = []
            var unreadable = 0
            for message in view.messages {
                // A message that does not open is skipped and counted, never fatal (issue 11, item 5).
                guard let envelope = try? JSONDecoder().decode(Envelope.self, from: message.envelope),
                      let text = try? EnvelopeCrypto.openMessage(envelope, name: "text", with: reporterKey) else {
                    unreadable += 1
                    continue
                }
                messages.append(OpenedMessage(author: message.author, createdAt: message.createdAt,
                                              text: String(decoding: text, as: UTF8.self)))
            }
            var result = FollowupResult(reference: view.reference, receivedAt: view.receivedAt, status: view.status,
                                        wantsReward: view.wantsReward, messages: messages,
                                        reward: try await rewardState(view, reporterKey: reporterKey))
            result.unreadableMessages = unreadable
            result.centre = policies.centres.centre(CentreID(view.centre))
            result.resolution = view.status == .closed ? view.resolution : nil
            result.files = view.intakeEvidence + view.addedEvidence
            result.filesAllowed = view.contentDestroyed ? 0 : max(0, policies.security.limits.maxEvidenceFiles - result.files)
            return result
        } catch {
            throw .internalFailure("opening the thread failed")
        }
    }

    /// Adds a reporter's message, sealed to the reporter key and the content keys of the tip's centres.
    public func postMessage(_ receipt: Receipt, text: String) async throws(IntakeError) -> TipReference {
        var errors: [FieldError] = []
        let limit = policies.security.limits.maxMessageChars
        guard let clean = MessageText.clean(text, maxScalars: limit, errors: &errors) else { throw .invalid(errors) }
        let (view, keys) = try await open(receipt)
        guard view.messages.count < policies.security.limits.maxMessagesPerTip else {
            throw .conflict("this tip's thread is full")
        }
        do {
            let reporterKey = try openReporterKey(view: view, keys: keys)
            let uid = Hex.encode(SecureRandom.bytes(16))
            let centres = view.contentCentres.map { CentreID($0) }
            let sealed = try EnvelopeCrypto.sealMessage(recordID: uid, name: "text", value: Array(clean.utf8),
                                                        recipients: [reporterKey.publicKey] + recipients.contentKeys(centres))
            let data = try JSONEncoder().encode(sealed)
            try await store.addReporterMessage(tipID: view.tipID, uid: uid, envelope: data, at: time.now())
            return view.reference
        } catch let error as StoreError {
            throw .internalFailure("store: \(error)")
        } catch {
            throw .internalFailure("sealing failed")
        }
    }

    /// Adds files to a tip after submission (issue 13 item 10), already stripped of metadata by
    /// `EvidenceIntake.sanitize` (the intake's limits and stripper). The tip's intake evidence is sealed
    /// under its content data key, which the server no longer holds (it keeps public keys only), so each
    /// added file is an envelope of its own: a fresh data key wrapped for the same recipients — the
    /// content keys of every centre holding a content wrap of the tip (the routed centre, its copies,
    /// the city and any centre it was re-routed to). Stored with one `evidence.reporter` audit entry per
    /// file in the same transaction; the tip's files (intake + added) stay within `max_evidence_files`.
    /// Returns the tip's reference and its file count after the write.
    public func addEvidence(_ receipt: Receipt, files: [SanitizedEvidence]) async throws(IntakeError) -> (TipReference, Int) {
        let limit = policies.security.limits.maxEvidenceFiles
        guard !files.isEmpty else {
            throw .invalid([FieldError(field: "evidence", code: "required", message: "choose at least one file")])
        }
        guard files.count <= limit else { throw .tooLarge("at most \(limit) evidence files") }
        let (view, _) = try await open(receipt)
        guard !view.contentDestroyed else { throw .conflict("this tip's content was destroyed under the retention policy") }
        guard view.intakeEvidence + view.addedEvidence + files.count <= limit else {
            throw .tooLarge("a tip has at most \(limit) evidence files")
        }
        let sealed: [(uid: String, envelope: Data)]
        do {
            let recipientKeys = recipients.contentKeys(view.contentCentres.map { CentreID($0) })
            guard !recipientKeys.isEmpty else { throw IntakeError.internalFailure("the tip has no content recipients") }
            sealed = try files.map { file in
                let uid = Hex.encode(SecureRandom.bytes(16))
                let envelope = try EnvelopeCrypto.sealMessage(recordID: uid, name: "evidence", value: file.bytes, recipients: recipientKeys)
                return (uid, try JSONEncoder().encode(envelope))
            }
        } catch let error as IntakeError {
            throw error
        } catch {
            throw .internalFailure("sealing failed")
        }
        do {
            let count = try await store.addReporterEvidence(tipID: view.tipID, files: sealed, maxFiles: limit, at: time.now())
            return (view.reference, count)
        } catch .conflict {
            // Another upload for the same tip committed first and filled it.
            throw .tooLarge("a tip has at most \(limit) evidence files")
        } catch {
            throw .internalFailure("store: \(error)")
        }
    }

    private func rewardState(_ view: FollowupView, reporterKey: X25519PrivateKey) async throws -> RewardState? {
        guard view.wantsReward else { return nil }
        let reward = try await ledger?.reward(reference: view.reference.rawValue)
        var code: String?
        // A voucher that does not open shows no code (the reward state still shows), never a 500.
        if let voucher = view.voucher, reward?.status == .approved,
           let envelope = try? JSONDecoder().decode(Envelope.self, from: voucher.envelope),
           let text = try? EnvelopeCrypto.openMessage(envelope, name: "voucher", with: reporterKey) {
            code = VoucherCode(parsing: String(decoding: text, as: UTF8.self))?.grouped
        }
        var state = RewardState(state: reward?.status.rawValue ?? "requested", amountFen: reward?.amount.rawValue,
                                voucherCode: code, expiresAt: reward?.expiresAt)
        if reward?.status == .declined { state.declineReason = view.rewardDeclineReason }
        return state
    }

    private func openReporterKey(view: FollowupView, keys: ReceiptKeys) throws -> X25519PrivateKey {
        var raw = try AESGCM.openCombined(view.reporterKeySealed, key: keys.sealingKey,
                                          aad: ReceiptKeys.reporterKeyAAD(recordID: view.uid))
        defer { SecureWipe.wipe(&raw) }
        return try X25519PrivateKey(rawRepresentation: raw)
    }
}
