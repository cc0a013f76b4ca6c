import Foundation
import GRDB
import Sealing
public import TiplineCore
public import TiplineAdminAPI

/// The seven ledgers (issue 16, S-5.4; docs/NETWORK.md "The seven ledgers"). A unit's clerks and
/// liaisons write its records, sealed on their machines to the unit's and the city office's content keys;
/// personal names of individual operators travel in a second envelope sealed to the city's identity key
/// (and a district office's registry key). The server checks who writes and to whom it is sealed, never
/// what is written. An edit is a new version; nothing is deleted. The tip-lead ledger is generated from
/// the tip table and holds no identity.
extension TriageStore {
    /// The largest sealed record version (the record itself is at most `BookRecord.maxBytes`).
    static let maxRecordEnvelope = 96 * 1024
    /// The largest sealed names envelope.
    static let maxNamesEnvelope = 16 * 1024

    /// A writable ledger of the policy, or a refusal naming it.
    func writableLedger(_ book: String) throws(StoreError) -> Book {
        guard let ledger = policies.ledgers.ledger(book) else { throw .notFound("ledger \(book.prefix(40))") }
        guard ledger.isWritable else {
            throw .invalid("\(ledger.nameZh)由举报记录自动生成，不能录入 / the \(ledger.id) ledger is generated from the tips: nothing is written to it")
        }
        return ledger
    }

    /// Whether `member` reads every unit's records: staff of the city office.
    func readsAllBooks(_ member: StaffMember) -> Bool { unit(of: member).kind == .cityOffice }

    /// The content keys a record of `unit` is sealed to: the unit's and the city office's (one when they are the same).
    func recordContentKeys(_ unit: NetworkUnit) throws(StoreError) -> Set<String> {
        guard let own = unitKeys[unit.id]?.content, let city = unitKeys[policies.units.cityOffice.id]?.content else {
            throw .conflict("this deployment has no content key for \(unit.id) or the city office (keys add-units)")
        }
        return [own, city]
    }

    /// The keys a record's sealed names are wrapped for: the city's identity key and, for a district
    /// office's record, its registry key.
    func recordNameKeys(_ unit: NetworkUnit) throws(StoreError) -> Set<String> {
        guard let city = centreKeys[city]?.identity else { throw .conflict("no identity key for the city centre") }
        guard unit.kind == .districtOffice else { return [city] }
        guard let registry = unitKeys[unit.id]?.registry else { throw .conflict("this deployment has no registry key for \(unit.id)") }
        return [city, registry]
    }

    /// One checked version: its date, its sealed bytes and their hashes.
    struct CheckedVersion: Sendable {
        let recordDate: String?
        let envelope: [UInt8]
        let envelopeHash: String
        let names: [UInt8]?
        let namesHash: String?
        let wraps: String
        let nameWraps: String?
    }

