import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineCore
import TiplineDeployment

/// Issue 17 (remuneration, S-3.4), against the real server and CLI: two adoptions of a liaison's item
/// and one of an item made from an informant's report are pending at the city's rates; an editor
/// proposes, an accountant approves; the named authors are paid by transfer (the fen split between
/// them), the informant by a voucher shown only on their own /informant page, which a cashier
/// redeems once. The city never sees the pseudonym; `ledger.sqlite` and the audit export hold no
/// informant identity byte; `ledger verify` and `audit verify` pass and fail on a tampered posting.
@Suite("Remuneration for adopted information: authors by name, informants by voucher", .serialized)
struct RemunerationEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("Pending at the city's rates → propose → second-person approval → pay authors, informant redeems their page's code once; no identity in the ledger")
    func remunerationStory() async throws {
        let live = try LiveServer()
        let root = live.root
        let now = Int64(Date().timeIntervalSince1970)
        let year = String(CivilTime.iso8601China(now).prefix(4))
        let identityCanary = "稿酬身份金丝雀\(UUID().uuidString.prefix(8))"
        /// What the story learns inside the server's run and the scans after it need.
        final class Found: @unchecked Sendable { var code = "", pseudonym = "", voucher = "" }
        let found = Found()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            let units = ["lz.nm": "nanming-office", "hd.nm": "nanming-office", "ed": "city-office"]
            func cli(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let key = units[who].map { ["--content-key", live.holders.appendingPathComponent("unit-\($0)-content.key.pem").path] } ?? []
                return try await staff.cli(arguments + staff.common(who) + (arguments[0] == "ledger" ? [] : key))
            }
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await cli(arguments, who)
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("lz.nm", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("lz.nm2", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("hd.nm", role: "handler", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            try await staff.enrol("ac1", role: "accountant", centre: "city")
            try await staff.enrol("ac2", role: "accountant", centre: "city")

            // A liaison's item with a co-author, adopted in the quick report and the briefing.
            let body = live.holders.appendingPathComponent("b.txt")
            try "南明区开展出版物市场专项检查。".write(to: body, atomically: true, encoding: .utf8)
            let written = try await ok(["info", "new", "--kind", "dynamic", "--sub-kind", "campaigns", "--title", "专项检查", "--body", body.path,
                                        "--event-at", CivilTime.iso8601China(now - 3600), "--not-classified", "--authors", "lz.nm2"], "lz.nm")
            let x1 = try #require(written.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            _ = try await ok(["info", "submit", x1], "lz.nm")
            _ = try await ok(["info", "accept", x1], "ed")
            _ = try await ok(["info", "adopt", x1, "--level", "kuaibao"], "ed")
            _ = try await ok(["info", "adopt", x1, "--level", "jianbao"], "ed")

            // An informant's report made into a unit-only item, adopted in the quick report.
            let identity = live.holders.appendingPathComponent("identity.json")
            try JSONSerialization.data(withJSONObject: ["name": identityCanary, "phone": "13800002222"]).write(to: identity)
            let added = try await ok(["network", "informant", "add", "--areas", "520102016000", "--source-role", "grid-worker",
                                      "--review-due", "2027-06-30", "--identity-file", identity.path, "--json"], "hd.nm")
            try FileManager.default.removeItem(at: identity)
            let registered = try #require(try added.json() as? [String: String])
            let codeDigits = try #require(registered["code"])
            let pseudonym = try #require(registered["pseudonym"])
            found.code = codeDigits
            found.pseudonym = pseudonym
            let (type, form) = try LiveServer.multipartBody(tip: nil, files: [], fields: [("code", codeDigits), ("kind", "dynamic"),
                                                                                          ("area", "520102016000"), ("text", "新华路街道书摊检查。")])
            #expect(try await live.request("/informant/report", method: .POST, contentType: type, body: form).status == 200)
            let reportRef = try #require(try live.readDatabase { try String.fetchOne($0, sql: "SELECT reference FROM informant_report") })
            let made = try await ok(["info", "new", "--from-report", reportRef, "--kind", "dynamic", "--sub-kind", "other", "--title", "书摊检查",
                                     "--not-classified"], "hd.nm")
            let x2 = try #require(made.stdout.split(separator: " ").first { $0.hasPrefix("XX-") }.map(String.init))
            _ = try await ok(["info", "submit", x2], "hd.nm")
            _ = try await ok(["info", "accept", x2], "ed")
            _ = try await ok(["info", "adopt", x2, "--level", "kuaibao"], "ed")

            // Pending, priced by remuneration.yaml: ¥50 + ¥100 for x1, ¥50 for x2; the city sees 信息员（nanming）.
            let pendingOut = try await ok(["ledger", "remuneration", "pending", "--json"], "ed")
            let pending = try #require(try pendingOut.json() as? [[String: Any]])
            #expect(pending.map { "\($0["item"]!)/\($0["level"]!)/\($0["amount_fen"]!)/\($0["payee_label"]!)" }.sorted()
                    == ["\(x1)/jianbao/10000/lz.nm、lz.nm2", "\(x1)/kuaibao/5000/lz.nm、lz.nm2", "\(x2)/kuaibao/5000/信息员（nanming）"].sorted())
            #expect(!pendingOut.stdout.contains(pseudonym))

            // An editor proposes; the amount is the policy's. Nothing to approve without money in the information fund.
            let key = "retry-\(UUID().uuidString)"
            let p1 = try await ok(["ledger", "remuneration", "propose", x1, "--idempotency-key", key], "ed")
            #expect(p1.stdout.contains("#1") && p1.stdout.contains("¥150.00"), "\(p1.stdout)")
            // A retry with the same key (the answer was lost) gets the same proposal back; nothing is proposed twice.
            let retried = try await ok(["ledger", "remuneration", "propose", x1, "--idempotency-key", key], "ed")
            #expect(retried.stdout.contains("#1") && retried.stdout.contains("¥150.00"), "\(retried.stdout)")
            _ = try await ok(["ledger", "remuneration", "propose", x2], "ed")
            #expect(try await cli(["ledger", "remuneration", "propose", x2], "ed").status != 0, "an adoption is paid once")
            #expect(try await cli(["ledger", "remuneration", "approve", "1"], "ed").status != 0, "an editor does not approve")
            #expect(try await cli(["ledger", "remuneration", "approve", "1"], "ac1").status != 0, "the information fund is empty")
            _ = try await ok(["ledger", "fund", "--amount", "1000", "--memo", "\(year) 信息稿酬", "--into", "information"], "ac1")
            _ = try await ok(["ledger", "remuneration", "approve", "1"], "ac1")
            let approved = try await ok(["ledger", "remuneration", "approve", "2"], "ac1")
            #expect(approved.stdout.contains("sealed to the informant") && approved.stdout.contains("their page"), "\(approved.stdout)")
            _ = try await ok(["ledger", "remuneration", "pay", "1"], "ac2")
            #expect(try await cli(["ledger", "remuneration", "pay", "2"], "ac2").status != 0, "an informant is paid only by voucher")
            let list = try #require(try (try await ok(["ledger", "remuneration", "list", "--json"], "ac2")).json() as? [[String: Any]])
            let first = try #require(list.first { $0["id"] as? Int == 1 })
            let payees = try #require(first["payees"] as? [[String: Any]])
            #expect(payees.map { "\($0["name"] as? String ?? "-")=\($0["amount"] as? Int ?? -1)" } == ["lz.nm=7500", "lz.nm2=7500"])
            #expect(first["status"] as? String == "paid")

            // The informant's page shows the code; a cashier looks it up and pays it once.
            let page = try await live.request("/informant", method: .POST, contentType: "application/x-www-form-urlencoded",
                                              body: Array("code=\(codeDigits)".utf8))
            #expect(page.status == 200 && page.text.contains("信息稿酬兑付码") && page.text.contains("¥50.00") && page.text.contains(reportRef))
            let match = try #require(page.text.firstMatch(of: /<code class="voucher-code">([0-9A-Z-]{23})<\/code>/))
            let voucher = String(match.1)
            found.voucher = voucher
            let looked = try await ok(["ledger", "voucher", voucher], "ac2")
            #expect(looked.stdout.contains("¥50.00"), "\(looked.stdout)")
            _ = try await ok(["ledger", "redeem", voucher], "ac2")
            #expect(try await cli(["ledger", "redeem", voucher], "ac2").status != 0, "a code pays once")

            // The year's report by payee type and unit; balances; ledger verify.
            let report = try await ok(["ledger", "report", "--year", year], "ac2")
            #expect(report.stdout.contains("\(year),remuneration,author,nanming-office,1,150.00,15000,1,150.00,15000"), "\(report.stdout)")
            #expect(report.stdout.contains("\(year),remuneration,informant,nanming-office,1,50.00,5000,1,50.00,5000"), "\(report.stdout)")
            let balances = try #require(try (try await ok(["ledger", "balance", "--json"], "ac2")).json() as? [String: Any])
            #expect(balances["informationFund"] as? Int == 80_000 && balances["informationPaid"] as? Int == 20_000, "\(balances)")
            let verified = try await ok(["ledger", "verify"], "ac2")
            #expect(verified.stdout.contains("payments: ok"), "\(verified.stdout)")
            // Nothing the informant is, nor the code, reaches the logs.
            let logs = live.logs.all
            #expect(!logs.contains(identityCanary) && !logs.contains(codeDigits) && !logs.contains(voucher))
        }

        // No informant identity byte in ledger.sqlite, and no pseudonym or code either; none in the audit export.
        let (codeDigits, pseudonym, voucher) = (found.code, found.pseudonym, found.voucher)
        #expect(!voucher.isEmpty)
        let layout = DeploymentLayout(root: root)
        for suffix in ["", "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: layout.ledgerDatabase.path + suffix) else { continue }
            for canary in [identityCanary, pseudonym, codeDigits, voucher, voucher.replacingOccurrences(of: "-", with: "")] {
                #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(canary) in ledger.sqlite\(suffix)")
            }
        }
        let export = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-export-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: export) }
        let exported = try await CLIRunner.run(["audit", "export", export.path, "--deployment", root.path], passphrase: "")
        #expect(exported.status == 0, "\(exported.stderr)")
        let files = FileManager.default.enumerator(at: export, includingPropertiesForKeys: [.isRegularFileKey])?.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true } ?? []
        #expect(files.count >= 8)
        for file in files {
            let bytes = try Data(contentsOf: file)
            for canary in [identityCanary, codeDigits, voucher, voucher.replacingOccurrences(of: "-", with: "")] {
                #expect(bytes.range(of: Data(canary.utf8)) == nil, "\(canary) in the export's \(file.lastPathComponent)")
            }
        }

        let audit = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(audit.passed, "\(audit.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        // A posting changed in ledger.sqlite (the transfer to the authors) no longer matches its audit entry.
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "UPDATE posting SET amount = 1 WHERE entry_seq = (SELECT max(seq) FROM journal_entry WHERE kind = 'payment-pay'); "
                + "UPDATE journal_entry SET total = 1 WHERE kind = 'payment-pay'",
        ], tamper: { copy, sql in
            try Self.tamperLedger(DeploymentLayout(root: copy).ledgerDatabase.path, sql, dropTriggers: true)
        })
        // The informant's voucher copy is compared with the one its approval recorded: swapped or withheld, verify fails.
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "DROP TRIGGER informant_voucher_fixed; UPDATE informant_voucher SET envelope = CAST('{}' AS BLOB)",
            "DROP TRIGGER informant_voucher_no_delete; DELETE FROM informant_voucher",
        ])
        // The ledger's own verify catches a payee whose share was changed.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-ledger-\(UUID().uuidString).sqlite")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: layout.ledgerDatabase, to: copy)
        if FileManager.default.fileExists(atPath: layout.ledgerDatabase.path + "-wal") {
            try FileManager.default.copyItem(atPath: layout.ledgerDatabase.path + "-wal", toPath: copy.path + "-wal")
        }
        try Self.tamperLedger(copy.path, "DROP TRIGGER payment_payee_no_update; UPDATE payment_payee SET amount = 10000 WHERE payment_id = 1 AND line = 1")
        let offline = try await CLIRunner.run(["ledger", "verify", "--ledger", copy.path, "--deployment", root.path], passphrase: "")
        #expect(offline.status != 0 && offline.stdout.contains("payments: FAILED"), "\(offline.stdout) \(offline.stderr)")
    }

    /// Runs `sql` on a ledger file as an intruder with write access would (after dropping its triggers).
    static func tamperLedger(_ path: String, _ sql: String, dropTriggers: Bool = false) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            if dropTriggers {
                for name in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'") {
                    try db.execute(sql: "DROP TRIGGER \(name)")
                }
            }
            try db.execute(sql: sql)
        }
        try queue.close()
    }
}
