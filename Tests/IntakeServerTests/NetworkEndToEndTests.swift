import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineDeployment

/// Issue 14's done-when, against the real server and the real CLI: units and liaisons enrolled,
/// areas imported, three informants registered with canary identities, coverage figures exact, the
/// handler's opening audited first, the city's opening refused without a second holder's approval,
/// a wrong-role opening refused, no canary anywhere in data/, and `audit verify` passing — then
/// failing when an informant's sealed identity or its wraps are tampered with.
@Suite("The reporting network: units, liaisons, areas, informants, coverage", .serialized)
struct NetworkEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    /// Generated areas of Nanming (S-3.1; tests never depend on a real village list): three
    /// communities under 新华路街道 (520102016000, shipped in areas.csv) and two villages under 西湖路街道.
    static let importedAreas = """
        # test areas
        code,level,parent,name_zh
        520102016001,community,520102016000,测试一社区
        520102016002,community,520102016000,测试二社区
        520102016003,community,520102016000,测试三社区
        520102017201,village,520102017000,测试一村
        520102017202,village,520102017000,测试二村
        """

    /// Edits a copy's database as an attacker holding the file would (the guarding triggers dropped first).
    /// Each of `tampers`, applied to its own copy of the deployment at `root`, makes `audit verify` fail.
    static func expectVerifyFails(_ root: URL, after tampers: [String], tamper: (URL, String) throws -> Void = NetworkEndToEndTests.tamper,
                                  sourceLocation: SourceLocation = #_sourceLocation) throws {
        for sql in tampers {
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-tamper-\(UUID().uuidString)")
            try FileManager.default.copyItem(at: root, to: copy)
            defer { try? FileManager.default.removeItem(at: copy) }
            try tamper(copy, sql)
            let tampered = try AuditVerifier(sources: try AuditSources.deployment(at: copy)).verify()
            #expect(!tampered.passed, "\(sql) must fail verify", sourceLocation: sourceLocation)
        }
    }

    static func tamper(_ root: URL, _ sql: String) throws {
        let queue = try DatabaseQueue(path: DeploymentLayout(root: root).database.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: """
                DROP TRIGGER IF EXISTS informant_identity_fixed; DROP TRIGGER IF EXISTS info_item_no_delete;
                DROP TRIGGER IF EXISTS info_item_sealed_fixed; DROP TRIGGER IF EXISTS informant_report_no_delete;
                DROP TRIGGER IF EXISTS informant_report_fixed; DROP TRIGGER IF EXISTS informant_report_linked_once;
                DROP TRIGGER IF EXISTS informant_reply_no_delete; DROP TRIGGER IF EXISTS informant_reply_fixed
                """)
            try db.execute(sql: sql)
        }
    }

    @Test("Registry story end to end: coverage exact, handler opening audited first, two-person city opening, canaries nowhere, verify passes and catches tampering")
    func registryStory() async throws {
        let live = try LiveServer()
        let token = UUID().uuidString.prefix(8).lowercased()
        let canaries = (1...3).map { ["name": "信息员金丝雀\(token)\($0)", "phone": "1390000\(String(format: "%04d", $0))",
                                      "address": "金丝雀路\(token)号\($0)", "workplace": "金丝雀书屋\(token)\($0)"] }
        let root = live.root
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            func ok(_ arguments: [String], _ who: String) async throws -> CLIRunner.Result {
                let result = try await staff.cli(arguments + staff.common(who))
                #expect(result.status == 0, "\(arguments): \(result.stderr)")
                return result
            }
            try await staff.enrol("hd.nm", role: "handler", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("ed", role: "editor", centre: "city", unit: "city-office")
            try await staff.enrol("lz.nm", role: "liaison", centre: "nanming", unit: "nanming-office")
            try await staff.enrol("lz.ps", role: "liaison", centre: "city", unit: "public-security")
            try await staff.enrol("h1", role: "identity-holder", centre: "city")
            try await staff.enrol("h2", role: "identity-holder", centre: "city")
            try await staff.enrol("tr", role: "triage", centre: "nanming")

            // A liaison at the city office is refused (a liaison belongs to a node).
            let wrongUnit = try await staff.cli(["staff", "enroll", "--name", "lz.bad", "--role", "liaison", "--unit", "city-office",
                                                 "--out", staff.dir.path])
            #expect(wrongUnit.status == 0)
            let refusedEnrol = try await staff.cli(["staff", "approve"] + staff.admin() + [staff.dir.appendingPathComponent("staff-lz.bad.enrol.json").path])
            #expect(refusedEnrol.status == 4 && refusedEnrol.stderr.contains("city-office"), "\(refusedEnrol.stderr)")

            // Units and liaisons (S-3.2): every node without 1–2 liaisons is listed, exit 1.
            let units = try await ok(["network", "units", "--json"], "ed")
            let unitRows = try #require(try units.json() as? [[String: Any]])
            #expect(unitRows.count >= 22)
            let check = try await staff.cli(["network", "liaisons", "--check", "--json"] + staff.common("ed"))
            #expect(check.status == 1)
            let gaps = try #require(try check.json() as? [[String: Any]]).compactMap { $0["unit"] as? String }
            #expect(gaps.contains("detachment") && gaps.contains("huaxi-office") && !gaps.contains("nanming-office")
                    && !gaps.contains("public-security") && !gaps.contains("city-office"))

            // Responsibility record, self-check, appointment, training.
            _ = try await ok(["network", "unit", "set-leaders", "nanming-office", "--year", "2026", "--main", "张主任:区委常委、宣传部部长",
                              "--deputy", "李副部长:宣传部副部长", "--officer", "王科长:区扫黄打非办主任"], "lz.nm")
            let foreign = try await staff.cli(["network", "unit", "set-leaders", "public-security", "--year", "2026", "--main", "甲:局长",
                                               "--deputy", "乙:副局长", "--officer", "丙:科长"] + staff.common("lz.nm"))
            #expect(foreign.status == 4, "a liaison keeps only its own unit's record: \(foreign.stderr)")
            _ = try await ok(["network", "unit", "self-check", "nanming-office", "--year", "2026", "--staff", "yes", "--funds", "是", "--support", "no",
                              "--note", "保障待落实"], "lz.nm")
            _ = try await ok(["network", "liaison", "record", "lz.nm", "--appointed", "2026-03-01", "--qualification", "经单位审核，熟悉业务"], "ed")
            _ = try await ok(["network", "training", "add", "--unit", "city-office", "--date", "2026-06-18", "--topic", "信息报送业务培训",
                              "--attendees", "lz.nm,lz.ps"], "ed")
            let shown = try await ok(["network", "unit", "show", "nanming-office", "--json"], "ed")
            let detail = try #require(try shown.json() as? [String: Any])
            #expect(((detail["leaders"] as? [[String: Any]])?.first?["main"] as? [String: String])?["name"] == "张主任")
            #expect(((detail["liaisons"] as? [[String: Any]])?.first?["appointed_on"] as? String) == "2026-03-01")
            #expect(((detail["liaisons"] as? [[String: Any]])?.first?["trainings"] as? Int) == 1)

            // Areas: the district imports its communities and villages; another district's are refused.
            let csv = live.holders.appendingPathComponent("nanming-areas.csv")
            try Self.importedAreas.write(to: csv, atomically: true, encoding: .utf8)
            let imported = try await ok(["network", "areas", "import", csv.path, "--district", "nanming"], "hd.nm")
            #expect(imported.stdout.contains("5"), "\(imported.stdout)")
            let elsewhere = try await staff.cli(["network", "areas", "import", csv.path, "--district", "huaxi"] + staff.common("hd.nm"))
            #expect(elsewhere.status == 4, "\(elsewhere.stderr)")

            // Three informants with canary identities; the third is suspended.
            var pseudonyms: [String] = []
            for (index, areas) in [["520102016000", "520102016001"], ["520102016002"], ["520102017201"]].enumerated() {
                let file = live.holders.appendingPathComponent("identity-\(index).json")
                try JSONSerialization.data(withJSONObject: canaries[index]).write(to: file)
                let added = try await ok(["network", "informant", "add", "--areas", areas.joined(separator: ","),
                                          "--source-role", index == 0 ? "网格管理员" : "rural-library-keeper", "--review-due", "2027-06-30",
                                          "--identity-file", file.path, "--json"], "hd.nm")
                try FileManager.default.removeItem(at: file)
                let reply = try #require(try added.json() as? [String: String])
                #expect(reply["pseudonym"] == "NM-000\(index + 1)" && reply["code"]?.count == 16)
                pseudonyms.append(reply["pseudonym"]!)
            }
            _ = try await ok(["network", "informant", "suspend", pseudonyms[2], "--reason", "长期未联系"], "hd.nm")
            let listed = try await ok(["network", "informant", "list", "--json"], "hd.nm")
            #expect(!listed.stdout.contains("金丝雀"), "lists carry pseudonyms only")

            // Coverage (S-3.1): 23 shipped townships + 3 communities + 2 villages = 28; covered: one
            // township, two communities (the suspended informant's village does not count).
            let coverage = try await ok(["network", "coverage", "--district", "nanming", "--json"], "hd.nm")
            let district = try #require(((try coverage.json() as? [String: Any])?["districts"] as? [[String: Any]])?.first)
            #expect(district["areas"] as? Int == 28 && district["covered"] as? Int == 3 && district["permille"] as? Int == 107)
            #expect(district["active_informants"] as? Int == 2)
            let levels = try #require(district["levels"] as? [[String: Any]])
            #expect(levels.map { "\($0["level"]!):\($0["covered"]!)/\($0["areas"]!)" } == ["township:1/23", "community:2/3", "village:0/2"])
            #expect((district["uncovered"] as? [[String: Any]])?.count == 25)
            #expect((district["by_source_role"] as? [String: Int]) == ["grid-worker": 1, "rural-library-keeper": 1])
            #expect(!coverage.stdout.contains("金丝雀"))
            // The tallies follow status changes: reinstated, the village counts; suspended again, it does not.
            _ = try await ok(["network", "informant", "reinstate", pseudonyms[2], "--reason", "恢复联系"], "hd.nm")
            let back = try await ok(["network", "coverage", "--district", "nanming", "--json"], "hd.nm")
            let backDistrict = try #require(((try back.json() as? [String: Any])?["districts"] as? [[String: Any]])?.first)
            #expect(backDistrict["covered"] as? Int == 4 && backDistrict["active_informants"] as? Int == 3)
            #expect((backDistrict["by_source_role"] as? [String: Int]) == ["grid-worker": 1, "rural-library-keeper": 2])
            _ = try await ok(["network", "informant", "suspend", pseudonyms[2], "--reason", "长期未联系"], "hd.nm")
            let cityView = try await ok(["network", "coverage", "--json"], "ed")
            #expect(((try cityView.json() as? [String: Any])?["districts"] as? [[String: Any]])?.count == 10)
            let html = live.holders.appendingPathComponent("coverage.html")
            _ = try await ok(["network", "coverage", "--html", html.path], "ed")
            let page = try String(contentsOf: html, encoding: .utf8)
            #expect(page.contains("<svg") && page.contains("nanming") && page.contains("10.7%") && page.contains("@page"))
            #expect(!page.contains("src=") && !page.contains("<link") && !page.contains("<script"), "no external resource")
            let other = try await staff.cli(["network", "coverage", "--district", "huaxi"] + staff.common("hd.nm"))
            #expect(other.status == 4, "a district office sees its own coverage")

            // The handler opens an identity with a reason: the audit entry exists before the release.
            let registry = live.holders.appendingPathComponent("unit-nanming-office-registry.key.pem").path
            let opened = try await ok(["network", "informant", "unseal", pseudonyms[0], "--reason", "核实线索需要联系", "--json",
                                       "--identity-key", registry], "hd.nm")
            #expect((try opened.json() as? [String: String])?["name"] == canaries[0]["name"])
            let handlerEntries = try live.readDatabase {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry WHERE action = 'informant.unseal' AND subject = ?", arguments: [pseudonyms[0]])!
            }
            #expect(handlerEntries == 1, "one opening so far")

            // Unlocked for the day: the key agent holds the registry key and opens the identity; no passphrase is asked.
            let runtime = URL(fileURLWithPath: "/tmp/tl-net-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: runtime) }
            let env = ["TIPLINE_CONFIG": runtime.appendingPathComponent("config/tipline.json").path,
                       "TIPLINE_AGENT_SOCKET": runtime.appendingPathComponent("run/agent.sock").path]
            for (key, value) in [("deployment", live.root.path), ("server", live.adminURL),
                                 ("key", staff.dir.appendingPathComponent("staff-hd.nm.key.pem").path), ("identity-key", registry)] {
                #expect(try await CLIRunner.run(["config", "set", key, value], passphrase: "", environment: env).status == 0)
            }
            let unlocked = try await CLIRunner.run(["unlock", "--for", "5m"], passphrase: staff.passphrase, environment: env)
            #expect(unlocked.status == 0, "\(unlocked.stderr)")
            let viaAgent = try await CLIRunner.run(["network", "informant", "unseal", pseudonyms[0], "--reason", "再次核实", "--json"],
                                                   passphrase: "", environment: env)
            #expect(viaAgent.status == 0 && (try? viaAgent.json() as? [String: String])?["name"] == canaries[0]["name"], "\(viaAgent.stderr)")
            _ = try await CLIRunner.run(["lock"], passphrase: "", environment: env)

            // The city: refused without a second holder's approval; self-approval refused; then it works.
            let cityKey = ["--identity-key", live.holders.appendingPathComponent("city-identity.key.pem").path]
            let alone = try await staff.cli(["network", "informant", "unseal", pseudonyms[1], "--reason", "市级核查"] + staff.common("h1") + cityKey)
            #expect(alone.status == 4 && !alone.stdout.contains("金丝雀"), "\(alone.stderr)")
            let asked = try await ok(["network", "informant", "request-unseal", pseudonyms[1], "--reason", "市级核查"], "h1")
            let request = try #require(asked.stdout.split(separator: " ").first { $0.hasPrefix("(ur-") || $0.hasPrefix("ur-") }
                .map { String($0.drop { $0 == "(" }.prefix { $0 != ")" && $0 != ":" }) })
            let selfApproved = try await staff.cli(["network", "informant", "approve-unseal", pseudonyms[1], "--request", request, "--reason", "同意"]
                                                   + staff.common("h1"))
            #expect(selfApproved.status == 4, "the requester cannot approve: \(selfApproved.stderr)")
            let stillAlone = try await staff.cli(["network", "informant", "unseal", pseudonyms[1], "--reason", "市级核查"] + staff.common("h1") + cityKey)
            #expect(stillAlone.status == 4)
            _ = try await ok(["network", "informant", "approve-unseal", pseudonyms[1], "--request", request, "--reason", "同意核查"], "h2")
            let cityOpened = try await ok(["network", "informant", "unseal", pseudonyms[1], "--reason", "市级核查", "--json"] + cityKey, "h1")
            #expect((try cityOpened.json() as? [String: String])?["name"] == canaries[1]["name"])
            let reused = try await staff.cli(["network", "informant", "unseal", pseudonyms[1], "--reason", "再次查看"] + staff.common("h1") + cityKey)
            #expect(reused.status == 4, "one approval opens once")

            // Wrong roles: triage officers and editors never open an informant identity.
            for who in ["tr", "ed"] {
                let refused = try await staff.cli(["network", "informant", "unseal", pseudonyms[0], "--reason", "想看"] + staff.common(who)
                                                  + ["--identity-key", registry])
                #expect(refused.status == 4 && !refused.stdout.contains("金丝雀"), "\(who): \(refused.stderr)")
            }
            // Reviews, a new code, retirement (final).
            let reviewed = try await ok(["network", "informant", "review", pseudonyms[0], "--outcome", "联系正常，继续使用", "--next-due", "2027-12-31"], "hd.nm")
            #expect(reviewed.stdout.contains("2027-12-31"))
            let pastDue = try await staff.cli(["network", "informant", "review", pseudonyms[0], "--outcome", "x", "--next-due", "2020-01-01"] + staff.common("hd.nm"))
            #expect(pastDue.status == 2, "a next review in the past is refused: \(pastDue.stderr)")
            let reissued = try await ok(["network", "informant", "reissue-code", pseudonyms[1], "--reason", "代码遗失"], "hd.nm")
            #expect(reissued.stdout.range(of: #"\d{4} \d{4} \d{4} \d{4}"#, options: .regularExpression) != nil)
            _ = try await ok(["network", "informant", "retire", pseudonyms[1], "--reason", "本人申请退出"], "hd.nm")
            #expect(try await staff.cli(["network", "informant", "reinstate", pseudonyms[1], "--reason", "误操作"] + staff.common("hd.nm")).status == 4)
            let overdue = try await ok(["network", "informant", "reviews", "--json"], "hd.nm")
            #expect(((try overdue.json() as? [[String: Any]]) ?? []).compactMap { $0["pseudonym"] as? String } == [pseudonyms[2], pseudonyms[0]],
                    "retired informants leave the review list; the others by due date")
            let shownInformant = try await ok(["network", "informant", "show", pseudonyms[0], "--json"], "hd.nm")
            #expect(((try shownInformant.json() as? [String: Any])?["openings"] as? [[String: Any]])?.count == 2)
        }

        // No canary anywhere in data/ (database, WAL, logs, checkpoints), in any encoding.
        let scan = try await CLIRunner.run(["audit", "scan", "--deployment", root.path, "--canaries-only", "--canary"]
                                           + canaries.flatMap { [$0["name"]!, $0["address"]!, $0["workplace"]!] }, passphrase: "")
        #expect(scan.status == 0, "\(scan.stdout) \(scan.stderr)")

        // An auditor with no key answers "who opened this informant's identity, when, why" from the log alone.
        let log = try await CLIRunner.run(["audit", "log", "--deployment", root.path, "--informant", "nm-1", "--action", "unseal", "--json"], passphrase: "")
        let openings = try #require(try log.json() as? [[String: String]])
        #expect(openings.count == 2 && openings.allSatisfy { $0["actor_name"] == "hd.nm" && $0["action"] == "informant.unseal" && !($0["reason"] ?? "").isEmpty },
                "\(log.stdout) \(log.stderr)")

        // audit verify passes; then fails on a replaced identity and on changed wraps.
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: root)).verify()
        #expect(report.passed, "\(report.checks.map { "\($0.name.rawValue)=\($0.failures) \($0.first?.text ?? "")" })")
        try NetworkEndToEndTests.expectVerifyFails(root, after: [
            "UPDATE informant SET identity = (SELECT identity FROM informant WHERE pseudonym = 'NM-0002') WHERE pseudonym = 'NM-0001'",
            "UPDATE informant SET status = 'active' WHERE pseudonym = 'NM-0003'",
            "UPDATE informant SET identity = CAST(replace(CAST(identity AS TEXT), 'recipient', 'recipienT') AS BLOB) WHERE pseudonym = 'NM-0001'",
        ])
    }
}
