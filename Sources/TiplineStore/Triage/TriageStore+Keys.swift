public import Foundation
import GRDB
public import Sealing
public import TiplineAdminAPI
public import TiplineCore

/// Centre key rotation (issue 11; Keys/README.md "Rotation"): registering a new key, re-wrapping old
/// tips for it in audited batches, retiring the old key. The key set itself is `public/keys.json`,
/// which the server rewrites through `apply` inside the same transaction as the audit entry.
extension TriageStore {
    /// What `apply` is told inside the transaction: the entry's sequence number and time.
    public typealias KeyChangeApply = @Sendable (_ seq: Int64, _ at: Int64) throws -> Void

    /// `keys.rotate`: `newKey` becomes the current key of `centre`/`keyClass`. `apply` persists the new
    /// key set (keys.json) and updates the running server; it runs inside the transaction, after the entry.
    public func rotateKey(centre: CentreID, keyClass: KeyClass, newKey: X25519PublicKey, by actor: StaffActor, at: Int64,
                          apply: @escaping KeyChangeApply) async throws(StoreError) -> AuditEntry {
        let book = keyBook
        return try await write { db in
            guard let old = book.current(centre, keyClass) else { throw StoreError.invalid("no such centre") }
            guard old != newKey.keyID, book.former(newKey.keyID) == nil else {
                throw StoreError.conflict("that key is already a key of this centre")
            }
            let entry = try audit(actor.event(.rotateKey, subject: centre.rawValue, details: [
                "key_class": keyClass.rawValue, "old_key": old, "new_key": newKey.keyID,
                "public_key": Hex.encode(newKey.rawRepresentation),
            ]), at: at, in: db)
            try apply(entry.seq, at)
            return entry
        }
    }

    /// Tips still to re-wrap from the superseded key `oldKey` of `centre`/`keyClass` for the current key:
    /// those with a wrap for `oldKey` and none for the current key, whose class is not destroyed.
    public func rewrapPending(centre: CentreID, keyClass: KeyClass, oldKey: String, limit: Int,
                              after: String? = nil) async throws(StoreError) -> RewrapPending {
        let book = keyBook
        guard let former = book.former(oldKey), former.centre == centre, former.keyClass == keyClass else {
            throw .notFound("superseded key \(oldKey) of \(centre.rawValue)")
        }
        guard let current = book.current(centre, keyClass) else { throw .invalid("no such centre") }
        return try await read { db in
            let condition = Self.pendingCondition(keyClass)
            let remaining = try Int.fetchOne(db, sql: "SELECT count(*) \(condition)", arguments: [keyClass.rawValue, oldKey, current]) ?? 0
            let commitment = keyClass == .content ? "t.content_key_commitment" : "t.identity_key_commitment"
            // Pages in reference order after `after`, so that a caller who skips a bad wrap moves on.
            let items = try Row.fetchAll(db, sql: """
                SELECT t.reference, t.uid, w.sealed, \(commitment) AS commitment \(condition) AND t.reference > ? ORDER BY t.reference LIMIT ?
                """, arguments: [keyClass.rawValue, oldKey, current, after ?? "", limit]).map {
                RewrapItem(reference: $0["reference"], uid: $0["uid"], wrap: $0["sealed"], commitment: $0["commitment"])
            }
            return RewrapPending(remaining: remaining, blocking: try Self.blockingRecords(db, keyClass: keyClass, oldKey: oldKey, current: current),
                                 items: items)
        }
    }

    /// `FROM … WHERE …` of the live tips wrapped for the old key (argument 2) and not the current one (3).
    static func pendingCondition(_ keyClass: KeyClass) -> String {
        let shredded = keyClass == .content ? "t.content_shredded_at IS NULL"
                                            : "t.content_shredded_at IS NULL AND t.identity_shredded_at IS NULL"
        return """
            FROM tip_wrap w JOIN tip t ON t.id = w.tip_id
            WHERE w.key_class = ? AND w.recipient_key_id = ? AND \(shredded)
              AND NOT EXISTS (SELECT 1 FROM tip_wrap n WHERE n.tip_id = w.tip_id AND n.key_class = w.key_class AND n.recipient_key_id = ?)
            """
    }

    /// Sealed records outside `tip_wrap` that name the old key and not the current one: their wraps live
    /// inside their envelopes, which the admin API does not re-wrap yet (messages, notes and files a
    /// reporter added under a centre's content key; informant identities and ledger names under the city's
    /// identity key). They keep the old key from being retired.
    static func blockingRecords(_ db: Database, keyClass: KeyClass, oldKey: String, current: String) throws -> Int {
        let tables: [(String, String)] = keyClass == .content
            ? [("tip_message", "envelope"), ("tip_note", "envelope"), ("tip_evidence_added", "envelope")]
            : [("informant", "identity"), ("book_version", "names")]
        var count = 0
        for (table, column) in tables where try db.tableExists(table) {
            count += try Int.fetchOne(db, sql: """
                SELECT count(*) FROM \(table) WHERE \(column) IS NOT NULL
                  AND instr(CAST(\(column) AS TEXT), ?) > 0 AND instr(CAST(\(column) AS TEXT), ?) = 0
                """, arguments: [oldKey, current]) ?? 0
        }
        return count
    }

