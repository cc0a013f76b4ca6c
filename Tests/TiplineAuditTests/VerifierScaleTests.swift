import Foundation
import GRDB
import Testing
import TiplineAudit
import TiplineDeployment

/// `audit verify` streams the chain: 20,002 entries by default (ten signature batches of 2,048; each
/// tip makes two entries) must verify in full. The scale figure (10^6 entries < 60 s, release build)
/// is `Benchmarks/audit.sh`'s job, not the unit suite's: set TIPLINE_AUDIT_BENCH_TIPS=50000 to rerun
/// the 100,002-entry story this test used to be (it alone took 340 s of CPU in a debug build).
@Suite("Verify at scale", .tags(.slow, .scale))
struct VerifierScaleTests {
    @Test("audit verify streams 20,002 entries (ten signature batches) and passes; TIPLINE_AUDIT_BENCH_TIPS sets the size")
    func streamsManyBatches() throws {
        let tips = ProcessInfo.processInfo.environment["TIPLINE_AUDIT_BENCH_TIPS"].flatMap(Int.init) ?? 10_000
        let built = Date()
        let deployment = try SyntheticDeployment(tips: tips)
        print("audit bench: built \(2 * tips + 2) entries in \(String(format: "%.1f", Date().timeIntervalSince(built))) s")
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: deployment.root)).verify { done, total in
            print("audit bench: \(done)/\(total)")
        }
        print("audit bench: verify of \(report.entries) entries and \(report.tips) tips took \(String(format: "%.2f", report.seconds)) s")
        #expect(report.passed, "\(report.checks.filter { !$0.passed }.map { "\($0.name.rawValue): \($0.first?.text ?? "")" })")
        #expect(report.entries == Int64(2 * tips + 2))
        #expect(report.tips == tips)
    }

    /// Signatures are verified in batches of 2,048 on worker threads while the chain replays; a bad
    /// one in any batch must be found, and the first reported must be the earliest, whichever
    /// batch finishes first.
    @Test("Forged server signatures in different batches are all found; the earliest is reported first")
    func forgedSignaturesAcrossBatches() throws {
        let deployment = try SyntheticDeployment(tips: 4_000)  // 8,002 entries: four batches
        let queue = try DatabaseQueue(path: DeploymentLayout(root: deployment.root).database.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER IF EXISTS audit_entry_no_update")
            for seq in [7_001, 2_500, 6_000] {
                try db.execute(sql: "UPDATE audit_entry SET signature = zeroblob(64) WHERE seq = ?", arguments: [seq])
            }
        }
        let report = try AuditVerifier(sources: try AuditSources.deployment(at: deployment.root)).verify()
        let signatures = try #require(report.checks.first { $0.name == .signatures })
        #expect(signatures.failures == 3)
        #expect(signatures.first?.seq == 2_500)
        #expect(report.checks.first { $0.name == .chain }?.passed == true)
        #expect(!report.passed)
    }
}
