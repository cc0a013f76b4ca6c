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
        let uid = Hex.encode(SecureRandom.bytes(16))
        let urgency = urgency ?? policies.categories.category(tip.category)?.defaultUrgency ?? .routine
        let routing = policies.router.route(category: tip.category, district: tip.district, urgency: urgency)
        let centres = routing.recipients(city: policies.centres.city.id)
        let reporterKey = X25519PrivateKey.generate()
        var reporterPrivate = reporterKey.rawRepresentation
        defer { SecureWipe.wipe(&reporterPrivate) }
        let reporterKeySealed = try AESGCM.sealCombined(
            reporterPrivate, key: keys.sealingKey, aad: ReceiptKeys.reporterKeyAAD(recordID: uid))
        let sealed = try EnvelopeCrypto.seal(
            recordID: uid, content: tip.contentFields, identity: tip.identityFields,
            contentRecipients: recipients.contentKeys(centres), identityRecipients: recipients.identityKeys(centres))
        var sealedEvidence: [[UInt8]] = []
        for (index, file) in evidence.enumerated() {
            sealedEvidence.append(try EnvelopeCrypto.sealField(
                name: "evidence.\(index)", value: file.bytes, recordID: uid, key: sealed.contentKey).serialized())
        }
        return NewTip(
            uid: uid, receivedAt: receivedAt, category: tip.category, district: tip.district, routing: routing,
            urgency: urgency, dueAt: receivedAt + policies.timeliness.dueSeconds(urgency),
            wantsReward: tip.wantsReward, hasIdentity: !tip.isAnonymous, receipt: keys.record,
            reporterPublicKey: reporterKey.publicKey.rawRepresentation, reporterKeySealed: reporterKeySealed,
            envelope: sealed.envelope, wrapCentres: recipients.centreOfKey, evidence: sealedEvidence,
            contentKeyCommitment: try KeyCommitment.commit(sealed.contentKey, recordID: uid),
            identityKeyCommitment: try KeyCommitment.commit(sealed.identityKey, recordID: uid))
    }
}
