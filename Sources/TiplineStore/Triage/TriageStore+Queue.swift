import Foundation
package import GRDB
import Sealing
import TiplineCore
public import TiplineAdminAPI

extension TriageStore {
    /// Tips in one answer of a list (`tips queue`, `tips overdue`) unless the caller asks otherwise
    /// (the admin API's `AdminPage.defaultSize`).
    public static let defaultPageSize = AdminPage.defaultSize
    /// The most tips one answer of a list may hold (`AdminPage.maxSize`).
    public static let maxPageSize = AdminPage.maxSize

    /// Filters of `tips queue`.
    public struct QueueFilter: Sendable {
        /// Only tips of this centre (its own and those copied to it).
        public var centre: String?
        /// Only tips with this `TipStatus` raw value.
        public var status: String?
        /// Only open tips due before these Unix seconds (UTC) (`tips overdue`).
        public var overdueAt: Int64?
        /// The most tips to return, capped at `maxPageSize`.
        public var limit: Int
        /// Only tips assigned to this staff key (`tips queue --mine`).
        public var assignedTo: String?
        /// A filter; by default every tip the member may see, one page.
        public init(centre: String? = nil, status: String? = nil, overdueAt: Int64? = nil, limit: Int = TriageStore.defaultPageSize,
                    assignedTo: String? = nil) {
            self.centre = centre
            self.status = status
            self.overdueAt = overdueAt
            self.limit = limit
            self.assignedTo = assignedTo
        }
    }

    /// Tips the member's centre may see, most urgent and most overdue first: open tips by due time,
    /// then closed ones (by due time, then id).
    ///
    /// Built to stay fast at 10^6 tips (Benchmarks/README.md, "Triage at scale"): open and closed
    /// tips are read by two queries whose order an index gives (`tip_open_due`, `tip_open_centre_due`,
    /// `tip_due`, `tip_queue`), so SQLite stops after `limit` rows instead of sorting the table; a
    /// district's view is its own tips merged (UNION ALL … ORDER BY) with the tips copied to it.
    public func queue(_ filter: QueueFilter, for member: StaffMember) async throws(StoreError) -> [TipSummary] {
        let city = self.city.rawValue
        return try await read { db in
            // The centre whose view this is (nil: every tip), and a second one when both the member and
            // the filter name a centre.
            var scopes: [String] = []
            if member.centre.rawValue != city { scopes.append(member.centre.rawValue) }
            if let centre = filter.centre, !scopes.contains(centre) { scopes.append(centre) }
            let scope = scopes.first
            // Canary tips (an auditor's, marked by `tip.canary`) are in no list: the literal predicate is
            // the open-tip indexes' own (migration v10), so SQLite still reads them.
            var extra: [String] = ["t.canary_at IS NULL"]
            var extraArguments: StatementArguments = []
            for other in scopes.dropFirst() {
                extra.append("(t.centre = ? OR t.id IN (SELECT tip_id FROM tip_copy WHERE centre = ?))")
                extraArguments += [other, other]
            }
            if let status = filter.status {
                extra.append("t.status = ?")
                extraArguments += [status]
            }
            if let at = filter.overdueAt {
                extra.append("t.due_at < ?")
                extraArguments += [at]
            }
            if let assignee = filter.assignedTo {
                extra.append("t.assigned_to = ?")
                extraArguments += [assignee]
            }
            // Open tips first, then closed ones (an overdue filter or a status filter may rule one out).
            var parts: [String] = []
            if filter.status != TipStatus.closed.rawValue { parts.append("t.status != 'closed'") }
            if filter.overdueAt == nil, filter.status == nil || filter.status == TipStatus.closed.rawValue {
                parts.append("t.status = 'closed'")
            }
            var remaining = max(1, min(filter.limit, Self.maxPageSize))
            var result: [TipSummary] = []
            let columns = "t.*, (SELECT d.reference FROM tip d WHERE d.id = t.duplicate_of) AS duplicate_reference"
            for part in parts where remaining > 0 {
                // The literal 'closed' (not a parameter) lets SQLite use the partial indexes.
                let conditions = ([part] + extra).joined(separator: " AND ")
                let sql: String
                var arguments: StatementArguments = []
                if let scope {
                    sql = """
                        SELECT \(columns) FROM tip t WHERE t.centre = ? AND \(conditions)
                        UNION ALL
                        SELECT \(columns) FROM tip_copy c CROSS JOIN tip t ON t.id = c.tip_id
                        WHERE c.centre = ? AND t.centre != ? AND \(conditions)
                        ORDER BY due_at, id LIMIT ?
                        """
                    arguments += [scope]
                    arguments += extraArguments
                    arguments += [scope, scope]
                    arguments += extraArguments
                } else {
                    sql = "SELECT \(columns) FROM tip t WHERE \(conditions) ORDER BY t.due_at, t.id LIMIT ?"
                    arguments += extraArguments
                }
                arguments += [remaining]
                let rows = try Self.summaries(db, sql: sql, arguments: arguments)
                result += rows
                remaining -= rows.count
            }
            return result
        }
    }

