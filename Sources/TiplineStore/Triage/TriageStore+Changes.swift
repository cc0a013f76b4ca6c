import Foundation
import GRDB
public import Sealing
public import TiplineCore
public import TiplineAdminAPI

extension TriageStore {
    /// Moves a tip's status (S-5.1 state machine) and records it.
    public func changeStatus(_ reference: String, _ change: StatusChange, by actor: StaffActor, at: Int64) async throws(StoreError) -> TipStatus {
        try await write { db in
            var tip = try visibleTip(reference, to: actor.member, in: db)
            let current = tip.status
            do {
                try change.validate(from: current)
            } catch let refusal as StatusChange.Refusal {
                throw StoreError.conflict(refusal.message)
            }
            var details = ["from": current.rawValue, "to": change.to.rawValue]
            tip.status = change.to
            tip.statusChangedAt = at
            if tip.actedAt == nil {
                tip.actedAt = at
                tip.actedOnTime = at <= tip.dueAt
            }
            switch change.to {
            case .verifying:
                tip.enforcementUnit = ReasonText.clean(change.enforcementUnit)
                details["enforcement_unit"] = tip.enforcementUnit
            case .verified:
                guard let outcome = change.outcome else { throw StoreError.invalid("a verified tip needs its outcome") }
                tip.outcome = outcome
                tip.resolution = change.to
                details["outcome"] = String(decoding: try TipRecord.databaseJSONEncoder(for: "outcome").encode(outcome), as: UTF8.self)
            case .unfounded, .rejected:
                tip.resolution = change.to
            case .closed:
                tip.closedAt = at
            case .received, .triaged:
                break
            }
            if let reason = ReasonText.clean(change.reason) { details["reason"] = reason }
            // The S-4.1 clock runs from arrival: a status change does not reset it (issue 12 item 12).
            try tip.update(db)
            try audit(actor.event(.changeStatus, subject: reference, details: details), at: at, in: db)
            return change.to
        }
    }

    /// Raises or lowers a tip's urgency with a reason; the due time follows.
    public func changeUrgency(_ reference: String, to urgency: Urgency, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) {
        guard let reason = ReasonText.clean(reason) else { throw .conflict("a reason is required to change the urgency") }
        let timeliness = policies.timeliness
        let city = policies.centres.city.id.rawValue
        let copyToCity = policies.routing.copyToCityUrgencies.contains(urgency)
        try await write { db in
            var tip = try visibleTip(reference, to: actor.member, in: db)
            guard tip.status != .closed else { throw StoreError.conflict("the tip is closed") }
            let old = tip.urgency
            tip.urgency = urgency
            // S-4.1: the due time runs from arrival at the tier's pace, whatever happened since.
            tip.dueAt = tip.receivedAt + timeliness.dueSeconds(urgency)
            try tip.update(db)
            var details = ["from": old.rawValue, "to": urgency.rawValue, "reason": reason]
            // A tip raised to an urgency the city must see (major) gets the city's copy, as it would at intake.
            if copyToCity, tip.centre.rawValue != city,
               try Int.fetchOne(db, sql: "SELECT 1 FROM tip_copy WHERE tip_id = ? AND centre = ?", arguments: [tip.id, city]) == nil {
                try db.execute(sql: "INSERT INTO tip_copy(tip_id, centre) VALUES (?, ?)", arguments: [tip.id, city])
                details["copy_added"] = city
            }
            try audit(actor.event(.changeUrgency, subject: reference, details: details), at: at, in: db)
        }
    }

    /// Assigns a tip to a staff member of a centre that sees it.
    public func assign(_ reference: String, to keyID: String, by actor: StaffActor, at: Int64) async throws(StoreError) {
        try await write { db in
            var tip = try visibleTip(reference, to: actor.member, in: db)
            guard let assignee = try StaffMember.fetchOne(db, key: keyID), assignee.isActive,
                  try isVisible(tip, to: assignee.centre, in: db) else {
                throw StoreError.conflict("the assignee must be an active staff member of a centre that sees this tip")
            }
            tip.assignedTo = keyID
            try tip.update(db)
            try audit(actor.event(.assign, subject: reference, details: ["assignee": keyID]), at: at, in: db)
        }
    }

