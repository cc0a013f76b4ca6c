import Foundation
import GRDB
import Sealing
import Testing
import TiplineAudit
import TiplineAdminAPI
import TiplineCore
import TiplineDeployment
import TiplineStore
import TiplineTestSupport

/// Issue 13 item 9: `audit verify` knows `tip.canary` — an auditor's signed request for that route and
/// subject, on a tip received before, once, with the receipt kept only as a hash — and that a marked
/// tip's `canary_at` is set and it is out of the tally.
@Suite("Audit verify: canary marks")
struct CanaryVerifyTests {
    static let start: Int64 = 1_780_000_000

    /// A synthetic deployment of three tips, an enrolled auditor, and `marks` appended as entries.
    struct Marked {
        let deployment: SyntheticDeployment
        let references: [String]
        let report: AuditReport
    }

    enum Signer { case auditor, officer }

    static func build(_ marks: [(reference: Int, by: Signer, clearBody: Bool)], unknownReference: Bool = false) throws -> Marked {
        let synthetic = try SyntheticDeployment(tips: 3, start: start)
        let layout = synthetic.layout
        let serverKey = try Ed25519PrivateKey(encryptedPEM: String(contentsOf: layout.serverSigningKey, encoding: .utf8), passphrase: synthetic.passphrase)
        let admin = try Ed25519PrivateKey(encryptedPEM: String(contentsOf: layout.staffKey("admin"), encoding: .utf8), passphrase: synthetic.passphrase)
        let signer = AuditSigner(key: serverKey)
        let database = try AppDatabase(path: layout.database.path)
        let auditor = Ed25519PrivateKey.generate()
        let officer = Ed25519PrivateKey.generate()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let references = try database.reader.read { try String.fetchAll($0, sql: "SELECT reference FROM tip ORDER BY id") }
        try database.directConnection().write { db in
            var at = start + 100
            for (name, role, key) in [("auditor", StaffRole.auditor, auditor), ("officer2", .triage, officer)] {
                let body = Array(try encoder.encode(try EnrolmentRequest.make(name: name, role: role, centre: "city", key: key, at: at)))
                let (signature, message) = try AdminRequestSignature.sign(method: "POST", target: AdminRoute.enrolStaff.target(), body: body,
                                                                          key: admin, timestamp: at)
                try AuditLog.append(AuditEvent(
                    actor: admin.publicKey.keyID, action: "staff.enrol", subject: key.publicKey.keyID,
                    details: ["name": name, "staff_role": role.rawValue, "staff_centre": "city", "role": "admin", "centre": "city",
                              "public_key": Hex.encode(key.publicKey.rawRepresentation)],
                    request: Data(SignedAdminRequest.record(message: message, body: body)), requestSignature: Data(signature.signature)),
                    at: at, signer: signer, in: db)
                at += 1
            }
            for mark in marks {
                at += 1
                let reference = unknownReference ? "GY-2026-999999" : references[mark.reference]
                let key = mark.by == .auditor ? auditor : officer
                let sent = Array(try encoder.encode(CanaryBody(receipt: .init(digits: "1234 5678 9012 3456 7890"))))
                let stored = mark.clearBody ? sent : RedactedRequestBody.redact(sent)
                let (signature, message) = try AdminRequestSignature.sign(method: "POST", target: AdminRoute.markCanary.target(reference),
                                                                          body: sent, key: key, timestamp: at)
                try AuditLog.append(AuditEvent(
                    actor: key.publicKey.keyID, action: StaffAction.markCanary.rawValue, subject: reference,
                    details: ["role": mark.by == .auditor ? "auditor" : "triage", "centre": "city"],
                    request: Data(SignedAdminRequest.record(message: message, body: stored)), requestSignature: Data(signature.signature)),
                    at: at, signer: signer, in: db)
                try db.execute(sql: "UPDATE tip SET canary_at = ? WHERE reference = ? AND canary_at IS NULL", arguments: [at, reference])
            }
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: synthetic.root)).verify()
        return Marked(deployment: synthetic, references: references, report: report)
    }

    static func failures(_ report: AuditReport) -> String {
        report.checks.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.first?.text ?? "")" }.joined(separator: "; ")
    }

    @Test("An auditor's mark with the receipt kept as a hash passes; a note counts the canaries; the tally leaves the canary out")
    func valid() throws {
        let marked = try Self.build([(1, .auditor, false)])
        #expect(marked.report.passed, "\(Self.failures(marked.report))")
        #expect(marked.report.notes.contains { $0.contains("1 tips are auditors' canaries") }, "\(marked.report.notes)")
    }

    @Test("A second mark of the same tip fails authority")
    func twice() throws {
        let report = try Self.build([(0, .auditor, false), (0, .auditor, false)]).report
        #expect(report.result(.authority)?.passed == false)
        #expect(report.result(.authority)?.first?.text.contains("already marked") == true, "\(Self.failures(report))")
    }

    @Test("A mark by a triage officer fails authority")
    func notAuditor() throws {
        let report = try Self.build([(2, .officer, false)]).report
        #expect(report.result(.authority)?.first?.text.contains("may not tip.canary") == true, "\(Self.failures(report))")
    }

    @Test("A stored body with the receipt in clear fails signatures")
    func receiptInClear() throws {
        let report = try Self.build([(1, .auditor, true)]).report
        // The stored body is not the redacted one that was signed (v2), and it keeps the receipt in clear:
        // the signatures check fails on both counts; the first finding names one of them.
        let first = report.result(.signatures)?.first?.text ?? ""
        #expect(first.contains("receipt is not kept as a hash") || first.contains("does not match the hash that was signed"),
                "\(Self.failures(report))")
        #expect((report.result(.signatures)?.failures ?? 0) >= 1)
    }

    @Test("A mark of a tip never received fails authority")
    func neverReceived() throws {
        let report = try Self.build([(0, .auditor, false)], unknownReference: true).report
        #expect(report.result(.authority)?.first?.text.contains("never received") == true, "\(Self.failures(report))")
    }

    @Test("canary_at cleared after a mark (the tip back in the queues) fails envelopes")
    func unmarked() throws {
        let marked = try Self.build([(1, .auditor, false)])
        let queue = try DatabaseQueue(path: marked.deployment.layout.database.path)
        try queue.write { try $0.execute(sql: "UPDATE tip SET canary_at = NULL WHERE reference = ?", arguments: [marked.references[1]]) }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: marked.deployment.root)).verify()
        #expect(report.result(.envelopes)?.first?.text.contains("canary_at disagrees") == true, "\(Self.failures(report))")
    }
}
