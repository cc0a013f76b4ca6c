import Foundation
import GRDB
import IntakeServer
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment
import TiplineStore
import TiplineTestSupport

/// Receipts with a lookup part and a secret part (issue 11, item 13), over the real server.
@Suite("Receipts: locator + per-tip secret", .serialized)
struct ReceiptEndToEndTests {
    static var tip: [String: Any] { ["category": "other", "district": "unknown", "description": "receipt test"] }

    /// A value written inside `LiveServer.run` and read after it.
    final class Box<T>: @unchecked Sendable {
        var value: T
        init(_ value: T) { self.value = value }
    }

    /// The same receipt with its 16-digit secret part changed (the locator kept).
    static func wrongSecret(_ grouped: String) -> String {
        let digits = Array(grouped.filter(\.isNumber))
        var secret = digits[8...].map { Character(String((Int(String($0))! + 1) % 10)) }
        secret.swapAt(0, secret.count - 1)
        return String(digits[..<8]) + String(secret)
    }

    @Test("A located receipt opens; a wrong secret and an unknown locator get byte-identical 404s after the same KDF work")
    func missAndWrongSecretAlike() async throws {
        // Full policy cost, so a path that skipped the KDF would show as milliseconds against hundreds.
        let live = try LiveServer(kdfN: 1 << 15, kdfR: 8)
        try await live.run { live in
            let created = try await live.postJSON("/api/v1/tips", Self.tip)
            #expect(created.status == 201)
            let receipt = try #require(try created.json()["receipt"] as? String)
            #expect(receipt.range(of: #"^\d{4} \d{4} \d{4} \d{4} \d{4} \d{4}$"#, options: .regularExpression) != nil)
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": receipt]).status == 200)

            let wrong = Self.wrongSecret(receipt)
            var unknownLocator = String((Int(receipt.prefix(4))! + 5000) % 10000)
            unknownLocator = String(repeating: "0", count: 4 - unknownLocator.count) + unknownLocator + wrong.dropFirst(4)
            var bodies: [String: Set<[UInt8]>] = [:]
            var times: [String: [Double]] = [:]
            for _ in 0..<3 {
                for (label, guess) in [("wrong-secret", wrong), ("unknown-locator", unknownLocator)] {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let reply = try await live.postJSON("/api/v1/followup", ["receipt": guess])
                    times[label, default: []].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                    #expect(reply.status == 404, "\(label)")
                    bodies[label, default: []].insert(reply.body)
                    let message = try await live.postJSON("/api/v1/followup/messages", ["receipt": guess, "text": "x"])
                    #expect(message.status == 404, "\(label) message")
                    bodies[label + "-message", default: []].insert(message.body)
                }
            }
            #expect(bodies["wrong-secret"] == bodies["unknown-locator"] && bodies["wrong-secret"]?.count == 1)
            #expect(bodies["wrong-secret-message"] == bodies["unknown-locator-message"])
            // Both paths ran one scrypt at the tip's parameters: each answer took at least most of one derivation.
            var kdf = Double.infinity
            for _ in 0..<2 {
                let kdfStart = DispatchTime.now().uptimeNanoseconds
                _ = try Scrypt.derive(password: Array("x".utf8), salt: SecureRandom.bytes(16), parameters: .init(n: 1 << 15, r: 8, p: 1), length: 64)
                kdf = min(kdf, Double(DispatchTime.now().uptimeNanoseconds - kdfStart) / 1e9)
            }
            for label in ["wrong-secret", "unknown-locator"] {
                #expect(times[label]!.min()! >= 0.4 * kdf, "\(label): \(times[label]!) s against one scrypt of \(kdf) s")
            }
            // The web form's follow-up answers the same for both.
            let form = { (receipt: String) async throws -> LiveServer.Reply in
                try await live.request("/followup", method: .POST, contentType: "application/x-www-form-urlencoded",
                                       body: Array("receipt=\(receipt)".utf8))
            }
            let a = try await form(wrong), b = try await form(unknownLocator)
            #expect(a.status == 404 && b.status == 404 && a.body == b.body)
        }
    }

