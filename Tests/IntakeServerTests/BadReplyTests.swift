import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
import TiplineStore

/// Issue 11, item 5: one bad reply must not lock a reporter out of their follow-up.
@Suite("A bad reply does not break follow-up", .serialized)
struct BadReplyTests {
    @Test("A corrupted reply in the database: follow-up answers 200 with the other messages, the count of unreadable ones and the reward state; the CLI flags the reply")
    func corruptedReply() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("nm-triage", role: "triage", centre: "nanming")
            let nm = staff.common("nm-triage") + ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]
            let submitted = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming",
                                                                     "description": "出售淫秽光盘", "wants_reward": true])
            let reference = try submitted.json()["reference"] as! String
            let receipt = try submitted.json()["receipt"] as! String
            for text in ["第一条回复", "第二条回复"] {
                let reply = try await staff.cli(["tips", "reply", reference, "--message", text] + nm)
                #expect(reply.status == 0, "\(reply.stderr)")
            }
            let nanming = try live.holderKey("nanming", .content).publicKey.keyID
            // The second reply goes bad: its reporter wrap loses a byte, and the centre's wrap now opens
            // to another key (as a buggy or hostile client could have sent it).
            let queue = try DatabaseQueue(path: live.deployment.layout.database.path)
            try await queue.write { db in
                let row = try #require(try Row.fetchOne(db, sql: "SELECT id, envelope FROM tip_message ORDER BY id DESC LIMIT 1"))
                var envelope = try JSONDecoder().decode(Envelope.self, from: row["envelope"] as Data)
                let centre = try live.holderKey("nanming", .content).publicKey
                for (index, wrap) in envelope.wraps.enumerated() {
                    if wrap.recipientKeyID == nanming {
                        envelope.wraps[index] = try EnvelopeCrypto.wrap(DataKey.random(.content), recordID: envelope.recordID, for: centre)
                    } else {
                        var blob = wrap.serialized()
                        blob[50] ^= 0x01
                        envelope.wraps[index] = try RecipientWrap(keyClass: .content, recipientKeyID: wrap.recipientKeyID, serialized: blob)
                    }
                }
                try db.execute(sql: "UPDATE tip_message SET envelope = ? WHERE id = ?", arguments: [try JSONEncoder().encode(envelope), row["id"] as Int64])
            }

            let followup = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            #expect(followup.status == 200, "\(followup.text)")
            let json = try followup.json()
            let messages = try #require(json["messages"] as? [[String: Any]])
            #expect(messages.map { $0["text"] as? String } == ["第一条回复"])
            #expect(json["unreadable_messages"] as? Int == 1)
            #expect((json["reward"] as? [String: Any])?["state"] as? String == "requested")

            // The reporter can still write, and the thread still opens afterwards.
            let posted = try await live.postJSON("/api/v1/followup/messages", ["receipt": receipt, "text": "谢谢"])
            #expect(posted.status < 300, "\(posted.text)")
            let again = try await live.postJSON("/api/v1/followup", ["receipt": receipt])
            #expect((try again.json()["messages"] as? [[String: Any]])?.count == 2)

            let shown = try await staff.cli(["tips", "show", reference, "--json"] + nm)
            #expect(shown.status == 0, "\(shown.stderr)")
            let thread = try #require((try shown.json() as? [String: Any])?["messages"] as? [[String: String]])
            #expect(thread.map { $0["text"] ?? "" }.filter { $0.contains("bad message") }.count == 1, "\(thread)")
            #expect(thread.contains { $0["text"] == "第一条回复" } && thread.contains { $0["text"] == "谢谢" })
        }
    }
}
