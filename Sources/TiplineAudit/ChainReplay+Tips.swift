import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineStore

extension ChainReplay {
    /// After the chain: every tip row must be one the chain received, routed, copied, wrapped and
    /// moved exactly as its entries say. Wraps must parse, name exactly the expected keys (an extra
    /// recipient fails), sit under the centre that owns the key, and have the bytes whose SHA-256 the
    /// entry that added them recorded; shredded tips keep no identity. The submission hash is
    /// recomputed from the stored rows (`SubmissionHash`) and the clear columns are compared with the
    /// signed entries (issue 11, items 2 and 4). Returns the number of tips in the table.
    mutating func checkTipTables(_ db: Database) throws -> Int {
        let wrapsStatement = try db.makeStatement(sql: "SELECT key_class, recipient_key_id, centre, sealed, added_by FROM tip_wrap WHERE tip_id = ?")
        let routesStatement = try db.makeStatement(sql: "SELECT centre FROM tip_route WHERE tip_id = ? ORDER BY seq")
        let copiesStatement = try db.makeStatement(sql: "SELECT centre FROM tip_copy WHERE tip_id = ?")
        let fieldsStatement = try db.makeStatement(sql: "SELECT name, key_class, sealed FROM tip_field WHERE tip_id = ?")
        let evidenceStatement = try db.makeStatement(sql: "SELECT ordinal, sealed FROM tip_evidence WHERE tip_id = ? ORDER BY ordinal")
        let receivedStatement = try db.makeStatement(sql: "SELECT at, details FROM audit_entry WHERE seq = ?")
        // `canary_at` since v10 (issue 13 item 9); an older database has no canaries.
        let hasCanaries = try db.columns(in: "tip").contains { $0.name == "canary_at" }
        // `channel` since v12 (issue 15); before it every tip came by the web.
        let hasChannels = try db.columns(in: "tip").contains { $0.name == "channel" }
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT t.id, t.reference, t.centre, t.status, t.has_identity, t.identity_shredded_at, t.content_shredded_at,
                   t.uid, t.received_at, t.category, t.district, t.urgency, t.wants_reward, t.evidence_count,
                   t.reporter_public_key, t.submission_hash, d.reference, t.assigned_to, t.outcome, t.resolution,
                   t.enforcement_unit, t.content_key_commitment, t.identity_key_commitment, \(hasCanaries ? "t.canary_at" : "NULL"),
                   \(hasChannels ? "t.channel" : "'web'")
            FROM tip t LEFT JOIN tip d ON d.id = t.duplicate_of ORDER BY t.id
            """)
        var count = 0
        var legacy = 0
        var canaries = 0
        while let row = try cursor.next() {
            count += 1
            envelopes.checked += 1
            let id: Int64 = row[0]
            let reference: String = row[1]
            guard var track = tips[reference] else {
                envelopes.fail(seq: nil, subject: reference, "a tip in the table that no tip.received entry records")
                continue
            }
            track.seenInTable = true
            tips[reference] = track
            let seq = track.receivedSeq
            func fail(_ problem: String) { envelopes.fail(seq: seq, subject: reference, problem) }

            let centre: String = row[2]
            if centre != keys.centres[track.centre] {
                fail("routed to \(centre) in the tip table, but to \(keys.centres[track.centre]) by the audit")
            }
            let routes = try String.fetchAll(routesStatement, arguments: [id])
            let expectedRoutes = [keys.centres[track.initialCentre]] + track.laterRoutes.map { keys.centres[Int($0)] }
            if routes != expectedRoutes {
                fail("routing history \(routes.joined(separator: "→")) differs from the audit's \(expectedRoutes.joined(separator: "→"))")
            }
            let copies = Set(try String.fetchAll(copiesStatement, arguments: [id]))
            if copies != Set(keys.names(track.copies)) {
                fail("copies \(copies.sorted().joined(separator: ",")) differ from the audit's \(keys.names(track.copies).joined(separator: ","))")
            }
            let status: String = row[3]
            if status != TipTrack.statuses[Int(track.status)] {
                fail("status \(status) in the tip table, but \(TipTrack.statuses[Int(track.status)]) by the audit")
            }
            let hasIdentity: Bool = row[4]
            if hasIdentity != track.hasIdentity { fail("has_identity differs from the intake entry") }
            let identityShredded = (row[5] as Int64?) != nil
            let contentShredded = (row[6] as Int64?) != nil
            if identityShredded != track.identityDestroyed { fail("identity_shredded_at disagrees with the retention entries") }
            if contentShredded != track.contentDestroyed { fail("content_shredded_at disagrees with the retention entries") }
            // A canary is out of every queue and count: only a `tip.canary` entry may take a tip out, and
            // a marked tip must be out (canary_at = the entry's time).
            let canaryAt = row[23] as Int64?
            if canaryAt != track.canaryAt {
                fail(track.canaryAt == nil ? "canary_at is set, but no tip.canary entry marks the tip"
                                           : "canary_at disagrees with the tip.canary entry")
            }
            if track.canaryAt != nil { canaries += 1 }
            // How it came (issue 15): the column agrees with the intake entry, and a recorded tip has the
            // officer's tip.record entry (who took it) right after that entry.
            let channel: String = row[24]
            if channel != track.channel.rawValue {
                fail("channel \(channel) in the tip table, but \(track.channel.rawValue) by the intake entry")
            }
            if track.channel != .web, track.recordedSeq == nil {
                fail("a \(track.channel.rawValue) tip without the triage officer's tip.record entry")
            }

            // The intake entry, re-read by its sequence number (the chain walk verified it).
            var received: [String: String] = [:]
            var receivedAt: Int64 = 0
            if let entry = try Row.fetchOne(receivedStatement, arguments: [seq]) {
                receivedAt = entry[0]
                received = FlatJSON.parse(entry[1] as String) ?? [:]
            }
            let isV2 = received["content_hash"] != nil
            if !isV2 { legacy += 1 }
            var intakeWrapHashes: [String: String] = [:]
            for item in (received["wrap_hashes"] ?? "").split(separator: ",") {
                if let pair = Self.splitWrapHash(item) { intakeWrapHashes[pair.0] = pair.1 }
            }
            var laterWrapHashes: [String: TipTrack.LaterWrap] = [:]
            for later in track.laterWraps { laterWrapHashes[later.key] = later }

            var actual: UInt64 = 0
            var first: String?
            var contentPart = SubmissionHash.Part(keyClass: .content, commitment: (row[21] as Data?).map { Array($0) })
            var identityPart = SubmissionHash.Part(keyClass: .identity, commitment: (row[22] as Data?).map { Array($0) })
            let wraps = try Row.fetchCursor(wrapsStatement, arguments: [id])
            while let wrap = try wraps.next() {
                let keyClassName: String = wrap[0]
                let keyID: String = wrap[1]
                let wrapCentre: String = wrap[2]
                guard let keyClass = KeyClass(rawValue: keyClassName) else {
                    first = first ?? "a wrap of unknown class"
                    continue
                }
                let sealed: [UInt8] = try wrap.withUnsafeData(atIndex: 3) { $0.map(Array.init) ?? [] }
                if (try? RecipientWrap(keyClass: keyClass, recipientKeyID: keyID, serialized: sealed)) == nil {
                    first = first ?? "the \(keyClass.rawValue) wrap for \(keyID) is malformed"
                }
                guard let key = keys.keys[keyID] else {
                    first = first ?? "extra recipient: \(keyClass.rawValue) wrap for \(keyID), which is no centre's key"
                    continue
                }
                guard key.keyClass == keyClass else {
                    first = first ?? "\(keyClass.rawValue) wrap for \(keyID), which is a \(key.keyClass.rawValue) key"
                    continue
                }
                if keys.centres[key.centre] != wrapCentre {
                    first = first ?? "the wrap for \(keyID) is filed under \(wrapCentre), but the key is \(keys.centres[key.centre])'s"
                }
                actual |= KeyDirectory.bit(centre: key.centre, keyClass)
                // Item 2: the stored bytes against the hash recorded by the entry that added the wrap.
                let name = "\(keyClass.rawValue):\(keyID)"
                let addedBy: String? = wrap[4]
                // Key rotation: a wrap is added while its key is registered and not retired.
                let addedAt = intakeWrapHashes[name] != nil ? seq : laterWrapHashes[name]?.seq
                if let addedAt, let problem = wrapTimeProblem(keyID: keyID, seq: addedAt) {
                    first = first ?? problem
                } else if addedAt == nil, let retired = rotation.retired[keyID] {
                    first = first ?? "a wrap for the retired key \(keyID) that no entry before its retirement (#\(retired.seq)) added"
                }
                if let hash = intakeWrapHashes[name] {
                    if Hashing.sha256Hex(sealed) != hash {
                        first = first ?? "the \(name) wrap's bytes differ from the hash recorded at intake (entry #\(seq))"
                    }
                    if addedBy != "server" { first = first ?? "the \(name) wrap was added at intake, but says added by \(addedBy ?? "nobody")" }
                    if keyClass == .content { contentPart.wraps.append((keyID, sealed)) } else { identityPart.wraps.append((keyID, sealed)) }
                } else if let later = laterWrapHashes[name] {
                    if Hashing.sha256Hex(sealed) != later.hash {
                        first = first ?? "the \(name) wrap's bytes differ from the hash recorded when \(later.actor) added it (entry #\(later.seq))"
                    }
                    if addedBy != later.actor { first = first ?? "the \(name) wrap was added by \(later.actor) (entry #\(later.seq)), but says added by \(addedBy ?? "nobody")" }
                } else if isV2 {
                    first = first ?? "the \(name) wrap has no hash recorded by any entry"
                }
            }
            if let first { fail(first) }
            if actual & ~track.wraps != 0 {
                fail("extra recipient: wraps for \(keys.describe(actual & ~track.wraps).joined(separator: ",")) that the routing history does not allow")
            }
            if track.wraps & ~actual != 0 {
                fail("wraps missing for \(keys.describe(track.wraps & ~actual).joined(separator: ","))")
            }
            var identityFields = 0
            let fields = try Row.fetchCursor(fieldsStatement, arguments: [id])
            while let field = try fields.next() {
                let sealed: [UInt8] = try field.withUnsafeData(atIndex: 2) { $0.map(Array.init) ?? [] }
                if (field[1] as String) == KeyClass.identity.rawValue {
                    identityFields += 1
                    identityPart.fields.append((field[0], sealed))
                } else {
                    contentPart.fields.append((field[0], sealed))
                }
            }
            if track.identityDestroyed {
                if actual & KeyDirectory.identityBits != 0 { fail("identity wraps remain after the identity was destroyed") }
                if identityFields > 0 { fail("identity fields remain after the identity was destroyed") }
            }

            // Item 4: clear columns against the signed entries.
            let uid: String = row[7]
            var clear: [(String, String?, String?)] = [
                ("urgency", row[11], track.urgency), ("assigned_to", row[17], track.assignee),
                ("duplicate_of", row[16], track.duplicateOf), ("outcome", row[18], track.outcome),
                ("resolution", row[19], track.resolution), ("enforcement_unit", row[20], track.enforcementUnit),
            ]
            if isV2 || received["uid"] != nil {
                clear += [("uid", uid, received["uid"]), ("category", row[9], received["category"]),
                          ("district", row[10], received["district"]), ("evidence_count", String(row[13] as Int), received["evidence"])]
            }
            let reporterKey: [UInt8] = try row.withUnsafeData(atIndex: 14) { $0.map(Array.init) ?? [] }
            let submissionHash: [UInt8] = try row.withUnsafeData(atIndex: 15) { $0.map(Array.init) ?? [] }
            if isV2 {
                clear += [("wants_reward", (row[12] as Bool) ? "1" : "0", received["wants_reward"]),
                          ("reporter_public_key", Hex.encode(reporterKey), received["reporter_public_key"]),
                          ("submission_hash", Hex.encode(submissionHash), received["submission_hash"])]
                if (row[8] as Int64) != receivedAt { fail("received_at differs from the time of the intake entry") }
            }
            for (column, stored, signed) in clear where stored != signed {
                fail("\(column) in the tip table differs from the audit entries")
            }
            guard isV2 else { continue }

            // The submission hash, recomputed: each class from the stored rows while it exists, from the
            // part hash the intake entry recorded once retention destroyed it.
            if !contentShredded {
                let evidence = try Row.fetchCursor(evidenceStatement, arguments: [id])
                var ordinal = 0
                while let item = try evidence.next() {
                    if (item[0] as Int) != ordinal { fail("evidence \(ordinal) is missing") }
                    contentPart.evidence.append(try item.withUnsafeData(atIndex: 1) { $0.map(Array.init) ?? [] })
                    ordinal = (item[0] as Int) + 1
                }
                if Hex.encode(contentPart.hash(uid: uid)) != received["content_hash"] {
                    fail("the content (fields, evidence, intake wraps or key commitment) differs from what was received")
                }
            }
            if !identityShredded, Hex.encode(identityPart.hash(uid: uid)) != received["identity_hash"] {
                fail("the identity (fields, intake wraps or key commitment) differs from what was received")
            }
            if let content = received["content_hash"].flatMap(Hex.decode), let identity = received["identity_hash"].flatMap(Hex.decode),
               Hex.encode(SubmissionHash.combine(uid: received["uid"] ?? "", reporterPublicKey: Hex.decode(received["reporter_public_key"] ?? "") ?? [],
                                                 contentPart: content, identityPart: identity)) != received["submission_hash"] {
                fail("the intake entry's submission hash is not the hash of its parts and reporter key")
            }
        }
        for (reference, track) in tips where !track.seenInTable {
            envelopes.fail(seq: track.receivedSeq, subject: reference, "a received tip is missing from the tip table")
        }
        if legacy > 0 {
            notes.append("\(legacy) tips were received before v5: their submission hashes and intake wraps are not recomputed")
        }
        if canaries > 0 {
            notes.append("\(canaries) tips are auditors' canaries (tip.canary): left out of queues and statistics")
        }
        try checkAddedEvidence(db)
        try checkTally(db, canaries: hasCanaries)
        return count
    }

    /// The tally that `stats` and the metrics read (`tip_tally`, kept by triggers) counts exactly the
    /// tips that are not canaries, by centre, status, category, urgency and timeliness: a canary still
    /// counted, or a real tip dropped from the counts, fails.
    mutating func checkTally(_ db: Database, canaries: Bool) throws {
        guard try db.tableExists("tip_tally") else { return }
        envelopes.checked += 1
        let tally = try Row.fetchAll(db, sql: """
            SELECT centre, status, category, urgency, acted, on_time, n FROM tip_tally WHERE n != 0
            ORDER BY centre, status, category, urgency, acted, on_time
            """).map { $0.databaseValues.map(\.description).joined(separator: "|") }
        let counted = try Row.fetchAll(db, sql: """
            SELECT centre, status, category, urgency, acted_at IS NOT NULL AS acted,
                   CASE WHEN acted_on_time = 1 THEN 1 ELSE 0 END AS on_time, count(*) AS n
            FROM tip \(canaries ? "WHERE canary_at IS NULL" : "") GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
            """).map { $0.databaseValues.map(\.description).joined(separator: "|") }
        if tally != counted {
            envelopes.fail(seq: nil, subject: nil, "the counts of stats and metrics (tip_tally) differ from the tips that are not canaries")
        }
    }

    /// Files reporters added after submitting (issue 13 item 10): every stored file has an
    /// `evidence.reporter` entry on its tip recording the SHA-256 of exactly its sealed bytes, and every
    /// such entry's file is stored unless retention destroyed the tip's content.
    mutating func checkAddedEvidence(_ db: Database) throws {
        guard try db.tableExists("tip_evidence_added") else {
            for (uid, added) in addedEvidence {
                envelopes.fail(seq: added.seq, subject: added.subject, "added file \(uid) recorded, but the database has no added files")
            }
            return
        }
        var seen = Set<String>()
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT a.uid, t.reference, a.envelope FROM tip_evidence_added a JOIN tip t ON t.id = a.tip_id ORDER BY a.id
            """)
        while let row = try cursor.next() {
            envelopes.checked += 1
            let uid: String = row[0]
            let reference: String = row[1]
            let hash = try row.withUnsafeData(atIndex: 2) { data in Hashing.sha256Hex(data.map(Array.init) ?? []) }
            guard let added = addedEvidence[uid], added.subject == reference else {
                envelopes.fail(seq: nil, subject: reference, "an added file no evidence.reporter entry of this tip records")
                continue
            }
            seen.insert(uid)
            if added.hash != hash {
                envelopes.fail(seq: added.seq, subject: reference, "an added file differs from the bytes its entry recorded")
            }
        }
        for (uid, added) in addedEvidence where !seen.contains(uid) && tips[added.subject]?.contentDestroyed != true {
            envelopes.fail(seq: added.seq, subject: added.subject, "an added file (\(uid)) is missing")
        }
    }
}