    @Test("Two tips never share a salt or a verifier; nothing of the receipt is in clear in the row")
    func perTipSalts() async throws {
        let live = try LiveServer()
        let box = Box<[String]>([])
        try await live.run { live in
            for _ in 0..<2 {
                let created = try await live.postJSON("/api/v1/tips", Self.tip)
                box.value.append(try #require(try created.json()["receipt"] as? String))
            }
        }
        let receipts = box.value
        let rows = try live.readDatabase { db in
            try Row.fetchAll(db, sql: "SELECT receipt_scheme, receipt_locator, receipt_salt, receipt_lookup, receipt_kdf_n, receipt_kdf_r, receipt_kdf_p FROM tip")
        }
        #expect(rows.count == 2)
        #expect(rows.allSatisfy { ($0["receipt_scheme"] as Int?) == 2 && ($0["receipt_kdf_n"] as Int?) == 16384
                                  && ($0["receipt_kdf_r"] as Int?) == 1 && ($0["receipt_kdf_p"] as Int?) == 1 })
        #expect(Set(rows.map { $0["receipt_salt"] as Data }).count == 2)
        #expect(Set(rows.map { $0["receipt_lookup"] as Data }).count == 2)
        for receipt in receipts {
            let digits = receipt.filter(\.isNumber)
            for (file, bytes) in live.dataFiles() {
                #expect(bytes.range(of: Data(digits.utf8)) == nil && bytes.range(of: Data(digits.prefix(8).utf8)) == nil
                        && bytes.range(of: Data(receipt.utf8)) == nil, "receipt digits in \(file.lastPathComponent)")
            }
            #expect(!live.logs.all.contains(digits) && !live.logs.all.contains(receipt))
        }
    }

    @Test("After a KDF change old receipts still open (parameters read from the tip row); new tips take the new ones")
    func kdfChange() async throws {
        let live = try LiveServer()
        let box = Box("")
        try await live.run { live in
            box.value = try #require(try await live.postJSON("/api/v1/tips", Self.tip).json()["receipt"] as? String)
        }
        let oldReceipt = box.value
        try live.setReceiptKDF(n: 1 << 15, r: 1)
        try await live.run { live in
            let hit = try await live.postJSON("/api/v1/followup", ["receipt": oldReceipt])
            #expect(hit.status == 200)
            #expect(try await live.postJSON("/api/v1/followup/messages", ["receipt": oldReceipt, "text": "还在营业"]).status == 201)
            let newReceipt = try #require(try await live.postJSON("/api/v1/tips", Self.tip).json()["receipt"] as? String)
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": newReceipt]).status == 200)
        }
        let ns = try live.readDatabase { try Int64.fetchAll($0, sql: "SELECT receipt_kdf_n FROM tip ORDER BY id") }
        #expect(ns == [16384, 32768])
    }

    @Test("A tip from before the migration (16-digit receipt, deployment salt) still opens, also after a KDF change; the audit chain verifies")
    func legacyReceipt() async throws {
        let live = try LiveServer()
        // A tip as the pre-v5 server sealed it: receipt derived with the deployment's salt, the row
        // marked legacy and — as the migration leaves it — without recorded parameters.
        let legacy = Receipt.generateLegacy()
        let secrets = try ServerSecrets.load(live.deployment, passphrase: live.passphrase)
        let database = try AppDatabase(path: live.deployment.layout.database.path)
        let store = SQLiteTipStore(database: database, signer: AuditSigner(key: secrets.signingKey))
        let keys = try ReceiptKeys.derive(receipt: legacy, salt: secrets.receiptSalt, parameters: live.deployment.policies.security.receiptKDF)
        let submission = TipSubmission(category: "other", district: "unknown", description: "legacy tip", wantsReward: false)
        let validated = try submission.validate(policies: live.deployment.policies)
        let sealed = try TipSealer(deployment: live.deployment).seal(validated, keys: keys, receivedAt: Int64(Date().timeIntervalSince1970))
        _ = try await store.insert(sealed)
        try await database.directConnection().write { db in
            try db.execute(sql: "UPDATE tip SET receipt_kdf_n = NULL, receipt_kdf_r = NULL, receipt_kdf_p = NULL")
        }
        #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT receipt_scheme FROM tip") } == 1)

        try await live.run { live in
            let hit = try await live.postJSON("/api/v1/followup", ["receipt": legacy.grouped])
            #expect(hit.status == 200)
            // A wrong legacy receipt: the same 404 as any other miss.
            let miss = try await live.postJSON("/api/v1/followup", ["receipt": Receipt.generateLegacy().grouped])
            #expect(miss.status == 404)
        }
        let params = try live.readDatabase { try Row.fetchOne($0, sql: "SELECT receipt_kdf_n, receipt_kdf_r, receipt_kdf_p FROM tip") }
        #expect((params?[0] as Int?) == 16384 && (params?[1] as Int?) == 1 && (params?[2] as Int?) == 1)
        let adopted = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'receipts.legacy-parameters'") }
        #expect(adopted == 1)

        try live.setReceiptKDF(n: 1 << 15, r: 8)
        try await live.run { live in
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": legacy.grouped]).status == 200)
            let web = try await live.request("/followup", method: .POST, contentType: "application/x-www-form-urlencoded",
                                             body: Array("receipt=\(legacy.digits)".utf8))
            #expect(web.status == 200)
        }
        #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'receipts.legacy-parameters'") } == 1)
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify()
        #expect(report.passed, "\(report.failedChecks)")
    }

    @Test("A 20-digit receipt issued before the secret grew to 16 digits still opens its tip; the first 20 digits of a 24-digit receipt do not")
    func shortLocatedReceipt() async throws {
        let live = try LiveServer()
        // A tip as the server sealed it while receipts were 20 digits: located, per-tip salt and parameters.
        let short = Receipt.generateShortLocated()
        let secrets = try ServerSecrets.load(live.deployment, passphrase: live.passphrase)
        let database = try AppDatabase(path: live.deployment.layout.database.path)
        let store = SQLiteTipStore(database: database, signer: AuditSigner(key: secrets.signingKey))
        let keys = try ReceiptKeys.issue(for: short, parameters: live.deployment.policies.security.receiptKDF)
        let submission = TipSubmission(category: "other", district: "unknown", description: "20-digit tip", wantsReward: false)
        let validated = try submission.validate(policies: live.deployment.policies)
        let sealed = try TipSealer(deployment: live.deployment).seal(validated, keys: keys, receivedAt: Int64(Date().timeIntervalSince1970))
        _ = try await store.insert(sealed)
        #expect(try live.readDatabase { try Int.fetchOne($0, sql: "SELECT receipt_scheme FROM tip") } == 2)

        try await live.run { live in
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": short.grouped]).status == 200)
            let web = try await live.request("/followup", method: .POST, contentType: "application/x-www-form-urlencoded",
                                             body: Array("receipt=\(short.digits)".utf8))
            #expect(web.status == 200)
            // A new tip gets 24 digits; its first 20 digits share the locator but are not its receipt.
            let created = try await live.postJSON("/api/v1/tips", Self.tip)
            let receipt = try #require(try created.json()["receipt"] as? String)
            #expect(receipt.filter(\.isNumber).count == 24)
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": receipt]).status == 200)
            let truncated = String(receipt.filter(\.isNumber).prefix(20))
            #expect(try await live.postJSON("/api/v1/followup", ["receipt": truncated]).status == 404)
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify()
        #expect(report.passed, "\(report.failedChecks)")
    }
}
