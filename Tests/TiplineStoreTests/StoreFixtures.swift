import Foundation
import GRDB
import Sealing
import TiplineCore
@testable import TiplineStore

/// A fresh database in a temporary directory, removed when the fixture goes.
final class TemporaryDatabase {
    let directory: URL
    let database: AppDatabase
    let signerKey = Ed25519PrivateKey.generate()
    var signer: AuditSigner { AuditSigner(key: signerKey) }
    var signers: [String: Ed25519PublicKey] { [signerKey.publicKey.keyID: signerKey.publicKey] }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        database = try AppDatabase(path: directory.appendingPathComponent("tipline.sqlite").path)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var path: String { database.path }

    /// A sealed tip as the intake server would make it.
    func newTip(receivedAt: Int64 = 1_780_000_000, identity: [(name: String, value: [UInt8])] = [],
                description: String = "discs sold at the night market") throws -> NewTip {
        let uid = Hex.encode(SecureRandom.bytes(16))
        let centreContent = X25519PrivateKey.generate().publicKey
        let cityContent = X25519PrivateKey.generate().publicKey
        let centreIdentity = X25519PrivateKey.generate().publicKey
        let cityIdentity = X25519PrivateKey.generate().publicKey
        let sealed = try EnvelopeCrypto.seal(
            recordID: uid, content: [("description", Array(description.utf8))], identity: identity,
            contentRecipients: [centreContent, cityContent], identityRecipients: [centreIdentity, cityIdentity])
        let reporter = X25519PrivateKey.generate()
        return NewTip(
            uid: uid, receivedAt: receivedAt, category: "online", district: .known("nanming"),
            routing: RoutingDecision(centre: "nanming", copies: [], rule: "district-centre", policyHash: String(repeating: "a", count: 64)),
            urgency: .important, dueAt: receivedAt + 86_400, wantsReward: false, hasIdentity: !identity.isEmpty,
            receipt: ReceiptRecord(scheme: .located, locatorHash: SecureRandom.bytes(32), salt: SecureRandom.bytes(16),
                                   parameters: .init(n: 2, r: 1, p: 1), verifier: SecureRandom.bytes(32)),
            reporterPublicKey: reporter.publicKey.rawRepresentation,
            reporterKeySealed: SecureRandom.bytes(60), envelope: sealed.envelope,
            wrapCentres: [centreContent.keyID: "nanming", cityContent.keyID: "city",
                          centreIdentity.keyID: "nanming", cityIdentity.keyID: "city"],
            evidence: [])
    }

    /// Runs raw SQL on a separate plain connection, as an attacker editing the file would.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete;")
            try db.execute(sql: sql)
        }
    }

    func verify() throws -> ChainVerification {
        try database.writer.read { db in try AuditLog.verifyChain(in: db, signers: signers) }
    }
}
