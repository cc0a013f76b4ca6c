import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore
import TiplineTestSupport

/// Issue 15: a recorded tip is stored as a web tip plus its channel and the officer's `tip.record`
/// entry, right after `tip.received`, in one transaction; `stats` counts by channel for every scope.
@Suite("Recorded tips in the store")
struct RecordedTipStoreTests {
    static let now: Int64 = 1_780_000_000

    @Test("recordTip stores the channel and tip.received then tip.record in one transaction; a reused record id is a conflict that changes nothing; stats by channel match a direct count for every scope; the CHECK refuses an unknown channel")
    func recording() async throws {
        let fixture = try TemporaryDatabase()
        let tips = SQLiteTipStore(database: fixture.database, signer: fixture.signer, maxBatch: 1)
        let store = TriageStore(database: fixture.database, signer: fixture.signer, policies: TriageScaleTests.policies, centreKeys: [:])
        _ = try await tips.insert(try fixture.newTip(receivedAt: Self.now - 50))
        let officerKey = String(repeating: "d", count: 32)
        let officer = StaffActor(member: try CanaryStoreTests.member("nanming", role: "triage", key: officerKey),
                                 request: Data("signed request".utf8), signature: Data(repeating: 7, count: 64))
        var phone = try fixture.newTip(receivedAt: Self.now - 10)
        phone.channel = .phone
        let stored = try await store.recordTip(phone, by: officer)
        let entries = try await fixture.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, actor, action, subject, details FROM audit_entry WHERE subject = ? ORDER BY seq",
                             arguments: [stored.reference.rawValue])
        }
        #expect(entries.map { $0["action"] as String } == ["tip.received", "tip.record"])
        #expect((entries[1]["seq"] as Int64) == (entries[0]["seq"] as Int64) + 1)
        #expect(entries[1]["actor"] as String == officerKey)
        #expect((entries[0]["details"] as String).contains("\"channel\":\"phone\""))
        #expect((entries[1]["details"] as String).contains("\"channel\":\"phone\""))
        guard try fixture.verify().chainIntact else { Issue.record("the chain is not intact after recording"); return }

        // The same record id again: refused before anything is written.
        let count = try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry") }
        var again = try fixture.newTip(receivedAt: Self.now)
        again.uid = phone.uid
        again.channel = .letter
        await #expect(throws: StoreError.self) { try await store.recordTip(again, by: officer) }
        #expect(try await fixture.database.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM audit_entry") } == count)

        var visit = try fixture.newTip(receivedAt: Self.now - 5)
        visit.channel = .visit
        _ = try await store.recordTip(visit, by: officer)
        for member in [nil, try CanaryStoreTests.member("nanming", role: "triage", key: officerKey),
                       try CanaryStoreTests.member("huaxi", role: "triage", key: String(repeating: "e", count: 32))] {
            let stats = try await store.stats(at: Self.now, for: member)
            let reference = try await fixture.database.writer.read { db in
                try TriageStore.referenceStats(db, at: Self.now, for: member)
            }
            #expect(stats.byChannel == reference.byChannel, "\(member?.centre ?? "all")")
            #expect(stats.byChannel.reduce(0) { $0 + $1.count } == stats.total)
        }
        let queue = try await store.queue(.init(), for: try CanaryStoreTests.member("city", role: "triage", key: String(repeating: "b", count: 32)))
        #expect(Set(queue.map(\.channel)) == [.web, .phone, .visit])

        await #expect(throws: (any Error).self) {
            try await fixture.database.writer.write { db in try db.execute(sql: "UPDATE tip SET channel = 'fax'") }
        }
        // v16 widened the CHECK in place for reports turned into tips: `informant` is accepted, the
        // rest still refused, and the file is sound.
        try await fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE tip SET channel = 'informant' WHERE id = (SELECT min(id) FROM tip)")
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE name = 'tip'")?.contains("'informant'") == true)
        }
    }
}
