import ArgumentParser
import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore

/// `tipline-bench triage`: times the store queries behind `tipline-admin tips queue`, `tips overdue`
/// and `stats` (the admin API calls exactly these `TriageStore` methods, then encodes JSON, which
/// is timed too) for the city and for a district, p50/p99 over repeated runs.
struct TriageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "triage", abstract: "Time the queue / overdue / stats queries of a (seeded) store.")

    @OptionGroup var target: DeploymentOption
    @Option(help: "Timed runs of each query (after 3 warm-up runs).") var runs = 100
    @Option(help: "District centre for the district view.") var district = "nanming"

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
        let (tips, overdue) = try await database.writer.read { db in
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
            ("overdue_city", { try await store.queue(.init(overdueAt: now, limit: 10_000), for: city).count }),
            ("overdue_district", { try await store.queue(.init(overdueAt: now, limit: 10_000), for: local).count }),
            ("stats_city", { try await store.stats(at: now, for: city).total }),
            ("stats_district", { try await store.stats(at: now, for: local).total }),
        ]
        var worst = 0.0
        for (name, body) in cases {
            for _ in 0..<3 { _ = try await body() }
            var samples: [Double] = []
            var rows = 0
            for _ in 0..<runs {
                let start = monotonicNanos()
                rows = try await body()
                samples.append(Double(monotonicNanos() - start) / 1e6)
            }
            samples.sort()
            let p99 = percentile(samples, 99)
            worst = max(worst, p99)
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

    static func member(centre: String) throws -> StaffMember {
        let json = """
            {"key_id":"\(String(repeating: "0", count: 32))","name":"bench","role":"triage","centre":"\(centre)",
             "public_key":"\(Data(repeating: 0, count: 32).base64EncodedString())","enrolled_at":0,"enrolled_by":"bench"}
            """
        return try JSONDecoder().decode(StaffMember.self, from: Data(json.utf8))
    }
}
