import Foundation
import GRDB
import Sealing
public import TiplineCore
public import TiplineAdminAPI

/// Information items (issue 15, S-3.3, S-4.1–S-4.5, S-5.1–S-5.3): written and signed by a unit's
/// liaison, sealed on the writer's machine to the unit and the city office, submitted with their
/// timeliness fixed, returned or accepted by the city office. Nothing is ever deleted or withheld.
extension TriageStore {
    /// At most this many seconds in the future an event or knowledge time may lie (clock skew).
    static let itemClockSkew: Int64 = 600

    /// Records a draft item after checking the statement, its signature by the caller, the sealing
    /// and the classification. The reference is `XX-<year>-<serial>` (信息).
    public func newItem(_ body: NewItemBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary {
        if body.classified {
            throw .invalid("涉密信息不得通过本系统报送，请按保密规定通过机要渠道报送 / classified matter is not filed here: use the proper confidential channel")
        }
        guard let statement = ItemStatement(text: body.statement) else { throw .invalid("the statement is not a canonical item statement") }
        let unit = self.unit(of: actor.member)
        guard statement.unit == unit.id else { throw .forbidden("a liaison files items for its own unit (\(unit.id))") }
        guard let key = try? Ed25519PublicKey(rawRepresentation: Array(actor.member.publicKey)),
              key.isValidSignature(Array(body.signature), for: statement.signedBytes) else {
            throw .invalid("the statement's signature does not verify under your staff key")
        }
        // An item from an informant's report (S-3.3, 三(三)): the byline is the unit only, so no
        // informant's name is ever printed; a handler writes items from reports only.
        var fromDistrict: String?
        if let report = body.fromReport {
            guard statement.unitOnly, let district = ownDistrict(of: actor.member)?.rawValue else {
                throw .invalid("an item from an informant's report has a unit-only byline and is written by the district office")
            }
            guard InformantReportContent.isReference(report) else { throw .invalid("from_report is a report reference (IR-2026-000001)") }
            fromDistrict = district
        } else if actor.member.role == .handler {
            throw .forbidden("a handler writes items from informants' reports only (--from-report)")
        }
        if statement.unitOnly {
            guard statement.authors.isEmpty, ReasonText.clean(body.unitOnlyReason) != nil else {
                throw .invalid("a unit-only byline names no author and gives a reason")
            }
        } else {
            guard statement.authors.first == actor.member.name, Set(statement.authors).count == statement.authors.count,
                  (1...5).contains(statement.authors.count) else {
                throw .invalid("the byline names 1–5 different authors, the signer first")
            }
        }
        if let problem = policies.information.problem(kind: statement.kind, subKind: statement.subKind, aspects: body.aspects) {
            throw .invalid(problem)
        }
        guard statement.timeliness != .summary || statement.kind == "summary" else { throw .invalid("only summaries are due by a call") }
        guard statement.kind != "summary" || body.call != nil else { throw .invalid("a summary answers a call (--call)") }
        guard statement.knownAt >= statement.eventAt, statement.knownAt <= at + Self.itemClockSkew else {
            throw .invalid("known_at is between the event and now")
        }
        guard statement.contentSHA256.utf8.count == 64, Hex.decode(statement.contentSHA256) != nil else { throw .invalid("content_sha256 is 64 hex digits") }
        guard body.envelope.recordID == statement.uid, ItemStatement.isValidUID(statement.uid) else {
            throw .invalid("the content is sealed to the statement's uid (item- and 32 hex digits)")
        }
        guard body.envelope.fields.count == 1, body.envelope.fields[0].name == "content", body.envelope.keyCommitment != nil else {
            throw .invalid("the envelope holds one field, content, and a key commitment")
        }
        let expected = Set([unitKeys[unit.id]?.content, unitKeys[policies.units.cityOffice.id]?.content].compactMap { $0 })
        guard !expected.isEmpty, Set(body.envelope.wraps.map(\.recipientKeyID)) == expected, body.envelope.wraps.count == expected.count else {
            throw .invalid("the content is wrapped for exactly the unit's and the city office's content keys (no level may filter it, 四(三))")
        }
        let envelopeBytes = body.envelope.jsonRepresentation()
        guard envelopeBytes.count <= 256 * 1024 else { throw .invalid("the sealed item is larger than 256 KiB") }
        let pictures = body.pictures ?? 0
        guard (0...ItemPictureBody.maxPictures).contains(pictures) else { throw .invalid("an item has at most \(ItemPictureBody.maxPictures) pictures") }
        let envelopeHash = Hashing.sha256Hex(envelopeBytes)
        let year = CivilTime.chinaYear(at)
        let reportDistrict = fromDistrict
        return try await write { db in
            if let first = statement.firstReport {
                guard let row = try Row.fetchOne(db, sql: "SELECT unit, first_report FROM info_item WHERE reference = ?", arguments: [first]),
                      (row["unit"] as String) == unit.id, (row["first_report"] as String?) == nil else {
                    throw StoreError.invalid("first_report names no first report (首报) of this unit")
                }
            }
            if let call = body.call {
                guard let row = try Row.fetchOne(db, sql: "SELECT kind, units FROM info_call WHERE id = ?", arguments: [call]) else {
                    throw StoreError.invalid("no call \(call)")
                }
                let units: String = row["units"]
                guard units.isEmpty || units.split(separator: ",").contains(Substring(unit.id)) else { throw StoreError.invalid("the call \(call) is not addressed to \(unit.id)") }
                guard (row["kind"] as String) == statement.kind else { throw StoreError.invalid("the call \(call) asks for \(row["kind"] as String) items") }
            }
            let serial = (try Int.fetchOne(db, sql: "SELECT max(serial) FROM info_item WHERE year = ?", arguments: [year]) ?? 0) + 1
            let reference = "XX-\(year)-\(String(format: "%06d", serial))"
            if let report = body.fromReport, let reportDistrict {
                try linkReport(report, item: reference, district: reportDistrict, in: db)
            }
            try db.execute(sql: """
                INSERT INTO info_item(reference, year, serial, uid, unit, kind, sub_kind, aspects, timeliness, event_at, known_at, created_at,
                  created_by, authors, unit_only, unit_only_reason, first_report, call_id, statement, signature, signer_key_id, envelope, envelope_sha256,
                  pictures_expected, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft')
                """, arguments: [reference, year, serial, statement.uid, unit.id, statement.kind, statement.subKind, body.aspects.joined(separator: ","),
                                 statement.timeliness.rawValue, statement.eventAt, statement.knownAt, at, actor.member.keyID,
                                 statement.authors.joined(separator: ","), statement.unitOnly, ReasonText.clean(body.unitOnlyReason),
                                 statement.firstReport, body.call, body.statement, body.signature, actor.member.keyID, Data(envelopeBytes), envelopeHash,
                                 pictures])
            var details = ["unit": unit.id, "uid": statement.uid, "statement_sha256": Hashing.sha256Hex(statement.signedBytes),
                           "envelope_sha256": envelopeHash, "wraps": body.envelope.wraps.map(\.recipientKeyID).sorted().joined(separator: ","),
                           "kind": statement.kind, "timeliness": statement.timeliness.rawValue]
            details["unit_only_reason"] = ReasonText.clean(body.unitOnlyReason)
            details["call"] = body.call
            details["from_report"] = body.fromReport
            if pictures > 0 { details["pictures"] = String(pictures) }
            try audit(actor.event(.newItem, subject: reference, details: details), at: at, in: db)
            return try Self.itemSummary(reference, in: db)!
        }
    }

    /// Sends a draft (or a returned item) to the city office: the due time and the late flag are fixed;
    /// a `dynamic` item whose event is older than the policy's limit is refused (S-5.2).
    public func submitItem(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary {
        let unit = self.unit(of: actor.member)
        let policy = policies.information
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT i.unit, i.state, i.kind, i.timeliness, i.event_at, i.known_at, c.due_on FROM info_item i LEFT JOIN info_call c ON c.id = i.call_id
                WHERE i.reference = ?
                """,
                                             arguments: [reference]), (row["unit"] as String) == unit.id else { throw StoreError.notFound("item \(reference)") }
            let state = ItemState(rawValue: row["state"]) ?? .draft
            guard state == .draft || state == .returned else { throw StoreError.conflict("the item is \(state.rawValue): it was already submitted") }
            let missing = try Int.fetchOne(db, sql: """
                SELECT pictures_expected - (SELECT count(*) FROM info_item_picture WHERE item_id = info_item.id) FROM info_item WHERE reference = ?
                """, arguments: [reference]) ?? 0
            guard missing <= 0 else { throw StoreError.conflict("\(missing) of the item's pictures have not arrived: send them (info new --attach) first") }
            let kind: String = row["kind"]
            let eventAt: Int64 = row["event_at"]
            if kind == "dynamic", at - eventAt > policy.dynamicMaxAgeSeconds {
                throw StoreError.conflict("动态信息的事件已超过 \(policy.dynamicMaxAgeSeconds / 86_400) 天：请改为其他类别或报送续报 / the event is more than \(policy.dynamicMaxAgeSeconds / 86_400) days old: reclassify the item or file an update")
            }
            let timeliness = Timeliness(rawValue: row["timeliness"]) ?? .routine
            // A summary is due by the end of its call's due day (China time); the others by their class's limit.
            let due = timeliness == .summary ? (row["due_on"] as String?).flatMap(Self.endOfChinaDay)
                : policy.dueSeconds[timeliness].map { (row["known_at"] as Int64) + $0 }
            let late = due.map { at > $0 }
            try db.execute(sql: "UPDATE info_item SET state = 'submitted', submitted_at = ?, due_at = ?, late = ?, state_changed_at = ? WHERE reference = ?",
                           arguments: [at, due, late, at, reference])
            var details = ["from": state.rawValue, "unit": unit.id]
            details["late"] = late.map { $0 ? "1" : "0" }
            details["due_at"] = due.map(String.init)
            try audit(actor.event(.submitItem, subject: reference, details: details), at: at, in: db)
            return try Self.itemSummary(reference, in: db)!
        }
    }

    /// Adds the next picture of a draft: the writer's own unit, bound to `<uid>.<n>`, one field `picture`,
    /// a key commitment, wrapped for exactly the unit's and the city office's content keys.
    public func addItemPicture(_ reference: String, _ body: ItemPictureBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary {
        let unit = self.unit(of: actor.member)
        let envelope = body.envelope
        guard envelope.fields.count == 1, envelope.fields[0].name == ItemPictureBody.fieldName, envelope.keyCommitment != nil else {
            throw .invalid("a picture envelope holds one field, picture, and a key commitment")
        }
        let expected = Set([unitKeys[unit.id]?.content, unitKeys[policies.units.cityOffice.id]?.content].compactMap { $0 })
        guard !expected.isEmpty, Set(envelope.wraps.map(\.recipientKeyID)) == expected, envelope.wraps.count == expected.count else {
            throw .invalid("the picture is wrapped for exactly the unit's and the city office's content keys")
        }
        let bytes = envelope.jsonRepresentation()
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT id, uid, unit, state, pictures_expected FROM info_item WHERE reference = ?", arguments: [reference]),
                  (row["unit"] as String) == unit.id else { throw StoreError.notFound("item \(reference)") }
            guard (row["state"] as String) == ItemState.draft.rawValue else { throw StoreError.conflict("pictures are added to a draft only") }
            let id: Int64 = row["id"]
            let n = try Int.fetchOne(db, sql: "SELECT count(*) FROM info_item_picture WHERE item_id = ?", arguments: [id]) ?? 0
            guard n < (row["pictures_expected"] as Int) else { throw StoreError.conflict("the item has all its pictures") }
            guard envelope.recordID == ItemPictureBody.recordID(uid: row["uid"], index: n) else {
                throw StoreError.invalid("picture \(n) is sealed to the record id <uid>.\(n)")
            }
            try db.execute(sql: "INSERT INTO info_item_picture(item_id, n, envelope) VALUES (?, ?, ?)", arguments: [id, n, Data(bytes)])
            try audit(actor.event(.addItemPicture, subject: reference, details: ["n": String(n), "envelope_sha256": Hashing.sha256Hex(bytes)]),
                      at: at, in: db)
            return try Self.itemSummary(reference, in: db)!
        }
    }

    /// The city office returns a submitted item with a reason, or accepts it.
    public func decideItem(_ reference: String, accept: Bool, reason: String?, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemSummary {
        let cleaned = ReasonText.clean(reason)
        if !accept, cleaned == nil { throw .invalid("a reason is required to return an item") }
        return try await write { db in
            guard let state = try String.fetchOne(db, sql: "SELECT state FROM info_item WHERE reference = ?", arguments: [reference]) else {
                throw StoreError.notFound("item \(reference)")
            }
            guard state == ItemState.submitted.rawValue else { throw StoreError.conflict("only a submitted item is returned or accepted (it is \(state))") }
            let to: ItemState = accept ? .accepted : .returned
            try db.execute(sql: "UPDATE info_item SET state = ?, state_changed_at = ?, return_reason = ? WHERE reference = ?",
                           arguments: [to.rawValue, at, accept ? nil : cleaned, reference])
            var details = ["from": state, "to": to.rawValue]
            details["reason"] = cleaned
            try audit(actor.event(accept ? .acceptItem : .returnItem, subject: reference, details: details), at: at, in: db)
            return try Self.itemSummary(reference, in: db)!
        }
    }

    /// Whether `member` reads `unit`'s items: its own unit's liaisons; the city office's editors and assessors.
    func readsItems(of unit: String, _ member: StaffMember) -> Bool {
        member.role == .editor || member.role == .assessor || self.unit(of: member).id == unit
    }

    /// Items by filter, newest first: a liaison sees its own unit's; the city office all (drafts stay with their unit).
    public func items(for member: StaffMember, unit: String?, kind: String?, late: Bool, period: ReportingPeriod?, limit: Int) async throws(StoreError) -> [ItemSummary] {
        let own = self.unit(of: member).id
        let cityReader = member.role == .editor || member.role == .assessor
        let scope = cityReader ? unit : own
        if let unit, !cityReader, unit != own { throw .forbidden("a liaison lists its own unit's items") }
        return try await read { db in
            var clauses: [String] = []
            var arguments: [(any DatabaseValueConvertible)?] = []
            if let scope { clauses.append("unit = ?"); arguments.append(scope) }
            if cityReader { clauses.append("submitted_at IS NOT NULL") }
            if let kind { clauses.append("kind = ?"); arguments.append(kind) }
            if late { clauses.append("late = 1") }
            if let period { clauses.append("submitted_at >= ? AND submitted_at < ?"); arguments += [period.start, period.end] }
            let order = cityReader || late || period != nil ? "submitted_at DESC" : "id DESC"
            let sql = "SELECT * FROM info_item" + (clauses.isEmpty ? "" : " WHERE " + clauses.joined(separator: " AND ")) + " ORDER BY \(order) LIMIT ?"
            arguments.append(limit)
            return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.itemSummary)
        }
    }

    /// Releases an item's sealed content with its signed statement, after an `info.read` audit entry.
    public func readItem(_ reference: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> ItemDetail {
        let names = try await staffNames()
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT i.*, s.public_key AS signer_key, s.name AS signer_name FROM info_item i JOIN staff s ON s.key_id = i.signer_key_id WHERE i.reference = ?",
                                             arguments: [reference]), readsItems(of: row["unit"], actor.member) else {
                throw StoreError.notFound("item \(reference)")
            }
            if (row["state"] as String) == ItemState.draft.rawValue, self.unit(of: actor.member).id != (row["unit"] as String) {
                throw StoreError.notFound("item \(reference)")
            }
            try audit(actor.event(.readItem, subject: reference, details: ["unit": row["unit"] as String]), at: at, in: db)
            let envelope: Envelope
            do {
                envelope = try Envelope(json: Array(row["envelope"] as Data))
            } catch {
                throw StoreError.database("stored item envelope is malformed")
            }
            let pictures: [Envelope]
            let versions: [ItemVersionView]
            do {
                pictures = try Data.fetchAll(db, sql: "SELECT envelope FROM info_item_picture WHERE item_id = ? ORDER BY n", arguments: [row["id"] as Int64])
                    .map { try Envelope(json: Array($0)) }
                versions = try Self.versions(of: row["id"], names: names, in: db)
            } catch {
                throw StoreError.database("a stored picture envelope is malformed")
            }
            return ItemDetail(item: Self.itemSummary(row), statement: row["statement"], signature: row["signature"],
                              signerPublicKey: Hex.encode(Array(row["signer_key"] as Data)), signerName: row["signer_name"], envelope: envelope,
                              returnReason: row["return_reason"], unitOnlyReason: row["unit_only_reason"], pictures: pictures,
                              versions: versions)
        }
    }

    /// Records a node's zero report for a period (S-4.3).
    public func zeroReport(_ period: ReportingPeriod, by actor: StaffActor, at: Int64) async throws(StoreError) {
        let unit = self.unit(of: actor.member)
        guard unit.isNode else { throw .forbidden("zero reports are filed by the network's nodes") }
        try await write { db in
            let submitted = try Int.fetchOne(db, sql: "SELECT count(*) FROM info_item WHERE unit = ? AND submitted_at >= ? AND submitted_at < ?",
                                             arguments: [unit.id, period.start, period.end]) ?? 0
            guard submitted == 0 else { throw StoreError.conflict("the unit submitted \(submitted) items in \(period): no zero report") }
            try db.execute(sql: "INSERT INTO info_zero_report(unit, period, filed_at, filed_by) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                           arguments: [unit.id, period.text, at, actor.member.keyID])
            guard db.changesCount == 1 else { throw StoreError.conflict("a zero report for \(period) is already filed") }
            try audit(actor.event(.zeroReport, subject: unit.id, details: ["period": period.text]), at: at, in: db)
        }
    }

    /// The nodes that in `period` neither submitted an item nor filed a zero report (for the period or one of its months).
    public func silentNodes(_ period: ReportingPeriod) async throws(StoreError) -> SilentReply {
        let nodes = policies.units.units.filter(\.isNode).map(\.id)
        let (active, zero) = try await read { db in
            (Set(try String.fetchAll(db, sql: "SELECT DISTINCT unit FROM info_item WHERE submitted_at >= ? AND submitted_at < ?",
                                     arguments: [period.start, period.end])),
             Set(try String.fetchAll(db, sql: "SELECT DISTINCT unit FROM info_zero_report WHERE period IN (\(([period.text] + period.months).map { _ in "?" }.joined(separator: ",")))",
                                     arguments: StatementArguments([period.text] + period.months))))
        }
        return SilentReply(period: period.text, silent: nodes.filter { !active.contains($0) && !zero.contains($0) }, zeroReports: nodes.filter(zero.contains))
    }

    /// 00:00 China time of `date` (`YYYY-MM-DD`).
    public static func startOfChinaDay(_ date: String) -> Int64? { endOfChinaDay(date).map { $0 - 86_400 } }

    /// 00:00 China time of the day after `date` (`YYYY-MM-DD`).
    public static func endOfChinaDay(_ date: String) -> Int64? {
        let parts = date.split(separator: "-").compactMap { Int64($0) }
        guard parts.count == 3, CivilDate.isValid(date) else { return nil }
        return (CivilTime.daysFromCivil(year: parts[0], month: parts[1], day: parts[2]) + 1) * 86_400 - CivilTime.chinaOffset
    }

    /// Opens a call for research or a summary to some units (or every node) by a date.
    public func openCall(_ body: CallBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> CallView {
        guard let topic = ReasonText.clean(body.topic), topic.count <= 200 else { throw .invalid("a topic of at most 200 characters") }
        guard body.kind == "research" || body.kind == "summary" else { throw .invalid("a call asks for research or summary items") }
        guard CivilDate.isValid(body.dueOn), body.dueOn >= CivilDate.today(at: at) else { throw .invalid("due_on is a date YYYY-MM-DD, today or later") }
        if let unknown = body.units.first(where: { policies.units.unit($0)?.isNode != true }) { throw .invalid("\(unknown) is not a node of the network") }
        let year = CivilTime.chinaYear(at)
        return try await write { db in
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM info_call WHERE id LIKE ?", arguments: ["YG-\(year)-%"]) ?? 0
            let id = "YG-\(year)-\(String(format: "%02d", count + 1))"
            try db.execute(sql: "INSERT INTO info_call(id, topic, kind, due_on, units, opened_at, opened_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [id, topic, body.kind, body.dueOn, body.units.joined(separator: ","), at, actor.member.keyID])
            try audit(actor.event(.openCall, subject: id, details: ["topic": topic, "kind": body.kind, "due_on": body.dueOn,
                                                                     "units": body.units.joined(separator: ",")]), at: at, in: db)
            return try Self.callViews(in: db, nodes: policies.units.units.filter(\.isNode).map(\.id)).first { $0.id == id }!
        }
    }

    /// Every call with the units that answered (a submitted item naming it) and those that have not.
    public func calls() async throws(StoreError) -> [CallView] {
        let nodes = policies.units.units.filter(\.isNode).map(\.id)
        return try await read { db in try Self.callViews(in: db, nodes: nodes) }
    }

    static func callViews(in db: Database, nodes: [String]) throws -> [CallView] {
        try Row.fetchAll(db, sql: "SELECT * FROM info_call ORDER BY opened_at DESC LIMIT 200").map { row in
            let id: String = row["id"]
            let listed: String = row["units"]
            let units = listed.isEmpty ? nodes : listed.split(separator: ",").map(String.init)
            let answered = Set(try String.fetchAll(db, sql: "SELECT DISTINCT unit FROM info_item WHERE call_id = ? AND submitted_at IS NOT NULL",
                                                   arguments: [id]))
            return CallView(id: id, topic: row["topic"], kind: row["kind"], dueOn: row["due_on"], units: units,
                            answered: units.filter(answered.contains), unanswered: units.filter { !answered.contains($0) })
        }
    }

    /// Research items submitted per district office in a year; the offices that owe one (S-3.6).
    public func researchDuty(year: Int) async throws(StoreError) -> ResearchDutyReply {
        let offices = policies.units.districtOffices.map(\.id)
        let (start, end) = CivilTime.chinaYearBounds(year)
        let counts = try await read { db in
            Dictionary(try Row.fetchAll(db, sql: """
                SELECT unit, count(*) AS n FROM info_item WHERE kind = 'research' AND submitted_at >= ? AND submitted_at < ? GROUP BY unit
                """, arguments: [start, end]).map { ($0["unit"] as String, $0["n"] as Int) }, uniquingKeysWith: +)
        }
        var submitted: [String: Int] = [:]
        for office in offices { submitted[office] = counts[office] ?? 0 }
        return ResearchDutyReply(year: year, submitted: submitted, owing: offices.filter { (counts[$0] ?? 0) == 0 })
    }

    static func itemSummary(_ reference: String, in db: Database) throws -> ItemSummary? {
        try Row.fetchOne(db, sql: "SELECT * FROM info_item WHERE reference = ?", arguments: [reference]).map(itemSummary)
    }

    static func itemSummary(_ row: Row) -> ItemSummary {
        let authors: String = row["authors"]
        let aspects: String = row["aspects"]
        return ItemSummary(reference: row["reference"], unit: row["unit"], authors: authors.isEmpty ? [] : authors.split(separator: ",").map(String.init),
                           unitOnly: row["unit_only"], kind: row["kind"], subKind: row["sub_kind"],
                           aspects: aspects.isEmpty ? [] : aspects.split(separator: ",").map(String.init),
                           timeliness: Timeliness(rawValue: row["timeliness"]) ?? .routine, state: ItemState(rawValue: row["state"]) ?? .draft,
                           eventAt: ISO8601.chinaString(fromSeconds: row["event_at"]), knownAt: ISO8601.chinaString(fromSeconds: row["known_at"]),
                           createdAt: ISO8601.chinaString(fromSeconds: row["created_at"]),
                           submittedAt: (row["submitted_at"] as Int64?).map { ISO8601.chinaString(fromSeconds: $0) },
                           dueAt: (row["due_at"] as Int64?).map { ISO8601.chinaString(fromSeconds: $0) }, late: row["late"], firstReport: row["first_report"])
    }
}
