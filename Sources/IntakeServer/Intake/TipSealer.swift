import Foundation
public import Sealing
public import TiplineCore
public import TiplineDeployment
public import TiplineStore

/// The part of intake between the receipt KDF and the store: routes a validated tip and seals it
/// with public keys only — a reporter key pair sealed under the receipt key, the envelope (content
/// and identity data keys wrapped for the routed centre, its copies and the city) and the evidence.
/// `IntakeService.submit` and the benchmark seeder both seal through it, so seeded tips are sealed
/// exactly as real ones.
public struct TipSealer: Sendable {
    let policies: PolicySet
    let recipients: Recipients

    init(policies: PolicySet, recipients: Recipients) {
        self.policies = policies
        self.recipients = recipients
    }

    /// A sealer with the deployment's policies and centre public keys.
    public init(deployment: Deployment) throws {
        self.init(policies: deployment.policies, recipients: try Recipients(deployment: deployment))
    }

    /// Seals `tip`, received at `receivedAt` (UTC seconds), with the receipt's derived keys.
    /// `urgency` defaults to the category's (S-4.1); routing depends on it.
    public func seal(_ tip: ValidatedTip, keys: ReceiptKeys, receivedAt: Int64, urgency: Urgency? = nil,
                     evidence: [SanitizedEvidence] = []) throws(SealingError) -> NewTip {
        try seal(tip, keys: keys, receivedAt: receivedAt, urgency: urgency, evidence: evidence, presealed: nil, channel: .web)
    }

    /// The urgency, routing and recipient centres intake gives `tip` (routed centre, copies, city).
    public func routing(for tip: ValidatedTip, urgency: Urgency? = nil) -> (urgency: Urgency, routing: RoutingDecision, centres: [CentreID]) {
        policies.intakeRouting(category: tip.category, district: tip.district, urgency: urgency)
    }

    /// What is wrong with an identity sealed on a triage officer's machine for a recorded tip (issue 15),
    /// nil when nothing is: it must be bound to a well-formed record id, hold only identity fields named
    /// `reporter.<name>` (each once), carry a key commitment, and wrap its key exactly once for each
    /// identity key this server's routing of `tip` chooses — no more, no fewer (`conflict`: the
    /// workstation routed the tip elsewhere, e.g. with other policies; nothing is stored).
    func presealedProblem(_ identity: Envelope, for tip: ValidatedTip) -> (conflict: Bool, message: String)? {
        let uid = identity.recordID
        guard uid.utf8.count == 32, uid.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return (false, "identity.recordID must be 32 lowercase hex characters")
        }
        guard let commitment = identity.keyCommitment, commitment.count == KeyCommitment.size else {
            return (false, "identity has no key commitment")
        }
        let allowedNames = Set(ReporterSubmission.fieldNames.map { "reporter.\($0)" })
        var names = Set<String>()
        for field in identity.fields {
            guard field.keyClass == .identity, allowedNames.contains(field.name), names.insert(field.name).inserted else {
                return (false, "identity may hold only identity fields reporter.<name>, each once")
            }
        }
        let expected = recipients.identityKeys(routing(for: tip).centres).map(\.keyID)
        var wrapped: [String] = []
        for wrap in identity.wraps {
            guard wrap.keyClass == .identity else { return (false, "identity may hold only identity wraps") }
            wrapped.append(wrap.recipientKeyID)
        }
        guard Set(wrapped).count == wrapped.count, Set(wrapped) == Set(expected) else {
            let names = Set(wrapped).symmetricDifference(expected).compactMap { recipients.centreOfKey[$0]?.rawValue ?? "?" }
            return (true, "the identity is not wrapped for exactly the identity keys this tip is routed to "
                        + "(differs for: \(Set(names).sorted().joined(separator: ", "))); check the workstation's policies and record it again")
        }
        return nil
    }

    /// `seal`, for intake (`presealed` nil: the identity is sealed here) or for a recorded tip (the
    /// identity envelope sealed on the officer's machine and checked by `presealedProblem`: its fields,
    /// wraps and key commitment are taken as they are, and the content is sealed here under the same
    /// record id).
    func seal(_ tip: ValidatedTip, keys: ReceiptKeys, receivedAt: Int64, urgency: Urgency?,
              evidence: [SanitizedEvidence], presealed: Envelope?, channel: TipChannel) throws(SealingError) -> NewTip {
        let uid = presealed?.recordID ?? Hex.encode(SecureRandom.bytes(16))
        let (urgency, routing, centres) = self.routing(for: tip, urgency: urgency)
        let reporterKey = X25519PrivateKey.generate()
        var reporterPrivate = reporterKey.rawRepresentation
        defer { SecureWipe.wipe(&reporterPrivate) }
        let reporterKeySealed = try AESGCM.sealCombined(
            reporterPrivate, key: keys.sealingKey, aad: ReceiptKeys.reporterKeyAAD(recordID: uid))
        let sealed = try EnvelopeCrypto.seal(
            recordID: uid, content: tip.contentFields, identity: presealed == nil ? tip.identityFields : [],
            contentRecipients: recipients.contentKeys(centres), identityRecipients: presealed == nil ? recipients.identityKeys(centres) : [])
        var envelope = sealed.envelope
        var identityCommitment = try KeyCommitment.commit(sealed.identityKey, recordID: uid)
        var hasIdentity = !tip.isAnonymous
        if let presealed {
            envelope.fields += presealed.fields
            envelope.wraps += presealed.wraps
            guard let commitment = presealed.keyCommitment else { throw .invalidInput("the sealed identity has no key commitment") }
            identityCommitment = commitment
            hasIdentity = !presealed.fields.isEmpty
        }
        var sealedEvidence: [[UInt8]] = []
        for (index, file) in evidence.enumerated() {
            sealedEvidence.append(try EnvelopeCrypto.sealField(
                name: "evidence.\(index)", value: file.bytes, recordID: uid, key: sealed.contentKey).serialized())
        }
        var newTip = NewTip(
            uid: uid, receivedAt: receivedAt, category: tip.category, district: tip.district, routing: routing,
            urgency: urgency, dueAt: receivedAt + policies.timeliness.dueSeconds(urgency),
            wantsReward: tip.wantsReward, hasIdentity: hasIdentity, receipt: keys.record,
            reporterPublicKey: reporterKey.publicKey.rawRepresentation, reporterKeySealed: reporterKeySealed,
            envelope: envelope, wrapCentres: recipients.centreOfKey, evidence: sealedEvidence,
            contentKeyCommitment: try KeyCommitment.commit(sealed.contentKey, recordID: uid),
            identityKeyCommitment: identityCommitment)
        newTip.channel = channel
        return newTip
    }
}