    /// Checks a record body: the date a dated ledger needs; one field `record` with a key commitment,
    /// wrapped for exactly the unit's and the city office's content keys; names, if any, one field
    /// `names` wrapped for exactly the name keys, only in a ledger with sealed fields; the sizes.
    func checkVersion(_ body: RecordBody, ledger: Book, unit: NetworkUnit, edit: Bool) throws(StoreError) -> CheckedVersion {
        if ledger.datedBy != nil {
            guard let date = body.recordDate, CivilDate.isValid(date) else {
                throw .invalid("\(ledger.id) 的记录须有日期 record_date（YYYY-MM-DD）/ a record of \(ledger.id) carries its date, record_date YYYY-MM-DD")
            }
        } else if body.recordDate != nil {
            throw .invalid("\(ledger.id) 是登记簿，没有记录日期 / \(ledger.id) is a register: no record_date")
        }
        let envelope = body.envelope
        guard BookRecord.isValidUID(envelope.recordID), envelope.fields.count == 1, envelope.fields[0].name == "record",
              envelope.fields[0].keyClass == .content, envelope.keyCommitment != nil else {
            throw .invalid("the record envelope holds one field, record, under a book- record id, with a key commitment")
        }
        let expected = try recordContentKeys(unit)
        guard Set(envelope.wraps.map(\.recipientKeyID)) == expected, envelope.wraps.count == expected.count else {
            throw .invalid("记录须加密给本单位和市办的内容密钥 / the record is wrapped for exactly the unit's and the city office's content keys")
        }
        let bytes = envelope.jsonRepresentation()
        guard bytes.count <= Self.maxRecordEnvelope else { throw .invalid("the sealed record is larger than \(Self.maxRecordEnvelope / 1024) KiB") }
        var names: [UInt8]?
        var nameWraps: String?
        if let sealed = body.names {
            guard ledger.fields.contains(where: \.sealed) else { throw .invalid("\(ledger.id) has no sealed fields: no names envelope") }
            guard !body.keepNames else { throw .invalid("names and keep_names exclude each other") }
            guard BookRecord.isValidUID(sealed.recordID), sealed.recordID != envelope.recordID, sealed.fields.count == 1,
                  sealed.fields[0].name == "names", sealed.fields[0].keyClass == .content, sealed.keyCommitment != nil else {
                throw .invalid("the names envelope holds one field, names, under its own book- record id, with a key commitment")
            }
            let keys = try recordNameKeys(unit)
            guard Set(sealed.wraps.map(\.recipientKeyID)) == keys, sealed.wraps.count == keys.count else {
                throw .invalid("个体经营者姓名须加密给市中心的身份密钥（及区县办的登记密钥）/ names are wrapped for exactly the city's identity key (and a district office's registry key)")
            }
            let nameBytes = sealed.jsonRepresentation()
            guard nameBytes.count <= Self.maxNamesEnvelope else { throw .invalid("the sealed names are larger than \(Self.maxNamesEnvelope / 1024) KiB") }
            names = nameBytes
            nameWraps = keys.sorted().joined(separator: ",")
        }
        if body.keepNames, !edit { throw .invalid("keep_names belongs to an edit") }
        if body.baseVersion != nil, !edit { throw .invalid("base_version belongs to an edit") }
        return CheckedVersion(recordDate: body.recordDate, envelope: bytes, envelopeHash: Hashing.sha256Hex(bytes), names: names,
                              namesHash: names.map(Hashing.sha256Hex), wraps: expected.sorted().joined(separator: ","), nameWraps: nameWraps)
    }

