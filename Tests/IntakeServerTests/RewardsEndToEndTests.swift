import Foundation
import Testing
import TiplineCore

/// The rewards issue end to end: a verified tip's reporter is paid by voucher code, anonymously.
@Suite("Rewards over the admin API", .serialized)
struct RewardsEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    @Test("wants_reward tip → verified (administrative) → propose ¥3,000 → second supervisor approves → reporter sees the code → accountant redeems once → ledger verify passes")
    func voucherFlow() async throws {
        let live = try LiveServer()
        let canary = "CanaryRewardName\(UUID().uuidString.prefix(6))"
        let phone = "139\(Int.random(in: 10_000_000...99_999_999))"
        try await live.run { live in
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            try await staff.enrol("super1", role: "supervisor", centre: "nanming")
            try await staff.enrol("super2", role: "supervisor", centre: "city")
            try await staff.enrol("cashier", role: "accountant", centre: "city")
            let contentKey = ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let triage = staff.common("triage1") + contentKey
            let super1 = staff.common("super1")
            let super2 = staff.common("super2")
            let cashier = staff.common("cashier")

            let created = try await live.postJSON("/api/v1/tips", [
                "category": "illegal-publication", "district": "nanming", "description": "地下印刷厂", "wants_reward": true,
                "reporter": ["name": canary, "phone": phone],
            ])
            let reference = try #require(try created.json()["reference"] as? String)
            let receipt = try #require(try created.json()["receipt"] as? String)

            // Not yet verified: refused.
            let early = try await staff.cli(["ledger", "propose", reference, "--amount", "3000"] + triage)
            #expect(early.status == 4 && early.stderr.contains("verified"), "\(early.stderr)")

            for step in [["triaged"], ["verifying", "--unit", "南明区文化执法大队"], ["verified", "--outcome", "administrative", "--fines", "20000"]] {
                let moved = try await staff.cli(["tips", "status", reference] + step + triage)
                #expect(moved.status == 0, "\(moved.stderr)")
            }
            #expect(try await staff.cli(["ledger", "fund", "--amount", "2000", "--memo", "2026 budget"] + cashier).status == 0)

            let outside = try await staff.cli(["ledger", "propose", reference, "--amount", "6000"] + triage)
            #expect(outside.status == 4 && outside.stderr.contains("¥1,000.00"), "\(outside.stderr)")
            let proposed = try await staff.cli(["ledger", "propose", reference, "--amount", "3000"] + triage)
            #expect(proposed.status == 0, "\(proposed.stderr)")

            let tooSmall = try await staff.cli(["ledger", "approve", reference] + super2)
            #expect(tooSmall.status == 4, "approved with a ¥2,000 fund: \(tooSmall.stdout)")
            #expect(try await staff.cli(["ledger", "fund", "--amount", "8000", "--memo", "top-up"] + cashier).status == 0)

            let approved = try await staff.cli(["ledger", "approve", reference] + super2)
            #expect(approved.status == 0, "\(approved.stderr)")
            #expect(!approved.stdout.contains("-") || !approved.stdout.contains("voucher code"))

            let followup = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            let reward = try #require(try followup.json()["reward"] as? [String: Any])
            #expect(reward["state"] as? String == "approved")
            #expect(reward["amount_fen"] as? Int == 300_000)
            let code = try #require(reward["voucher_code"] as? String)
            #expect(code.filter { $0.isLetter || $0.isNumber }.count == 20)

            let unknown = try await staff.cli(["ledger", "redeem", "0000 0000 0000 0000 0000"] + cashier)
            #expect(unknown.status == 3, "\(unknown.stderr)")
            // Issue 13 item 9: the cashier looks first (typed full-width, lower case, any dash); nothing moves.
            let typed = String(code.lowercased().map { $0 == "-" ? "—" : $0 })
            let looked = try await CLIRunner.run(["ledger", "voucher", typed] + cashier, passphrase: staff.passphrase, environment: ["TIPLINE_LANG": "zh"])
            #expect(looked.status == 0 && looked.stdout.contains("¥3,000.00") && looked.stdout.contains("可兑付") && looked.stdout.contains("UTC+8"),
                    "\(looked.stdout) \(looked.stderr)")
            let lookedAgain = try await staff.cli(["ledger", "voucher", code, "--json"] + cashier)
            #expect((try lookedAgain.json() as? [String: String])?["status"] == "approved", "a lookup pays nothing")
            let paid = try await staff.cli(["ledger", "redeem", code] + cashier)
            #expect(paid.status == 0, "\(paid.stderr)")
            #expect(paid.stdout.contains("¥3,000.00"))
            #expect(!paid.stderr.contains("idempotency"), "the idempotency key is shown only with --verbose")
            let again = try await staff.cli(["ledger", "redeem", code] + cashier)
            #expect(again.status == 4, "a voucher paid twice")
            let afterPaid = try await staff.cli(["ledger", "voucher", code, "--json"] + cashier)
            #expect((try afterPaid.json() as? [String: String])?["status"] == "paid")

            let verify = try await staff.cli(["ledger", "verify"] + cashier)
            #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
            let offline = try await staff.cli(["ledger", "verify", "--ledger", live.deployment.layout.ledgerDatabase.path] + cashier)
            #expect(offline.status == 0, "\(offline.stdout) \(offline.stderr)")
            let balance = try await staff.cli(["ledger", "balance", "--json"] + cashier)
            let balances = try #require(try balance.json() as? [String: Int])
            #expect(balances["paid"] == 300_000 && balances["fund"] == 700_000 && balances["payable"] == 0, "\(balances)")
            // Journal scoped like rewards: nanming's supervisor reads its reward's approve and redeem postings,
            // not the fund's top-ups; the city's reads everything.
            func kinds(_ who: [String]) async throws -> [String] {
                let journal = try await staff.cli(["ledger", "journal", "--json"] + who)
                return ((try journal.json() as? [[String: Any]]) ?? []).compactMap { $0["kind"] as? String }
            }
            let nanmingKinds = try await kinds(super1)
            let cityKinds = try await kinds(super2)
            #expect(nanmingKinds == ["approve", "redeem"] && cityKinds.filter { $0 != "fund" } == ["approve", "redeem"] && cityKinds.contains("fund"), "\(nanmingKinds) \(cityKinds)")

            let after = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            #expect((try after.json()["reward"] as? [String: Any])?["state"] as? String == "paid")

            // A second reward for the same tip is refused.
            let twice = try await staff.cli(["ledger", "propose", reference, "--amount", "3000"] + triage)
            #expect(twice.status == 4)

            // Self-approval: super1 proposes and approves a second verified tip.
            let second = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "网站", "wants_reward": true])
            let secondRef = try #require(try second.json()["reference"] as? String)
            for step in [["triaged"], ["verifying", "--unit", "网警"], ["verified", "--outcome", "criminal"]] {
                #expect(try await staff.cli(["tips", "status", secondRef] + step + triage).status == 0)
            }
            #expect(try await staff.cli(["ledger", "propose", secondRef, "--amount", "5000"] + super1).status == 0)
            let selfApproval = try await staff.cli(["ledger", "approve", secondRef] + super1)
            #expect(selfApproval.status == 4 && selfApproval.stderr.contains("second"), "\(selfApproval.stderr)")

            // A duplicate of an earlier tip is refused.
            let third = try await live.postJSON("/api/v1/tips", ["category": "online", "district": "nanming", "description": "同一网站", "wants_reward": true])
            let thirdRef = try #require(try third.json()["reference"] as? String)
            #expect(try await staff.cli(["tips", "duplicate", thirdRef, "--of", secondRef, "--reason", "同一地点同一商户"] + triage).status == 0)
            for step in [["triaged"], ["verifying", "--unit", "网警"], ["verified", "--outcome", "criminal"]] {
                #expect(try await staff.cli(["tips", "status", thirdRef] + step + triage).status == 0)
            }
            let duplicate = try await staff.cli(["ledger", "propose", thirdRef, "--amount", "5000"] + triage)
            #expect(duplicate.status == 4 && duplicate.stderr.contains("duplicate"), "\(duplicate.stderr)")
        }
        // The auditor's verification covers the reward actions too.
        let audit = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "unused")
        #expect(audit.status == 0, "\(audit.stdout) \(audit.stderr)")
        // The ledger knows no identity and no voucher code in clear.
        for suffix in ["", "-wal", "-shm"] {
            guard let bytes = FileManager.default.contents(atPath: live.deployment.layout.ledgerDatabase.path + suffix) else { continue }
            for value in [canary, phone] { #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value) in ledger.sqlite\(suffix)") }
        }
        let actions = try live.readDatabase { try String.fetchAll($0, sql: "SELECT action FROM audit_entry") }
        for action in ["reward.propose", "reward.approve", "ledger.fund", "ledger.redeem"] {
            #expect(actions.contains(action), "\(action) not audited")
        }
    }
}
