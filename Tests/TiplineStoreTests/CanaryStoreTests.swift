import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore

/// Issue 13 item 9: a tip marked as an auditor's canary (`tip.canary`) leaves every queue, count and
/// notification; the mark is one audit entry in the same transaction; a second mark is refused.
@Suite("Canary tips in the store")
struct CanaryStoreTests {
    static let now: Int64 = 1_780_000_000

    static func member(_ centre: String, role: String, key: String) throws -> StaffMember {
        let json = """
            {"key_id":"\(key)","name":"\(role)","role":"\(role)","centre":"\(centre)",
             "public_key":"\(Data(repeating: 0, count: 32).base64EncodedString())","enrolled_at":0,"enrolled_by":"t"}
            """
        return try JSONDecoder().decode(StaffMember.self, from: Data(json.utf8))
    }

    @Test("Marking takes a tip out of queue, overdue, pending, stats, metrics, due-soon and the feed; the mark is one tip.canary entry; twice is a conflict that changes nothing")
    func marking() async throws {
        let fixture = try TemporaryDatabase()
        let tips = SQLiteTipStore(database: fixture.database, signer: fixture.signer, maxBatch: 1)
        let store = TriageStore(database: fixture.database, signer: fixture.signer, policies: TriageScaleTests.policies, centreKeys: [:])
        var inserted: [String] = []
        for offset in [0, 10, 20] {
            var tip = try fixture.newTip(receivedAt: Self.now - 100_000 + Int64(offset))
            tip.dueAt = Self.now - 1_000 + Int64(offset)  // overdue
            inserted.append(try await tips.insert(tip).reference.rawValue)
        }
        let references = inserted
        // A pending identity wrap on the canary, as a re-routing would leave.
        try await fixture.database.writer.write { db in
            try db.execute(sql: "INSERT INTO pending_identity_wrap(tip_id, centre, requested_at, requested_by) SELECT id, 'huaxi', 0, 'x' FROM tip WHERE reference = ?",
                           arguments: [references[1]])
        }
        let auditorKey = String(repeating: "a", count: 32)
        let auditor = StaffActor(member: try Self.member("city", role: "auditor", key: auditorKey), request: Data("signed request".utf8),
                                 signature: Data(repeating: 7, count: 64))
        let city = try Self.member("city", role: "triage", key: String(repeating: "b", count: 32))
        let nanming = try Self.member("nanming", role: "triage", key: String(repeating: "c", count: 32))
        let lastSeq = try await store.lastAuditSeq()
        #expect(try await store.stats(at: Self.now, for: nil).total == 3)
        #expect(try await store.pendingWraps(for: city).count == 1)

        try await store.markCanary(references[1], by: auditor, at: Self.now)
        #expect(try await store.canaryMarkedAt(references[1]) == Self.now)
        let entry = try await fixture.database.writer.read { db in
            try Row.fetchOne(db, sql: "SELECT seq, actor, action, subject, at, request FROM audit_entry ORDER BY seq DESC LIMIT 1")
        }
        #expect(entry?["seq"] as Int64? == lastSeq + 1)
        #expect(entry?["actor"] as String? == auditorKey && entry?["action"] as String? == "tip.canary")
        #expect(entry?["subject"] as String? == references[1] && entry?["at"] as Int64? == Self.now)
        guard try fixture.verify().chainIntact else { Issue.record("the chain is not intact after marking"); return }

        let others = [references[0], references[2]]
        for member in [city, nanming] {
            #expect(try await store.queue(.init(), for: member).map(\.reference) == others)
            #expect(try await store.queue(.init(overdueAt: Self.now), for: member).map(\.reference) == others)
            #expect(try await store.queue(.init(centre: "nanming", status: "received"), for: member).map(\.reference) == others)
            #expect(try await store.pendingWraps(for: member).isEmpty)
            let stats = try await store.stats(at: Self.now, for: member)
            #expect(stats.total == 2 && stats.overdueByCentre.map(\.count) == [2])
        }
        #expect(try await store.stats(at: Self.now, for: nil).total == 2)
        let metrics = try await store.metricCounts(at: Self.now)
        #expect(metrics.byCentreAndStatus.reduce(0) { $0 + $1.2 } == 2)
        #expect(metrics.overdueByCentre.reduce(0) { $0 + $1.1 } == 2)
        #expect(try await store.dueSoon(at: Self.now - 2_000).map(\.reference).allSatisfy { $0 != references[1] })
        #expect(try await store.eventSources(after: 0).map(\.subject).allSatisfy { $0 != references[1] })
        #expect(try await store.eventSources(after: 0).count == 2)

        // The tally the triggers keep equals a count of the tips that are not canaries.
        let (tally, counted) = try await fixture.database.writer.read { db in
            (try Int.fetchOne(db, sql: "SELECT sum(n) FROM tip_tally"), try Int.fetchOne(db, sql: "SELECT count(*) FROM tip WHERE canary_at IS NULL"))
        }
        #expect(tally == 2 && counted == 2)
        // A canary whose status later changes stays out of the tally.
        try await fixture.database.writer.write { db in
            try db.execute(sql: "UPDATE tip SET status = 'triaged', acted_at = ?, acted_on_time = 1 WHERE reference = ?", arguments: [Self.now, references[1]])
        }
        #expect(try await store.stats(at: Self.now, for: nil).total == 2)

        let before = try await fixture.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") }
        await #expect(throws: StoreError.self) { try await store.markCanary(references[1], by: auditor, at: Self.now + 1) }
        await #expect(throws: StoreError.notFound("tip GY-2026-999999")) { try await store.markCanary("GY-2026-999999", by: auditor, at: Self.now) }
        #expect(try await store.canaryMarkedAt(references[1]) == Self.now)
        #expect(try await fixture.database.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM audit_entry") } == before)
    }

    @Test("The queue and overdue queries still read the open-tip indexes (rebuilt with canary_at IS NULL by v10)")
    func queryPlans() async throws {
        let fixture = try TemporaryDatabase()
        let plans = try await fixture.database.writer.read { db -> [String] in
            let queries = [
                "SELECT t.* FROM tip t WHERE t.status != 'closed' AND t.canary_at IS NULL ORDER BY t.due_at, t.id LIMIT 200",
                "SELECT t.* FROM tip t WHERE t.centre = 'nanming' AND t.status != 'closed' AND t.canary_at IS NULL ORDER BY due_at, id LIMIT 200",
                "SELECT t.* FROM tip t WHERE t.status != 'closed' AND t.canary_at IS NULL AND t.assigned_to = 'k' ORDER BY t.due_at, t.id LIMIT 200",
                "SELECT centre, count(*) FROM tip INDEXED BY tip_open_centre_due WHERE status != 'closed' AND canary_at IS NULL AND due_at < 5 GROUP BY centre",
            ]
            return try queries.map { sql in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }.joined(separator: "; ")
            }
        }
        #expect(plans[0].contains("tip_open_due") || plans[0].contains("tip_open_centre_due"), "\(plans[0])")
        #expect(plans[1].contains("tip_open_centre_due"), "\(plans[1])")
        #expect(plans[2].contains("tip_open_assignee_due"), "\(plans[2])")
        #expect(plans[3].contains("INDEX tip_open_centre_due"), "\(plans[3])")
        #expect(plans.allSatisfy { !$0.contains("TEMP B-TREE FOR ORDER BY") }, "\(plans)")
    }
}
