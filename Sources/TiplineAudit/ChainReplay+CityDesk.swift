import Foundation
import GRDB
import Sealing
import TiplineCore

/// A bulletin issue as the audit entries tell it (issue 16).
struct BulletinTrack {
    let seq: Int64
    var items: [String] = []
    var envelopeHash: String?
    var documentHash: String?
}

extension ChainReplay {
    /// `info.edit` and `info.adopt`: versions numbered in order on submitted items; adoptions of
    /// accepted items, once per level, with the state moving as `ItemState.afterAdoption` says.
    mutating func applyCityDeskItemAction(seq: Int64, action: String, subject: String, details: [String: String]) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        guard var item = items[subject] else { fail("\(action) of an item never written"); return }
        switch action {
        case "info.edit":
            guard item.state != .draft, item.state != .returned else { fail("an edit of an item not submitted"); return }
            guard details["version"] == String(item.versions.count + 2), let hash = details["envelope_sha256"],
                  ReasonText.clean(details["reason"]) != nil else { fail("an edit out of order, without its hash or without a reason"); return }
            item.versions.append(hash)
        default:  // info.adopt
            guard let level = details["level"].flatMap(AdoptionLevel.init(rawValue:)) else { fail("an adoption without a level"); return }
            adopt(&item, level: level, seq: seq, subject: subject)
        }
        items[subject] = item
    }

    private mutating func adopt(_ item: inout ItemTrack, level: AdoptionLevel, seq: Int64, subject: String) {
        guard [.accepted, .adopted, .forwarded].contains(item.state) else {
            authority.fail(seq: seq, subject: subject, "an adoption of an item that was not accepted")
            return
        }
        guard item.adoptions.insert(level.rawValue).inserted else {
            authority.fail(seq: seq, subject: subject, "an item adopted twice at \(level.rawValue)")
            return
        }
        item.state = ItemState.afterAdoption(item.state, level)
    }

    /// `bulletin.*`: issues made by editors, items added to drafts only, published once with the
    /// document wrapped for exactly the receiving units' and the city office's content keys; the items
    /// newly adopted at publication are the ones named.
    mutating func applyBulletinAction(seq: Int64, member: StaffHistory.Member, action: String, subject: String, details: [String: String]) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        switch action {
        case "bulletin.new":
            guard bulletins[subject] == nil, BulletinType(issue: subject) != nil else { fail("a bulletin issue made twice or with a malformed id"); return }
            bulletins[subject] = BulletinTrack(seq: seq)
        case "bulletin.add":
            guard var bulletin = bulletins[subject], bulletin.envelopeHash == nil else { fail("an item added to an issue never made or published"); return }
            guard let reference = details["item"], let item = items[reference], [.accepted, .adopted, .forwarded].contains(item.state) else {
                fail("an item that was not accepted added to an issue"); return
            }
            if !bulletin.items.contains(reference) { bulletin.items.append(reference) }  // again: a new version of it
            bulletins[subject] = bulletin
        case "bulletin.publish":
            guard var bulletin = bulletins[subject], bulletin.envelopeHash == nil, let type = BulletinType(issue: subject) else {
                fail("an issue published twice or never made"); return
            }
            guard let envelope = details["envelope_sha256"], let document = details["document_sha256"], let wraps = details["wraps"] else {
                fail("bulletin.publish without its hashes or wraps"); return
            }
            if let units = keys.units {
                let expected = units.units.filter { $0.receivesBulletins || $0.kind == .cityOffice }.compactMap { keys.unitContentKeyID[$0.id] }
                if wraps != Set(expected).sorted().joined(separator: ",") {
                    envelopes.fail(seq: seq, subject: subject, "a bulletin not sealed to exactly the receiving units and the city office")
                }
            }
            let named = (details["items"] ?? "").split(separator: ",").compactMap { $0.split(separator: ":").first.map(String.init) }
            if named != bulletin.items { fail("the published items differ from those added") }
            for reference in (details["adopted"] ?? "").split(separator: ",").map(String.init) {
                guard bulletin.items.contains(reference), var item = items[reference] else { fail("an adoption at publication of an item not in the issue"); continue }
                adopt(&item, level: type.level, seq: seq, subject: reference)
                items[reference] = item
            }
            bulletin.envelopeHash = envelope
            bulletin.documentHash = document
            bulletins[subject] = bulletin
        case "bulletin.read":
            guard bulletins[subject]?.envelopeHash != nil else { fail("a read of an issue never published"); return }
            if let units = keys.units, let unit = details["unit"], let known = units.unit(unit), !(known.receivesBulletins || known.kind == .cityOffice) {
                fail("a bulletin read by a unit it was not sent to")
            }
        default:
            fail("\(action) is not an action the server records")
        }
    }

    /// The version, adoption and bulletin tables against the log: every version and adoption the log
    /// records is there byte for byte, nothing more; every published issue holds the recorded sealed document.
    mutating func checkCityDesk(_ db: Database) throws {
        guard try db.tableExists("info_item_version") else { return }
        var versions: [String: [String]] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT i.reference, v.envelope FROM info_item_version v JOIN info_item i ON i.id = v.item_id ORDER BY i.reference, v.version") {
            versions[row["reference"] as String, default: []].append(Hashing.sha256Hex(Array(row["envelope"] as Data)))
        }
        var adoptions: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT i.reference, a.level FROM info_adoption a JOIN info_item i ON i.id = a.item_id") {
            adoptions[row["reference"] as String, default: []].insert(row["level"])
        }
        for (reference, item) in items {
            envelopes.checked += 1
            if (versions[reference] ?? []) != item.versions {
                envelopes.fail(seq: item.seq, subject: reference, "the item's edited versions differ from the info.edit entries")
            }
            if (adoptions[reference] ?? []) != item.adoptions {
                authority.fail(seq: item.seq, subject: reference, "the item's adoption records differ from the audit log's")
            }
        }
        for reference in Set(versions.keys).union(adoptions.keys) where items[reference] == nil {
            envelopes.fail(seq: nil, subject: reference, "versions or adoptions of an item no entry records")
        }
        var seen = Set<String>()
        for row in try Row.fetchAll(db, sql: "SELECT id, envelope, document_sha256 FROM bulletin") {
            let id: String = row["id"]
            seen.insert(id)
            guard let bulletin = bulletins[id] else { envelopes.fail(seq: nil, subject: id, "an issue no bulletin.new entry records"); continue }
            let stored = (row["envelope"] as Data?).map { Hashing.sha256Hex(Array($0)) }
            if stored != bulletin.envelopeHash || (row["document_sha256"] as String?) != bulletin.documentHash {
                envelopes.fail(seq: bulletin.seq, subject: id, "the published document differs from the one its entry recorded")
            }
            let listed = try String.fetchAll(db, sql: "SELECT item_ref FROM bulletin_item WHERE bulletin_id = ? ORDER BY position", arguments: [id])
            if listed != bulletin.items { authority.fail(seq: bulletin.seq, subject: id, "the issue's items differ from the bulletin.add entries") }
        }
        for (id, bulletin) in bulletins where !seen.contains(id) {
            envelopes.fail(seq: bulletin.seq, subject: id, "an issue made is missing from the database")
        }
    }
}
