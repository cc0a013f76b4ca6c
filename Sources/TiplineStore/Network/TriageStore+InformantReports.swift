import Foundation
import GRDB
import Sealing
import TiplineCore
public import TiplineAdminAPI

/// Informant reports on the admin side (issue 15, S-4.4): the district office's handlers and liaisons
/// see their district's reports, the city office's editors all; every release of a report's sealed
/// content is an `informant.report-read` entry first (rule 8). A handler replies (sealed on their
/// machine to the informant's key and the district office), or turns a report into an item
/// (`info.new` with `from_report`) or a tip (`tip.from-informant`), each at most once.
extension TriageStore {
    /// The district whose reports `member` reads; nil for the city office's editors (every district).
    func reportScope(of member: StaffMember) throws(StoreError) -> String?? {
        if member.role == .editor { return .some(nil) }
        guard let district = ownDistrict(of: member)?.rawValue else {
            throw .forbidden("informant reports are read by their district office and the city office")
        }
        return .some(district)
    }

    /// Reports newest first (clear fields only).
    public func informantReports(for member: StaffMember, limit: Int) async throws(StoreError) -> [InformantReportSummary] {
        let scope = try reportScope(of: member)
        return try await read { db in
            let rows: [Row]
            if case .some(.some(let district)) = scope {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM informant_report WHERE district = ? ORDER BY id DESC LIMIT ?", arguments: [district, limit])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM informant_report ORDER BY id DESC LIMIT ?", arguments: [limit])
            }
            return try rows.map { try Self.reportSummary($0, cityView: scope == .some(nil), in: db) }
        }
    }

    /// A report's clear fields. The city office sees the informant as 信息员（district）, not by
    /// pseudonym (NETWORK.md "Who may open what": the pseudonym is the district's).
    static func reportSummary(_ row: Row, cityView: Bool = false, in db: Database) throws -> InformantReportSummary {
        let replies = try Int.fetchOne(db, sql: "SELECT count(*) FROM informant_reply WHERE report_id = ?", arguments: [row["id"] as Int64]) ?? 0
        let district: String = row["district"]
        return InformantReportSummary(reference: row["reference"], pseudonym: cityView ? "信息员（\(district)）" : row["pseudonym"], district: district,
                                      kind: InformantReportKind(rawValue: row["kind"]) ?? .dynamic,
                                      receivedAt: ISO8601.chinaString(fromSeconds: row["received_at"]), photos: row["photos"], replies: replies,
                                      item: row["item_ref"], tip: row["tip_ref"])
    }

    /// The report `reference` if `member` may read it (else `.notFound`, as for a missing one).
    static func reportRow(_ reference: String, scope: String??, in db: Database) throws -> Row {
        guard let row = try Row.fetchOne(db, sql: "SELECT r.*, i.public_key AS informant_key FROM informant_report r JOIN informant i ON i.pseudonym = r.pseudonym WHERE r.reference = ?",
                                         arguments: [reference]) else { throw StoreError.notFound("report \(reference)") }
        if case .some(.some(let district)) = scope, (row["district"] as String) != district { throw StoreError.notFound("report \(reference)") }
        return row
    }

    /// Releases a report's sealed content, photos and replies after its `informant.report-read` entry.
    public func readInformantReport(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantReportDetail {
        let scope = try reportScope(of: actor.member)
        let names = try await staffNames()
        return try await write { db in
            let row = try Self.reportRow(reference, scope: scope, in: db)
            try audit(actor.event(.readReport, subject: reference, details: ["district": row["district"] as String]), at: at, in: db)
            do {
                let id: Int64 = row["id"]
                let photos = try Data.fetchAll(db, sql: "SELECT envelope FROM informant_report_photo WHERE report_id = ? ORDER BY n", arguments: [id])
                    .map { try Envelope(json: Array($0)) }
                let replies = try Row.fetchAll(db, sql: "SELECT created_at, created_by, envelope FROM informant_reply WHERE report_id = ? ORDER BY id",
                                               arguments: [id]).map { reply in
                    InformantReplyView(at: ISO8601.chinaString(fromSeconds: reply["created_at"]),
                                       by: names[reply["created_by"] as String] ?? reply["created_by"], envelope: try Envelope(json: Array(reply["envelope"] as Data)))
                }
                return InformantReportDetail(report: try Self.reportSummary(row, cityView: scope == .some(nil), in: db), envelope: try Envelope(json: Array(row["envelope"] as Data)),
                                             photos: photos, replies: replies,
                                             // Only the district replies; the city gets no key that would link one informant's reports.
                                             informantPublicKey: scope == .some(nil) ? "" : Hex.encode(Array(row["informant_key"] as Data)))
            } catch let error as SealingError {
                throw StoreError.database("a stored report envelope is malformed: \(error)")
            }
        }
    }

    /// At most this many replies to one report.
    static let maxRepliesPerReport = 50

    /// Stores the handler's reply: one field `reply`, bound to the report's uid, wrapped for exactly the
    /// informant's key and the district office's content key.
    public func replyToInformant(_ reference: String, _ body: InformantReplyBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantReportSummary {
        guard actor.member.role == .handler, let district = ownDistrict(of: actor.member)?.rawValue else {
            throw .forbidden("the district's handler replies to its informants")
        }
        let office = try districtOffice(district)
        let envelope = body.envelope
        guard envelope.fields.count == 1, envelope.fields[0].name == InformantReportContent.replyFieldName, envelope.keyCommitment != nil else {
            throw .invalid("the reply envelope holds one field, reply, and a key commitment")
        }
        let bytes = envelope.jsonRepresentation()
        guard bytes.count <= 64 * 1024 else { throw .invalid("the sealed reply is larger than 64 KiB") }
        let officeKey = unitKeys[office.id]?.content
        return try await write { db in
            let row = try Self.reportRow(reference, scope: .some(district), in: db)
            guard envelope.recordID == (row["uid"] as String) else { throw StoreError.invalid("the reply is sealed to another record id than the report's") }
            let informantKey = try? X25519PublicKey(rawRepresentation: Array(row["informant_key"] as Data))
            let expected = Set([informantKey?.keyID, officeKey].compactMap { $0 })
            guard expected.count == 2, Set(envelope.wraps.map(\.recipientKeyID)) == expected, envelope.wraps.count == 2 else {
                throw StoreError.invalid("the reply is wrapped for exactly the informant's key and the district office's content key")
            }
            let id: Int64 = row["id"]
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM informant_reply WHERE report_id = ?", arguments: [id]) ?? 0
            guard count < Self.maxRepliesPerReport else { throw StoreError.conflict("this report has \(count) replies: no more") }
            try db.execute(sql: "INSERT INTO informant_reply(report_id, created_at, created_by, envelope) VALUES (?, ?, ?, ?)",
                           arguments: [id, at, actor.member.keyID, Data(bytes)])
            try audit(actor.event(.replyReport, subject: reference, details: [
                "pseudonym": row["pseudonym"] as String, "envelope_sha256": Hashing.sha256Hex(bytes),
                "wraps": envelope.wraps.map(\.recipientKeyID).sorted().joined(separator: ","),
            ]), at: at, in: db)
            return try Self.reportSummary(try Self.reportRow(reference, scope: .some(district), in: db), in: db)
        }
    }

    /// Links `reference` to the item or tip made from it, in the caller's transaction: the handler's
    /// own district, a report not yet turned into one.
    func linkReport(_ reference: String, item: String? = nil, tip: String? = nil, district: String, in db: Database) throws {
        let row = try Self.reportRow(reference, scope: .some(district), in: db)
        if item != nil, (row["item_ref"] as String?) != nil { throw StoreError.conflict("report \(reference) is already an item (\(row["item_ref"] as String))") }
        if tip != nil, (row["tip_ref"] as String?) != nil { throw StoreError.conflict("report \(reference) is already a tip (\(row["tip_ref"] as String))") }
        if let item {
            try db.execute(sql: "UPDATE informant_report SET item_ref = ? WHERE reference = ?", arguments: [item, reference])
        }
        if let tip {
            try db.execute(sql: "UPDATE informant_report SET tip_ref = ? WHERE reference = ?", arguments: [tip, reference])
        }
    }

    /// Stores the tip a handler made from a report (`POST info/reports/:ref/tip`): the tip as intake
    /// stores it (channel `informant`, no identity field), right after it the handler's
    /// `tip.from-informant` entry naming the report, and the report's link, in one transaction.
    public func recordTip(_ tip: NewTip, fromReport reference: String, by actor: StaffActor) async throws(StoreError) -> StoredTip {
        guard actor.member.role == .handler, let district = ownDistrict(of: actor.member)?.rawValue else {
            throw .forbidden("the district's handler turns its informants' reports into tips")
        }
        let digest = tip.digest
        let signer = self.signer
        return try await write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM tip WHERE uid = ?", arguments: [tip.uid]) == true {
                throw StoreError.conflict("the record id is already in use; try again")
            }
            _ = try Self.reportRow(reference, scope: .some(district), in: db)
            let stored = try SQLiteTipStore.insert(tip, digest: digest, signer: signer, in: db)
            try self.linkReport(reference, tip: stored.reference.rawValue, district: district, in: db)
            _ = try self.audit(actor.event(.reportToTip, subject: stored.reference.rawValue,
                                           details: ["channel": tip.channel.rawValue, "uid": tip.uid, "report": reference]),
                               at: tip.receivedAt, in: db)
            return stored
        }
    }
}
