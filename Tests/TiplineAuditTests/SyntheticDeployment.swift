import Foundation
import GRDB
import Sealing
import TiplineAudit
import TiplineCore
import TiplineAdminAPI
import TiplineDeployment
import TiplineStore
import TiplineTestSupport

let repoPolicies = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Policies")

/// A real deployment directory whose database is filled directly through the store's own insert and
/// audit functions, fast enough for 10^5–10^6 entries: tips received (sealed once to the real centre
/// keys, the envelope reused), each moved to `triaged` by a signed staff request, then a checkpoint.
final class SyntheticDeployment: @unchecked Sendable {
    let root: URL
    let layout: DeploymentLayout
    let passphrase = Array("synthetic".utf8)

    init(tips: Int, start: Int64 = 1_780_000_000) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-synthetic-\(UUID().uuidString)")
        try TestDeployment.create(at: root, policiesSource: repoPolicies, name: "synthetic", passphrase: passphrase, serverPassphrase: passphrase)
        layout = DeploymentLayout(root: root)
        let deployment = try Deployment.open(at: root)
        let serverKey = try Ed25519PrivateKey(encryptedPEM: try String(contentsOf: layout.serverSigningKey, encoding: .utf8), passphrase: passphrase)
        let admin = try Ed25519PrivateKey(encryptedPEM: try String(contentsOf: layout.staffKey("admin"), encoding: .utf8), passphrase: passphrase)
        let signer = AuditSigner(key: serverKey)
        let database = try AppDatabase(path: layout.database.path)
        let city = deployment.policies.centres.city.id.rawValue

        // Bootstrap and enrol one city triage officer with a real signed enrolment request.
        let officer = Ed25519PrivateKey.generate()
        let enrolment = try EnrolmentRequest.make(name: "officer", role: .triage, centre: city, key: officer, at: start)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let enrolBody = Array(try encoder.encode(enrolment))
        try database.directConnection().write { db in
            try AuditLog.append(AuditEvent(actor: "server", action: "staff.bootstrap", subject: admin.publicKey.keyID,
                                           details: ["name": "admin", "role": "admin", "centre": city]), at: start, signer: signer, in: db)
            let (signature, message) = try AdminRequestSignature.sign(method: "POST", target: "/admin/v1/staff", body: enrolBody,
                                                                      key: admin, timestamp: start)
            try AuditLog.append(AuditEvent(
                actor: admin.publicKey.keyID, action: "staff.enrol", subject: officer.publicKey.keyID,
                details: ["name": "officer", "staff_role": "triage", "staff_centre": city, "role": "admin", "centre": city,
                          "public_key": Hex.encode(officer.publicKey.rawRepresentation)],
                request: Data(SignedAdminRequest.record(message: message, body: enrolBody)), requestSignature: Data(signature.signature)),
                at: start, signer: signer, in: db)
        }

        // One envelope sealed to nanming and the city, reused: verify parses wraps, it never opens them.
        let centres: [CentreID] = ["nanming", CentreID(city)]
        let content = try deployment.recipientKeys(centres, .content)
        let identity = try deployment.recipientKeys(centres, .identity)
        var wrapCentres: [String: CentreID] = [:]
        for entry in content + identity { wrapCentres[entry.key.keyID] = entry.centre }
        let sealed = try EnvelopeCrypto.seal(recordID: Hex.encode(SecureRandom.bytes(16)), content: [("description", Array("synthetic".utf8))],
                                             identity: [("reporter.name", Array("synthetic".utf8))],
                                             contentRecipients: content.map(\.key), identityRecipients: identity.map(\.key))
        let routing = RoutingDecision(centre: "nanming", copies: [], rule: "district-centre", policyHash: String(repeating: "a", count: 64))
        let reporter = X25519PrivateKey.generate().publicKey.rawRepresentation
        let statusBody = Array(#"{"to":"triaged"}"#.utf8)
        let batch = 1000
        var done = 0
        while done < tips {
            let count = min(batch, tips - done)
            try database.directConnection().write { db in
                for i in 0..<count {
                    let at = start + 1 + Int64(done + i)
                    let tip = NewTip(
                        uid: Hex.encode(SecureRandom.bytes(16)), receivedAt: at, category: "illegal-av", district: .known("nanming"),
                        routing: routing, urgency: .routine, dueAt: at + 604_800, wantsReward: false, hasIdentity: true,
                        receipt: ReceiptRecord(scheme: .located, locatorHash: SecureRandom.bytes(32), salt: SecureRandom.bytes(16),
                                               parameters: .init(n: 2, r: 1, p: 1), verifier: SecureRandom.bytes(32)),
                        reporterPublicKey: reporter, reporterKeySealed: SecureRandom.bytes(60),
                        envelope: sealed.envelope, wrapCentres: wrapCentres, evidence: [])
                    let stored = try SQLiteTipStore.insert(tip, submissionHash: tip.submissionHash, signer: signer, in: db)
                    let reference = stored.reference.rawValue
                    let (signature, message) = try AdminRequestSignature.sign(
                        method: "POST", target: "/admin/v1/tips/\(reference)/status", body: statusBody, key: officer, timestamp: at)
                    try db.execute(sql: "UPDATE tip SET status = 'triaged', status_changed_at = ? WHERE id = ?", arguments: [at, stored.id])
                    try AuditLog.append(AuditEvent(
                        actor: officer.publicKey.keyID, action: "tip.status", subject: reference,
                        details: ["from": "received", "to": "triaged", "role": "triage", "centre": city],
                        request: Data(SignedAdminRequest.record(message: message, body: statusBody)),
                        requestSignature: Data(signature.signature)), at: at, signer: signer, in: db)
                }
            }
            done += count
        }
        let head = try database.reader.read { try AuditLog.head(in: $0) }
        try CheckpointLog.append(try AuditCheckpoint.make(seq: head?.seq ?? 0, hash: head?.hash ?? AuditLog.genesisHash,
                                                          at: start + Int64(tips) + 1, signer: signer), to: layout.checkpointFile)
    }

    deinit { try? FileManager.default.removeItem(at: root) }
}