    /// Marks a tip as a duplicate of an earlier one (the first reporter counts for rewards).
    public func markDuplicate(_ reference: String, of earlier: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) {
        guard let reason = ReasonText.clean(reason) else { throw .conflict("a reason is required to mark a duplicate") }
        try await write { db in
            var tip = try visibleTip(reference, to: actor.member, in: db)
            let original = try visibleTip(earlier, to: actor.member, in: db)
            guard original.receivedAt < tip.receivedAt || (original.receivedAt == tip.receivedAt && original.id! < tip.id!) else {
                throw StoreError.conflict("a tip can only duplicate an earlier one")
            }
            guard original.duplicateOf == nil else { throw StoreError.conflict("mark it a duplicate of the original tip instead") }
            tip.duplicateOf = original.id
            try tip.update(db)
            try audit(actor.event(.changeStatus, subject: reference, details: ["duplicate_of": earlier, "reason": reason]), at: at, in: db)
        }
    }

    /// Adds a reply to the thread. The envelope must be wrapped exactly for the reporter key and
    /// the content keys of the tip's centres: no other recipient can be slipped in.
    public func addReply(_ reference: String, envelope: Envelope, by actor: StaffActor, at: Int64) async throws(StoreError) {
        let keys = centreKeys
        try await write { db in
            let tip = try visibleTip(reference, to: actor.member, in: db)
            guard tip.contentShreddedAt == nil else { throw StoreError.conflict("the tip's content has been destroyed") }
            let centres = try String.fetchAll(db, sql: "SELECT DISTINCT centre FROM tip_wrap WHERE tip_id = ? AND key_class = 'content'", arguments: [tip.id])
            let reporterKeyID = Hashing.sha256Hex(Array(tip.reporterPublicKey)).prefix(32)
            let expected = Set(centres.compactMap { keys[CentreID($0)]?.content } + [String(reporterKeyID)])
            try Self.checkRecipients(envelope, expected: expected, field: "text")
            let data = try JSONEncoder().encode(envelope)
            var message = MessageRecord(id: nil, uid: envelope.recordID, tipID: tip.id!, author: "centre", createdAt: at,
                                        envelope: data, authorKeyID: actor.member.keyID)
            try message.insert(db)
            try audit(actor.event(.reply, subject: reference, details: [
                "message": envelope.recordID, "envelope_hash": Hashing.sha256Hex(Array(data)),
                "recipients": expected.sorted().joined(separator: ","),
            ]), at: at, in: db)
        }
    }

    /// Adds an internal note, sealed to the content keys of the tip's centres only.
    public func addNote(_ reference: String, envelope: Envelope, by actor: StaffActor, at: Int64) async throws(StoreError) {
        let keys = centreKeys
        try await write { db in
            let tip = try visibleTip(reference, to: actor.member, in: db)
            let centres = try String.fetchAll(db, sql: "SELECT DISTINCT centre FROM tip_wrap WHERE tip_id = ? AND key_class = 'content'", arguments: [tip.id])
            let expected = Set(centres.compactMap { keys[CentreID($0)]?.content })
            try Self.checkRecipients(envelope, expected: expected, field: "text")
            let data = try JSONEncoder().encode(envelope)
            try db.execute(sql: "INSERT INTO tip_note(uid, tip_id, author_key_id, created_at, envelope) VALUES (?, ?, ?, ?, ?)",
                           arguments: [envelope.recordID, tip.id, actor.member.keyID, at, data])
            try audit(actor.event(.note, subject: reference, details: ["note": envelope.recordID,
                                                                       "envelope_hash": Hashing.sha256Hex(Array(data))]), at: at, in: db)
        }
    }

    static func checkRecipients(_ envelope: Envelope, expected: Set<String>, field: String) throws {
        let recipients = Set(envelope.wraps.filter { $0.keyClass == .content }.map(\.recipientKeyID))
        guard recipients == expected, envelope.wraps.allSatisfy({ $0.keyClass == .content }) else {
            throw StoreError.conflict("the message must be sealed to exactly the reporter key and the tip's centres")
        }
        guard envelope.fields.count == 1, envelope.fields[0].name == field, envelope.fields[0].keyClass == .content,
              envelope.fields[0].ciphertextAndTag.count <= 64 * 1024 else {
            throw StoreError.conflict("the message envelope must hold one '\(field)' field of at most 64 KiB")
        }
    }

