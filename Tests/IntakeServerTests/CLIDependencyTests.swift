import Foundation
import Testing

/// Issue 12 "Done when": the staff CLI does not depend on GRDB (staff machines read no database);
/// the auditor's tool, which does, is the separate `tipline-audit` that `tipline-admin audit` runs.
@Suite("The staff CLI links no storage")
struct CLIDependencyTests {
    @Test("No GRDB symbol in tipline-admin; tipline-audit has them (so the search can fail)")
    func noGRDBInStaffCLI() throws {
        let admin = try Data(contentsOf: CLIRunner.executable("tipline-admin"), options: .alwaysMapped)
        let audit = try Data(contentsOf: CLIRunner.executable("tipline-audit"), options: .alwaysMapped)
        #expect(admin.range(of: Data("GRDB".utf8)) == nil)
        #expect(audit.range(of: Data("GRDB".utf8)) != nil)
    }

    @Test("tipline-admin audit runs tipline-audit: the same answer and exit code")
    func forwards() async throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-deployment-\(UUID().uuidString)").path
        let viaAdmin = try await CLIRunner.run(["audit", "verify", "--deployment", missing], passphrase: "")
        #expect(viaAdmin.status != 0)
        #expect(viaAdmin.stderr.contains("tipline-audit"), "\(viaAdmin.stderr)")
    }
}
