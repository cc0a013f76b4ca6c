import Foundation
import GRDB
import Sealing
import Testing
import TiplineCore
@testable import TiplineStore
import TiplineTestSupport

/// Migration v3 (triage at scale): the index-ordered queue and the tally-based stats must answer
/// exactly what the straightforward queries they replace answered, for every scope and filter.
@Suite("Triage queries at scale", .tags(.slow, .scale))
struct TriageScaleTests {
    static let policies: PolicySet = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Policies")
        return try! PolicySet.load(from: url)
    }()
    static let centres = ["city", "nanming", "yunyan", "huaxi"]
    static let statuses = TipStatus.allCases.map(\.rawValue)
    static let now: Int64 = 1_780_000_000

    static func member(_ centre: String) throws -> StaffMember {
        let json = """
            {"key_id":"\(String(repeating: "0", count: 32))","name":"t","role":"triage","centre":"\(centre)",
             "public_key":"\(Data(repeating: 0, count: 32).base64EncodedString())","enrolled_at":0,"enrolled_by":"t"}
            """
        return try JSONDecoder().decode(StaffMember.self, from: Data(json.utf8))
    }

    /// `count` tips over a few centres, then random status moves, re-routings, copies and urgencies.
    static func populate(_ fixture: TemporaryDatabase, writer: any DatabaseWriter, count: Int, seed: UInt64) async throws {
        var rng = SeededGenerator(seed: seed)
        let tips = try (0..<count).map { _ in try fixture.newTip(receivedAt: now - Int64.random(in: 0...2_000_000, using: &rng)) }
        let plan = tips.map { _ in (centre: centres.randomElement(using: &rng)!, major: Bool.random(using: &rng)) }
        let signer = fixture.signer
        let seedValue = seed
        try await writer.write { db in
            var rng = SeededGenerator(seed: seedValue &+ 1)
            for (tip, plan) in zip(tips, plan) {
                var tip = tip
                tip.routing = RoutingDecision(centre: CentreID(plan.centre), copies: plan.major && plan.centre != "city" ? ["city"] : [],
                                              rule: "test", policyHash: String(repeating: "a", count: 64))
                tip.urgency = plan.major ? .major : [.important, .routine].randomElement(using: &rng)!
                tip.dueAt = tip.receivedAt + Int64.random(in: 3_600...1_000_000, using: &rng)
                tip.category = ["online", "other", "illegal-av"].randomElement(using: &rng)!
                _ = try SQLiteTipStore.insert(tip, submissionHash: tip.submissionHash, signer: signer, in: db)
            }
            // Triage history, re-routings and copies to districts (rare in life, but the queries must handle them).
            for id in try Int64.fetchAll(db, sql: "SELECT id FROM tip") {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<3: break
                case 3..<8:
                    let status = statuses.randomElement(using: &rng)!
                    let acted = now - Int64.random(in: 0...1_000_000, using: &rng)
                    try db.execute(sql: """
                        UPDATE tip SET status = ?, acted_at = ?, acted_on_time = (? <= due_at), due_at = due_at + ?,
                          closed_at = CASE WHEN ? = 'closed' THEN ? END WHERE id = ?
                        """, arguments: [status, acted, acted, Int64.random(in: -500_000...500_000, using: &rng), status, acted, id])
                case 8:
                    try db.execute(sql: "UPDATE tip SET centre = ?, urgency = 'important' WHERE id = ?",
                                   arguments: [centres.randomElement(using: &rng)!, id])
                default:
                    try db.execute(sql: "INSERT OR IGNORE INTO tip_copy(tip_id, centre) VALUES (?, ?)",
                                   arguments: [id, centres.randomElement(using: &rng)!])
                }
            }
            // Some ties in due time, so the id tie-break is exercised.
            try db.execute(sql: "UPDATE tip SET due_at = ? WHERE id % 17 = 0", arguments: [now - 100])
            try db.execute(sql: "UPDATE tip SET duplicate_of = id - 1 WHERE id % 13 = 0")
        }
    }


    @Test("queue and stats answer exactly as the full-scan queries did, for every scope and filter")
    func sameAnswers() async throws {
        let fixture = try TemporaryDatabase()
        try await Self.populate(fixture, writer: fixture.database.writer, count: 400, seed: 11)
        let store = TriageStore(database: fixture.database, signer: fixture.signer, policies: Self.policies, centreKeys: [:])
        var filters: [TriageStore.QueueFilter] = [.init(), .init(limit: 7), .init(limit: 10_000), .init(overdueAt: Self.now),
                                                  .init(overdueAt: Self.now, limit: 5), .init(status: "closed", overdueAt: Self.now)]
        for status in Self.statuses { filters.append(.init(status: status)); filters.append(.init(status: status, limit: 3)) }
        for centre in Self.centres { filters.append(.init(centre: centre)); filters.append(.init(centre: centre, overdueAt: Self.now, limit: 9)) }
        for centre in Self.centres {
            let member = try Self.member(centre)
            for filter in filters {
                let expected = try await fixture.database.writer.read { try TriageStore.referenceQueue($0, filter, for: member) }
                let actual = try await store.queue(filter, for: member)
                #expect(actual == expected, "member \(centre), filter \(filter.centre ?? "-") \(filter.status ?? "-") \(filter.overdueAt.map(String.init) ?? "-") \(filter.limit)")
            }
        }
        for member in try [nil] + Self.centres.map(Self.member) {
            let expected = try await fixture.database.writer.read { try TriageStore.referenceStats($0, at: Self.now, for: member) }
            #expect(try await store.stats(at: Self.now, for: member) == expected, "stats for \(member?.centre ?? "nil")")
        }
        // The tally equals a direct count after all those updates.
        let (tally, direct) = try await fixture.database.writer.read { db in
            (try Int.fetchAll(db, sql: "SELECT sum(n) FROM tip_tally GROUP BY centre, status ORDER BY centre, status"),
             try Int.fetchAll(db, sql: "SELECT count(*) FROM tip GROUP BY centre, status ORDER BY centre, status"))
        }
        #expect(tally == direct)
        #expect(try fixture.verify().isIntact)
    }

    @Test("Migration v3 backfills the tally from the tips already stored")
    func backfill() async throws {
        let fixture = try TemporaryDatabase()
        // A second database migrated only up to v2, filled, then migrated to v3.
        let path = fixture.directory.appendingPathComponent("v2.sqlite").path
        let pool = try DatabasePool(path: path)
        try AppDatabase.migrator.migrate(pool, upTo: "v2-triage")
        // Today's insert writes columns later migrations add: fill the current schema, then copy the
        // columns a v2 tip row has into the v2 database.
        try await Self.populate(fixture, writer: fixture.database.writer, count: 150, seed: 5)
        let columns = try await pool.read { db in try Row.fetchAll(db, sql: "PRAGMA table_info(tip)").map { $0["name"] as String } }
        let list = columns.joined(separator: ", ")
        let rows = try await fixture.database.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT \(list) FROM tip ORDER BY id").map { Array($0.databaseValues) }
        }
        try await pool.write { db in
            try db.execute(sql: "PRAGMA defer_foreign_keys = ON")
            let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            for row in rows {
                try db.execute(sql: "INSERT INTO tip(\(list)) VALUES (\(placeholders))", arguments: StatementArguments(row))
            }
        }
        let before = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT centre, status, count(*) AS n FROM tip GROUP BY centre, status ORDER BY centre, status")
                .map { "\($0["centre"] as String)|\($0["status"] as String)|\($0["n"] as Int)" }
        }
        try AppDatabase.migrator.migrate(pool)
        let after = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT centre, status, sum(n) AS n FROM tip_tally GROUP BY centre, status HAVING n > 0 ORDER BY centre, status")
                .map { "\($0["centre"] as String)|\($0["status"] as String)|\($0["n"] as Int)" }
        }
        #expect(after == before)
        #expect(!before.isEmpty)
    }
}
