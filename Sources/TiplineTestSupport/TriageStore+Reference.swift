public import GRDB
import TiplineCore
public import TiplineAdminAPI
public import TiplineStore

/// The triage queries as they were before migration v3 (full scans and sorts), kept verbatim as the
/// reference answers: `TriageScaleTests` checks the indexed queries give exactly these, and
/// `tipline-bench triage --legacy` times them for comparison (Benchmarks/results.md). Test-support
/// code: never linked into the server.
extension TriageStore {
    /// `queue` as it was before migration v3: one full scan and sort of the visible tips.
    public static func referenceQueue(_ db: Database, _ filter: TriageStore.QueueFilter, for member: StaffMember) throws -> [TipSummary] {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if member.centre != "city" {
            conditions.append("(t.centre = ? OR t.id IN (SELECT tip_id FROM tip_copy WHERE centre = ?))")
            arguments += [member.centre.rawValue, member.centre.rawValue]
        }
        if let centre = filter.centre {
            conditions.append("(t.centre = ? OR t.id IN (SELECT tip_id FROM tip_copy WHERE centre = ?))")
            arguments += [centre, centre]
        }
        if let status = filter.status {
            conditions.append("t.status = ?")
            arguments += [status]
        }
        if let at = filter.overdueAt {
            conditions.append("t.status != 'closed' AND t.due_at < ?")
            arguments += [at]
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        arguments += [max(1, min(filter.limit, Self.maxPageSize))]
        return try TriageStore.summaries(db, sql: """
            SELECT t.*, d.reference AS duplicate_reference FROM tip t LEFT JOIN tip d ON d.id = t.duplicate_of
            \(whereClause)
            ORDER BY CASE t.status WHEN 'closed' THEN 1 ELSE 0 END, t.due_at, t.id LIMIT ?
            """, arguments: arguments)
    }

    /// `stats` as it was before migration v3: counts by full scans.
    public static func referenceStats(_ db: Database, at now: Int64, for member: StaffMember?) throws -> TipStats {
        let scope = (member == nil || member?.centre == "city") ? "" :
            "WHERE (centre = '\(member!.centre)' OR id IN (SELECT tip_id FROM tip_copy WHERE centre = '\(member!.centre)'))"
        func counts(_ column: String, extra: String = "") throws -> [TipStats.Count] {
            let condition = [scope.isEmpty ? nil : String(scope.dropFirst(6)), extra.isEmpty ? nil : extra].compactMap { $0 }
            let whereClause = condition.isEmpty ? "" : "WHERE " + condition.joined(separator: " AND ")
            return try Row.fetchAll(db, sql: "SELECT \(column) AS k, count(*) AS n FROM tip \(whereClause) GROUP BY \(column) ORDER BY \(column)")
                .map { TipStats.Count(key: $0["k"], count: $0["n"]) }
        }
        let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM tip \(scope)") ?? 0
        let onTime = try Row.fetchAll(db, sql: """
            SELECT urgency, count(*) AS acted, sum(acted_on_time) AS on_time FROM tip
            \(scope.isEmpty ? "WHERE" : scope + " AND") acted_at IS NOT NULL GROUP BY urgency ORDER BY urgency
            """).map { TipStats.OnTime(urgency: $0["urgency"], acted: $0["acted"], onTime: $0["on_time"] ?? 0) }
        return TipStats(total: total, byCentre: try counts("centre"), byStatus: try counts("status"),
                        byCategory: try counts("category"), byUrgency: try counts("urgency"),
                        overdueByCentre: try counts("centre", extra: "status != 'closed' AND due_at < \(now)"),
                        onTime: onTime, byChannel: try counts("channel"))
    }
}
