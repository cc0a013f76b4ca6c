import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
import TiplineAdminAPI

/// Issue 11, item 1: no secret lives in a stored request body (audit entry, export, log), and the
/// ledger's retry copy of a voucher code opens with nothing the host or an export holds.
@Suite("Secrets at rest: no voucher code recoverable from the host or an export", .serialized)
struct SecretsAtRestTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("The whole reward story, a retried approval and a re-route; then data/ + ledger.sqlite + `audit export` + logs, with every key they hold (and the server passphrase), recover no voucher code, no idempotency key and no wrap")
    func voucherCodeNotRecoverable() async throws {
        let live = try LiveServer()
        let approveKey = Self.Ledger_newKey()
        let exportDir = live.root.deletingLastPathComponent().appendingPathComponent("export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: exportDir) }
        nonisolated(unsafe) var outstanding = ""
        nonisolated(unsafe) var redeemed = ""
        nonisolated(unsafe) var routedReference = ""
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("super2", role: "supervisor", centre: "city")
            try await staff.enrol("cashier", role: "accountant", centre: "city")
            try await staff.enrol("holder", role: "identity-holder", centre: "city")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            #expect(try await staff.cli(["ledger", "fund", "--amount", "20000", "--memo", "budget"] + staff.common("cashier")).status == 0)

            // Two rewarded tips: one voucher is redeemed, the other stays outstanding.
            var codes: [String] = []
            for index in 0..<2 {
                let created = try await live.postJSON("/api/v1/tips", [
                    "category": "illegal-publication", "district": "nanming", "description": "地下印刷厂 \(index)", "wants_reward": true,
                    "reporter": ["name": "Reporter\(index)", "phone": "1390000000\(index)"],
                ])
                let reference = try #require(try created.json()["reference"] as? String)
                let receipt = try #require(try created.json()["receipt"] as? String)
                for step in [["triaged"], ["verifying", "--unit", "南明区文化执法大队"], ["verified", "--outcome", "administrative", "--fines", "20000"]] {
                    #expect(try await staff.cli(["tips", "status", reference] + step + triage).status == 0)
                }
                #expect(try await staff.cli(["ledger", "propose", reference, "--amount", "3000"] + triage).status == 0)
                let key = index == 0 ? approveKey : Self.Ledger_newKey()
                let approved = try await staff.cli(["ledger", "approve", reference, "--idempotency-key", key] + staff.common("super2"))
                #expect(approved.status == 0, "\(approved.stderr)")
                // A retry with the same key: the ledger's retry copy is read back and the voucher stays the one sealed first.
                let retried = try await staff.cli(["ledger", "approve", reference, "--idempotency-key", key] + staff.common("super2"))
                #expect(retried.status == 0, "\(retried.stderr)")
                let followup = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
                let reward = try #require(try followup.json()["reward"] as? [String: Any])
                codes.append(try #require(reward["voucher_code"] as? String))
            }
            redeemed = codes[0]
            outstanding = codes[1]
            let paid = try await staff.cli(["ledger", "redeem", redeemed] + staff.common("cashier"))
            #expect(paid.status == 0, "\(paid.stderr)")

            // A re-route and an identity wrap: both requests carry wraps.
            let routed = try await live.postJSON("/api/v1/tips", [
                "category": "illegal-publication", "district": "nanming", "description": "其实在花溪", "reporter": ["name": "R3"],
            ])
            routedReference = try #require(try routed.json()["reference"] as? String)
            #expect(try await staff.cli(["tips", "route", routedReference, "--to", "huaxi", "--reason", "地点在花溪区"] + triage).status == 0)
            let holder = staff.common("holder") + ["--identity-key", live.holders.appendingPathComponent("city-identity.key.pem").path]
            let wrapped = try await staff.cli(["tips", "wrap-identity", routedReference, "--centre", "huaxi"] + holder)
            #expect(wrapped.status == 0, "\(wrapped.stderr)")
        }
        let export = try await CLIRunner.run(["audit", "export", exportDir.path, "--deployment", live.root.path], passphrase: "unused")
        #expect(export.status == 0, "\(export.stdout) \(export.stderr)")
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(verify.status == 0, "the auditor still proves every request: \(verify.stdout) \(verify.stderr)")

        // Everything the attacker holds: the host's files (data/ with ledger.sqlite, and the rest of
        // the host), the export, the server's logs.
        var files = live.dataFiles()
        files += FileManager.default.enumerator(at: exportDir, includingPropertiesForKeys: nil)!.compactMap { $0 as? URL }
            .filter { !$0.hasDirectoryPath }.compactMap { url in FileManager.default.contents(atPath: url.path).map { (url, $0) } }
        #expect(files.contains { $0.url.lastPathComponent == "ledger.sqlite" } && files.contains { $0.url.lastPathComponent == "audit.jsonl" })
        var corpus: [[UInt8]] = files.map { Array($0.bytes) }
        corpus.append(Array(live.logs.all.utf8))
        // Decode what the files encode: every base64 string inside JSON (the export's request fields).
        corpus += corpus.flatMap(Self.base64Strings)

        // 1. No code, idempotency key or wrap in clear or in a common encoding.
        for code in [outstanding, redeemed] {
            let text = code.filter { $0.isLetter || $0.isNumber }
            for form in Self.encodings(of: text) + Self.encodings(of: code) + Self.encodings(of: code.lowercased()) {
                #expect(!corpus.contains { Self.contains($0, form) }, "a voucher code (\(code == outstanding ? "outstanding" : "redeemed")) in the files")
            }
        }
        for form in Self.encodings(of: approveKey) {
            #expect(!corpus.contains { Self.contains($0, form) }, "an approval's idempotency key in the files")
        }

        // 2. Every stored request body keeps secrets only as hashes.
        let requests = try live.readDatabase { try Data?.fetchAll($0, sql: "SELECT request FROM audit_entry WHERE request IS NOT NULL") }
        let bodies = requests.compactMap { $0 }.compactMap { SignedAdminRequest.parse(Array($0))?.body }
        #expect(bodies.count >= 10)
        var hashedSeen: Set<String> = []
        for body in bodies where !body.isEmpty {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
            for (name, value) in object where !RedactedRequestBody.clearFields.contains(name) {
                #expect((value as? [String: String])?.keys.sorted() == ["sha256"], "\(name) kept in clear in a stored request")
                hashedSeen.insert(name)
            }
        }
        #expect(hashedSeen.isSuperset(of: ["idempotency_key", "code", "content_wrap", "wrap"]), "\(hashedSeen)")
        // The route's wrap is a stored wrap now; its bytes are not in any stored request.
        let routeWraps = try live.readDatabase {
            try Data.fetchAll($0, sql: "SELECT w.sealed FROM tip_wrap w JOIN tip t ON t.id = w.tip_id WHERE t.reference = ? AND w.centre = 'huaxi'",
                              arguments: [routedReference])
        }
        #expect(!routeWraps.isEmpty)
        for wrap in routeWraps {
            for body in bodies {
                #expect(!Self.contains(body, Array(wrap.base64EncodedString().utf8)) && !Self.contains(body, Array(wrap)), "a wrap in a stored request")
            }
        }

        // 3. Decrypt everything decryptable with everything the files hold.
        let sealedCopies = try Self.ledgerSealedCodes(live.deployment.layout.ledgerDatabase.path)
        #expect(sealedCopies.count == 2, "both approvals keep a retry copy")
        let candidates = Set(corpus.flatMap(Self.tokens))
        #expect(candidates.count > 100, "the candidate keys were collected")
        for sealed in sealedCopies {
            for candidate in candidates {
                #expect(Self.openLikeBefore(sealed, idempotencyKey: candidate) == nil, "a retry copy opened with a string from the files")
            }
            #expect(Self.openLikeBefore(sealed, idempotencyKey: approveKey) == nil, "the retry copy opens with the idempotency key alone")
        }
        var envelopes = try live.readDatabase { try Data.fetchAll($0, sql: "SELECT envelope FROM tip_voucher") }
        envelopes += sealedCopies
        #expect(envelopes.count == 4)
        let privateKeys = corpus.flatMap { Self.privateKeys(in: $0, passphrase: live.passphrase) }
        for data in envelopes {
            let envelope = try JSONDecoder().decode(Envelope.self, from: data)
            for key in privateKeys {
                #expect((try? EnvelopeCrypto.open(envelope, keyClass: .content, with: key)) == nil, "a voucher envelope opened with a key from the files")
            }
        }
    }

    @Test("Retention covers tips never closed: the identity of an open tip is destroyed a policy period (while_open, 730 days) after its last action, audited, and verify passes")
    func openTipIdentityShredded() async throws {
        let live = try LiveServer()
        nonisolated(unsafe) var forgotten = ""
        nonisolated(unsafe) var active = ""
        nonisolated(unsafe) var lastAction: Int64 = 0
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            for name in ["Forgotten", "Active"] {
                let created = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "网站",
                                                                       "reporter": ["name": name]])
                let reference = try #require(try created.json()["reference"] as? String)
                #expect(try await staff.cli(["tips", "status", reference, "triaged"] + triage).status == 0)
                if name == "Forgotten" { forgotten = reference } else { active = reference }
            }
            lastAction = Int64(Date().timeIntervalSince1970)
        }
        let day: Int64 = 86_400
        #expect(live.deployment.policies.retention.openIdentityDays == 730)
        let store = try await live.triageStore()
        // A note on the active tip a year later keeps it alive.
        try await store.recordServerEvent(.reporterMessage, subject: active, details: ["message": "1", "envelope_hash": String(repeating: "0", count: 64)],
                                          at: lastAction + 365 * day)
        let early = try await store.applyRetention(at: lastAction + 729 * day)
        #expect(early.identitiesShredded.isEmpty)
        let due = try await store.applyRetention(at: lastAction + 731 * day)
        #expect(due.identitiesShredded == [forgotten], "\(due)")
        let rows = try live.readDatabase { db in
            try Row.fetchAll(db, sql: """
                SELECT t.reference, t.status, t.identity_shredded_at,
                       (SELECT count(*) FROM tip_wrap w WHERE w.tip_id = t.id AND w.key_class = 'identity') AS wraps,
                       (SELECT count(*) FROM tip_field f WHERE f.tip_id = t.id AND f.key_class = 'identity') AS fields
                FROM tip t ORDER BY t.reference
                """)
        }
        for row in rows {
            let reference: String = row["reference"]
            let shredded = reference == forgotten
            #expect(((row["identity_shredded_at"] as Int64?) != nil) == shredded)
            #expect(((row["wraps"] as Int) == 0) == shredded && ((row["fields"] as Int) == 0) == shredded, "\(reference)")
            #expect(row["status"] as String == "triaged", "retention does not close the tip")
        }
        let entry = try live.readDatabase { try String.fetchOne($0, sql: "SELECT details FROM audit_entry WHERE action = 'retention.identity-destroyed'") }
        #expect(entry?.contains("\"after\":\"inactivity\"") == true, "\(entry ?? "no entry")")
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    // MARK: - The attacker's tools

    static func Ledger_newKey() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        return String((0..<26).map { _ in alphabet[Int.random(in: 0..<32)] })
    }

    /// The forms a secret string commonly takes in a file.
    static func encodings(of text: String) -> [[UInt8]] {
        let bytes = Array(text.utf8)
        return [bytes, Array(Data(bytes).base64EncodedString().utf8), Array(Hex.encode(bytes).utf8), Array(Hex.encode(bytes).uppercased().utf8),
                Array(text.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }]
    }

    /// Every JSON string in `bytes` (one JSON document per line) that decodes as base64.
    static func base64Strings(_ bytes: [UInt8]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        for line in bytes.split(separator: 0x0A) where line.first == UInt8(ascii: "{") {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) else { continue }
            var stack: [Any] = [object]
            while let value = stack.popLast() {
                if let dict = value as? [String: Any] { stack += Array(dict.values) }
                else if let array = value as? [Any] { stack += array }
                else if let text = value as? String, text.count >= 16, let data = Data(base64Encoded: text) { out.append(Array(data)) }
            }
        }
        return out
    }

    /// Candidate idempotency keys: every run of 16 to 128 key characters.
    static func tokens(_ bytes: [UInt8]) -> [String] {
        var out: [String] = []
        var start = 0
        func isKey(_ c: UInt8) -> Bool { (0x30...0x39).contains(c) || (0x41...0x5A).contains(c) || (0x61...0x7A).contains(c) || c == 0x2D || c == 0x5F }
        for index in 0...bytes.count {
            if index == bytes.count || !isKey(bytes[index]) {
                if (16...128).contains(index - start) { out.append(String(decoding: bytes[start..<index], as: UTF8.self)) }
                start = index + 1
            }
        }
        return out
    }

    /// The ledger's retry copies.
    static func ledgerSealedCodes(_ path: String) throws -> [Data] {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return try queue.read { try Data?.fetchAll($0, sql: "SELECT sealed_code FROM command WHERE kind = 'approve'") }.compactMap { $0 }
    }

    /// The pre-fix retry copy: AES-GCM under HKDF(idempotency key).
    static func openLikeBefore(_ sealed: Data, idempotencyKey key: String) -> [UInt8]? {
        let hash = Hashing.sha256(Array("tipline-ledger-idempotency-v1:\(key)".utf8))
        guard let bytes = try? HKDFSHA256.derive(ikm: Array(key.utf8), salt: Array("tipline-ledger-v1".utf8),
                                                 info: Array("voucher-retry".utf8) + hash, length: 32),
              let secret = try? SecretKey(bytes: bytes) else { return nil }
        return try? AESGCM.openCombined(Array(sealed), key: secret, aad: hash)
    }

    /// Every X25519 private key in a PEM block of `bytes`, clear or under `passphrase`.
    static func privateKeys(in bytes: [UInt8], passphrase: [UInt8]) -> [X25519PrivateKey] {
        let text = String(decoding: bytes, as: UTF8.self)
        var keys: [X25519PrivateKey] = []
        for block in text.components(separatedBy: "-----BEGIN ").dropFirst() {
            let pem = "-----BEGIN " + (block.components(separatedBy: "-----END ").first ?? "")
                + "-----END " + (block.components(separatedBy: "-----END ").dropFirst().first?.components(separatedBy: "\n").first ?? "")
            if let key = try? X25519PrivateKey(encryptedPEM: pem, passphrase: passphrase) { keys.append(key) }
        }
        return keys
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var index = 0
                let last = hay.count - pin.count
                while index <= last {
                    if hay[index] == pin[0], memcmp(hay.baseAddress! + index, pin.baseAddress!, pin.count) == 0 { return true }
                    index += 1
                }
                return false
            }
        }
    }
}
