import Foundation
import GRDB
import Testing

/// Issue 13's done-when: `config set` + `unlock` once, then a triage officer's day (queue, show,
/// status ×4, reply, route) with no passphrase prompt possible and no connection flag; every line
/// Chinese and in China time. The real server, the real `tipline-admin`, the real agent process.
@Suite("The staff workstation: profile, key agent, Chinese output", .serialized)
struct WorkstationEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("config set + unlock once, then a triage day with no passphrase and no flags; Chinese, China time; lock ends it")
    func triageDay() async throws {
        let live = try LiveServer()
        let runtime = URL(fileURLWithPath: "/tmp/tl-ws-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: runtime) }
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("li.wei", role: "triage", centre: "nanming")
            let tip = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版书",
                                                               "wants_reward": true, "reporter": ["name": "王五", "phone": "13900002222"]])
            let reference = try tip.json()["reference"] as! String
            let serial = String(Int(reference.split(separator: "-").last!)!)

            // The workstation's own environment: its profile, its agent socket, Chinese.
            let env = ["TIPLINE_CONFIG": runtime.appendingPathComponent("config/tipline.json").path,
                       "TIPLINE_AGENT_SOCKET": runtime.appendingPathComponent("run/agent.sock").path, "TIPLINE_LANG": "zh"]
            func cli(_ arguments: [String], passphrase: String = "") async throws -> CLIRunner.Result {
                try await CLIRunner.run(arguments, passphrase: passphrase, environment: env)
            }
            for (key, value) in [("deployment", live.root.path), ("server", live.adminURL),
                                 ("key", staff.dir.appendingPathComponent("staff-li.wei.key.pem").path),
                                 ("content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path)] {
                let set = try await cli(["config", "set", key, value])
                #expect(set.status == 0 && set.stdout.contains("已设置"), "\(set.stderr)")
            }
            // Without the agent, a command needs a passphrase, and there is none (no terminal, none set).
            let locked = try await cli(["tips", "queue"])
            #expect(locked.status == 5, "\(locked.stdout) \(locked.stderr)")

            let unlocked = try await cli(["unlock", "--for", "10m"], passphrase: staff.passphrase)
            #expect(unlocked.status == 0 && unlocked.stdout.contains("已解锁") && unlocked.stdout.contains("UTC+8"), "\(unlocked.stderr)")
            let lines = try await cli(["tips", "queue"])
            #expect(lines.status == 0, "\(lines.stderr)")
            #expect(lines.stdout.contains("编号") && lines.stdout.contains("已接收") && lines.stdout.contains("UTC+8") && lines.stdout.contains(reference))
            #expect(!lines.stdout.contains("received") && !lines.stdout.contains("T0") && !lines.stdout.contains("Z "))
            let whoami = try await cli(["staff", "whoami"])
            #expect(whoami.stdout.contains("li.wei") && whoami.stdout.contains("受理员") && whoami.stdout.contains("密钥代理"), "\(whoami.stdout)")

            let shown = try await cli(["tips", "show", "2026-\(serial)"])
            #expect(shown.status == 0 && shown.stdout.contains("出售盗版书") && shown.stdout.contains("转办经过"), "\(shown.stderr)")
            #expect(!shown.stdout.contains("王五"), "tips show never opens the identity")
            for (status, extra, label) in [("triaged", [String](), "已受理"), ("核查中", ["--unit", "南明区文化执法大队"], "核查中"),
                                           ("verified", ["--outcome", "administrative", "--fines", "3000"], "查证属实")] {
                let changed = try await cli(["tips", "status", "gy-2026-\(serial)", status] + extra)
                #expect(changed.status == 0 && changed.stdout.contains(label), "\(status): \(changed.stderr)")
            }
            let assigned = try await cli(["tips", "assign", reference, "--to", "li.wei"])
            #expect(assigned.status == 0 && assigned.stdout.contains("li.wei（受理员@"), "\(assigned.stdout) \(assigned.stderr)")
            let mine = try await cli(["tips", "queue", "--mine", "--json"])
            let rows = try #require(try mine.json() as? [[String: Any]])
            #expect(rows.count == 1 && (rows[0]["received_at"] as? String)?.hasSuffix("+08:00") == true && rows[0]["assignee"] as? String != nil)
            let replied = try await cli(["tips", "reply", reference, "--message", "已核实，感谢您的举报"])
            #expect(replied.status == 0 && replied.stdout.contains("已答复"), "\(replied.stderr)")
            let refused = try await cli(["tips", "route", reference, "--to", "city", "--reason", "转市中心，联系电话 13900002222"])
            #expect(refused.status == 2 && refused.stderr.contains("手机号码"), "a phone number in a reason never reaches the audit log")
            let routed = try await cli(["tips", "route", reference, "--to", "city", "--reason", "涉及全市"])
            #expect(routed.status == 0 && routed.stdout.contains("已转办"), "\(routed.stderr)")
            let gone = try await cli(["tips", "show", reference])
            #expect(gone.status == 3 && gone.stderr.contains("没有找到举报 \(reference)"), "\(gone.stderr)")

            let lock = try await cli(["lock"])
            #expect(lock.status == 0 && lock.stdout.contains("已锁定"))
            let after = try await cli(["tips", "queue"])
            #expect(after.status == 5, "after lock a passphrase is needed again")
        }
    }

    @Test("A wrong centre key file is refused before any request: no tip read, no audit entry")
    func wrongKeyFile() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("li.wei", role: "triage", centre: "nanming")
            let tip = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售盗版书"])
            let reference = try tip.json()["reference"] as! String
            let before = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry")! }
            let wrong = try await staff.cli(["tips", "show", reference] + staff.common("li.wei")
                                            + ["--content-key", live.holders.appendingPathComponent("huaxi-content.key.pem").path])
            #expect(wrong.status == 4 && wrong.stderr.contains("not your centre's (nanming) content key"), "\(wrong.stderr)")
            let after = try live.readDatabase { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry")! }
            #expect(after == before)
        }
    }

    @Test("watch: a new tip reaches its centre at once and not another district; a tip raised to major reaches the city; events carry no content")
    func watch() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("wang", role: "triage", centre: "nanming")
            try await staff.enrol("chen", role: "triage", centre: "city")
            let secret = "WatchCanary\(UUID().uuidString.prefix(6))"
            func submit(_ district: String) async throws -> String {
                let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": district, "description": secret])
                return try reply.json()["reference"] as! String
            }
            async let district = staff.cli(["watch", "--json", "--count", "2"] + staff.common("wang"))
            async let city = staff.cli(["watch", "--json", "--count", "1"] + staff.common("chen"))
            // Both streams open before the first tip (the feed starts from the log's head): the access log
            // has a line for each once its response has started; then a moment for the subscription.
            let deadline = ContinuousClock.now + .seconds(60)
            while live.logs.all.components(separatedBy: "route=/admin/v1/events status=200").count - 1 < 2, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(200))
            }
            try await Task.sleep(for: .seconds(1))
            let first = try await submit("nanming")
            _ = try await submit("huaxi")
            let raised = try await staff.cli(["tips", "urgency", first, "major", "--reason", "涉及未成年人"] + staff.common("wang")
                                             + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path])
            #expect(raised.status == 0, "\(raised.stderr)")
            let second = try await submit("nanming")
            let (districtResult, cityResult) = try await (district, city)
            #expect(districtResult.status == 0 && cityResult.status == 0, "\(districtResult.stderr) \(cityResult.stderr)")
            func events(_ result: CLIRunner.Result) -> [[String: String]] {
                result.stdout.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String] }
            }
            let heard = events(districtResult)
            #expect(heard.map { $0["kind"] } == ["tip.new", "tip.new"] && heard.map { $0["reference"] } == [first, second], "\(heard)")
            #expect(heard.allSatisfy { $0["centre"] == "nanming" && $0["at"]?.hasSuffix("+08:00") == true })
            let cityHeard = events(cityResult)
            #expect(cityHeard.count == 1 && cityHeard.first?["reference"] == first && cityHeard.first?["urgency"] == "major", "\(cityHeard)")
            #expect(!districtResult.stdout.contains(secret) && !cityResult.stdout.contains(secret))
        }
    }
}
