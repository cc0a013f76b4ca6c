import Foundation
import GRDB
import Sealing
import TiplineCore

/// An informant report as the audit entries tell it (issue 15).
struct ReportTrack {
    let seq: Int64
    let pseudonym: String
    let district: String
    /// SHA-256 of the sealed content as stored (its bytes include the wraps).
    let envelopeHash: String
    /// SHA-256 of each sealed photo, in order.
    let photoHashes: [String]
    var item: String?
    var tip: String?
    /// SHA-256 of each sealed reply, in order.
    var replies: [String] = []
}

extension ChainReplay {
    /// `informant.report` (the server, at intake): a new report of a registered, active informant of
    /// that district, wrapped for exactly the district office's and the city office's content keys.
    mutating func reportFiled(seq: Int64, subject: String, details: [String: String]) {
        authority.checked += 1
        func fail(_ message: String) { envelopes.fail(seq: seq, subject: subject, message) }
        guard reports[subject] == nil else { fail("a report filed twice"); return }
        guard let pseudonym = details["pseudonym"], let district = details["district"], let hash = details["envelope_sha256"],
              let wraps = details["wraps"] else { fail("informant.report without its pseudonym, district, envelope hash or wraps"); return }
        if let informant = network.informants[pseudonym] {
            if informant.district != district { fail("a report credited to an informant of another district") }
            if informant.status != .active { fail("a report filed by an informant who is not active") }
        } else {
            fail("a report from an informant never registered")
        }
        if let units = keys.units, let office = units.districtOffice(of: CentreID(district)) {
            let expected = [keys.unitContentKeyID[office.id], keys.unitContentKeyID[units.cityOffice.id]].compactMap { $0 }.sorted()
            if wraps != expected.joined(separator: ",") { fail("a report not wrapped for exactly the district office's and the city office's content keys") }
        }
        let photos = (details["photos"] ?? "").split(separator: ",").map(String.init)
        reports[subject] = ReportTrack(seq: seq, pseudonym: pseudonym, district: district, envelopeHash: hash, photoHashes: photos)
    }

    /// Staff entries on reports: reads by the district office or the city office; replies by the district's handler.
    mutating func applyReportAction(seq: Int64, member: StaffHistory.Member, action: String, subject: String, details: [String: String],
                                    district: String?) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: subject, message) }
        guard var report = reports[subject] else { fail("\(action) of a report never filed"); return }
        if member.role != .editor, district != report.district { fail("\(action) by a member of another district") }
        if action == "informant.reply" {
            guard member.role == .handler, let hash = details["envelope_sha256"] else { fail("a reply without its envelope hash, or not by a handler"); return }
            report.replies.append(hash)
            reports[subject] = report
        }
    }

    /// Links a report to the item or tip made from it (`info.new` with `from_report`, `tip.from-informant`): once, in the district.
    mutating func reportLinked(seq: Int64, report reference: String, item: String? = nil, tip: String? = nil, district: String?) {
        func fail(_ message: String) { authority.fail(seq: seq, subject: reference, message) }
        guard var report = reports[reference] else { fail("an item or tip from a report never filed"); return }
        if district != report.district { fail("a report turned into an item or tip by another district") }
        if let item {
            if report.item != nil { fail("a report turned into a second item") }
            report.item = item
        }
        if let tip {
            if report.tip != nil { fail("a report turned into a second tip") }
            report.tip = tip
        }
        reports[reference] = report
    }

    /// The report tables against the log: every report filed is still there, byte for byte (content
    /// and photos), credited to the recorded informant, linked to the recorded item and tip; every
    /// reply recorded is stored as recorded; nothing is stored that the log does not record.
    mutating func checkReports(_ db: Database) throws {
        guard try db.tableExists("informant_report") else {
            for (reference, report) in reports { envelopes.fail(seq: report.seq, subject: reference, "a report recorded, but the database has no reports") }
            return
        }
        var seen = Set<String>()
        for row in try Row.fetchAll(db, sql: "SELECT id, reference, pseudonym, district, envelope, item_ref, tip_ref FROM informant_report ORDER BY id") {
            envelopes.checked += 1
            let reference: String = row["reference"]
            guard let report = reports[reference] else {
                envelopes.fail(seq: nil, subject: reference, "a report no informant.report entry records")
                continue
            }
            seen.insert(reference)
            let id: Int64 = row["id"]
            if Hashing.sha256Hex(Array(row["envelope"] as Data)) != report.envelopeHash {
                envelopes.fail(seq: report.seq, subject: reference, "the report differs from what was sealed at intake")
            }
            let photos = try Data.fetchAll(db, sql: "SELECT envelope FROM informant_report_photo WHERE report_id = ? ORDER BY n", arguments: [id])
            if photos.map({ Hashing.sha256Hex(Array($0)) }) != report.photoHashes {
                envelopes.fail(seq: report.seq, subject: reference, "the report's photos differ from those sealed at intake")
            }
            let replies = try Data.fetchAll(db, sql: "SELECT envelope FROM informant_reply WHERE report_id = ? ORDER BY id", arguments: [id])
            if replies.map({ Hashing.sha256Hex(Array($0)) }) != report.replies {
                envelopes.fail(seq: report.seq, subject: reference, "the report's replies differ from the informant.reply entries")
            }
            if (row["pseudonym"] as String) != report.pseudonym || (row["district"] as String) != report.district
                || (row["item_ref"] as String?) != report.item || (row["tip_ref"] as String?) != report.tip {
                authority.fail(seq: report.seq, subject: reference, "the report's informant, district or links differ from the audit log's")
            }
        }
        for (reference, report) in reports where !seen.contains(reference) {
            envelopes.fail(seq: report.seq, subject: reference, "a report filed is missing from the database (dropped or withheld)")
        }
    }
}