    /// A text column as its enum (`TipStatus`, `Urgency`, `KeyClass`): a value the schema should
    /// never hold is a database error, not a crash.
    package static func typed<T: RawRepresentable>(_ row: Row, _ column: String) throws -> T where T.RawValue == String {
        let text: String = row[column] ?? ""
        guard let value = T(rawValue: text) else { throw StoreError.database("unexpected \(column) in the tip store") }
        return value
    }

    /// Runs `sql` (which selects `t.*` and `duplicate_reference`) and maps each row to a `TipSummary`.
    package static func summaries(_ db: Database, sql: String, arguments: StatementArguments) throws -> [TipSummary] {
        try Row.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let status: TipStatus = try Self.typed(row, "status")
            return TipSummary(
                reference: row["reference"], receivedAt: row["received_at"], category: row["category"],
                district: row["district"], centre: row["centre"], urgency: try Self.typed(row, "urgency"), status: status,
                dueAt: status == .closed ? nil : row["due_at"], assignedTo: row["assigned_to"],
                hasIdentity: row["has_identity"], evidenceCount: row["evidence_count"], wantsReward: row["wants_reward"],
                duplicateOf: row["duplicate_reference"],
                channel: (row["channel"] as String?).flatMap(TipChannel.init(rawValue:)) ?? .web)
        }
    }

    /// Releases a tip's sealed content and its content wraps to a staff member (`tips show`): the
    /// `tip.read` audit entry (who, which tip, when) is committed before anything is returned, so an
    /// auditor can answer "who read this tip" (rule 8). No entry, no release.
    public func release(_ reference: String, to actor: StaffActor, at: Int64) async throws(StoreError) -> TipDetail {
        _ = try await write { db in
            let tip = try visibleTip(reference, to: actor.member, in: db)
            return try audit(actor.event(.readContent, subject: reference, details: [
                "content": tip.contentShreddedAt == nil ? "released" : "destroyed",
            ]), at: at, in: db)
        }
        return try await detail(reference, for: actor.member)
    }

    /// A tip's sealed content and wraps as `release` returns them, without recording a read.
    /// `release` is what serves staff; this read alone writes no `tip.read` entry.
    public func detail(_ reference: String, for member: StaffMember) async throws(StoreError) -> TipDetail {
        try await read { db in
            let tip = try visibleTip(reference, to: member, in: db)
            guard let id = tip.id else { throw StoreError.notFound("tip") }
            let summary = try Self.summaries(db, sql: """
                SELECT t.*, d.reference AS duplicate_reference FROM tip t LEFT JOIN tip d ON d.id = t.duplicate_of WHERE t.id = ?
                """, arguments: [id])[0]
            let fieldRows = try Row.fetchAll(db, sql: "SELECT name, key_class, sealed FROM tip_field WHERE tip_id = ? ORDER BY name", arguments: [id])
            let wraps = try Row.fetchAll(db, sql: """
                SELECT key_class, recipient_key_id, centre, sealed, added_by FROM tip_wrap WHERE tip_id = ? AND key_class = 'content'
                ORDER BY centre
                """, arguments: [id]).map(Self.wrapBlob)
            let identityWraps = try Self.wraps(db, tipID: id, keyClass: "identity", centre: member.centre.rawValue)
            let evidence = try Row.fetchAll(db, sql: "SELECT ordinal, sealed FROM tip_evidence WHERE tip_id = ? ORDER BY ordinal", arguments: [id]).map {
                SealedBlob(name: "evidence.\($0["ordinal"] as Int)", keyClass: .content, sealed: $0["sealed"])
            }
            // Wraps a key rotation's re-wrap added to messages, notes and files are served inside their envelopes.
            let added = try Self.addedEnvelopeWraps(db, tipID: id)
            let messages = try MessageRecord.filter(MessageRecord.Columns.tipID == id).order(MessageRecord.Columns.id).fetchAll(db).map {
                ThreadItem(uid: $0.uid, author: $0.author, authorKeyID: $0.authorKeyID, createdAt: $0.createdAt,
                           envelope: Self.merging(added[$0.uid], into: $0.envelope))
            }
            let notes = try Row.fetchAll(db, sql: "SELECT uid, author_key_id, created_at, envelope FROM tip_note WHERE tip_id = ? ORDER BY id", arguments: [id]).map {
                ThreadItem(uid: $0["uid"], author: "centre", authorKeyID: $0["author_key_id"], createdAt: $0["created_at"],
                           envelope: Self.merging(added[$0["uid"]], into: $0["envelope"]))
            }
            var detail = TipDetail(
                summary: summary, uid: tip.uid, reporterPublicKey: tip.reporterPublicKey, enforcementUnit: tip.enforcementUnit,
                outcome: tip.outcome,
                resolution: tip.resolution?.rawValue,
                routes: try String.fetchAll(db, sql: "SELECT centre FROM tip_route WHERE tip_id = ? ORDER BY seq", arguments: [id]),
                copies: try String.fetchAll(db, sql: "SELECT centre FROM tip_copy WHERE tip_id = ? ORDER BY centre", arguments: [id]),
                contentCentres: try String.fetchAll(db, sql: "SELECT DISTINCT centre FROM tip_wrap WHERE tip_id = ? AND key_class = 'content' ORDER BY centre", arguments: [id]),
                identityFieldNames: fieldRows.filter { ($0["key_class"] as String) == "identity" }.map { $0["name"] },
                fields: fieldRows.filter { ($0["key_class"] as String) == KeyClass.content.rawValue }.map {
                    SealedBlob(name: $0["name"], keyClass: .content, sealed: $0["sealed"])
                },
                wraps: wraps, identityWraps: identityWraps, evidence: evidence, messages: messages, notes: notes,
                identityShredded: tip.identityShreddedAt != nil, contentShredded: tip.contentShreddedAt != nil)
            if let commitments = try Row.fetchOne(db, sql: "SELECT content_key_commitment, identity_key_commitment FROM tip WHERE id = ?", arguments: [id]) {
                detail.contentKeyCommitment = commitments[0]
                detail.identityKeyCommitment = commitments[1]
            }
            detail.identityWrapCentres = try String.fetchAll(db, sql: "SELECT DISTINCT centre FROM tip_wrap WHERE tip_id = ? AND key_class = 'identity' ORDER BY centre",
                                                             arguments: [id])
            if try db.tableExists("tip_evidence_added") {
                detail.addedEvidence = try Row.fetchAll(db, sql: "SELECT uid, created_at, envelope FROM tip_evidence_added WHERE tip_id = ? ORDER BY id",
                                                        arguments: [id]).map {
                    ThreadItem(uid: $0["uid"], author: "reporter", authorKeyID: nil, createdAt: $0["created_at"],
                               envelope: Self.merging(added[$0["uid"]], into: $0["envelope"]))
                }
            }
            detail.routeSteps = try Row.fetchAll(db, sql: "SELECT centre, at, actor, rule FROM tip_route WHERE tip_id = ? ORDER BY seq", arguments: [id]).map {
                RouteStep(centre: $0["centre"], at: $0["at"], by: $0["actor"], rule: $0["rule"])
            }
            return detail
        }
    }

    /// The wraps re-wraps added to a tip's messages, notes and files (`envelope_wrap`), by record uid.
    static func addedEnvelopeWraps(_ db: Database, tipID: Int64) throws -> [String: [RecipientWrap]] {
        guard try db.tableExists("envelope_wrap") else { return [:] }
        var out: [String: [RecipientWrap]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT record_uid, key_class, recipient_key_id, sealed FROM envelope_wrap WHERE tip_id = ?",
                                    arguments: [tipID]) {
            guard let keyClass = KeyClass(rawValue: row["key_class"]),
                  let wrap = try? RecipientWrap(keyClass: keyClass, recipientKeyID: row["recipient_key_id"], serialized: Array(row["sealed"] as Data))
            else { continue }
            out[row["record_uid"], default: []].append(wrap)
        }
        return out
    }

    /// The stored envelope with `wraps` appended (the stored bytes as they are when there are none).
    static func merging(_ wraps: [RecipientWrap]?, into stored: Data) -> Data {
        guard let wraps, !wraps.isEmpty, var envelope = try? JSONDecoder().decode(Envelope.self, from: stored) else { return stored }
        envelope.wraps += wraps
        return (try? JSONEncoder().encode(envelope)) ?? stored
    }

    /// A `tip_wrap` row (key_class, recipient_key_id, centre, sealed, added_by) as served.
    static func wrapBlob(_ row: Row) throws -> WrapBlob {
        var blob = WrapBlob(keyClass: try Self.typed(row, "key_class"), recipientKeyID: row["recipient_key_id"], centre: row["centre"], sealed: row["sealed"])
        blob.addedBy = row["added_by"]
        return blob
    }

    static func wraps(_ db: Database, tipID: Int64, keyClass: String, centre: String) throws -> [WrapBlob] {
        try Row.fetchAll(db, sql: """
            SELECT key_class, recipient_key_id, centre, sealed, added_by FROM tip_wrap WHERE tip_id = ? AND key_class = ? AND centre = ?
            """, arguments: [tipID, keyClass, centre]).map(Self.wrapBlob)
    }

    /// Identity wraps still to be added after re-routings.
    public func pendingWraps(for member: StaffMember) async throws(StoreError) -> [PendingWrap] {
        let city = self.city.rawValue
        return try await read { db in
            let all = try Row.fetchAll(db, sql: """
                SELECT t.id, t.reference, t.uid, p.centre, p.requested_at, p.requested_by, t.centre AS tip_centre, s.centre AS from_centre
                FROM pending_identity_wrap p JOIN tip t ON t.id = p.tip_id LEFT JOIN staff s ON s.key_id = p.requested_by
                WHERE t.canary_at IS NULL
                ORDER BY p.requested_at
                """)
            // The city, the centres the tip is at or goes to, and the sending centre (whose identity holders owe the wrap).
            let centre = member.centre.rawValue
            return try all.filter { centre == city || ($0["tip_centre"] as String) == centre || ($0["centre"] as String) == centre
                || ($0["from_centre"] as String?) == centre }
                .map {
                    var pending = PendingWrap(reference: $0["reference"], uid: $0["uid"], centre: $0["centre"],
                                              requestedAt: $0["requested_at"], requestedBy: $0["requested_by"],
                                              wraps: try Self.wraps(db, tipID: $0["id"], keyClass: "identity", centre: member.centre.rawValue))
                    pending.identityKeyCommitment = try Data.fetchOne(db, sql: "SELECT identity_key_commitment FROM tip WHERE id = ?",
                                                                      arguments: [$0["id"] as Int64])
                    return pending
                }
        }
    }

    /// Counts by centre, status, category and urgency; overdue per centre; on-time rate per tier.
    ///
    /// The counts come from `tip_tally` (kept by triggers on `tip`, migration v3), a few hundred rows
    /// however many tips there are; a district adds the tips copied to it, counted directly. Overdue
    /// depends on the time, so it is counted from `tip_open_centre_due` (open tips only). Canary tips
    /// (`tip.canary`) count nowhere: the triggers leave them out of the tally (v10), the rest says so.
    public func stats(at now: Int64, for member: StaffMember?) async throws(StoreError) -> TipStats {
        let city = self.city.rawValue
        let scope = member.flatMap { $0.centre.rawValue == city ? nil : $0.centre.rawValue }
        return try await read { db in
            var tallies: [TallyRow] = []
            var overdue: [String: Int] = [:]
            let tallySQL = "SELECT centre, status, category, urgency, acted, on_time, n FROM tip_tally WHERE n > 0"
            let copiedSQL = """
                SELECT t.centre, t.status, t.category, t.urgency, t.acted_at IS NOT NULL AS acted,
                  CASE WHEN t.acted_on_time = 1 THEN 1 ELSE 0 END AS on_time, count(*) AS n
                FROM tip_copy c CROSS JOIN tip t ON t.id = c.tip_id WHERE c.centre = ? AND t.centre != ? AND t.canary_at IS NULL
                GROUP BY 1, 2, 3, 4, 5, 6
                """
            if let scope {
                tallies += try TallyRow.fetchAll(db, sql: tallySQL + " AND centre = ?", arguments: [scope])
                tallies += try TallyRow.fetchAll(db, sql: copiedSQL, arguments: [scope, scope])
                for row in try Row.fetchAll(db, sql: """
                    SELECT t.centre, count(*) AS n FROM tip t INDEXED BY tip_open_centre_due
                    WHERE t.centre = ? AND t.status != 'closed' AND t.canary_at IS NULL AND t.due_at < ?
                    GROUP BY t.centre
                    UNION ALL
                    SELECT t.centre, count(*) AS n FROM tip_copy c CROSS JOIN tip t ON t.id = c.tip_id
                    WHERE c.centre = ? AND t.centre != ? AND t.status != 'closed' AND t.canary_at IS NULL AND t.due_at < ? GROUP BY t.centre
                    """, arguments: [scope, now, scope, scope, now]) {
                    overdue[row["centre"], default: 0] += row["n"] as Int
                }
            } else {
                tallies = try TallyRow.fetchAll(db, sql: tallySQL)
                for row in try Row.fetchAll(db, sql: """
                    SELECT t.centre, count(*) AS n FROM tip t INDEXED BY tip_open_centre_due
                    WHERE t.status != 'closed' AND t.canary_at IS NULL AND t.due_at < ? GROUP BY t.centre
                    """, arguments: [now]) {
                    overdue[row["centre"], default: 0] += row["n"] as Int
                }
            }
            // By channel (issue 15): the recorded tips through their partial index; the rest came by the web.
            var channels: [String: Int] = [:]
            let recordedSQL = """
                SELECT t.channel, count(*) AS n FROM tip t INDEXED BY tip_recorded_channel
                WHERE t.channel != 'web' AND t.canary_at IS NULL
                """
            let recordedRows = try scope.map { scope in
                try Row.fetchAll(db, sql: recordedSQL + """
                     AND (t.centre = ? OR EXISTS (SELECT 1 FROM tip_copy c WHERE c.tip_id = t.id AND c.centre = ?)) GROUP BY t.channel
                    """, arguments: [scope, scope])
            } ?? Row.fetchAll(db, sql: recordedSQL + " GROUP BY t.channel")
            for row in recordedRows { channels[row["channel"], default: 0] += row["n"] as Int }
            let total = tallies.reduce(0) { $0 + $1.n }
            channels[TipChannel.web.rawValue] = total - channels.values.reduce(0, +)
            func counts(_ key: (TallyRow) -> String) -> [TipStats.Count] {
                var sums: [String: Int] = [:]
                for row in tallies { sums[key(row), default: 0] += row.n }
                return Self.sorted(sums)
            }
            var acted: [String: (acted: Int, onTime: Int)] = [:]
            for row in tallies where row.acted {
                acted[row.urgency, default: (0, 0)].acted += row.n
                if row.onTime { acted[row.urgency, default: (0, 0)].onTime += row.n }
            }
            return TipStats(
                total: total, byCentre: counts(\.centre), byStatus: counts(\.status),
                byCategory: counts(\.category), byUrgency: counts(\.urgency), overdueByCentre: Self.sorted(overdue),
                onTime: acted.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.map {
                    TipStats.OnTime(urgency: $0, acted: acted[$0]!.acted, onTime: acted[$0]!.onTime)
                }, byChannel: Self.sorted(channels))
        }
    }

    /// Tips received in `[start, end)` (canaries left out): the counts of `PeriodStats`. A district
    /// member sees its centre's tips and those copied to it; the city all.
    public func periodStats(from: String, to: String, start: Int64, end: Int64, for member: StaffMember?) async throws(StoreError) -> PeriodStats {
        let city = self.city.rawValue
        let scope = member.flatMap { $0.centre.rawValue == city ? nil : $0.centre.rawValue }
        return try await read { db in
            var sql = """
                SELECT centre, status, resolution, category, urgency, channel, acted_at IS NOT NULL AS acted,
                  CASE WHEN acted_on_time = 1 THEN 1 ELSE 0 END AS on_time, count(*) AS n
                FROM tip INDEXED BY tip_received WHERE received_at >= ? AND received_at < ? AND canary_at IS NULL
                """
            var arguments: [(any DatabaseValueConvertible)?] = [start, end]
            if let scope {
                sql += " AND (centre = ? OR EXISTS (SELECT 1 FROM tip_copy c WHERE c.tip_id = tip.id AND c.centre = ?))"
                arguments += [scope, scope]
            }
            sql += " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8"
            var sums: [String: [String: Int]] = [:]
            var onTime: [String: (acted: Int, onTime: Int)] = [:]
            var total = 0
            for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)) {
                let n: Int = row["n"]
                total += n
                let status: String = row["status"]
                let outcome = status == "closed" ? (row["resolution"] as String?) ?? "closed" : status
                for (kind, key) in [("centre", row["centre"] as String), ("status", status), ("outcome", outcome), ("category", row["category"] as String),
                                    ("urgency", row["urgency"] as String), ("channel", row["channel"] as String)] {
                    sums[kind, default: [:]][key, default: 0] += n
                }
                if outcome == TipStatus.verified.rawValue { sums["verified", default: [:]][row["centre"] as String, default: 0] += n }
                if row["acted"] as Bool {
                    onTime[row["centre"], default: (0, 0)].acted += n
                    if row["on_time"] as Bool { onTime[row["centre"], default: (0, 0)].onTime += n }
                }
            }
            return PeriodStats(from: from, to: to, total: total, byCentre: Self.sorted(sums["centre"] ?? [:]), byStatus: Self.sorted(sums["status"] ?? [:]),
                               byOutcome: Self.sorted(sums["outcome"] ?? [:]), byCategory: Self.sorted(sums["category"] ?? [:]),
                               byUrgency: Self.sorted(sums["urgency"] ?? [:]), byChannel: Self.sorted(sums["channel"] ?? [:]),
                               onTimeByCentre: onTime.keys.sorted().map { PeriodStats.CentreOnTime(centre: $0, acted: onTime[$0]!.acted, onTime: onTime[$0]!.onTime) },
                               verifiedByCentre: Self.sorted(sums["verified"] ?? [:]))
        }
    }

    /// Counts in SQLite's BINARY order of their keys, as `ORDER BY` gave them.
    private static func sorted(_ sums: [String: Int]) -> [TipStats.Count] {
        sums.filter { $0.value > 0 }.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            .map { TipStats.Count(key: $0.key, count: $0.value) }
    }
}

