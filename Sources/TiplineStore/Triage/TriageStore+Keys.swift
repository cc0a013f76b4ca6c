import Foundation
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

    /// Records of `kind` still to re-wrap from the superseded key `oldKey` of `centre`/`keyClass` for the
    /// current key: those with a wrap for `oldKey` and none for the current key, whose class is not destroyed.
    public func rewrapPending(centre: CentreID, keyClass: KeyClass, oldKey: String, kind: RewrapKind, limit: Int,
                              after: String? = nil) async throws(StoreError) -> RewrapPending {
        let book = keyBook
        guard let former = book.former(oldKey), former.centre == centre, former.keyClass == keyClass else {
            throw .notFound("superseded key \(oldKey) of \(centre.rawValue)")
        }
        guard let current = book.current(centre, keyClass) else { throw .invalid("no such centre") }
        return try await read { db in
            let blocking = try Self.blockingRecords(db, keyClass: keyClass, oldKey: oldKey, current: current)
            guard RewrapKind.kinds(of: keyClass).contains(kind) else { return RewrapPending(remaining: 0, blocking: blocking, items: []) }
            if let table = Self.envelopeTable(kind) {
                let condition = Self.envelopeCondition(table)
                let remaining = try Int.fetchOne(db, sql: "SELECT count(*) \(condition)", arguments: [oldKey, current, current]) ?? 0
                var items: [RewrapItem] = []
                for row in try Row.fetchAll(db, sql: "SELECT m.uid, m.envelope, t.reference \(condition) AND m.uid > ? ORDER BY m.uid LIMIT ?",
                                            arguments: [oldKey, current, current, after ?? "", limit]) {
                    // A record whose envelope does not parse or holds no wrap for the key is served with an empty wrap:
                    // the holder reports it as bad instead of skipping it silently.
                    let envelope = try? JSONDecoder().decode(Envelope.self, from: row["envelope"] as Data)
                    let wrap = envelope?.wraps.first { $0.keyClass == .content && $0.recipientKeyID == oldKey }
                    items.append(RewrapItem(kind: kind, reference: row["reference"], uid: envelope?.recordID ?? row["uid"], record: row["uid"],
                                            wrap: Data(wrap?.serialized() ?? []), commitment: envelope?.keyCommitment.map { Data($0) }))
                }
                return RewrapPending(remaining: remaining, blocking: blocking, items: items)
            }
            let condition = Self.pendingCondition(keyClass)
            let remaining = try Int.fetchOne(db, sql: "SELECT count(*) \(condition)", arguments: [keyClass.rawValue, oldKey, current]) ?? 0
            let commitment = keyClass == .content ? "t.content_key_commitment" : "t.identity_key_commitment"
            // Pages in reference order after `after`, so that a caller who skips a bad wrap moves on.
            let items = try Row.fetchAll(db, sql: """
                SELECT t.reference, t.uid, w.sealed, \(commitment) AS commitment \(condition) AND t.reference > ? ORDER BY t.reference LIMIT ?
                """, arguments: [keyClass.rawValue, oldKey, current, after ?? "", limit]).map {
                RewrapItem(reference: $0["reference"], uid: $0["uid"], wrap: $0["sealed"], commitment: $0["commitment"])
            }
            return RewrapPending(remaining: remaining, blocking: blocking, items: items)
        }
    }

    /// The table of a kind of record that carries its own wraps (nil for a tip).
    static func envelopeTable(_ kind: RewrapKind) -> String? {
        switch kind {
        case .tip: nil
        case .message: "tip_message"
        case .note: "tip_note"
        case .file: "tip_evidence_added"
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

    /// `FROM … WHERE …` of the live records of `table` whose envelope names the old key (argument 1), not the
    /// current one (2), and that have no added wrap for the current key (3).
    static func envelopeCondition(_ table: String) -> String {
        """
        FROM \(table) m JOIN tip t ON t.id = m.tip_id
        WHERE t.content_shredded_at IS NULL
          AND instr(CAST(m.envelope AS TEXT), ?) > 0 AND instr(CAST(m.envelope AS TEXT), ?) = 0
          AND NOT EXISTS (SELECT 1 FROM envelope_wrap e WHERE e.record_uid = m.uid AND e.key_class = 'content' AND e.recipient_key_id = ?)
        """
    }

    /// Sealed records that name the old key and not the current one and that `keys rewrap` does not re-wrap:
    /// informant identities and ledger names under the city's identity key. They keep the old key from being retired.
    static func blockingRecords(_ db: Database, keyClass: KeyClass, oldKey: String, current: String) throws -> Int {
        guard keyClass == .identity else { return 0 }
        var count = 0
        for (table, column) in [("informant", "identity"), ("book_version", "names")] where try db.tableExists(table) {
            count += try Int.fetchOne(db, sql: """
                SELECT count(*) FROM \(table) WHERE \(column) IS NOT NULL
                  AND instr(CAST(\(column) AS TEXT), ?) > 0 AND instr(CAST(\(column) AS TEXT), ?) = 0
                """, arguments: [oldKey, current]) ?? 0
        }
        return count
    }

    /// Everything still sealed to `oldKey` only: tips, records with their own wraps, and records nothing re-wraps.
    static func stillNeeded(_ db: Database, keyClass: KeyClass, oldKey: String, current: String) throws -> (tips: Int, records: Int, blocking: Int) {
        let tips = try Int.fetchOne(db, sql: "SELECT count(*) \(pendingCondition(keyClass))", arguments: [keyClass.rawValue, oldKey, current]) ?? 0
        var records = 0
        for kind in RewrapKind.kinds(of: keyClass) {
            guard let table = envelopeTable(kind) else { continue }
            records += try Int.fetchOne(db, sql: "SELECT count(*) \(envelopeCondition(table))", arguments: [oldKey, current, current]) ?? 0
        }
        return (tips, records, try blockingRecords(db, keyClass: keyClass, oldKey: oldKey, current: current))
    }

    /// One item of a re-wrap batch as the store takes it.
    public struct RewrapInput: Sendable {
        public let kind: RewrapKind
        public let reference: String
        /// The message's, note's or file's uid.
        public let record: String?
        public let wrap: RecipientWrap
        public init(kind: RewrapKind, reference: String, record: String?, wrap: RecipientWrap) {
            self.kind = kind
            self.reference = reference
            self.record = record
            self.wrap = wrap
        }
    }

    /// One batch of `keys.rewrap`: adds each new wrap (for the current key, opened from `oldKey` on the
    /// holder's machine) to its tip or record. One that already has that very wrap is a retry and is counted
    /// as unchanged; a different one is refused (wraps are append-only). One entry names every tip and record
    /// and the SHA-256 of every wrap added; a batch that adds nothing writes no entry.
    public func rewrap(centre: CentreID, keyClass: KeyClass, oldKey: String, wraps: [RewrapInput],
                       by actor: StaffActor, at: Int64) async throws(StoreError) -> RewrapReply {
        let book = keyBook
        guard let former = book.former(oldKey), former.centre == centre, former.keyClass == keyClass else {
            throw .conflict("\(oldKey) is not a superseded \(keyClass.rawValue) key of \(centre.rawValue)")
        }
        guard !former.retired else { throw .conflict("\(oldKey) is retired") }
        guard let current = book.current(centre, keyClass) else { throw .invalid("no such centre") }
        guard !wraps.isEmpty, wraps.count <= RewrapBody.maxBatch else { throw .invalid("a batch holds 1 to \(RewrapBody.maxBatch) wraps") }
        guard Set(wraps.map { "\($0.kind.rawValue):\($0.record ?? $0.reference)" }).count == wraps.count else {
            throw .invalid("a record appears twice in the batch")
        }
        for item in wraps {
            guard item.wrap.keyClass == keyClass, item.wrap.recipientKeyID == current else {
                throw .conflict("every wrap must be for the current \(keyClass.rawValue) key of \(centre.rawValue) (\(current)); re-pin keys.json")
            }
            guard RewrapKind.kinds(of: keyClass).contains(item.kind), (item.kind == .tip) == (item.record == nil) else {
                throw .invalid("a \(item.kind.rawValue) wrap needs \(item.kind == .tip ? "no record" : "its record uid")")
            }
        }
        return try await write { db in
            var addedTips: [(String, RecipientWrap)] = []
            var addedRecords: [String] = []
            var unchanged = 0
            for item in wraps {
                guard let tip = try TipRecord.filter(TipRecord.Columns.reference == item.reference).fetchOne(db), let id = tip.id else {
                    throw StoreError.notFound("tip \(item.reference)")
                }
                if tip.contentShreddedAt != nil || (keyClass == .identity && tip.identityShreddedAt != nil) {
                    throw StoreError.conflict("\(item.reference): its \(keyClass.rawValue) data has been destroyed")
                }
                guard let table = Self.envelopeTable(item.kind), let uid = item.record else {
                    guard try Self.existingWrap(db, tipID: id, keyClass: keyClass, keyID: oldKey) != nil else {
                        throw StoreError.conflict("\(item.reference) has no wrap for \(oldKey)")
                    }
                    if let existing = try Self.existingWrap(db, tipID: id, keyClass: keyClass, keyID: current) {
                        guard existing == item.wrap.serialized() else {
                            throw StoreError.conflict("\(item.reference) already has a different wrap for \(current); wraps are append-only and are never replaced")
                        }
                        unchanged += 1
                        continue
                    }
                    try Self.insertWraps([item.wrap], tipID: id, centre: centre, by: actor, at: at, in: db)
                    addedTips.append((item.reference, item.wrap))
                    continue
                }
                guard let stored = try Data.fetchOne(db, sql: "SELECT envelope FROM \(table) WHERE uid = ? AND tip_id = ?", arguments: [uid, id]),
                      let envelope = try? JSONDecoder().decode(Envelope.self, from: stored),
                      envelope.wraps.contains(where: { $0.keyClass == .content && $0.recipientKeyID == oldKey }) else {
                    throw StoreError.conflict("\(item.reference) has no \(item.kind.rawValue) \(uid) wrapped for \(oldKey)")
                }
                if let existing = try Data.fetchOne(db, sql: """
                    SELECT sealed FROM envelope_wrap WHERE record_uid = ? AND key_class = 'content' AND recipient_key_id = ?
                    """, arguments: [uid, current]) {
                    guard Array(existing) == item.wrap.serialized() else {
                        throw StoreError.conflict("\(item.kind.rawValue) \(uid) already has a different wrap for \(current); wraps are append-only and are never replaced")
                    }
                    unchanged += 1
                    continue
                }
                guard !envelope.wraps.contains(where: { $0.recipientKeyID == current }) else {
                    throw StoreError.conflict("\(item.kind.rawValue) \(uid) is already sealed to \(current)")
                }
                try db.execute(sql: """
                    INSERT INTO envelope_wrap(record_kind, record_uid, tip_id, key_class, recipient_key_id, centre, sealed, added_at, added_by)
                    VALUES (?, ?, ?, 'content', ?, ?, ?, ?, ?)
                    """, arguments: [item.kind.rawValue, uid, id, current, centre.rawValue, Data(item.wrap.serialized()), at, actor.member.keyID])
                addedRecords.append("\(item.kind.rawValue):\(uid):\(item.reference):\(Hashing.sha256Hex(item.wrap.serialized()))")
            }
            guard !addedTips.isEmpty || !addedRecords.isEmpty else { return RewrapReply(added: 0, unchanged: unchanged, auditSeq: nil) }
            addedTips.sort { $0.0 < $1.0 }
            var details = [
                "key_class": keyClass.rawValue, "old_key": oldKey, "new_key": current,
                "tips": addedTips.map(\.0).joined(separator: ","),
                "wrap_hashes": addedTips.map { "\($0.0):\(Hashing.sha256Hex($0.1.serialized()))" }.joined(separator: ","),
            ]
            if !addedRecords.isEmpty { details["records"] = addedRecords.sorted().joined(separator: ",") }
            let entry = try audit(actor.event(.rewrapKeys, subject: centre.rawValue, details: details), at: at, in: db)
            return RewrapReply(added: addedTips.count + addedRecords.count, unchanged: unchanged, auditSeq: entry.seq)
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
            let needed = try Self.stillNeeded(db, keyClass: keyClass, oldKey: keyID, current: current)
            guard needed.tips == 0, needed.records == 0, needed.blocking == 0 else {
                throw StoreError.conflict("\(needed.tips) tips, \(needed.records) messages, notes or files and \(needed.blocking) other records "
                                          + "still have no wrap for the current key; re-wrap them first")
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
