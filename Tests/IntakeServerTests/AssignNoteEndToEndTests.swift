import Foundation
import GRDB
import Testing

/// Issue 12 item 13: `tips assign` and `tips note` through the real CLI and server, and the S-4.1
/// on-time rate after real status changes (one first action inside its tier's time, one after it).
@Suite("Assign, note and the on-time rate over the signed admin API")
struct AssignNoteEndToEndTests {
    typealias Staff = TriageEndToEndTests.Staff

    static func submit(_ live: LiveServer, district: String) async throws -> String {
        let reply = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": district, "description": "出售淫秽光盘"])
        #expect(reply.status == 201, "\(reply.text)")
        return try reply.json()["reference"] as! String
    }

    static func keyID(_ staff: Staff, _ name: String) async throws -> String {
        let me = try await staff.cli(["staff", "whoami"] + staff.common(name))
        #expect(me.status == 0, "\(me.stderr)")
        return try #require(me.stdout.split(separator: " ").last.map(String.init)?.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("tips assign: to a colleague who sees the tip (shown in the queue), never to another district's staff; tips note: sealed to the centres, read back with tips show, never stored in clear; audit verify passes")
    func assignAndNote() async throws {
        let live = try LiveServer()
        let note = "NoteCanary\(UUID().uuidString.prefix(8)) 已电话核实地址"
        try await live.run { live in
            let reference = try await Self.submit(live, district: "nanming")
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            for (name, centre) in [("wang", "nanming"), ("li", "nanming"), ("zhao", "huaxi")] {
                try await staff.enrol(name, role: "triage", centre: centre)
            }
            let wang = staff.common("wang") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let li = try await Self.keyID(staff, "li")
            let zhao = try await Self.keyID(staff, "zhao")

            let assigned = try await staff.cli(["tips", "assign", reference, "--to", li] + wang)
            #expect(assigned.status == 0, "\(assigned.stderr)")
            let queue = try await staff.cli(["tips", "queue", "--json"] + wang)
            let row = (try queue.json() as? [[String: Any]])?.first { $0["reference"] as? String == reference }
            #expect(row?["assigned_to"] as? String == li)
            // Another district's officer cannot see the tip, so cannot be given it: refused, nothing changed.
            let refused = try await staff.cli(["tips", "assign", reference, "--to", zhao] + wang)
            #expect(refused.status == 4, "\(refused.stdout) \(refused.stderr)")
            let after = try await staff.cli(["tips", "queue", "--json"] + wang)
            #expect((try after.json() as? [[String: Any]])?.first { $0["reference"] as? String == reference }?["assigned_to"] as? String == li)

            let noted = try await staff.cli(["tips", "note", reference, "--message", note] + wang)
            #expect(noted.status == 0, "\(noted.stderr)")
            let shown = try await staff.cli(["tips", "show", reference, "--json"] + wang)
            let messages = (try shown.json() as? [String: Any])?["messages"] as? [[String: String]] ?? []
            #expect(messages.contains { $0["kind"] == "note" && $0["text"]?.contains(note) == true }, "\(shown.stdout)")
        }
        for (file, bytes) in live.dataFiles() {
            #expect(bytes.range(of: Data(note.prefix(18).utf8)) == nil, "the note in clear in \(file.lastPathComponent)")
        }
        #expect(!live.logs.all.contains(String(note.prefix(18))))
        let verify = try await CLIRunner.run(["audit", "verify", "--deployment", live.root.path], passphrase: "")
        #expect(verify.status == 0, "\(verify.stdout) \(verify.stderr)")
    }

    @Test("The on-time rate counts real first actions: one inside the tier's time, one after it → 1 of 2 on time")
    func onTimeRate() async throws {
        let live = try LiveServer()
        let clock = AdjustableClock(offset: -3 * 86_400)
        try await live.run(time: clock) { live in
            // Both tips arrive three days ago as routine-or-more (the policy gives every urgency less than three days but routine).
            let late = try await Self.submit(live, district: "baiyun")
            clock.offset = 0
            let fresh = try await Self.submit(live, district: "baiyun")
            let staff = Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("chen", role: "triage", centre: "baiyun")
            let chen = staff.common("chen")
            // The late tip is raised to major (1 hour): its first action, now, is three days after arrival.
            #expect(try await staff.cli(["tips", "urgency", late, "major", "--reason", "涉及未成年人"] + chen).status == 0)
            #expect(try await staff.cli(["tips", "urgency", fresh, "major", "--reason", "涉及未成年人"] + chen).status == 0)
            for reference in [late, fresh] {
                let moved = try await staff.cli(["tips", "status", reference, "triaged"] + chen)
                #expect(moved.status == 0, "\(moved.stderr)")
            }
            let stats = try await staff.cli(["stats", "--json"] + chen)
            let onTime = (try stats.json() as? [String: Any])?["on_time"] as? [[String: Any]] ?? []
            let major = onTime.first { $0["urgency"] as? String == "major" }
            #expect(major?["acted"] as? Int == 2, "\(stats.stdout)")
            #expect(major?["on_time"] as? Int == 1, "\(stats.stdout)")
        }
    }
}
