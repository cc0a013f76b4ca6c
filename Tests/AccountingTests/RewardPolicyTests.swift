import Foundation
import Testing
@testable import Accounting
@testable import LedgerModel
import TiplineCore

@Suite("Reward policy: tiers in integer fen and basis points")
struct RewardPolicyTests {
    let policy = RewardPolicy.standard

    @Test("Each rule sets the range it should", arguments: [
        (RewardBasis(kind: .administrative), RewardTier.administrative, Int64(100_000), Int64(500_000), false),
        (RewardBasis(kind: .criminal), .criminal, 500_000, 1_000_000, false),
        // 2 % of ¥1,000,000 turnover = ¥20,000 > the criminal band.
        (RewardBasis(kind: .criminal, turnoverFen: Fen(100_000_000)), .illegalPublishingTurnover, 500_000, 2_000_000, false),
        // 2 % of a small turnover stays under the band: the band rules.
        (RewardBasis(kind: .administrative, turnoverFen: Fen(1_000_000)), .administrative, 100_000, 500_000, false),
        // 10 % of ¥300,000 fines = ¥30,000 for an equipment lead …
        (RewardBasis(kind: .administrative, finesAndConfiscationsFen: Fen(30_000_000), equipmentLead: true),
         .equipmentLead, 100_000, 3_000_000, false),
        // … but fines alone, without the equipment flag, raise nothing.
        (RewardBasis(kind: .administrative, finesAndConfiscationsFen: Fen(30_000_000)), .administrative, 100_000, 500_000, false),
        (RewardBasis(kind: .administrative, harmsMinorsOnline: true), .harmsMinorsOnline, 100_000, 5_000_000, false),
        // 2 % of ¥100,000,000 = ¥2,000,000, capped at ¥600,000.
        (RewardBasis(kind: .criminal, turnoverFen: Fen(10_000_000_000)), .illegalPublishingTurnover, 500_000, 60_000_000, true),
        // The largest turnover there is: no overflow, and the cap applies.
        (RewardBasis(kind: .administrative, turnoverFen: Fen(Int64.max)), .illegalPublishingTurnover, 100_000, 60_000_000, true),
    ])
    func ranges(outcome: RewardBasis, tier: RewardTier, minimum: Int64, maximum: Int64, capped: Bool) throws {
        let range = try policy.allowedRange(for: outcome)
        #expect(range == RewardRange(tier: tier, minimum: Fen(minimum), maximum: Fen(maximum), capped: capped))
    }

    @Test("Shares are exact integer arithmetic and never overflow")
    func shares() {
        #expect(RewardPolicy.share(of: 149, basisPoints: 200) == 2)
        #expect(RewardPolicy.share(of: 10_000, basisPoints: 200) == 200)
        #expect(RewardPolicy.share(of: Int64.max, basisPoints: 10_000) == Int64.max)
        #expect(RewardPolicy.share(of: Int64.max, basisPoints: 1_000) == Int64.max / 10)
    }

    @Test("Negative established amounts are refused")
    func negative() {
        #expect(throws: LedgerError.self) { try policy.allowedRange(for: RewardBasis(kind: .criminal, turnoverFen: Fen(-1))) }
    }

    @Test("Inconsistent policies are refused when the ledger opens")
    func invalid() throws {
        var bad = RewardPolicy.standard
        bad.tiers.administrative = .init(minFen: 500_000, maxFen: 100_000)
        #expect(throws: LedgerError.self) { try bad.validated() }
        bad = .standard
        bad.approval.distinctPeople = 1
        #expect(throws: LedgerError.self) { try bad.validated() }
        bad = .standard
        bad.approval.approverRoles = [.accountant]
        #expect(throws: LedgerError.self) { try bad.validated() }
        #expect(throws: LedgerError.self) {
            try Ledger(path: FileManager.default.temporaryDirectory.appendingPathComponent("never-\(UUID()).sqlite").path,
                       policy: bad)
        }
    }

    @Test("The verified outcome's canonical text round-trips and rejects anything else")
    func outcomeText() {
        let outcome = RewardBasis(kind: .criminal, turnoverFen: Fen(5), finesAndConfiscationsFen: nil,
                                      equipmentLead: true, harmsMinorsOnline: false)
        #expect(outcome.canonicalText == "kind=criminal;turnover=5;fines=-;equipment=1;minors=0")
        #expect(RewardBasis(canonicalText: outcome.canonicalText) == outcome)
        #expect(RewardBasis(canonicalText: "kind=criminal;turnover=-5;fines=-;equipment=1;minors=0") == nil)
        #expect(RewardBasis(canonicalText: "kind=criminal;turnover=05;fines=-;equipment=1;minors=0") == nil)
    }

    @Test("Policies/rewards.yaml, read by the real loader, is the fixture RewardPolicy.standard")
    func fileMatchesStandard() throws {
        let text = try String(contentsOf: Self.policiesDirectory().appendingPathComponent("rewards.yaml"), encoding: .utf8)
        #expect(try RewardPolicy.parse(file: "rewards.yaml", text: text) == .standard)
    }

    @Test("A broken rewards.yaml is refused with its file, line and key", arguments: [
        ("    max_fen: 500000\n", "    max_fen: -1\n", "tiers.administrative.max_fen"),  // out of range
        ("  approver_roles: [supervisor]", "  approver_roles: [accountant]", "approval.approver_roles"),  // widens the table
        ("  approver_roles: [supervisor]", "  approver_roles: [superviser]", "approval.approver_roles[0]"),  // typo
        ("max_single_reward_fen: 60000000", "max_single_reward_fen: 60000000\nbonus: 1", "bonus"),  // unknown key
        ("    min_fen: 500000\n    max_fen: 1000000", "    min_fen: 5000000\n    max_fen: 1000000", "tiers.criminal"),  // min > max
    ])
    func brokenFile(original: String, broken: String, key: String) throws {
        let text = try String(contentsOf: Self.policiesDirectory().appendingPathComponent("rewards.yaml"), encoding: .utf8)
        #expect(text.contains(original))
        let edited = text.replacingOccurrences(of: original, with: broken)
        do {
            _ = try RewardPolicy.parse(file: "rewards.yaml", text: edited)
            Issue.record("accepted a broken rewards.yaml (\(key))")
        } catch {
            #expect(error.file == "rewards.yaml")
            #expect(error.key == key, "\(error)")
            let line = try #require(error.line)
            // The line of the key itself, or (for a section) the first line inside it.
            let lines = edited.components(separatedBy: "\n")
            let name = key.split(separator: ".").last.map { String($0.prefix { $0 != "[" }) } ?? key
            #expect(lines[line - 1].contains(name) || (line >= 2 && lines[line - 2].contains(name + ":")), "line \(line): \(lines[line - 1])")
        }
    }

    @Test("The policy's coding keys are the YAML keys (a YAML decoder can build it)")
    func codingKeys() throws {
        let json = try JSONEncoder().encode(RewardPolicy.standard)
        let text = String(decoding: json, as: UTF8.self)
        for key in ["claim_window_seconds", "max_single_reward_fen", "distinct_people", "proposer_roles",
                    "illegal_publishing_turnover", "max_basis_points", "harms_minors_online", "min_fen"] {
            #expect(text.contains("\"\(key)\""))
        }
        #expect(try JSONDecoder().decode(RewardPolicy.self, from: json) == .standard)
    }

    /// `Policies/` of the repository, found from this file (the tests may run from a symlinked package).
    static func policiesDirectory() -> URL {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("Policies")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("rewards.yaml").path) { return candidate }
            url.deleteLastPathComponent()
        }
        return url
    }
}
