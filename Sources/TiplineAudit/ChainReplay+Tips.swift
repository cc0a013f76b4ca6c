import Foundation
import GRDB
import Sealing
import TiplineCore

extension ChainReplay {
    /// After the chain: every tip row must be one the chain received, routed, copied, wrapped and
    /// moved exactly as its entries say. Wraps must parse, name exactly the expected keys (an extra
    /// recipient fails), sit under the centre that owns the key; shredded tips keep no identity.
    /// Returns the number of tips in the table.
    mutating func checkTipTables(_ db: Database) throws -> Int {
        let wrapsStatement = try db.makeStatement(sql: "SELECT key_class, recipient_key_id, centre, sealed FROM tip_wrap WHERE tip_id = ?")
        let routesStatement = try db.makeStatement(sql: "SELECT centre FROM tip_route WHERE tip_id = ? ORDER BY seq")
        let copiesStatement = try db.makeStatement(sql: "SELECT centre FROM tip_copy WHERE tip_id = ?")
        let identityFieldsStatement = try db.makeStatement(sql: "SELECT count(*) FROM tip_field WHERE tip_id = ? AND key_class = 'identity'")
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT id, reference, centre, status, has_identity, identity_shredded_at, content_shredded_at FROM tip ORDER BY id
            """)
        var count = 0
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

            var actual: UInt64 = 0
            var first: String?
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
            }
            if let first { fail(first) }
            if actual & ~track.wraps != 0 {
                fail("extra recipient: wraps for \(keys.describe(actual & ~track.wraps).joined(separator: ",")) that the routing history does not allow")
            }
            if track.wraps & ~actual != 0 {
                fail("wraps missing for \(keys.describe(track.wraps & ~actual).joined(separator: ","))")
            }
            if track.identityDestroyed {
                if actual & KeyDirectory.identityBits != 0 { fail("identity wraps remain after the identity was destroyed") }
                if (try Int.fetchOne(identityFieldsStatement, arguments: [id]) ?? 0) > 0 {
                    fail("identity fields remain after the identity was destroyed")
                }
            }
        }
        for (reference, track) in tips where !track.seenInTable {
            envelopes.fail(seq: track.receivedSeq, subject: reference, "a received tip is missing from the tip table")
        }
        return count
    }

}
