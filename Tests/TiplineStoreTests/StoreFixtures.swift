import Foundation
import GRDB
import Sealing
import TiplineAudit
import TiplineCore
import TiplineDeployment
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

    /// A sealed tip as the intake server would make it (see `TipFixtures.sealed`).
    func newTip(receivedAt: Int64 = 1_780_000_000, identity: [(name: String, value: [UInt8])] = [],
                description: String = "discs sold at the night market") throws -> NewTip {
        try TipFixtures.sealed(receivedAt: receivedAt, identity: identity, description: description)
    }

    /// Runs raw SQL on a separate plain connection, as an attacker editing the file would.
    func tamper(_ sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_entry_no_update; DROP TRIGGER IF EXISTS audit_entry_no_delete;")
            try db.execute(sql: sql)
        }
    }

    /// The auditor's own verifier over this database: see `ChainVerdict.of`.
    func verify() throws -> ChainVerdict { try ChainVerdict.of(path: path, serverKey: signerKey) }
}

extension ChainVerdict {
    /// The auditor's own verifier (`tipline-audit verify`) over the database at `path`, with
    /// `serverKey` as the server's key: what its `chain` and `signatures` checks found. (Store
    /// fixtures record no deployment, staff or policies, so the other checks have nothing to compare.)
    static func of(path: String, serverKey signerKey: Ed25519PrivateKey) throws -> ChainVerdict {
        func key() -> String {
            let key = X25519PrivateKey.generate().publicKey
            return #"{"key_id":"\#(key.keyID)","public_key":"\#(Hex.encode(key.rawRepresentation))"}"#
        }
        let centres = ["city", "nanming"].map { #"{"centre":"\#($0)","content":\#(key()),"identity":\#(key())}"# }.joined(separator: ",")
        let manifest = try JSONDecoder().decode(PublicKeyManifest.self, from: Data("""
            {"centres":[\(centres)],"server":{"key_id":"\(signerKey.publicKey.keyID)","public_key":"\(Hex.encode(signerKey.publicKey.rawRepresentation))"},"staff":[]}
            """.utf8))
        let sources = AuditSources(database: URL(fileURLWithPath: path), checkpointLog: nil, manifest: manifest, city: "city",
                                   centres: ["city", "nanming"], checkpointIntervalSeconds: 3600)
        let report = try AuditVerifier(sources: sources).verify()
        let chain = report.result(.chain), signatures = report.result(.signatures)
        let failed = [chain, signatures].compactMap { $0 }.filter { !$0.passed }
        let first = failed.compactMap(\.first).min { ($0.seq ?? .max) < ($1.seq ?? .max) }
        return ChainVerdict(entries: report.entries, brokenSeq: failed.isEmpty ? nil : (first?.seq ?? -1), problem: first?.problem ?? "",
                            chainIntact: chain?.passed == true)
    }
}

/// What the real verifier says of a fixture's chain: intact (links, hashes and every signature), or
/// broken first at `brokenSeq`.
struct ChainVerdict: Equatable, CustomStringConvertible {
    let entries: Int64
    let brokenSeq: Int64?
    let problem: String
    /// Sequence, links and hashes alone: for fixtures whose staff entries carry stand-in requests
    /// (not signed), which the signatures check rightly refuses.
    let chainIntact: Bool

    var isIntact: Bool { brokenSeq == nil }

    /// Broken first at `seq`, with a problem that says `what`.
    func broken(at seq: Int64, _ what: String) -> Bool { brokenSeq == seq && problem.contains(what) }

    var description: String { isIntact ? "intact (\(entries) entries)" : "broken at #\(brokenSeq!): \(problem)" }
}

/// Tips as the intake server seals them, for any store under test.
enum TipFixtures {
    /// A sealed tip as the intake server would make it, routed to `centre` (its district is nanming).
    static func sealed(receivedAt: Int64 = 1_780_000_000, identity: [(name: String, value: [UInt8])] = [],
                       description: String = "discs sold at the night market", centre: CentreID = "nanming") throws -> NewTip {
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
            routing: RoutingDecision(centre: centre, copies: [], rule: "district-centre", policyHash: String(repeating: "a", count: 64)),
            urgency: .important, dueAt: receivedAt + 86_400, wantsReward: false, hasIdentity: !identity.isEmpty,
            receipt: ReceiptRecord(scheme: .located, locatorHash: SecureRandom.bytes(32), salt: SecureRandom.bytes(16),
                                   parameters: .init(n: 2, r: 1, p: 1), verifier: SecureRandom.bytes(32)),
            reporterPublicKey: reporter.publicKey.rawRepresentation,
            reporterKeySealed: SecureRandom.bytes(60), envelope: sealed.envelope,
            wrapCentres: [centreContent.keyID: centre, cityContent.keyID: "city",
                          centreIdentity.keyID: centre, cityIdentity.keyID: "city"],
            evidence: [])
    }
}