/// One row of `tip_tally` (or the same grouping over tips copied to a district).
struct TallyRow: FetchableRecord, Sendable {
    let centre: String
    let status: String
    let category: String
    let urgency: String
    let acted: Bool
    let onTime: Bool
    let n: Int

    init(row: Row) {
        centre = row["centre"]
        status = row["status"]
        category = row["category"]
        urgency = row["urgency"]
        acted = row["acted"]
        onTime = row["on_time"]
        n = row["n"]
    }
}

extension TriageStore {
    /// Counts for the metrics gauges: every centre × status, and overdue per centre (zeros included,
    /// so a gauge drops back to 0 when its last tip moves on).
    public struct MetricCounts: Sendable {
        /// Tips per (centre, status raw value) for every centre and status, zeros included.
        public var byCentreAndStatus: [(String, String, Int)]
        /// Open tips past their due time per centre, zeros included.
        public var overdueByCentre: [(String, Int)]
    }

    /// The metrics gauges' counts at `now` (Unix seconds, UTC); canary tips left out of the overdue counts.
    public func metricCounts(at now: Int64) async throws(StoreError) -> MetricCounts {
        let centres = policies.centres.all.map(\.id.rawValue)
        return try await read { db in
            var grid: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT centre, status, sum(n) AS n FROM tip_tally GROUP BY centre, status") {
                grid["\(row["centre"] as String)|\(row["status"] as String)"] = row["n"]
            }
            var overdue: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT centre, count(*) AS n FROM tip INDEXED BY tip_open_centre_due WHERE status != 'closed' AND canary_at IS NULL AND due_at < ? GROUP BY centre", arguments: [now]) {
                overdue[row["centre"]] = row["n"]
            }
            return MetricCounts(
                byCentreAndStatus: centres.flatMap { centre in TipStatus.allCases.map { (centre, $0.rawValue, grid["\(centre)|\($0.rawValue)"] ?? 0) } },
                overdueByCentre: centres.map { ($0, overdue[$0] ?? 0) })
        }
    }
}
