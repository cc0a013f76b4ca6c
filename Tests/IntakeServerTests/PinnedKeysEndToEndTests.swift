import Foundation
import Testing
import TiplineDeployment

/// Issue 11, item 11: the CLI seals only to locally pinned keys (a keys.json file or its fingerprint),
/// never to keys the server sends unchecked.
@Suite("CLI seals to pinned keys only", .serialized)
struct PinnedKeysEndToEndTests {
    @Test("--server without a pin refuses to seal (note, reply, route); --keys FILE or a matching --keys-fingerprint works; a wrong fingerprint is refused")
    func pinning() async throws {
        let live = try LiveServer()
        try await live.run { live in
            let staff = TriageEndToEndTests.Staff(live: live, dir: live.holders.appendingPathComponent("workstations"))
            try await staff.enrol("triage1", role: "triage", centre: "nanming")
            let tip = try await live.postJSON("/api/v1/tips", ["category": "illegal-av", "district": "nanming", "description": "出售淫秽光盘"])
            let reference = try tip.json()["reference"] as! String
            // Reaching the server with no local deployment: no keys.json at hand.
            let bare = ["--deployment", "/nonexistent-tipline-deployment", "--server", live.adminURL,
                        "--ca", live.deployment.layout.tlsCA.path,
                        "--key", staff.dir.appendingPathComponent("staff-triage1.key.pem").path]
            let contentKey = ["--content-key", live.holders.appendingPathComponent("nanming-content.key.pem").path]

            let note = try await staff.cli(["tips", "note", reference, "--message", "内部备注"] + bare)
            #expect(note.status == 4, "\(note.stdout) \(note.stderr)")
            #expect(note.stderr.contains("拒绝加密") && note.stderr.contains("keys.json"))
            let reply = try await staff.cli(["tips", "reply", reference, "--message", "已收到"] + bare)
            #expect(reply.status == 4)
            let route = try await staff.cli(["tips", "route", reference, "--to", "huaxi", "--reason", "地点在花溪区"] + bare + contentKey)
            #expect(route.status == 4)
            // Nothing was sealed or sent.
            let counts = try live.readDatabase { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_note") ?? -1, try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_message WHERE author = 'centre'") ?? -1)
            }
            #expect(counts.0 == 0 && counts.1 == 0)

            let wrong = try await staff.cli(["tips", "note", reference, "--message", "内部备注", "--keys-fingerprint", String(repeating: "ab", count: 32)] + bare)
            #expect(wrong.status == 4 && wrong.stderr.contains("指纹"), "\(wrong.stderr)")

            let fingerprint = live.deployment.manifest.fingerprint
            let pinned = try await staff.cli(["tips", "note", reference, "--message", "内部备注", "--keys-fingerprint", fingerprint] + bare)
            #expect(pinned.status == 0, "\(pinned.stderr)")
            let keysFile = live.deployment.layout.keyManifest.path
            let local = try await staff.cli(["tips", "reply", reference, "--message", "已收到", "--keys", keysFile] + bare)
            #expect(local.status == 0, "\(local.stderr)")

            // `keys list` prints the fingerprint to pin.
            let list = try await staff.cli(["keys", "list", "--deployment", live.root.path])
            #expect(list.stdout.contains(fingerprint))
        }
    }
}