    /// Writes a new record of the caller's unit (`books add`): the id is `<prefix>-<year>-<serial>`.
    public func addRecord(book: String, _ body: RecordBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> RecordWritten {
        let ledger = try writableLedger(book)
        let unit = self.unit(of: actor.member)
        let checked = try checkVersion(body, ledger: ledger, unit: unit, edit: false)
        let year = CivilTime.chinaYear(at)
        return try await write { db in
            let serial = (try Int.fetchOne(db, sql: "SELECT max(serial) FROM book_record WHERE book = ? AND year = ?", arguments: [ledger.id, year]) ?? 0) + 1
            let record = BookRecordID(prefix: ledger.prefix, year: year, serial: serial).description
            try db.execute(sql: """
                INSERT INTO book_record(record, book, year, serial, unit, created_at, created_by, version, record_date, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                """, arguments: [record, ledger.id, year, serial, unit.id, at, actor.member.keyID, checked.recordDate, at])
            try Self.insertVersion(db.lastInsertedRowID, 1, checked, by: actor, at: at, in: db)
            try audit(actor.event(.addRecord, subject: record, details: Self.versionDetails(ledger: ledger, unit: unit.id, version: 1, checked, kept: false)),
                      at: at, in: db)
            return RecordWritten(record: record, book: ledger.id, unit: unit.id, version: 1)
        }
    }

    /// Writes the next version of a record of the caller's unit (`books edit`); every earlier version stays.
    public func editRecord(_ record: String, _ body: RecordBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> RecordWritten {
        guard let ledger = policies.ledgers.ledger(ofRecord: record), ledger.isWritable else { throw .notFound("record \(record.prefix(40))") }
        let unit = self.unit(of: actor.member)
        let checked = try checkVersion(body, ledger: ledger, unit: unit, edit: true)
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, book, unit, version FROM book_record WHERE record = ?", arguments: [record]),
                  (row["book"] as String) == ledger.id else {
                throw StoreError.notFound("record \(record)")
            }
            guard (row["unit"] as String) == unit.id else {
                throw StoreError.forbidden("只能修改本单位的台账记录 / a unit edits its own records only (\(record) is another unit's)")
            }
            let id: Int64 = row["id"]
            let current: Int = row["version"]
            if let base = body.baseVersion, base != current {
                throw StoreError.conflict("记录已被修改（现为第 \(current) 版）/ the record changed meanwhile (it is at version \(current)): nothing was written")
            }
            var version = checked
            if body.keepNames, let kept = try Row.fetchOne(db, sql: "SELECT names, names_sha256 FROM book_version WHERE record_id = ? AND version = ?",
                                                           arguments: [id, current]), let bytes = kept["names"] as Data? {
                version = CheckedVersion(recordDate: checked.recordDate, envelope: checked.envelope, envelopeHash: checked.envelopeHash,
                                         names: Array(bytes), namesHash: kept["names_sha256"], wraps: checked.wraps,
                                         nameWraps: try recordNameKeys(unit).sorted().joined(separator: ","))
            }
            let next = current + 1
            try Self.insertVersion(id, next, version, by: actor, at: at, in: db)
            try db.execute(sql: "UPDATE book_record SET version = ?, record_date = ?, updated_at = ? WHERE id = ?",
                           arguments: [next, version.recordDate, at, id])
            try audit(actor.event(.editRecord, subject: record, details: Self.versionDetails(ledger: ledger, unit: unit.id, version: next, version,
                                                                                             kept: body.keepNames && version.names != nil)),
                      at: at, in: db)
            return RecordWritten(record: record, book: ledger.id, unit: unit.id, version: next)
        }
    }

    static func insertVersion(_ recordID: Int64, _ version: Int, _ checked: CheckedVersion, by actor: StaffActor, at: Int64, in db: Database) throws {
        try db.execute(sql: """
            INSERT INTO book_version(record_id, version, record_date, written_at, written_by, envelope, envelope_sha256, names, names_sha256)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [recordID, version, checked.recordDate, at, actor.member.keyID, Data(checked.envelope), checked.envelopeHash,
                             checked.names.map { Data($0) }, checked.namesHash])
    }

    /// The details of a `books.add`/`books.edit` entry: what the auditor replays and compares with the tables.
    static func versionDetails(ledger: Book, unit: String, version: Int, _ checked: CheckedVersion, kept: Bool) -> [String: String] {
        var details = ["book": ledger.id, "unit": unit, "version": String(version), "envelope_sha256": checked.envelopeHash, "wraps": checked.wraps]
        details["record_date"] = checked.recordDate
        details["names_sha256"] = checked.namesHash
        details["names_wraps"] = checked.nameWraps
        if kept { details["names"] = "kept" }
        return details
    }

    /// Which records a read releases.
    public struct RecordFilter: Sendable {
        /// Only records of this unit.
        public var unit: String?
        /// Only records in this period: a dated ledger's records dated in it, a register as it stood at its end.
        public var period: ReportingPeriod?
        /// Only this record (`JC-2026-000001`).
        public var record: String?
        /// With `record`, every version rather than the latest only.
        public var versions: Bool
        /// The most rows to return, capped at `OpenRecordsBody.maxLimit`.
        public var limit: Int
        /// The record id after which the next page starts.
        public var after: String?

        /// A filter; by default the whole ledger, newest first, one page.
        public init(unit: String? = nil, period: ReportingPeriod? = nil, record: String? = nil, versions: Bool = false,
                    limit: Int = AdminPage.defaultSize, after: String? = nil) {
            self.unit = unit
            self.period = period
            self.record = record
            self.versions = versions
            self.limit = limit
            self.after = after
        }
    }

    /// The filter of an `OpenRecordsBody`, checked: a period as typed, a limit within a page, a unit
    /// the caller reads (its own; the city office any).
    public func recordFilter(_ body: OpenRecordsBody, for member: StaffMember) throws(StoreError) -> RecordFilter {
        let period: ReportingPeriod?
        if let text = body.period {
            guard let parsed = ReportingPeriod(text) else { throw .invalid("period is 2026-11, 2026-Q2 or 2026") }
            period = parsed
        } else {
            period = nil
        }
        guard (1...OpenRecordsBody.maxLimit).contains(body.limit) else { throw .invalid("limit is 1–\(OpenRecordsBody.maxLimit)") }
        // Every value is checked before it reaches a query or a message: no typed text is echoed back.
        let record = try body.record.map { text throws(StoreError) in
            guard let id = BookRecordID(text) else { throw .invalid("record is a record id such as JC-2026-000001") }
            return id.description
        }
        let after = try body.after.map { text throws(StoreError) in
            guard let id = BookRecordID(text) else { throw .invalid("after is a record id such as JC-2026-000001") }
            return id.description
        }
        if let unit = body.unit, policies.units.unit(unit) == nil { throw .invalid("no unit \(unit.prefix(40)) in units.yaml") }
        let own = unit(of: member).id
        if let unit = body.unit, unit != own, !readsAllBooks(member) {
            throw .forbidden("只能查看本单位的台账 / a unit reads its own ledgers (the city office reads all)")
        }
        return RecordFilter(unit: readsAllBooks(member) ? body.unit : own, period: period, record: record,
                            versions: body.versions, limit: body.limit, after: after)
    }

    /// Releases records' sealed content (`books list|show|export`): the `books.read` entry naming the
    /// ledger, the filter and every record released is written in the same transaction, before the answer.
    public func openRecords(book: String, _ filter: RecordFilter, by actor: StaffActor, at: Int64) async throws(StoreError) -> [RecordVersionView] {
        let ledger = try writableLedger(book)
        return try await write { db in
            let views = try Self.recordViews(ledger: ledger, filter, in: db)
            if filter.record != nil, views.isEmpty { throw StoreError.notFound("record \(filter.record ?? "")") }
            var details = ["book": ledger.id, "unit": filter.unit ?? "all", "count": String(views.count),
                           "records": Array(Set(views.map(\.record))).sorted().joined(separator: ",")]
            details["period"] = filter.period?.text
            details["record"] = filter.record
            if filter.versions { details["versions"] = "1" }
            try audit(actor.event(.readRecords, subject: ledger.id, details: details), at: at, in: db)
            return views
        }
    }

    /// The records of a filter without releasing them (no audit entry): the query `openRecords` runs,
    /// for benchmarks and tests.
    public func recordViews(book: String, _ filter: RecordFilter) async throws(StoreError) -> [RecordVersionView] {
        let ledger = try writableLedger(book)
        return try await read { db in try Self.recordViews(ledger: ledger, filter, in: db) }
    }

    /// One record (every version with `versions`), or a page of the ledger: newest first; with a period a
    /// dated ledger's records dated in it (in date order), a register as it stood at the period's end (in id order).
    static func recordViews(ledger: Book, _ filter: RecordFilter, in db: Database) throws -> [RecordVersionView] {
        let columns = """
            r.record, r.book, r.unit, r.created_at, r.version AS latest, v.version, v.record_date, v.written_at, v.envelope, v.names_sha256,
            (SELECT s.name FROM staff s WHERE s.key_id = v.written_by) AS writer
            """
        var sql: String
        var arguments: [(any DatabaseValueConvertible)?] = []
        if let record = filter.record {
            sql = "SELECT \(columns) FROM book_record r JOIN book_version v ON v.record_id = r.id WHERE r.record = ? AND r.book = ?"
            arguments += [record, ledger.id]
            if let unit = filter.unit { sql += " AND r.unit = ?"; arguments.append(unit) }
            if !filter.versions { sql += " AND v.version = r.version" }
            sql += " ORDER BY v.version LIMIT ?"
        } else if let period = filter.period, ledger.datedBy != nil {
            sql = "SELECT \(columns) FROM book_record r JOIN book_version v ON v.record_id = r.id AND v.version = r.version WHERE r.book = ? AND r.record_date BETWEEN ? AND ?"
            arguments += [ledger.id, period.firstDay, period.lastDay]
            if let unit = filter.unit { sql += " AND r.unit = ?"; arguments.append(unit) }
            // Date order, read from an index (book, [unit,] record_date) that stops at the page.
            if let after = filter.after {
                sql += " AND (r.record_date, r.id) > (SELECT record_date, id FROM book_record WHERE record = ?)"
                arguments.append(after)
            }
            sql += " ORDER BY r.record_date, r.id LIMIT ?"
        } else if let period = filter.period {
            // A register as it stood at the period's end: each record made before then, at its newest version written before then.
            // `+created_at`: read in id order from (book, [unit,] id) and stop at the page, not every record made before the end.
            sql = """
                SELECT \(columns) FROM book_record r JOIN book_version v ON v.record_id = r.id
                  AND v.version = (SELECT max(x.version) FROM book_version x WHERE x.record_id = r.id AND x.written_at < ?)
                WHERE r.book = ? AND +r.created_at < ?
                """
            arguments += [period.end, ledger.id, period.end]
            if let unit = filter.unit { sql += " AND r.unit = ?"; arguments.append(unit) }
            if let after = filter.after { sql += " AND r.id > (SELECT id FROM book_record WHERE record = ?)"; arguments.append(after) }
            sql += " ORDER BY r.id LIMIT ?"
        } else {
            sql = "SELECT \(columns) FROM book_record r JOIN book_version v ON v.record_id = r.id AND v.version = r.version WHERE r.book = ?"
            arguments.append(ledger.id)
            if let unit = filter.unit { sql += " AND r.unit = ?"; arguments.append(unit) }
            if let after = filter.after { sql += " AND r.id < (SELECT id FROM book_record WHERE record = ?)"; arguments.append(after) }
            sql += " ORDER BY r.id DESC LIMIT ?"
        }
        arguments.append(max(1, min(filter.limit, OpenRecordsBody.maxLimit)))
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            let envelope: Envelope
            do {
                envelope = try Envelope(json: Array(row["envelope"] as Data))
            } catch {
                throw StoreError.database("stored ledger record envelope is malformed")
            }
            return RecordVersionView(record: row["record"], book: row["book"], unit: row["unit"], version: row["version"], recordDate: row["record_date"],
                                     createdAt: ISO8601.chinaString(fromSeconds: row["created_at"]),
                                     writtenAt: ISO8601.chinaString(fromSeconds: row["written_at"]),
                                     writtenBy: row["writer"] ?? "?", latest: row["latest"], envelope: envelope,
                                     hasNames: (row["names_sha256"] as String?) != nil)
        }
    }

    /// Releases the sealed names of a record's versions (`books show RECORD --names --reason …`) to the
    /// owning district office's handler or a city identity holder: the `books.names` entry, with the
    /// reason, is written before the answer (rule 8).
    public func recordNames(_ record: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> RecordNamesReply {
        guard let reason = ReasonText.clean(reason) else { throw .invalid("a reason is required (no personal data)") }
        guard let ledger = policies.ledgers.ledger(ofRecord: record), ledger.isWritable else { throw .notFound("record \(record.prefix(40))") }
        let member = actor.member
        let actorUnit = unit(of: member)
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, unit FROM book_record WHERE record = ? AND book = ?", arguments: [record, ledger.id]) else {
                throw StoreError.notFound("record \(record)")
            }
            let owner: String = row["unit"]
            let allowed = member.role == .identityHolder ? member.centre == city
                : member.role == .handler && actorUnit.kind == .districtOffice && actorUnit.id == owner
            guard allowed else { throw StoreError.notFound("record \(record)") }  // as if missing: another district's names are not opened
            let versions = try Row.fetchAll(db, sql: "SELECT version, names FROM book_version WHERE record_id = ? AND names IS NOT NULL ORDER BY version",
                                            arguments: [row["id"] as Int64])
            guard !versions.isEmpty else { throw StoreError.conflict("记录没有密封的姓名 / the record has no sealed names") }
            try audit(actor.event(.readRecordNames, subject: record, details: [
                "book": ledger.id, "unit": owner, "reason": reason, "versions": versions.map { String($0["version"] as Int) }.joined(separator: ","),
            ]), at: at, in: db)
            return RecordNamesReply(record: record, versions: try versions.map { version in
                do {
                    return RecordNamesReply.Version(version: version["version"], names: try Envelope(json: Array(version["names"] as Data)))
                } catch {
                    throw StoreError.database("stored names envelope is malformed")
                }
            })
        }
    }

    /// The number of records `unit` has in a ledger for `period`: a dated ledger's records dated in it, a
    /// register's records made before its end.
    static func recordCounts(ledger: Book, period: ReportingPeriod, in db: Database) throws -> [String: Int] {
        let rows: [Row]
        if ledger.datedBy != nil {
            rows = try Row.fetchAll(db, sql: "SELECT unit, count(*) AS n FROM book_record WHERE book = ? AND record_date BETWEEN ? AND ? GROUP BY unit",
                                    arguments: [ledger.id, period.firstDay, period.lastDay])
        } else {
            rows = try Row.fetchAll(db, sql: "SELECT unit, count(*) AS n FROM book_record WHERE book = ? AND created_at < ? GROUP BY unit",
                                    arguments: [ledger.id, period.end])
        }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["unit"] as String, $0["n"] as Int) })
    }

    /// Records a unit's zero report for a ledger and period: refused when it has records for it (S-4.3).
    public func bookZeroReport(book: String, period: ReportingPeriod, by actor: StaffActor, at: Int64) async throws(StoreError) {
        let ledger = try writableLedger(book)
        let unit = self.unit(of: actor.member)
        try await write { db in
            let count = try Self.recordCounts(ledger: ledger, period: period, in: db)[unit.id] ?? 0
            guard count == 0 else {
                throw StoreError.conflict("本单位 \(period) 已有 \(count) 条\(ledger.nameZh)记录，不能零报告 / the unit has \(count) records of \(ledger.id) for \(period): no zero report")
            }
            try db.execute(sql: "INSERT INTO book_zero_report(book, unit, period, filed_at, filed_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [ledger.id, unit.id, period.text, at, actor.member.keyID])
            guard db.changesCount == 1 else { throw StoreError.conflict("a zero report of \(ledger.id) for \(period) is already filed") }
            try audit(actor.event(.bookZeroReport, subject: unit.id, details: ["book": ledger.id, "period": period.text]), at: at, in: db)
        }
    }

    /// Per unit that keeps each ledger (its `kept_by`) and each written ledger: records in the period, a
    /// zero report (for the period or one of its months), or missing. A unit other than the city office sees its own rows.
    public func bookCompleteness(_ period: ReportingPeriod, for member: StaffMember) async throws(StoreError) -> CompletenessReply {
        let ledgers = policies.ledgers.ledgers.filter(\.isWritable)
        let units = readsAllBooks(member) ? policies.units.units : [unit(of: member)]
        let periods = [period.text] + period.months
        let (counts, zero) = try await read { db in
            var counts: [String: [String: Int]] = [:]
            for ledger in ledgers { counts[ledger.id] = try Self.recordCounts(ledger: ledger, period: period, in: db) }
            let marks = databaseQuestionMarks(count: periods.count)
            let zero = Set(try Row.fetchAll(db, sql: "SELECT DISTINCT book, unit FROM book_zero_report WHERE period IN (\(marks))",
                                            arguments: StatementArguments(periods)).map { "\($0["book"] as String)|\($0["unit"] as String)" })
            return (counts, zero)
        }
        var rows: [CompletenessReply.Row] = []
        for unit in units {
            for ledger in ledgers where ledger.keptBy.contains(unit.kind) {
                let n = counts[ledger.id]?[unit.id] ?? 0
                let state: CompletenessReply.State = n > 0 ? .records : zero.contains("\(ledger.id)|\(unit.id)") ? .zeroReport : .missing
                rows.append(.init(unit: unit.id, book: ledger.id, state: state, records: n))
            }
        }
        return CompletenessReply(period: period.text, rows: rows)
    }

    /// The tip-lead ledger (举报线索), generated from the tip table: public facts of each tip received in
    /// the period (auditors' canaries left out, as from the statistics), in reference order. The city
    /// office reads every centre's; a unit that runs a centre reads the tips that centre handles.
    public func tipLeads(period: ReportingPeriod?, for member: StaffMember, limit: Int, after: String?) async throws(StoreError) -> [TipLeadRow] {
        let reader = unit(of: member)
        let centre: String?
        if reader.kind == .cityOffice {
            centre = nil
        } else if let runs = reader.centre {
            centre = runs.rawValue
        } else {
            throw .forbidden("举报线索台账由市办和设有举报中心的单位查看 / the tip-lead ledger is read by the city office and the units that run a reporting centre")
        }
        let limit = max(1, min(limit, AdminPage.maxSize))
        return try await read { db in
            var sql = """
                SELECT t.id, t.reference, t.received_at, t.channel, t.category, t.district, t.centre, t.urgency, t.status, t.resolution,
                  t.enforcement_unit, t.outcome, t.acted_at, t.acted_on_time, t.wants_reward,
                  EXISTS (SELECT 1 FROM tip_voucher v WHERE v.tip_id = t.id) AS voucher
                FROM tip t WHERE t.canary_at IS NULL
                """
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let centre { sql += " AND t.centre = ?"; arguments.append(centre) }
            if let period { sql += " AND t.received_at >= ? AND t.received_at < ?"; arguments += [period.start, period.end] }
            if let after = after.flatMap({ TipReference(typed: $0) }) {
                sql += " AND t.id > (SELECT id FROM tip WHERE reference = ?)"
                arguments.append(after.rawValue)
            }
            sql += " ORDER BY t.id LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
                let outcome = (row["outcome"] as String?).flatMap { try? JSONDecoder().decode(VerifiedOutcome.self, from: Data($0.utf8)) }
                let reward = !(row["wants_reward"] as Bool) ? "not-requested" : (row["voucher"] as Bool) ? "voucher-issued" : "requested"
                return TipLeadRow(reference: row["reference"], receivedAt: ISO8601.chinaString(fromSeconds: row["received_at"]),
                                  channel: TipChannel(rawValue: row["channel"]) ?? .web, category: row["category"], district: row["district"],
                                  centre: row["centre"], urgency: try Self.typed(row, "urgency"), status: try Self.typed(row, "status"),
                                  resolution: row["resolution"], enforcementUnit: row["enforcement_unit"], outcome: outcome?.kind.rawValue,
                                  finesFen: outcome?.finesFen, onTime: (row["acted_at"] as Int64?) == nil ? nil : (row["acted_on_time"] as Bool?) ?? false,
                                  reward: reward)
            }
        }
    }
}
