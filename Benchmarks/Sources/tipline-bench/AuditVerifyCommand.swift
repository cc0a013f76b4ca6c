import ArgumentParser
import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore

/// `tipline-bench audit-verify`: walks the whole audit chain with `AuditLog.verifyChain` against the
/// server key of `public/keys.json` (read-only; safe while the server runs).
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-verify", abstract: "Verify the audit chain of a deployment's database (exit 1 if broken).")

    @OptionGroup var target: DeploymentOption

    func run() throws {
        let deployment = try Deployment.open(at: target.url)
        let database = try AppDatabase(path: deployment.layout.database.path, readOnly: true)
        let signers = [deployment.manifest.server.keyID: try deployment.manifest.serverPublicKey()]
        let start = monotonicNanos()
        let (result, tips) = try database.writer.read { db in
            (try AuditLog.verifyChain(in: db, signers: signers), try Int.fetchOne(db, sql: "SELECT count(*) FROM tip") ?? 0)
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        switch result {
        case .intact(let count, let head):
            print("audit_chain=intact")
            print("audit_entries=\(count)")
            print("audit_head=\(Hex.encode(Array(head)))")
            print("tips=\(tips)")
            print("verify_seconds=\(format(seconds, 3))")
        case .broken(let seq, let problem):
            print("audit_chain=broken")
            print("audit_broken_at=\(seq)")
            print("audit_problem=\(problem.rawValue)")
            throw ExitCode(1)
        }
    }
}
