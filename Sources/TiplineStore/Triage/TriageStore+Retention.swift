import Foundation
import GRDB
import Sealing
import TiplineCore

extension TriageStore {
    /// What one retention pass destroyed.
    public struct RetentionResult: Sendable, Equatable {
        /// References of tips whose identity was destroyed.
        public var identitiesShredded: [String] = []
        /// References of tips whose content was destroyed.
        public var contentsShredded: [String] = []
    }

    /// Applies `retention.yaml` at `now`: destroys the identity wraps and fields of closed tips past
    /// their identity period (crypto-shredding), then, later, their content. Each destruction is an
    /// audit entry in the same transaction; `secure_delete` overwrites the freed pages.
    public func applyRetention(at now: Int64, batch: Int) async throws(StoreError) -> RetentionResult {
        let retention = policies.retention
        return try await write { db in
            var result = RetentionResult()
            let closed = try Row.fetchAll(db, sql: """
                SELECT id, reference, resolution, closed_at, identity_shredded_at, content_shredded_at FROM tip
                WHERE status = 'closed' AND closed_at IS NOT NULL AND content_shredded_at IS NULL
                ORDER BY closed_at LIMIT ?
                """, arguments: [batch])
            for row in closed {
                let id: Int64 = row["id"]
                let reference: String = row["reference"]
                let closedAt: Int64 = row["closed_at"]
                let resolution = TipStatus(rawValue: row["resolution"] ?? "") ?? .rejected
                let period = retention.period(for: resolution)
                if (row["identity_shredded_at"] as Int64?) == nil, now >= closedAt + Int64(period.identityDays) * 86_400 {
                    let wraps = try Self.destroyIdentity(tipID: id, at: now, in: db)
                    try audit(AuditEvent(server: .identityDestroyed, subject: reference, details: [
                        "resolution": resolution.rawValue, "identity_days": String(period.identityDays), "wraps_destroyed": String(wraps),
                    ]), at: now, in: db)
                    result.identitiesShredded.append(reference)
                }
                if now >= closedAt + Int64(period.contentDays) * 86_400 {
                    if (row["identity_shredded_at"] as Int64?) == nil, !result.identitiesShredded.contains(reference) { continue }
                    let wraps = try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_wrap WHERE tip_id = ?", arguments: [id]) ?? 0
                    try db.execute(sql: "UPDATE tip SET content_shredded_at = ?, reporter_key_sealed = x'' WHERE id = ?", arguments: [now, id])
                    for table in ["tip_wrap", "envelope_wrap", "tip_field", "tip_evidence", "tip_evidence_added", "tip_message", "tip_note"] {
                        try db.execute(sql: "DELETE FROM \(table) WHERE tip_id = ?", arguments: [id])
                    }
                    try audit(AuditEvent(server: .contentDestroyed, subject: reference, details: [
                        "resolution": resolution.rawValue, "content_days": String(period.contentDays), "wraps_destroyed": String(wraps),
                    ]), at: now, in: db)
                    result.contentsShredded.append(reference)
                }
            }
            // Tips never closed: the identity goes a policy period after the tip's last action.
            let cutoff = now - Int64(retention.openIdentityDays) * 86_400
            let forgotten = try Row.fetchAll(db, sql: """
                SELECT * FROM (
                  SELECT t.id, t.reference, t.status,
                         (SELECT max(a.at) FROM audit_entry a WHERE a.subject = t.reference) AS last_action
                  FROM tip t
                  WHERE t.status != 'closed' AND t.has_identity = 1 AND t.identity_shredded_at IS NULL
                    AND t.status_changed_at < ?)
                WHERE last_action < ? ORDER BY last_action LIMIT ?
                """, arguments: [cutoff, cutoff, batch])
            for row in forgotten {
                let id: Int64 = row["id"]
                let reference: String = row["reference"]
                let lastAction: Int64 = row["last_action"]
                let wraps = try Self.destroyIdentity(tipID: id, at: now, in: db)
                try audit(AuditEvent(server: .identityDestroyed, subject: reference, details: [
                    "after": "inactivity", "status": row["status"], "last_action": String(lastAction),
                    "identity_days": String(retention.openIdentityDays), "wraps_destroyed": String(wraps),
                ]), at: now, in: db)
                result.identitiesShredded.append(reference)
            }
            return result
        }
    }

    /// Crypto-shreds one tip's identity: marks it destroyed first (the `v5-wrap-integrity` trigger lets
    /// only a destroyed class's wraps be deleted), then deletes its identity wraps, identity fields and
    /// pending identity wraps. Returns how many wraps were destroyed.
    private static func destroyIdentity(tipID id: Int64, at now: Int64, in db: Database) throws -> Int {
        let wraps = try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_wrap WHERE tip_id = ? AND key_class = 'identity'", arguments: [id]) ?? 0
        try db.execute(sql: "UPDATE tip SET identity_shredded_at = ? WHERE id = ?", arguments: [now, id])
        try db.execute(sql: "DELETE FROM tip_wrap WHERE tip_id = ? AND key_class = 'identity'", arguments: [id])
        try db.execute(sql: "DELETE FROM tip_field WHERE tip_id = ? AND key_class = 'identity'", arguments: [id])
        try db.execute(sql: "DELETE FROM pending_identity_wrap WHERE tip_id = ?", arguments: [id])
        return wraps
    }
}