    /// One batch of `keys.rewrap`: adds each new wrap (for the current key, opened from `oldKey` on the
    /// holder's machine) to its tip. A tip that already has that very wrap is a retry and is counted as
    /// unchanged; a different one is refused (wraps are append-only). One entry names every tip and the
    /// SHA-256 of every wrap added; a batch that adds nothing writes no entry.
    public func rewrap(centre: CentreID, keyClass: KeyClass, oldKey: String, wraps: [(reference: String, wrap: RecipientWrap)],
                       by actor: StaffActor, at: Int64) async throws(StoreError) -> RewrapReply {
        let book = keyBook
        guard let former = book.former(oldKey), former.centre == centre, former.keyClass == keyClass else {
            throw .conflict("\(oldKey) is not a superseded \(keyClass.rawValue) key of \(centre.rawValue)")
        }
        guard !former.retired else { throw .conflict("\(oldKey) is retired") }
        guard let current = book.current(centre, keyClass) else { throw .invalid("no such centre") }
        guard !wraps.isEmpty, wraps.count <= RewrapBody.maxBatch else { throw .invalid("a batch holds 1 to \(RewrapBody.maxBatch) wraps") }
        guard Set(wraps.map(\.reference)).count == wraps.count else { throw .invalid("a tip appears twice in the batch") }
        for item in wraps where item.wrap.keyClass != keyClass || item.wrap.recipientKeyID != current {
            throw .conflict("every wrap must be for the current \(keyClass.rawValue) key of \(centre.rawValue) (\(current)); re-pin keys.json")
        }
        return try await write { db in
            var added: [(String, RecipientWrap)] = []
            var unchanged = 0
            for item in wraps {
                guard let tip = try TipRecord.filter(Column("reference") == item.reference).fetchOne(db), let id = tip.id else {
                    throw StoreError.notFound("tip \(item.reference)")
                }
                guard try Self.existingWrap(db, tipID: id, keyClass: keyClass, keyID: oldKey) != nil else {
                    throw StoreError.conflict("\(item.reference) has no wrap for \(oldKey)")
                }
                if tip.contentShreddedAt != nil || (keyClass == .identity && tip.identityShreddedAt != nil) {
                    throw StoreError.conflict("\(item.reference): its \(keyClass.rawValue) data has been destroyed")
                }
                if let existing = try Self.existingWrap(db, tipID: id, keyClass: keyClass, keyID: current) {
                    guard existing == item.wrap.serialized() else {
                        throw StoreError.conflict("\(item.reference) already has a different wrap for \(current); wraps are append-only and are never replaced")
                    }
                    unchanged += 1
                    continue
                }
                try Self.insertWraps([item.wrap], tipID: id, centre: centre, by: actor, at: at, in: db)
                added.append((item.reference, item.wrap))
            }
            guard !added.isEmpty else { return RewrapReply(added: 0, unchanged: unchanged, auditSeq: nil) }
            added.sort { $0.0 < $1.0 }
            let entry = try audit(actor.event(.rewrapKeys, subject: centre.rawValue, details: [
                "key_class": keyClass.rawValue, "old_key": oldKey, "new_key": current,
                "tips": added.map(\.0).joined(separator: ","),
                "wrap_hashes": added.map { "\($0.0):\(Hashing.sha256Hex($0.1.serialized()))" }.joined(separator: ","),
            ]), at: at, in: db)
            return RewrapReply(added: added.count, unchanged: unchanged, auditSeq: entry.seq)
        }
    }

    /// `keys.retire`: refused (409) while a live record still needs `keyID` (a tip with no wrap for the
    /// current key, or a record the API cannot re-wrap); then no wrap for it is ever stored again.
    public func retireKey(centre: CentreID, keyClass: KeyClass, keyID: String, by actor: StaffActor, at: Int64,
                          apply: @escaping KeyChangeApply) async throws(StoreError) -> AuditEntry {
        let book = keyBook
        guard let former = book.former(keyID), former.centre == centre, former.keyClass == keyClass else {
            throw .conflict("\(keyID) is not a superseded \(keyClass.rawValue) key of \(centre.rawValue)")
        }
        guard !former.retired else { throw .conflict("\(keyID) is already retired") }
        guard let current = book.current(centre, keyClass) else { throw .invalid("no such centre") }
        return try await write { db in
            let tips = try Int.fetchOne(db, sql: "SELECT count(*) \(Self.pendingCondition(keyClass))",
                                        arguments: [keyClass.rawValue, keyID, current]) ?? 0
            let blocking = try Self.blockingRecords(db, keyClass: keyClass, oldKey: keyID, current: current)
            guard tips == 0, blocking == 0 else {
                throw StoreError.conflict("\(tips) tips and \(blocking) other records still have no wrap for the current key; re-wrap them first")
            }
            let entry = try audit(actor.event(.retireKey, subject: centre.rawValue, details: [
                "key_class": keyClass.rawValue, "key_id": keyID, "current_key": current,
            ]), at: at, in: db)
            try db.execute(sql: "INSERT INTO retired_centre_key(key_id, centre, key_class, seq) VALUES (?, ?, ?, ?)",
                           arguments: [keyID, centre.rawValue, keyClass.rawValue, entry.seq])
            try apply(entry.seq, at)
            return entry
        }
    }
}
