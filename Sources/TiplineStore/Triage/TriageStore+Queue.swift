import Foundation
import GRDB
import TiplineCore

extension TriageStore {
    /// Filters of `tips queue`.
    public struct QueueFilter: Sendable {
        public var centre: String?
        public var status: String?
        public var overdueAt: Int64?
        public var limit: Int
        public init(centre: String? = nil, status: String? = nil, overdueAt: Int64? = nil, limit: Int = 200) {
            self.centre = centre
            self.status = status
            self.overdueAt = overdueAt
            self.limit = limit
        }
    }

    /// Tips the member's centre may see, most urgent and most overdue first. Uses `tip_queue`/`tip_due`.
    public func queue(_ filter: QueueFilter, for member: StaffMember) async throws(StoreError) -> [TipSummary] {
        let city = self.city.rawValue
        return try await read { db in
            var conditions: [String] = []
            var arguments: StatementArguments = []
            if member.centre != city {
                conditions.append("(t.centre = ? OR t.id IN (SELECT tip_id FROM tip_copy WHERE centre = ?))")
                arguments += [member.centre, member.centre]
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
            arguments += [max(1, min(filter.limit, 10_000))]
            return try Self.summaries(db, sql: """
                SELECT t.*, d.reference AS duplicate_reference FROM tip t LEFT JOIN tip d ON d.id = t.duplicate_of
                \(whereClause)
                ORDER BY CASE t.status WHEN 'closed' THEN 1 ELSE 0 END, t.due_at, t.id LIMIT ?
                """, arguments: arguments)
        }
    }

    static func summaries(_ db: Database, sql: String, arguments: StatementArguments) throws -> [TipSummary] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let status: String = row["status"]
            return TipSummary(
                reference: row["reference"], receivedAt: row["received_at"], category: row["category"],
                district: row["district"], centre: row["centre"], urgency: row["urgency"], status: status,
                dueAt: status == TipStatus.closed.rawValue ? nil : row["due_at"], assignedTo: row["assigned_to"],
                hasIdentity: row["has_identity"], evidenceCount: row["evidence_count"], wantsReward: row["wants_reward"],
                duplicateOf: row["duplicate_reference"])
        }
    }

    /// A tip with its ciphertext, for the CLI to open locally.
    public func detail(_ reference: String, for member: StaffMember) async throws(StoreError) -> TipDetail {
        try await read { db in
            let tip = try visibleTip(reference, to: member, in: db)
            guard let id = tip.id else { throw StoreError.notFound("tip") }
            let summary = try Self.summaries(db, sql: """
                SELECT t.*, d.reference AS duplicate_reference FROM tip t LEFT JOIN tip d ON d.id = t.duplicate_of WHERE t.id = ?
                """, arguments: [id])[0]
            let fieldRows = try Row.fetchAll(db, sql: "SELECT name, key_class, sealed FROM tip_field WHERE tip_id = ? ORDER BY name", arguments: [id])
            let wraps = try Row.fetchAll(db, sql: """
                SELECT key_class, recipient_key_id, centre, sealed FROM tip_wrap WHERE tip_id = ? AND key_class = 'content'
                ORDER BY centre
                """, arguments: [id]).map {
                WrapBlob(keyClass: $0["key_class"], recipientKeyID: $0["recipient_key_id"], centre: $0["centre"], sealed: $0["sealed"])
            }
            let identityWraps = try Self.wraps(db, tipID: id, keyClass: "identity", centre: member.centre)
            let evidence = try Row.fetchAll(db, sql: "SELECT ordinal, sealed FROM tip_evidence WHERE tip_id = ? ORDER BY ordinal", arguments: [id]).map {
                SealedBlob(name: "evidence.\($0["ordinal"] as Int)", keyClass: "content", sealed: $0["sealed"])
            }
            let messages = try MessageRecord.filter(Column("tip_id") == id).order(Column("id")).fetchAll(db).map {
                ThreadItem(uid: $0.uid, author: $0.author, authorKeyID: $0.authorKeyID, createdAt: $0.createdAt, envelope: $0.envelope)
            }
            let notes = try Row.fetchAll(db, sql: "SELECT uid, author_key_id, created_at, envelope FROM tip_note WHERE tip_id = ? ORDER BY id", arguments: [id]).map {
                ThreadItem(uid: $0["uid"], author: "centre", authorKeyID: $0["author_key_id"], createdAt: $0["created_at"], envelope: $0["envelope"])
            }
            return TipDetail(
                summary: summary, uid: tip.uid, reporterPublicKey: tip.reporterPublicKey, enforcementUnit: tip.enforcementUnit,
                outcome: try tip.outcome.map { try JSONDecoder().decode(VerifiedOutcome.self, from: Data($0.utf8)) },
                resolution: tip.resolution,
                routes: try String.fetchAll(db, sql: "SELECT centre FROM tip_route WHERE tip_id = ? ORDER BY seq", arguments: [id]),
                copies: try String.fetchAll(db, sql: "SELECT centre FROM tip_copy WHERE tip_id = ? ORDER BY centre", arguments: [id]),
                contentCentres: try String.fetchAll(db, sql: "SELECT DISTINCT centre FROM tip_wrap WHERE tip_id = ? AND key_class = 'content' ORDER BY centre", arguments: [id]),
                identityFieldNames: fieldRows.filter { ($0["key_class"] as String) == "identity" }.map { $0["name"] },
                fields: fieldRows.filter { ($0["key_class"] as String) == "content" }.map {
                    SealedBlob(name: $0["name"], keyClass: $0["key_class"], sealed: $0["sealed"])
                },
                wraps: wraps, identityWraps: identityWraps, evidence: evidence, messages: messages, notes: notes,
                identityShredded: tip.identityShreddedAt != nil, contentShredded: tip.contentShreddedAt != nil)
        }
    }

    static func wraps(_ db: Database, tipID: Int64, keyClass: String, centre: String) throws -> [WrapBlob] {
        try Row.fetchAll(db, sql: """
            SELECT key_class, recipient_key_id, centre, sealed FROM tip_wrap WHERE tip_id = ? AND key_class = ? AND centre = ?
            """, arguments: [tipID, keyClass, centre]).map {
            WrapBlob(keyClass: $0["key_class"], recipientKeyID: $0["recipient_key_id"], centre: $0["centre"], sealed: $0["sealed"])
        }
    }

    /// Identity wraps still to be added after re-routings.
    public func pendingWraps(for member: StaffMember) async throws(StoreError) -> [PendingWrap] {
        let city = self.city.rawValue
        return try await read { db in
            let all = try Row.fetchAll(db, sql: """
                SELECT t.id, t.reference, t.uid, p.centre, p.requested_at, p.requested_by, t.centre AS tip_centre
                FROM pending_identity_wrap p JOIN tip t ON t.id = p.tip_id ORDER BY p.requested_at
                """)
            return try all.filter { member.centre == city || ($0["tip_centre"] as String) == member.centre || ($0["centre"] as String) == member.centre }
                .map { PendingWrap(reference: $0["reference"], uid: $0["uid"], centre: $0["centre"],
                                   requestedAt: $0["requested_at"], requestedBy: $0["requested_by"],
                                   wraps: try Self.wraps(db, tipID: $0["id"], keyClass: "identity", centre: member.centre)) }
        }
    }

    /// Counts by centre, status, category and urgency; overdue per centre; on-time rate per tier.
    public func stats(at now: Int64, for member: StaffMember?) async throws(StoreError) -> TipStats {
        let city = self.city.rawValue
        return try await read { db in
            let scope = (member == nil || member?.centre == city) ? "" :
                "WHERE (centre = '\(member!.centre.replacingOccurrences(of: "'", with: ""))' OR id IN (SELECT tip_id FROM tip_copy WHERE centre = '\(member!.centre.replacingOccurrences(of: "'", with: ""))'))"
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
                            onTime: onTime)
        }
    }
}

extension TriageStore {
    /// Counts for the metrics gauges: every centre × status, and overdue per centre (zeros included,
    /// so a gauge drops back to 0 when its last tip moves on).
    public struct MetricCounts: Sendable {
        public var byCentreAndStatus: [(String, String, Int)]
        public var overdueByCentre: [(String, Int)]
    }

    public func metricCounts(at now: Int64) async throws(StoreError) -> MetricCounts {
        let centres = policies.centres.all.map(\.id.rawValue)
        return try await read { db in
            var grid: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT centre, status, count(*) AS n FROM tip GROUP BY centre, status") {
                grid["\(row["centre"] as String)|\(row["status"] as String)"] = row["n"]
            }
            var overdue: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT centre, count(*) AS n FROM tip WHERE status != 'closed' AND due_at < ? GROUP BY centre", arguments: [now]) {
                overdue[row["centre"]] = row["n"]
            }
            return MetricCounts(
                byCentreAndStatus: centres.flatMap { centre in TipStatus.allCases.map { (centre, $0.rawValue, grid["\(centre)|\($0.rawValue)"] ?? 0) } },
                overdueByCentre: centres.map { ($0, overdue[$0] ?? 0) })
        }
    }
}
