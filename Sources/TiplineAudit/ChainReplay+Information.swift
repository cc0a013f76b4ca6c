import Foundation
import GRDB
import Sealing
import TiplineCore

/// Information items as the audit entries tell them (issue 15).
struct ItemTrack {
    let seq: Int64
    let unit: String
    let statementHash: String
    /// SHA-256 of the sealed content as stored (its bytes include the wraps, so this proves them too).
    let envelopeHash: String
    var state: ItemState
    /// Pictures announced with the item, and the SHA-256 of each sealed picture received, in order.
    var picturesExpected = 0
    var pictures: [String] = []
    /// SHA-256 of each edited version's envelope (versions 2, 3, …), and the adoption levels recorded (issue 16).
    var versions: [String] = []
    var adoptions = Set<String>()
}

extension ChainReplay {
    /// `info.*` entries: the writer's own unit, wrapped for the unit and the city office, states that
    /// follow their rules (draft/returned → submitted → returned | accepted).
    mutating func applyInformationAction(seq: Int64, actor: String, member: StaffHistory.Member, action: String, subject: String,
                                         details: [String: String]) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        let memberUnit = member.unit ?? keys.units?.runner(of: CentreID(member.centre))?.id
        switch action {
        case "info.new":
            guard items[subject] == nil else { fail("an item written twice"); return }
            guard let unit = details["unit"], let statement = details["statement_sha256"], let envelope = details["envelope_sha256"],
                  let wraps = details["wraps"] else { fail("info.new without its unit, statement, envelope hash or wraps"); return }
            if memberUnit != unit { fail("an item written for a unit other than the writer's") }
            let expected = [keys.unitContentKeyID[unit], keys.units.flatMap { keys.unitContentKeyID[$0.cityOffice.id] }]
                .compactMap { $0 }.sorted()
            if keys.units != nil, wraps != Array(Set(expected)).sorted().joined(separator: ",") {
                envelopes.fail(seq: seq, subject: subject, "an item not wrapped for exactly its unit's and the city office's content keys")
            }
            items[subject] = ItemTrack(seq: seq, unit: unit, statementHash: statement, envelopeHash: envelope, state: .draft,
                                       picturesExpected: Int(details["pictures"] ?? "0") ?? 0)
            if let report = details["from_report"] { reportLinked(seq: seq, report: report, item: subject, district: district(of: member)) }
        case "info.picture":
            guard var item = items[subject] else { fail("info.picture of an item never written"); return }
            if memberUnit != item.unit { fail("a picture added by another unit") }
            guard item.state == .draft, item.pictures.count < item.picturesExpected, details["n"] == String(item.pictures.count),
                  let hash = details["envelope_sha256"] else { fail("a picture beyond those announced, out of order or after the draft"); return }
            item.pictures.append(hash)
            items[subject] = item
        case "info.submit":
            guard var item = items[subject] else { fail("info.submit of an item never written"); return }
            if memberUnit != item.unit { fail("an item submitted by another unit") }
            if item.pictures.count != item.picturesExpected { fail("an item submitted before all its pictures arrived") }
            guard item.state == .draft || item.state == .returned else { fail("an item submitted twice"); return }
            item.state = .submitted
            items[subject] = item
        case "info.return", "info.accept":
            guard var item = items[subject] else { fail("\(action) of an item never written"); return }
            guard item.state == .submitted else { fail("\(action) of an item that was not submitted"); return }
            if action == "info.return", ReasonText.clean(details["reason"]) == nil { fail("an item returned without a reason") }
            item.state = action == "info.return" ? .returned : .accepted
            items[subject] = item
        case "info.read":
            if items[subject] == nil { fail("info.read of an item never written") }
        case "info.edit", "info.adopt":
            applyCityDeskItemAction(seq: seq, action: action, subject: subject, details: details)
        default:
            break  // info.zero-report: the role check above covers it
        }
    }

    /// The item table against the log: every item written is still there (none dropped or withheld),
    /// byte for byte as written (statement and sealed content), in the state the log says; no item
    /// exists that the log does not record.
    mutating func checkItems(_ db: Database) throws {
        guard try db.tableExists("info_item") else {
            for (reference, item) in items { envelopes.fail(seq: item.seq, subject: reference, "an item recorded, but the database has no items") }
            return
        }
        var seen = Set<String>()
        let hasPictures = try db.tableExists("info_item_picture")
        for row in try Row.fetchAll(db, sql: "SELECT id, reference, unit, statement, envelope, state FROM info_item ORDER BY id") {
            envelopes.checked += 1
            let reference: String = row["reference"]
            guard let item = items[reference] else {
                envelopes.fail(seq: nil, subject: reference, "an item no info.new entry records")
                continue
            }
            seen.insert(reference)
            let statement: String = row["statement"]
            let envelope: Data = row["envelope"]
            if Hashing.sha256Hex(Array(statement.utf8)) != item.statementHash || Hashing.sha256Hex(Array(envelope)) != item.envelopeHash {
                envelopes.fail(seq: item.seq, subject: reference, "the item differs from what its author signed and sealed")
            }
            let pictures = hasPictures ? try Data.fetchAll(db, sql: "SELECT envelope FROM info_item_picture WHERE item_id = ? ORDER BY n",
                                                           arguments: [row["id"] as Int64]).map { Hashing.sha256Hex(Array($0)) } : []
            if pictures != item.pictures {
                envelopes.fail(seq: item.seq, subject: reference, "the item's pictures differ from those its entries recorded")
            }
            if (row["unit"] as String) != item.unit || (row["state"] as String) != item.state.rawValue {
                authority.fail(seq: item.seq, subject: reference, "the item's unit or state differs from the audit log's")
            }
        }
        for (reference, item) in items where !seen.contains(reference) {
            envelopes.fail(seq: item.seq, subject: reference, "an item written is missing from the database (dropped or withheld)")
        }
    }
}
