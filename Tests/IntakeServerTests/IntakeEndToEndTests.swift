import Foundation
import NIOHTTP1
import GRDB
import Sealing
import Testing
import TiplineAudit
import TiplineCore
import TiplineStore

/// End-to-end tests of the intake issue: the real server, real HTTPS on ephemeral loopback ports.
@Suite("Intake over HTTPS", .serialized)
struct IntakeEndToEndTests {
    static func canaries() -> [String: String] {
        let tag = UUID().uuidString.prefix(8)
        return ["name": "CanaryName\(tag)", "phone": "139\(Int.random(in: 10_000_000...99_999_999))",
                "id_number": "CanaryID\(tag)", "description": "CanaryDescription\(tag) 在南明区出售非法光盘"]
    }

    @Test("Submit with identity → 201; no canary in the database files, WAL, SHM or logs; proof verifies")
    func sealedAtRest() async throws {
        let live = try LiveServer()
        let canary = Self.canaries()
        try await live.run { live in
            let reply = try await live.postJSON("/api/v1/tips", [
                "category": "illegal-av", "district": "nanming", "location": "CanaryPlace",
                "description": canary["description"]!, "wants_reward": true,
                "reporter": ["name": canary["name"]!, "phone": canary["phone"]!, "id_number": canary["id_number"]!],
            ])
            #expect(reply.status == 201)
            let json = try reply.json()
            let reference = try #require(json["reference"] as? String)
            #expect(reference.range(of: #"^GY-\d{4}-\d{6}$"#, options: .regularExpression) != nil)
            #expect((json["receipt"] as? String)?.range(of: #"^\d{4} \d{4} \d{4} \d{4} \d{4} \d{4}$"#, options: .regularExpression) != nil)
            // The proof of report checks against the public server key alone.
            let proof = try #require(Data(base64Encoded: json["proof"] as? String ?? ""))
            let hash = try #require(Hex.decode(json["submission_hash"] as? String ?? ""))
            let time = try #require(json["received_at"] as? String)
            let message = Array("tipline:v1:proof:\(reference):\(time):\(Hex.encode(hash))".utf8)
            #expect(try live.deployment.manifest.serverPublicKey().isValidSignature(Array(proof), for: message))
            // Stored hash equals what the server signed.
            let stored = try live.readDatabase { try Data.fetchOne($0, sql: "SELECT submission_hash FROM tip WHERE reference = ?", arguments: [reference]) }
            #expect(stored.map(Array.init) == hash)
        }
        // After shutdown (and while running, the same bytes): scan every file of the deployment and the logs.
        let receiptNotLogged = live.logs.all
        for (file, bytes) in live.dataFiles() {
            for value in canary.values + ["CanaryPlace"] {
                #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value.prefix(12)) found in \(file.lastPathComponent)")
            }
        }
        for value in canary.values + ["CanaryPlace"] { #expect(!receiptNotLogged.contains(value)) }
        #expect(receiptNotLogged.contains("route=/api/v1/tips"))
    }

    @Test("The identity opens with the routed centre's and the city's identity keys only")
    func whoCanOpen() async throws {
        let live = try LiveServer()
        let canary = Self.canaries()
        try await live.run { live in
            let reply = try await live.postJSON("/api/v1/tips", [
                "category": "online", "district": "huaxi", "description": canary["description"]!,
                "reporter": ["name": canary["name"]!, "phone": canary["phone"]!],
            ])
            #expect(reply.status == 201)
        }
        let (uid, fields, wraps) = try live.readDatabase { db -> (String, [SealedField], [RecipientWrap]) in
            let uid = try String.fetchOne(db, sql: "SELECT uid FROM tip")!
            let fields = try Row.fetchAll(db, sql: "SELECT name, key_class, sealed FROM tip_field").map { row in
                try SealedField(name: row["name"], keyClass: KeyClass(rawValue: row["key_class"])!, serialized: Array(row["sealed"] as Data))
            }
            let wraps = try Row.fetchAll(db, sql: "SELECT key_class, recipient_key_id, sealed FROM tip_wrap").map { row in
                try RecipientWrap(keyClass: KeyClass(rawValue: row["key_class"])!, recipientKeyID: row["recipient_key_id"],
                                  serialized: Array(row["sealed"] as Data))
            }
            return (uid, fields, wraps)
        }
        let phoneField = try #require(fields.first { $0.name == "reporter.phone" })
        #expect(phoneField.keyClass == .identity)
        #expect(Set(wraps.map(\.recipientKeyID)).count == 4)  // huaxi + city, content + identity

        func openIdentity(with key: X25519PrivateKey) -> String? {
            for wrap in wraps where wrap.recipientKeyID == key.publicKey.keyID {
                guard let dataKey = try? EnvelopeCrypto.unwrap(wrap, recordID: uid, with: key),
                      let bytes = try? EnvelopeCrypto.openField(phoneField, recordID: uid, key: dataKey) else { continue }
                return String(decoding: bytes, as: UTF8.self)
            }
            return nil
        }
        #expect(openIdentity(with: try live.holderKey("huaxi", .identity)) == canary["phone"])
        #expect(openIdentity(with: try live.holderKey("city", .identity)) == canary["phone"])
        #expect(openIdentity(with: try live.holderKey("huaxi", .content)) == nil)
        #expect(openIdentity(with: try live.holderKey("city", .content)) == nil)
        #expect(openIdentity(with: try live.holderKey("nanming", .identity)) == nil)
        #expect(openIdentity(with: try live.holderKey("yunyan", .content)) == nil)
        // The content key cannot open the identity field even when it unwraps.
        let contentWrap = try #require(wraps.first { $0.keyClass == .content && $0.recipientKeyID == (try? live.holderKey("huaxi", .content))?.publicKey.keyID })
        let contentKey = try EnvelopeCrypto.unwrap(contentWrap, recordID: uid, with: try live.holderKey("huaxi", .content))
        #expect(throws: SealingError.self) { try EnvelopeCrypto.openField(phoneField, recordID: uid, key: contentKey) }
    }

    @Test("Follow-up: status and thread with the receipt (spaces, dashes or full-width); a wrong receipt gets 404 of the same shape")
    func followup() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let created = try await live.postJSON("/api/v1/tips", ["category": "other", "district": "unknown", "description": "x"])
            let receipt = try #require(try created.json()["receipt"] as? String)
            let hit = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            #expect(hit.status == 200)
            #expect(try hit.json()["status"] as? String == "accepted")
            #expect(try hit.json()["status_label"] as? String == "已受理")

            let dashed = receipt.replacingOccurrences(of: " ", with: "-")
            let fullWidth = String(String.UnicodeScalarView(receipt.unicodeScalars.map { $0.properties.numericType != nil ? Unicode.Scalar($0.value - 0x30 + 0xFF10)! : $0 }))
            for variant in [dashed, fullWidth, receipt.replacingOccurrences(of: " ", with: "")] {
                #expect(try await live.postJSON("/api/v1/followup", ["receipt": variant]).status == 200)
            }

            let sent = try await live.postJSON("/api/v1/followup/messages", ["receipt": receipt, "text": "补充：周五晚上营业"])
            #expect(sent.status == 201)
            let thread = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            let messages = try #require(try thread.json()["messages"] as? [[String: Any]])
            #expect(messages.count == 1 && messages.first?["text"] as? String == "补充：周五晚上营业")

            let miss = try await live.postJSON("/api/v1/followup", ["receipt": "0000 0000 0000 0000"])
            #expect(miss.status == 404)
            #expect(Set(try miss.json().keys) == Set(try hit.json().keys))
            #expect(try await live.postJSON("/api/v1/followup/messages", ["receipt": "0000 0000 0000 0000", "text": "x"]).status == 404)
        }
    }

    @Test("A JPEG with EXIF GPS comes back, decrypted, without any metadata")
    func evidenceStripped() async throws {
        let live = try LiveServer()
        let jpeg = try [UInt8](Data(contentsOf: fixturesDirectory.appendingPathComponent("baseline.jpg")))
        #expect(Data(jpeg).range(of: Data("Exif\0\0".utf8)) != nil)
        try await live.run { live in
            let reply = try await live.postMultipart("/api/v1/tips", tip: ["category": "illegal-publication", "district": "yunyan",
                                                                           "description": "photo attached"], files: [jpeg])
            #expect(reply.status == 201)
        }
        let (uid, sealed, wraps) = try live.readDatabase { db -> (String, [UInt8], [RecipientWrap]) in
            let uid = try String.fetchOne(db, sql: "SELECT uid FROM tip")!
            let blob = try Data.fetchOne(db, sql: "SELECT sealed FROM tip_evidence WHERE ordinal = 0")!
            let wraps = try Row.fetchAll(db, sql: "SELECT key_class, recipient_key_id, sealed FROM tip_wrap WHERE key_class = 'content'").map { row in
                try RecipientWrap(keyClass: .content, recipientKeyID: row["recipient_key_id"], serialized: Array(row["sealed"] as Data))
            }
            return (uid, Array(blob), wraps)
        }
        let key = try live.holderKey("yunyan", .content)
        let wrap = try #require(wraps.first { $0.recipientKeyID == key.publicKey.keyID })
        let dataKey = try EnvelopeCrypto.unwrap(wrap, recordID: uid, with: key)
        let photo = try EnvelopeCrypto.openField(try SealedField(name: "evidence.0", keyClass: .content, serialized: sealed),
                                                 recordID: uid, key: dataKey)
        #expect(Array(photo.prefix(3)) == [0xFF, 0xD8, 0xFF])
        #expect(Data(photo).range(of: Data("Exif\0\0".utf8)) == nil)
        #expect(Data(photo).range(of: Data("SecretCameraSerial123".utf8)) == nil)
        #expect(try ImageSanitizer.strip(jpeg).bytes == photo)
    }

    @Test("200 concurrent submissions over 32 connections: 200 distinct references, 0 errors")
    func concurrency() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let references = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<200 {
                    group.addTask {
                        let reply = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "baiyun", "description": "tip \(i)"])
                        return (reply.status, try reply.json()["reference"] as? String)
                    }
                }
                return try await group.reduce(into: [(Int, String?)]()) { $0.append($1) }
            }
            #expect(references.filter { $0.0 != 201 }.isEmpty, "non-201: \(references.filter { $0.0 != 201 }.map(\.0))")
            #expect(Set(references.compactMap(\.1)).count == 200)
            #expect(try live.tipCount() == 200)
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: live.root)).verify()
        #expect(report.passed, "\(report.failedChecks)")
    }

    @Test("Security headers on every response; TRACE is refused; no Server banner")
    func headers() async throws {
        let live = try LiveServer()
        try await live.run { live in
            for (path, method) in [("/", HTTPMethodName.get), ("/nope", .get), ("/api/v1/tips", .post)] {
                let reply = try await live.request(path, method: method == .get ? .GET : .POST, contentType: "application/json", body: method == .post ? [] : nil)
                #expect(reply.headers["Strict-Transport-Security"].first?.contains("max-age=") == true, "\(path)")
                #expect(reply.headers["Cache-Control"].first == "no-store")
                #expect(reply.headers["Referrer-Policy"].first == "no-referrer")
                #expect(reply.headers["X-Content-Type-Options"].first == "nosniff")
                #expect(reply.headers["Content-Security-Policy"].first?.hasPrefix("default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'") == true)
                #expect(reply.headers["Server"].isEmpty)
            }
            #expect(try await live.request("/", method: .TRACE).status == 405)
            #expect(try await live.request("/", method: .PUT).status == 405)
            #expect(try await live.request("/healthz").text == "ok\n")
            #expect(try await live.request("/healthz", admin: true).status == 200)
        }
    }

    @Test("The no-JS form: zh by default, English with ?lang=en, a multipart submission shows the receipt once")
    func webForm() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let zh = try await live.request("/")
            #expect(zh.status == 200 && zh.text.contains("<html lang=\"zh-CN\">") && zh.text.contains("南明区") && !zh.text.contains("<script"))
            let en = try await live.request("/?lang=en")
            #expect(en.text.contains("<html lang=\"en\">") && en.text.contains("Nanming District"))
            let page = try await live.postMultipart("/report", tip: nil, files: [], fields: [
                ("category", "online"), ("district", "xifeng"), ("description", "form tip"), ("reporter_name", ""), ("wants_reward", "1"),
            ])
            #expect(page.status == 201)
            let receipt = try #require(page.text.range(of: #"\d{4} \d{4} \d{4} \d{4} \d{4} \d{4}"#, options: .regularExpression).map { String(page.text[$0]) })
            #expect(page.text.contains("GY-"))
            let invalid = try await live.postMultipart("/report", tip: nil, files: [], fields: [
                ("category", "online"), ("district", "xifeng"), ("description", "keep me"), ("occurred_at", "yesterday"),
            ])
            #expect(invalid.status == 400 && invalid.text.contains("keep me") && invalid.text.contains("f-occurred_at"))
            // Errors in the page's language; the language link never points at POST-only /report.
            #expect(invalid.text.contains("无法识别这个时间") && invalid.text.contains("id=\"e-occurred_at\""))
            #expect(invalid.text.contains("href=\"/?lang=en\"") && !invalid.text.contains("/report?lang"))
            #expect(!page.text.contains("?lang=en\" hreflang"))
            let form = Array("receipt=\(receipt.replacingOccurrences(of: " ", with: "+"))".utf8)
            let followup = try await live.request("/followup", method: .POST, contentType: "application/x-www-form-urlencoded", body: form)
            #expect(followup.status == 200 && followup.text.contains("已受理"))
            #expect(try live.tipCount() == 1)
        }
    }
}

enum HTTPMethodName { case get, post }
