import ArgumentParser
import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore
import TiplineTestSupport

/// `tipline-bench triage`: times the store queries behind `tipline-admin tips queue`, `tips overdue`
/// and `stats` (the admin API calls exactly these `TriageStore` methods, then encodes JSON, which
/// is timed too) for the city and for a district, p50/p99 over repeated runs.
struct TriageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage", abstract: "Time the queue / overdue / stats queries of a (seeded) store.")

    @OptionGroup var target: DeploymentOption
    @Option(help: "Timed runs of each query (after 3 warm-up runs).") var runs = 100
    @Option(help: "District centre for the district view.") var district = "nanming"
    @Flag(help: "Also time the queries as they were before migration v3 (full scans).") var legacy = false
    @Option(help: "Timed runs of each legacy query.") var legacyRuns = 10

    func run() async throws {
        let deployment = try Deployment.open(at: target.url)
        let openStart = monotonicNanos()
        // Opening migrates: a new index on an existing store is built here, once (its time is printed).
        let database = try AppDatabase(path: deployment.layout.database.path)
        let openSeconds = Double(monotonicNanos() - openStart) / 1e9
        var centreKeys: [CentreID: (content: String, identity: String)] = [:]
        for entry in deployment.manifest.centres { centreKeys[CentreID(entry.centre)] = (entry.content.keyID, entry.identity.keyID) }
        // Reads only: the signer is never used, so a throw-away key will do.
        let store = TriageStore(database: database, signer: AuditSigner(key: .generate()), policies: deployment.policies,
                                centreKeys: centreKeys)
        let city = try Self.member(centre: deployment.policies.centres.city.id.rawValue)
        let local = try Self.member(centre: district)
        let now = Int64(Date().timeIntervalSince1970)
        let (tips, overdue) = try await database.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM tip") ?? 0,
             try Int.fetchOne(db, sql: "SELECT count(*) FROM tip WHERE status != 'closed' AND due_at < ?", arguments: [now]) ?? 0)
        }
        print("tips=\(tips)")
        print("overdue_tips=\(overdue)")
        print("open_and_migrate_seconds=\(format(openSeconds, 3))")

        let encoder = JSONEncoder()
        let cases: [(String, @Sendable () async throws -> Int)] = [
            ("queue_city", { try await store.queue(.init(), for: city).count }),
            ("queue_district", { try await store.queue(.init(), for: local).count }),
            ("queue_city_received", { try await store.queue(.init(status: "received"), for: city).count }),
            ("queue_city_overdue", { try await store.queue(.init(overdueAt: now), for: city).count }),
            ("queue_city_mine", { try await store.queue(.init(assignedTo: city.keyID), for: city).count }),
            ("queue_district_mine", { try await store.queue(.init(assignedTo: local.keyID), for: local).count }),
            ("overdue_city", { try await store.queue(.init(overdueAt: now), for: city).count }),
            ("overdue_district", { try await store.queue(.init(overdueAt: now), for: local).count }),
            ("overdue_city_limit_10000", { try await store.queue(.init(overdueAt: now, limit: 10_000), for: city).count }),
            ("overdue_district_limit_10000", { try await store.queue(.init(overdueAt: now, limit: 10_000), for: local).count }),
            ("stats_city", { try await store.stats(at: now, for: city).total }),
            ("stats_district", { try await store.stats(at: now, for: local).total }),
        ]
        // The same questions as the queries before migration v3 asked them (full scans and sorts), for comparison.
        let legacy: [(String, @Sendable () async throws -> Int)] = [
            ("legacy_queue_city", { try await Reference.queue(database, .init(), for: city) }),
            ("legacy_queue_district", { try await Reference.queue(database, .init(), for: local) }),
            ("legacy_queue_city_received", { try await Reference.queue(database, .init(status: "received"), for: city) }),
            ("legacy_queue_city_overdue", { try await Reference.queue(database, .init(overdueAt: now), for: city) }),
            ("legacy_overdue_city", { try await Reference.queue(database, .init(overdueAt: now, limit: 10_000), for: city) }),
            ("legacy_overdue_district", { try await Reference.queue(database, .init(overdueAt: now, limit: 10_000), for: local) }),
            ("legacy_stats_city", { try await Reference.stats(database, at: now, for: city) }),
            ("legacy_stats_district", { try await Reference.stats(database, at: now, for: local) }),
        ]
        var worst = 0.0
        for (name, body) in cases + (self.legacy ? legacy : []) {
            let runs = name.hasPrefix("legacy") ? min(self.runs, legacyRuns) : self.runs
            for _ in 0..<(name.hasPrefix("legacy") ? 1 : 3) { _ = try await body() }
            var samples: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                let start = monotonicNanos()
                rows = try await body()
                samples.append(Double(monotonicNanos() - start) / 1e6)
            }
            samples.sort()
            let p99 = percentile(samples, 99)
            // The target is for what the CLI asks by default; the 10,000-row pages are printed for scale.
            if !name.hasPrefix("legacy"), !name.hasSuffix("limit_10000") { worst = max(worst, p99) }
            print("\(name)_rows=\(rows) \(name)_p50_ms=\(format(percentile(samples, 50), 3)) \(name)_p99_ms=\(format(p99, 3))")
        }
        // What the admin API adds on top of the query for the largest answer: JSON encoding.
        let largest = try await store.queue(.init(overdueAt: now, limit: 10_000), for: city)
        let encodeStart = monotonicNanos()
        let bytes = try encoder.encode(largest).count
        print("overdue_city_json_bytes=\(bytes) overdue_city_json_encode_ms=\(format(Double(monotonicNanos() - encodeStart) / 1e6, 3))")
        print("worst_p99_ms=\(format(worst, 3))")
        let size = (try? FileManager.default.attributesOfItem(atPath: deployment.layout.database.path)[.size] as? Int) ?? 0
        print("db_bytes=\(size)")
    }

    /// A staff member as the store sees one (reads only: the key is never used).
    static func member(role: String = "triage", centre: String, unit: String? = nil) throws -> StaffMember {
        // Through its Codable form: the memberwise initialiser is the store's own.
        let json = """
            {"key_id":"\(String(repeating: "0", count: 32))","name":"bench","role":"\(role)","centre":"\(centre)",\(unit.map { "\"unit\":\"\($0)\"," } ?? "")
             "public_key":"\(Data(repeating: 0, count: 32).base64EncodedString())","enrolled_at":0,"enrolled_by":"bench"}
            """
        return try JSONDecoder().decode(StaffMember.self, from: Data(json.utf8))
    }
}

/// `TriageStore`'s reference queries (the SQL before migration v3), as the admin API would call them.
enum Reference {
    static func queue(_ database: AppDatabase, _ filter: TriageStore.QueueFilter, for member: StaffMember) async throws -> Int {
        try await database.reader.read { try TriageStore.referenceQueue($0, filter, for: member).count }
    }

    static func stats(_ database: AppDatabase, at now: Int64, for member: StaffMember) async throws -> Int {
        try await database.reader.read { try TriageStore.referenceStats($0, at: now, for: member).total }
    }
}