    /// Re-routes a tip. The CLI re-wrapped the content key (and, if the operator holds it, the
    /// identity key) for the new centre; without an identity wrap a pending task is left for an
    /// identity holder. This is the only path that adds a recipient to a tip.
    ///
    /// Wraps are append-only (issue 11, item 2): a key of the new centre that already has a wrap
    /// (the city, or a centre the tip was routed to before) keeps it byte for byte. The CLI then
    /// sends no wrap for it; a different wrap for it is refused (409), an identical one is ignored.
    /// Each added wrap's SHA-256 goes into the entry's `wrap_hashes`, which `audit verify` compares
    /// with the stored bytes.
    public func route(_ reference: String, to centre: CentreID, reason: String, contentWrap: RecipientWrap?,
                      identityWrap: RecipientWrap?, by actor: StaffActor, at: Int64) async throws(StoreError) -> Bool {
        guard let reason = ReasonText.clean(reason) else { throw .conflict("a reason is required to re-route") }
        guard let keys = centreKeys[centre] else { throw .conflict("no such centre") }
        if let contentWrap, contentWrap.keyClass != .content || contentWrap.recipientKeyID != keys.content {
            throw .conflict("the content wrap must be for the new centre's content key")
        }
        if let identityWrap, identityWrap.keyClass != .identity || identityWrap.recipientKeyID != keys.identity {
            throw .conflict("the identity wrap must be for the new centre's identity key")
        }
        return try await write { db in
            var tip = try visibleTip(reference, to: actor.member, in: db)
            guard tip.status != .closed else { throw StoreError.conflict("the tip is closed") }
            guard tip.centre != centre else { throw StoreError.conflict("the tip is already routed there") }
            guard tip.contentShreddedAt == nil else { throw StoreError.conflict("the tip's content has been destroyed") }
            let hasContent = try Self.existingWrap(db, tipID: tip.id!, keyClass: .content, keyID: keys.content)
            let hasIdentity = try Self.existingWrap(db, tipID: tip.id!, keyClass: .identity, keyID: keys.identity)
            let added = try Self.wrapsToAdd([(contentWrap, hasContent), (identityWrap, hasIdentity)], centre: centre)
            guard contentWrap != nil || hasContent != nil else {
                throw StoreError.conflict("a content wrap for the new centre is required (it has none yet)")
            }
            if identityWrap != nil, hasIdentity == nil, tip.identityShreddedAt != nil {
                throw StoreError.conflict("the identity has been destroyed")
            }
            let seq = (try Int.fetchOne(db, sql: "SELECT max(seq) FROM tip_route WHERE tip_id = ?", arguments: [tip.id]) ?? 0) + 1
            try db.execute(sql: "INSERT INTO tip_route(tip_id, seq, centre, at, actor, rule) VALUES (?, ?, ?, ?, ?, 'manual')",
                           arguments: [tip.id, seq, centre.rawValue, at, actor.member.keyID])
            try Self.insertWraps(added, tipID: tip.id!, centre: centre, by: actor, at: at, in: db)
            let pending = identityWrap == nil && hasIdentity == nil && tip.identityShreddedAt == nil
            if pending {
                try db.execute(sql: "INSERT OR REPLACE INTO pending_identity_wrap(tip_id, centre, requested_at, requested_by) VALUES (?, ?, ?, ?)",
                               arguments: [tip.id, centre.rawValue, at, actor.member.keyID])
            }
            let from = tip.centre.rawValue
            tip.centre = centre
            // The S-4.1 clock runs from arrival: re-routing does not reset it (issue 12 item 12).
            try tip.update(db)
            try audit(actor.event(.route, subject: reference, details: [
                "from": from, "to": centre.rawValue, "reason": reason,
                "added_wraps": added.map { "\($0.keyClass.rawValue):\($0.recipientKeyID)" }.joined(separator: ","),
                "wrap_hashes": Self.wrapHashes(added),
                "identity_pending": pending ? "1" : "0",
            ]), at: at, in: db)
            return pending
        }
    }

