import Foundation
import GRDB
import Sealing
import TiplineAdminAPI
import TiplineCore

/// The ledgers as the audit entries tell them (issue 16, S-5.4).
struct BooksTrack {
    struct Version {
        let seq: Int64
        let envelopeHash: String
        let namesHash: String?
        /// The hashes the stored signed request keeps of the envelopes it carried (`RedactedRequestBody`: SHA-256
        /// of each envelope's canonical JSON), so the stored version can be compared with what its writer sent.
        let requestEnvelopeHash: String?
        let requestNamesHash: String?
    }

    struct Record {
        let book: String
        let unit: String
        /// Version n is `versions[n - 1]`.
        var versions: [Version]
    }

    var records: [String: Record] = [:]
    /// `book|unit|period` of every zero report filed, with its entry.
    var zeroReports: [String: Int64] = [:]
}

extension ChainReplay {
    /// `books.*` entries: a record written for the writer's own unit, in a ledger clerks write, under its
    /// prefix, sealed to exactly the unit's and the city office's content keys (names to the city's identity
    /// key and a district office's registry key); versions one after another; reads within the reader's
    /// scope; names opened with a reason by the owning district's handler or a city identity holder.
    mutating func applyBooksAction(seq: Int64, member: StaffHistory.Member, action: String, subject: String, details: [String: String],
                                   request: [UInt8]?) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        let memberUnit = member.unit ?? keys.units?.runner(of: CentreID(member.centre))?.id
        let cityOffice = keys.units?.cityOffice.id
        let readsAll = memberUnit != nil && memberUnit == cityOffice
        switch action {
        case "books.add", "books.edit":
            guard let book = details["book"], let unit = details["unit"], let version = details["version"].flatMap(Int.init),
                  let envelope = details["envelope_sha256"], let wraps = details["wraps"] else {
                fail("\(action) without its ledger, unit, version, envelope hash or wraps")
                return
            }
            if memberUnit != unit { fail("a ledger record written for a unit other than the writer's") }
            if let ledgers = keys.ledgers {
                if let ledger = ledgers.ledger(book) {
                    if !ledger.isWritable { fail("a record written to the generated ledger \(book)") }
                    if BookRecordID(subject)?.prefix != ledger.prefix { fail("a record id without the ledger's prefix") }
                } else {
                    fail("a record of an unknown ledger \(book)")
                }
            }
            checkBookWraps(seq: seq, subject: subject, unit: unit, wraps: wraps, nameWraps: details["names_wraps"], names: details["names_sha256"])
            var names = details["names_sha256"]
            let sent = Self.requestHashes(request)
            var sentNames = sent.names
            if action == "books.add" {
                guard books.records[subject] == nil else { fail("a ledger record written twice"); return }
                if version != 1 { fail("a new ledger record that is not version 1") }
                if details["names"] == "kept" { fail("a new ledger record keeps names it never had") }
                books.records[subject] = .init(book: book, unit: unit, versions: [.init(seq: seq, envelopeHash: envelope, namesHash: names,
                                                                                         requestEnvelopeHash: sent.envelope, requestNamesHash: sentNames)])
            } else {
                guard var record = books.records[subject] else { fail("books.edit of a record never written"); return }
                if record.book != book || record.unit != unit { fail("books.edit names another ledger or unit than the record's") }
                if version != record.versions.count + 1 { fail("books.edit writes version \(version) after version \(record.versions.count)") }
                if details["names"] == "kept" {
                    if names == nil || names != record.versions.last?.namesHash {
                        envelopes.fail(seq: seq, subject: subject, "an edit that keeps the names records other names than the version before")
                    }
                    names = record.versions.last?.namesHash
                    sentNames = record.versions.last?.requestNamesHash
                }
                record.versions.append(.init(seq: seq, envelopeHash: envelope, namesHash: names, requestEnvelopeHash: sent.envelope,
                                             requestNamesHash: sentNames))
                books.records[subject] = record
            }
        case "books.read":
            if let unit = details["unit"], unit == "all" ? !readsAll : (unit != memberUnit && !readsAll) {
                fail("ledger records released beyond the reader's unit")
            }
            for record in (details["records"] ?? "").split(separator: ",").map(String.init) {
                guard let known = books.records[record] else { fail("books.read releases a record never written (\(record))"); continue }
                if known.book != subject || (!readsAll && known.unit != memberUnit) {
                    fail("books.read releases a record of another ledger or unit (\(record))")
                }
            }
        case "books.names":
            guard let record = books.records[subject] else { fail("books.names of a record never written"); return }
            if ReasonText.clean(details["reason"]) == nil { fail("names of individual operators opened without a reason") }
            let cityCentre = keys.centres[keys.city]
            if member.role == .identityHolder {
                if member.centre != cityCentre { fail("names opened by an identity holder outside the city centre") }
            } else if member.role == .handler {
                if memberUnit != record.unit || keys.units?.unit(record.unit)?.kind != .districtOffice {
                    fail("names opened by a handler of another unit than the record's district office")
                }
            } else {
                fail("names opened by a role that holds no key for them")
            }
            if !record.versions.contains(where: { $0.namesHash != nil }) { fail("books.names of a record that has no names") }
        case "books.zero-report":
            guard let book = details["book"], let period = details["period"] else { fail("books.zero-report without its ledger or period"); return }
            if memberUnit != subject { fail("a zero report filed for a unit other than the actor's") }
            let key = "\(book)|\(subject)|\(period)"
            if books.zeroReports[key] != nil { fail("a zero report filed twice") }
            books.zeroReports[key] = seq
        default:
            fail("\(action) is not a ledger action")
        }
    }

    /// The hashes a stored ledger request keeps of its `envelope` and `names` (nil where it kept none).
    static func requestHashes(_ request: [UInt8]?) -> (envelope: String?, names: String?) {
        guard let request, let body = SignedAdminRequest.parse(request)?.body,
              let object = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else { return (nil, nil) }
        func hash(_ key: String) -> String? {
            guard let value = object[key] else { return nil }
            if let replaced = value as? [String: Any], replaced.count == 1, let hex = replaced[RedactedRequestBody.hashKey] as? String { return hex }
            return RedactedRequestBody.hash(of: value)
        }
        return (hash("envelope"), hash("names"))
    }

    /// SHA-256 of an envelope's canonical JSON (sorted keys, no whitespace), as `RedactedRequestBody` hashes it.
    static func canonicalHash(_ stored: Data?) -> String? {
        guard let stored, let object = try? JSONSerialization.jsonObject(with: stored) else { return nil }
        return RedactedRequestBody.hash(of: object)
    }

    /// The content wraps of a record version must be exactly its unit's and the city office's content keys;
    /// its names', exactly the city's identity key and (a district office's record) its registry key.
    private mutating func checkBookWraps(seq: Int64, subject: String, unit: String, wraps: String, nameWraps: String?, names: String?) {
        guard let units = keys.units else { return }
        let content = Set([keys.unitContentKeyID[unit], keys.unitContentKeyID[units.cityOffice.id]].compactMap { $0 })
        if wraps != content.sorted().joined(separator: ",") {
            envelopes.fail(seq: seq, subject: subject, "a ledger record not wrapped for exactly its unit's and the city office's content keys")
        }
        guard names != nil else {
            if nameWraps != nil { envelopes.fail(seq: seq, subject: subject, "names wraps recorded without names") }
            return
        }
        var nameKeys: Set<String> = [rotation.currentKey(keys.city, .identity)]
        if units.unit(unit)?.kind == .districtOffice, let registry = keys.registryKeyID[unit] { nameKeys.insert(registry) }
        if nameWraps != nameKeys.sorted().joined(separator: ",") {
            envelopes.fail(seq: seq, subject: subject, "names not wrapped for exactly the city's identity key (and the district office's registry key)")
        }
    }

    /// The ledger tables against the log: every version written is there byte for byte (its sealed record
    /// and names hash as recorded), none is missing (deleted), none exists that no entry records; each
    /// record keeps its ledger and unit and points at its newest version; every zero report is recorded.
    mutating func checkBooks(_ db: Database) throws {
        guard try db.tableExists("book_record") else {
            for (record, track) in books.records { envelopes.fail(seq: track.versions.first?.seq, subject: record, "a ledger record recorded, but the database has no ledgers") }
            return
        }
        var seen = Set<String>()
        var latest: [String: Int] = [:]
        let cursor = try Row.fetchCursor(db, sql: """
            SELECT r.record, r.book, r.unit, r.version AS latest, v.version, v.envelope, v.names, v.names_sha256
            FROM book_version v JOIN book_record r ON r.id = v.record_id ORDER BY v.record_id, v.version
            """)
        while let row = try cursor.next() {
            envelopes.checked += 1
            let record: String = row["record"]
            let version: Int = row["version"]
            latest[record] = row["latest"]
            guard let track = books.records[record], version >= 1, version <= track.versions.count else {
                envelopes.fail(seq: nil, subject: record, "a ledger record version no books.add/books.edit entry records (version \(version))")
                continue
            }
            seen.insert("\(record)#\(version)")
            let expected = track.versions[version - 1]
            let envelope: Data = row["envelope"]
            let names: Data? = row["names"]
            if Hashing.sha256Hex(Array(envelope)) != expected.envelopeHash || names.map({ Hashing.sha256Hex(Array($0)) }) != expected.namesHash {
                envelopes.fail(seq: expected.seq, subject: record, "ledger record version \(version) differs from what its writer sealed")
            } else if Self.canonicalHash(envelope) != expected.requestEnvelopeHash || Self.canonicalHash(names) != expected.requestNamesHash {
                envelopes.fail(seq: expected.seq, subject: record, "ledger record version \(version) differs from the envelopes its writer's signed request carried")
            }
            if (row["book"] as String) != track.book || (row["unit"] as String) != track.unit {
                authority.fail(seq: expected.seq, subject: record, "the ledger record's ledger or unit differs from the audit log's")
            }
        }
        for (record, track) in books.records {
            for (index, version) in track.versions.enumerated() where !seen.contains("\(record)#\(index + 1)") {
                envelopes.fail(seq: version.seq, subject: record, "ledger record version \(index + 1) is missing from the database (deleted)")
            }
            if let stored = latest[record], stored != track.versions.count {
                authority.fail(seq: track.versions.last?.seq, subject: record, "the ledger record points at version \(stored), the log at \(track.versions.count)")
            }
        }
        var filed = Set<String>()
        for row in try Row.fetchAll(db, sql: "SELECT book, unit, period FROM book_zero_report") {
            let key = "\(row["book"] as String)|\(row["unit"] as String)|\(row["period"] as String)"
            filed.insert(key)
            if books.zeroReports[key] == nil { authority.fail(seq: nil, subject: row["unit"], "a ledger zero report no entry records") }
        }
        for (key, seq) in books.zeroReports where !filed.contains(key) {
            authority.fail(seq: seq, subject: String(key.split(separator: "|")[1]), "a ledger zero report is missing from the database")
        }
    }
}
