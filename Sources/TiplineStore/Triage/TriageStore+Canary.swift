import Foundation
import GRDB
import TiplineCore

extension TriageStore {
    /// Marks `reference` as an auditor's canary tip (`tipline-audit canary`, issue 13 item 9): sets
    /// `canary_at` and appends the `tip.canary` entry (actor the auditor, subject the reference) in the
    /// same transaction. From then on the tip is in no queue, overdue or pending list, notification or
    /// count (the tally triggers drop it; every listing reads `canary_at IS NULL`); nothing else about
    /// it changes, and the reward ledger is not touched.
    ///
    /// The caller has already proved the actor planted the tip (its receipt opens it, checked like a
    /// follow-up): the store never sees the receipt. A tip marked before is a conflict (409).
    public func markCanary(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, canary_at FROM tip WHERE reference = ?", arguments: [reference]) else {
                throw StoreError.notFound("tip \(reference)")
            }
            guard (row["canary_at"] as Int64?) == nil else {
                throw StoreError.conflict("tip \(reference) is already marked as a canary")
            }
            try db.execute(sql: "UPDATE tip SET canary_at = ? WHERE id = ? AND canary_at IS NULL", arguments: [at, row["id"] as Int64])
            guard db.changesCount == 1 else { throw StoreError.conflict("tip \(reference) is already marked as a canary") }
            try audit(actor.event(.markCanary, subject: reference), at: at, in: db)
        }
    }

    /// When `reference` was marked as a canary (nil: it is not one, or there is no such tip).
    public func canaryMarkedAt(_ reference: String) async throws(StoreError) -> Int64? {
        try await read { db in
            try Int64.fetchOne(db, sql: "SELECT canary_at FROM tip WHERE reference = ?", arguments: [reference])
        }
    }
}
