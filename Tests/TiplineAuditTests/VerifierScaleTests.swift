import Foundation
import Testing
import TiplineAudit

/// `audit verify` streams the chain: 100,000 entries (override with TIPLINE_AUDIT_BENCH_TIPS; each
/// tip makes two entries) must complete, and the time is printed for the benchmark log.
@Suite("Verify at scale")
struct VerifierScaleTests {
    @Test("audit verify on 100,000 entries passes and reports its time")
    func hundredThousand() throws {
        let tips = ProcessInfo.processInfo.environment["TIPLINE_AUDIT_BENCH_TIPS"].flatMap(Int.init) ?? 50_000
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
}
