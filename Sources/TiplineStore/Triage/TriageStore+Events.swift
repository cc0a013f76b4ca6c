import Foundation
import GRDB
import TiplineCore

extension TriageStore {
    /// An audit entry as the notification feed reads it (no request body, no signature).
    public struct EventSource: Sendable {
        /// The entry's position in the chain.
        public let seq: Int64
        /// Unix seconds (UTC) when the entry was recorded.
        public let at: Int64
        /// `server`, or the staff key id that acted.
        public let actor: String
        /// The audit action (`tip.received`, `tip.route`, …).
        public let action: String
        /// What it was done to, usually a tip reference.
        public let subject: String
        /// The entry's details (string values only).
        public let details: [String: String]
    }

    /// The highest audit sequence number (the feed starts after it: no history is replayed).
    public func lastAuditSeq() async throws(StoreError) -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT max(seq) FROM audit_entry") ?? 0 }
    }

    /// Audit entries after `seq` of the actions that make notifications, oldest first; none about a
    /// tip marked as a canary (`tip.canary`) by the time the feed reads it.
    public func eventSources(after seq: Int64, limit: Int) async throws(StoreError) -> [EventSource] {
        let actions = [ServerAction.tipReceived.rawValue, StaffAction.route.rawValue, StaffAction.proposeReward.rawValue,
                       StaffAction.changeUrgency.rawValue]
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, at, actor, action, subject, details FROM audit_entry
                WHERE seq > ? AND action IN (?, ?, ?, ?)
                  AND NOT EXISTS (SELECT 1 FROM tip WHERE tip.reference = audit_entry.subject AND tip.canary_at IS NOT NULL)
                ORDER BY seq LIMIT ?
                """, arguments: StatementArguments([seq] as [any DatabaseValueConvertible] + actions + [limit])).map { row in
                let text: String = row["details"] ?? "{}"
                let details = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?
                    .compactMapValues { $0 as? String } ?? [:]
                return EventSource(seq: row["seq"], at: row["at"], actor: row["actor"], action: row["action"], subject: row["subject"],
                                   details: details)
            }
        }
    }

    /// An open tip about to fall due: where it is and when.
    public struct DueSoon: Sendable, Hashable {
        /// The tip's reference.
        public let reference: String
        /// The tip's centre first, then the centres it is copied to.
        public let centres: [String]
        /// The tip's urgency tier.
        public let urgency: String
        /// Unix seconds (UTC) when the tip falls due.
        public let dueAt: Int64
    }

    /// Open tips whose due time is between `now` and the last quarter of their tier's time
    /// (`timeliness.yaml`), with the centres that see them (the tip's and its copies).
    public func dueSoon(at now: Int64) async throws(StoreError) -> [DueSoon] {
        let window = Urgency.allCases.map { (urgency: $0.rawValue, seconds: policies.timeliness.dueSeconds($0) / 4) }
        let longest = window.map(\.seconds).max() ?? 0
        return try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT t.reference, t.centre, t.urgency, t.due_at,
                       (SELECT group_concat(c.centre) FROM tip_copy c WHERE c.tip_id = t.id) AS copies FROM tip t
                WHERE t.status != 'closed' AND t.canary_at IS NULL AND t.due_at >= ? AND t.due_at < ? ORDER BY t.due_at LIMIT 1000
                """, arguments: [now, now + longest]).compactMap { row -> DueSoon? in
                let urgency: String = row["urgency"]
                let dueAt: Int64 = row["due_at"]
                guard let seconds = window.first(where: { $0.urgency == urgency })?.seconds, dueAt < now + seconds else { return nil }
                let copies = (row["copies"] as String?)?.split(separator: ",").map(String.init) ?? []
                return DueSoon(reference: row["reference"], centres: [row["centre"] as String] + copies, urgency: urgency, dueAt: dueAt)
            }
        }
    }
}
