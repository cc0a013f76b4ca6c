import Foundation
import Testing
import TiplineCore

/// Issue 11, item 6: reward `decline` and `GET rewards` are scoped to the caller's centre like tips.
@Suite("Rewards are scoped to the caller's centre", .serialized)
struct RewardScopeTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("Over the admin listener: a huaxi supervisor neither lists nor declines a nanming reward (404, nothing changes); nanming's and the city's supervisors see it; nanming's declines it")
    func otherDistrictsRewardIsNotFound() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            try await staff.enrol("nm-super", role: "supervisor", centre: "nanming")
            try await staff.enrol("hx-super", role: "supervisor", centre: "huaxi")
            try await staff.enrol("city-super", role: "supervisor", centre: "city")
            let triage = staff.common("nm-triage") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]

            let created = try await live.postJSON("/api/v1/tips", ["category": "illegal-publication", "district": "nanming",
                                                                   "description": "地下印刷厂", "wants_reward": true])
            let reference = try #require(try created.json()["reference"] as? String)
            for step in [["triaged"], ["verifying", "--unit", "南明区文化执法大队"], ["verified", "--outcome", "administrative", "--fines", "20000"]] {
                #expect(try await staff.cli(["tips", "status", reference] + step + triage).status == 0)
            }
            #expect(try await staff.cli(["ledger", "propose", reference, "--amount", "3000"] + triage).status == 0)

            func listed(_ who: String) async throws -> [String] {
                let rows = try await staff.cli(["ledger", "rewards", "--json"] + staff.common(who))
                #expect(rows.status == 0, "\(rows.stderr)")
                return ((try rows.json() as? [[String: Any]]) ?? []).compactMap { $0["reference"] as? String }
            }
            #expect(try await listed("hx-super").isEmpty, "huaxi lists nanming's reward")
            #expect(try await listed("nm-super") == [reference])
            #expect(try await listed("city-super") == [reference])

            let foreign = try await staff.cli(["ledger", "decline", reference] + staff.common("hx-super"))
            #expect(foreign.status == 3, "huaxi declined nanming's reward: \(foreign.status) \(foreign.stdout) \(foreign.stderr)")
            let unknown = try await staff.cli(["ledger", "decline", "GY-2026-999999"] + staff.common("hx-super"))
            // (The CLI's "idempotency key: …" hint line differs between the two calls; the error does not.)
            func error(_ text: String) -> [Substring] { text.split(separator: "\n").filter { !$0.hasPrefix("idempotency key:") } }
            #expect(unknown.status == 3)
            #expect(error(foreign.stderr) == error(unknown.stderr.replacingOccurrences(of: "GY-2026-999999", with: reference)),
                    "another district's reward answers exactly like a missing one: \(foreign.stderr) | \(unknown.stderr)")
            let rows = try await staff.cli(["ledger", "rewards", "--json"] + staff.common("city-super"))
            #expect(((try rows.json() as? [[String: Any]])?.first?["status"] as? String) == "proposed", "the foreign decline changed the reward")

            let own = try await staff.cli(["ledger", "decline", reference] + staff.common("nm-super"))
            #expect(own.status == 0, "\(own.stderr)")

            // Journal and report are scoped the same way (issue 11 leftover): huaxi's supervisor reads no
            // nanming row and no posting (a declined proposal posts nothing; top-ups are not a district's).
            func report(_ who: String) async throws -> String {
                let result = try await staff.cli(["ledger", "report", "--year", String(CivilTime.chinaYear(Int64(Date().timeIntervalSince1970)))]
                                                 + staff.common(who))
                #expect(result.status == 0, "\(result.stderr)")
                return result.stdout
            }
            let hxReport = try await report("hx-super")
            #expect(!hxReport.contains("nanming") && hxReport.contains(",all,all,"), "\(hxReport)")
            _ = try await report("nm-super")
            _ = try await report("city-super")
            let journal = try await staff.cli(["ledger", "journal", "--json"] + staff.common("hx-super"))
            let entries = try journal.json() as? [Any]
            #expect(journal.status == 0 && entries?.isEmpty == true, "\(journal.stdout)")
        }
        let audit = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
    }
}