    /// The stored wrap of a (tip, class, key), if any.
    static func existingWrap(_ db: Database, tipID: Int64, keyClass: KeyClass, keyID: String) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT sealed FROM tip_wrap WHERE tip_id = ? AND key_class = ? AND recipient_key_id = ?",
                          arguments: [tipID, keyClass.rawValue, keyID]).map { Array($0) }
    }

    /// The offered wraps to store: none for a key that already has a wrap (an identical one is a
    /// retry and is ignored; a different one would replace it and is refused).
    static func wrapsToAdd(_ offered: [(RecipientWrap?, [UInt8]?)], centre: CentreID) throws(StoreError) -> [RecipientWrap] {
        var added: [RecipientWrap] = []
        for case let (wrap?, existing) in offered {
            if let existing {
                guard existing == wrap.serialized() else {
                    throw StoreError.conflict("\(centre.rawValue) already has a \(wrap.keyClass.rawValue) wrap for this tip; wraps are append-only and are never replaced")
                }
                continue
            }
            added.append(wrap)
        }
        return added
    }

    static func insertWraps(_ wraps: [RecipientWrap], tipID: Int64, centre: CentreID, by actor: StaffActor, at: Int64, in db: Database) throws {
        for wrap in wraps {
            try db.execute(sql: """
                INSERT INTO tip_wrap(tip_id, key_class, recipient_key_id, centre, sealed, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [tipID, wrap.keyClass.rawValue, wrap.recipientKeyID, centre.rawValue, Data(wrap.serialized()), at,
                                 actor.member.keyID])
        }
    }

    /// `class:keyid:sha256hex,…` of the added wraps (the entry's `wrap_hashes`).
    static func wrapHashes(_ wraps: [RecipientWrap]) -> String {
        wraps.map { SubmissionHash.wrapHashItem(keyClass: $0.keyClass, recipientKeyID: $0.recipientKeyID, sealed: $0.serialized()) }
            .sorted().joined(separator: ",")
    }

    /// Adds the identity wrap a re-routing left pending (an identity holder of the city or the old centre).
    public func addIdentityWrap(_ reference: String, centre: CentreID, wrap: RecipientWrap, by actor: StaffActor, at: Int64) async throws(StoreError) {
        guard let keys = centreKeys[centre], wrap.keyClass == .identity, wrap.recipientKeyID == keys.identity else {
            throw .conflict("the wrap must be for that centre's identity key")
        }
        try await write { db in
            let tip = try visibleTip(reference, to: actor.member, in: db)
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS(SELECT 1 FROM pending_identity_wrap WHERE tip_id = ? AND centre = ?)",
                                    arguments: [tip.id, centre.rawValue]) == true else {
                throw StoreError.conflict("no identity wrap is pending for that centre")
            }
            guard tip.identityShreddedAt == nil else { throw StoreError.conflict("the identity has been destroyed") }
            if try Self.existingWrap(db, tipID: tip.id!, keyClass: .identity, keyID: keys.identity) != nil {
                throw StoreError.conflict("\(centre.rawValue) already has an identity wrap for this tip; wraps are append-only and are never replaced")
            }
            try Self.insertWraps([wrap], tipID: tip.id!, centre: centre, by: actor, at: at, in: db)
            try db.execute(sql: "DELETE FROM pending_identity_wrap WHERE tip_id = ? AND centre = ?", arguments: [tip.id, centre.rawValue])
            try audit(actor.event(.wrapIdentity, subject: reference, details: ["centre": centre.rawValue,
                                                                               "added_wraps": "identity:\(wrap.recipientKeyID)",
                                                                               "wrap_hashes": Self.wrapHashes([wrap])]),
                      at: at, in: db)
        }
    }

    /// Releases a tip's identity ciphertext to an identity holder. The audit entry is written in
    /// the same transaction *before* anything is returned: no release without a record.
    public func unseal(_ reference: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> UnsealedIdentity {
        guard let reason = ReasonText.clean(reason) else { throw .conflict("a reason is required to unseal an identity") }
        guard let key = centreKeys[actor.member.centre]?.identity else { throw .conflict("no identity key for the actor's centre") }
        return try await write { db in
            let tip = try visibleTip(reference, to: actor.member, in: db)
            guard tip.identityShreddedAt == nil else { throw StoreError.conflict("the identity has been destroyed under the retention policy") }
            guard tip.hasIdentity else { throw StoreError.conflict("the reporter left no identity (anonymous tip)") }
            let wraps = try Row.fetchAll(db, sql: """
                SELECT key_class, recipient_key_id, centre, sealed, added_by FROM tip_wrap WHERE tip_id = ? AND key_class = 'identity' AND recipient_key_id = ?
                """, arguments: [tip.id, key]).map(Self.wrapBlob)
            guard !wraps.isEmpty else { throw StoreError.conflict("no identity wrap for this centre's key (pending re-wrap?)") }
            let fields = try Row.fetchAll(db, sql: "SELECT name, key_class, sealed FROM tip_field WHERE tip_id = ? AND key_class = 'identity' ORDER BY name",
                                          arguments: [tip.id]).map { SealedBlob(name: $0["name"], keyClass: try Self.typed($0, "key_class"), sealed: $0["sealed"]) }
            let entry = try audit(actor.event(.unseal, subject: reference, details: ["reason": reason, "wrap": "identity:\(key)"]),
                                  at: at, in: db)
            var released = UnsealedIdentity(reference: reference, uid: tip.uid, fields: fields, wraps: wraps, auditSeq: entry.seq)
            released.identityKeyCommitment = try Data.fetchOne(db, sql: "SELECT identity_key_commitment FROM tip WHERE id = ?", arguments: [tip.id])
            return released
        }
    }
}
