import Foundation
import Testing
import TiplineDeployment

/// Issue 11, "Also", through the real CLI: `tips show --save-evidence` writes privately, and text
/// from the data reaches the terminal without control characters.
@Suite("tips show: evidence files and terminal safety", .serialized)
struct ShowSafetyEndToEndTests {
    @Test("--save-evidence: 0700 directory, <typed reference>-<index>.<ext> files 0600, never over an existing file; a note's escape sequences are stripped")
    func showSafely() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let triage = staff.common("triage1") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let jpeg = Array(try Data(contentsOf: fixturesDirectory.appendingPathComponent("baseline.jpg")))
            let posted = try await live.postMultipart("/api/v1/tips", tip: ["category": "illegal-av", "district": "nanming", "description": "出售淫秽光盘"],
                                                      files: [jpeg, jpeg])
            #expect(posted.status == 201, "\(posted.text)")
            let reference = try posted.json()["reference"] as! String

            let out = live.holders.appendingPathComponent("evidence-\(UUID().uuidString)")
            let shown = try await staff.cli(["tips", "show", reference, "--save-evidence", out.path] + triage)
            #expect(shown.status == 0, "\(shown.stderr)")
            let mode = { (url: URL) in try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as! Int }
            #expect(try mode(out) == 0o700)
            let names = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
            #expect(names == ["\(reference)-1.jpeg", "\(reference)-2.jpeg"])
            for name in names { #expect(try mode(out.appendingPathComponent(name)) == 0o600) }
            // Again into the same directory: refused, the files stay as they were.
            let again = try await staff.cli(["tips", "show", reference, "--save-evidence", out.path] + triage)
            #expect(again.status != 0)

            // A note carrying terminal controls (a clear-screen, a window title, a bidi override).
            let hostile = "\u{1B}[2J\u{1B}]0;pwned\u{07}看这里\u{202E}gpj.exe\u{9B}31m"
            #expect(try await staff.cli(["tips", "note", reference, "--message", hostile] + triage).status == 0)
            let text = try await staff.cli(["tips", "show", reference] + triage)
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("看这里gpj.exe"))
            #expect(!text.stdout.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x9B || $0.value == 0x07 })
        }
    }
}
