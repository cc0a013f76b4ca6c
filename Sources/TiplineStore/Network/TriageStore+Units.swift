import Foundation
import Sealing
import GRDB
public import TiplineCore
public import TiplineAdminAPI

/// The network's units, liaisons, trainings and areas (issue 14, docs/NETWORK.md): names and titles
/// of responsible people, liaisons and bylines are not secret (S-3.3, S-6.1). Every change is an
/// audit entry in its transaction.
extension TriageStore {
    /// Whether `member` may change `unit`'s records: the city office's editors any unit, others their own.
    func mayKeep(_ unit: NetworkUnit, _ member: StaffMember) -> Bool {
        member.role == .editor || self.unit(of: member).id == unit.id
    }

    func knownUnit(_ id: String) throws(StoreError) -> NetworkUnit {
        guard let unit = policies.units.unit(id) else { throw .notFound("unit \(id)") }
        return unit
    }

    static let maxYear = 2100

    /// Records a unit's responsible leaders for a year (S-6.1); a later record for the same year replaces
    /// the row, the audit log keeps every version.
    public func setUnitLeaders(_ unitID: String, _ body: UnitLeadersBody, by actor: StaffActor, at: Int64) async throws(StoreError) {
        let unit = try knownUnit(unitID)
        guard mayKeep(unit, actor.member) else { throw .forbidden("only the unit's own staff or the city office's editors keep \(unit.id)'s record") }
        guard (2000...Self.maxYear).contains(body.year) else { throw .invalid("year from 2000 to \(Self.maxYear)") }
        var people: [(String, ResponsiblePerson)] = [("main", body.main), ("deputy", body.deputy), ("officer", body.officer)]
        for index in people.indices {
            guard let name = ReasonText.clean(people[index].1.name), name.count <= 40,
                  let title = ReasonText.clean(people[index].1.title), title.count <= 60 else {
                throw .invalid("\(people[index].0): a name (≤ 40) and a title (≤ 60)")
            }
            people[index].1 = ResponsiblePerson(name: name, title: title)
        }
        let cleaned = people
        try await write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO unit_leaders(unit, year, main_name, main_title, deputy_name, deputy_title, officer_name, officer_title, set_at, set_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [unit.id, body.year, cleaned[0].1.name, cleaned[0].1.title, cleaned[1].1.name, cleaned[1].1.title,
                                 cleaned[2].1.name, cleaned[2].1.title, at, actor.member.keyID])
            var details = ["year": String(body.year)]
            for (key, person) in cleaned { details[key] = "\(person.name)|\(person.title)" }
            try audit(actor.event(.setUnitLeaders, subject: unit.id, details: details), at: at, in: db)
        }
    }

    /// Records a unit's annual "in place" self-check (S-6.1).
    public func recordSelfCheck(_ unitID: String, _ body: UnitSelfCheckBody, by actor: StaffActor, at: Int64) async throws(StoreError) {
        let unit = try knownUnit(unitID)
        guard mayKeep(unit, actor.member) else { throw .forbidden("only the unit's own staff or the city office's editors keep \(unit.id)'s record") }
        guard (2000...Self.maxYear).contains(body.year) else { throw .invalid("year from 2000 to \(Self.maxYear)") }
        let note = ReasonText.clean(body.note)
        if let note, note.count > 500 { throw .invalid("the note is at most 500 characters") }
        try await write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO unit_self_check(unit, year, staff_in_place, funds_in_place, support_in_place, note, checked_at, checked_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [unit.id, body.year, body.staffInPlace, body.fundsInPlace, body.supportInPlace, note, at, actor.member.keyID])
            var details = ["year": String(body.year), "staff": body.staffInPlace ? "1" : "0", "funds": body.fundsInPlace ? "1" : "0",
                           "support": body.supportInPlace ? "1" : "0"]
            details["note"] = note
            try audit(actor.event(.unitSelfCheck, subject: unit.id, details: details), at: at, in: db)
        }
    }

    /// Records a liaison's appointment date and qualification attestation (S-3.2).
    public func recordLiaison(_ keyID: String, _ body: LiaisonRecordBody, by actor: StaffActor, at: Int64) async throws(StoreError) {
        guard CivilDate.isValid(body.appointedOn) else { throw .invalid("appointed_on is a date YYYY-MM-DD") }
        guard let qualification = ReasonText.clean(body.qualification), qualification.count <= 200 else {
            throw .invalid("a qualification attestation of at most 200 characters")
        }
        try await write { db in
            guard let member = try StaffMember.fetchOne(db, key: keyID), member.role == .liaison else {
                throw StoreError.notFound("liaison \(keyID)")
            }
            try db.execute(sql: """
                INSERT OR REPLACE INTO liaison_record(key_id, appointed_on, qualification, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)
                """, arguments: [keyID, body.appointedOn, qualification, at, actor.member.keyID])
            try audit(actor.event(.recordLiaison, subject: keyID, details: [
                "appointed_on": body.appointedOn, "qualification": qualification, "liaison_unit": self.unit(of: member).id,
            ]), at: at, in: db)
        }
    }

    /// Records a training session and its attendees (staff names, resolved to keys).
    public func addTraining(_ body: TrainingBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> Int64 {
        let unit = try knownUnit(body.unit)
        guard mayKeep(unit, actor.member) else { throw .forbidden("only the unit's own staff or the city office's editors record its trainings") }
        guard CivilDate.isValid(body.date) else { throw .invalid("date is YYYY-MM-DD") }
        guard let topic = ReasonText.clean(body.topic), topic.count <= 200 else { throw .invalid("a topic of at most 200 characters") }
        guard !body.attendees.isEmpty, body.attendees.count <= 200, Set(body.attendees).count == body.attendees.count else {
            throw .invalid("1–200 different attendees")
        }
        return try await write { db in
            var keys: [String] = []
            for name in body.attendees {
                guard let key = try String.fetchOne(db, sql: "SELECT key_id FROM staff WHERE name = ? AND revoked_at IS NULL", arguments: [name]) else {
                    throw StoreError.invalid("no active staff member named \(name)")
                }
                keys.append(key)
            }
            try db.execute(sql: "INSERT INTO training(unit, date, topic, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?)",
                           arguments: [unit.id, body.date, topic, at, actor.member.keyID])
            let id = db.lastInsertedRowID
            for key in keys {
                try db.execute(sql: "INSERT INTO training_attendee(training_id, key_id) VALUES (?, ?)", arguments: [id, key])
            }
            try audit(actor.event(.addTraining, subject: unit.id, details: [
                "training": String(id), "date": body.date, "topic": topic, "attendees": body.attendees.joined(separator: ","),
            ]), at: at, in: db)
            return id
        }
    }

    /// Every unit with its number of active liaisons.
    public func unitSummaries() async throws(StoreError) -> [UnitSummary] {
        let counts = try await liaisonCounts()
        return policies.units.units.map { UnitSummary(unit: $0, activeLiaisons: counts[$0.id] ?? 0) }
    }

    private func liaisonCounts() async throws(StoreError) -> [String: Int] {
        let liaisons = try await read { db in
            try StaffMember.filter(StaffMember.Columns.role == StaffRole.liaison && StaffMember.Columns.revokedAt == nil).fetchAll(db)
        }
        var counts: [String: Int] = [:]
        for member in liaisons { counts[unit(of: member).id, default: 0] += 1 }
        return counts
    }

    /// Liaisons (revoked ones too, marked) and every node whose active liaisons are not 1–2 (S-3.2).
    public func liaisons() async throws(StoreError) -> LiaisonsReply {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.key_id, s.name, s.role, s.centre, s.unit, s.revoked_at, l.appointed_on, l.qualification,
                       (SELECT count(*) FROM training_attendee a WHERE a.key_id = s.key_id) AS trainings
                FROM staff s LEFT JOIN liaison_record l ON l.key_id = s.key_id
                WHERE s.role = 'liaison' ORDER BY s.name
                """).map { row in
                (member: StaffMember(keyID: row["key_id"], name: row["name"], role: row["role"], centre: row["centre"], unit: row["unit"],
                                     publicKey: Data(), enrolledAt: 0, enrolledBy: ""),
                 active: (row["revoked_at"] as Int64?) == nil, appointedOn: row["appointed_on"] as String?,
                 qualification: row["qualification"] as String?, trainings: row["trainings"] as Int)
            }
        }
        let views = rows.map { row in
            LiaisonView(keyID: row.member.keyID, name: row.member.name, unit: unit(of: row.member).id, active: row.active,
                        appointedOn: row.appointedOn, qualification: row.qualification, trainings: row.trainings)
        }
        var active: [String: Int] = [:]
        for view in views where view.active { active[view.unit, default: 0] += 1 }
        let gaps = policies.units.units.filter(\.isNode).compactMap { unit -> LiaisonGap? in
            let count = active[unit.id] ?? 0
            return (1...2).contains(count) ? nil : LiaisonGap(unit: unit.id, activeLiaisons: count)
        }
        return LiaisonsReply(liaisons: views, gaps: gaps)
    }

    /// One unit with its responsibility records, self-checks, liaisons and trainings.
    public func unitDetail(_ unitID: String) async throws(StoreError) -> UnitDetail {
        let unit = try knownUnit(unitID)
        let liaisons = try await liaisons().liaisons.filter { $0.unit == unit.id }
        let names = try await staffNames()
        return try await read { db in
            let leaders = try Row.fetchAll(db, sql: "SELECT * FROM unit_leaders WHERE unit = ? ORDER BY year DESC", arguments: [unit.id]).map { row in
                UnitLeadersRecord(year: row["year"], main: .init(name: row["main_name"], title: row["main_title"]),
                                  deputy: .init(name: row["deputy_name"], title: row["deputy_title"]),
                                  officer: .init(name: row["officer_name"], title: row["officer_title"]),
                                  setAt: ISO8601.chinaString(fromSeconds: row["set_at"]), setBy: names[row["set_by"] as String] ?? row["set_by"])
            }
            let checks = try Row.fetchAll(db, sql: "SELECT * FROM unit_self_check WHERE unit = ? ORDER BY year DESC", arguments: [unit.id]).map { row in
                UnitSelfCheckRecord(year: row["year"], staffInPlace: row["staff_in_place"], fundsInPlace: row["funds_in_place"],
                                    supportInPlace: row["support_in_place"], note: row["note"],
                                    checkedAt: ISO8601.chinaString(fromSeconds: row["checked_at"]),
                                    checkedBy: names[row["checked_by"] as String] ?? row["checked_by"])
            }
            let trainings = try Self.trainings(unit: unit.id, names: names, in: db)
            return UnitDetail(unit: unit, leaders: leaders, selfChecks: checks, liaisons: liaisons, trainings: trainings)
        }
    }

    static func trainings(unit: String, names: [String: String], in db: Database) throws -> [TrainingView] {
        try Row.fetchAll(db, sql: "SELECT * FROM training WHERE unit = ? ORDER BY date DESC, id DESC LIMIT 200", arguments: [unit]).map { row in
            let id: Int64 = row["id"]
            let attendees = try String.fetchAll(db, sql: "SELECT key_id FROM training_attendee WHERE training_id = ? ORDER BY key_id", arguments: [id])
            return TrainingView(id: id, unit: row["unit"], date: row["date"], topic: row["topic"], attendees: attendees.map { names[$0] ?? $0 }.sorted())
        }
    }

    /// Key id → name of every staff key (for showing who did what).
    func staffNames() async throws(StoreError) -> [String: String] {
        try await read { db in
            Dictionary(try Row.fetchAll(db, sql: "SELECT key_id, name FROM staff").map { ($0["key_id"] as String, $0["name"] as String) },
                       uniquingKeysWith: { first, _ in first })
        }
    }

    // MARK: Areas

    /// The district centre a district office's member works for, or nil for members of other units.
    public func ownDistrict(of member: StaffMember) -> CentreID? {
        let unit = unit(of: member)
        return unit.kind == .districtOffice ? unit.centre : nil
    }

    func districtOffice(_ district: String) throws(StoreError) -> NetworkUnit {
        guard let office = policies.units.districtOffice(of: CentreID(district)) else { throw .notFound("district \(district)") }
        return office
    }

    /// Imports communities and villages (and any township missing from areas.csv) of one district
    /// (S-3.1): every row in the district's county, every parent known; a row already there with the
    /// same values is unchanged, with other values updated. Any bad row refuses the whole file.
    public func importAreas(_ body: AreasImportBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> AreasImportReply {
        let office = try districtOffice(body.district)
        if actor.member.role != .editor, ownDistrict(of: actor.member) != office.centre {
            throw .forbidden("a district office imports its own areas")
        }
        guard body.csv.utf8.count <= 2_000_000 else { throw .invalid("the file is larger than 2 MB") }
        let rows: [Area]
        do {
            rows = try AreaCSV.parse(body.csv)
        } catch {
            throw .invalid("line \(error.line): \(error.message)")
        }
        guard let county = office.countyCode else { throw .invalid("the district office has no county code") }
        if let stray = rows.first(where: { $0.countyCode != county }) { throw .invalid("\(stray.code) is not in \(body.district) (\(county))") }
        let policyAreas = Dictionary(policies.areas.filter { $0.countyCode == county }.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let hash = Hashing.sha256Hex(Array(body.csv.utf8))
        let district = body.district
        return try await write { db in
            var known = Set(policyAreas.keys)
            known.formUnion(try String.fetchAll(db, sql: "SELECT code FROM area WHERE district = ?", arguments: [district]))
            known.formUnion(rows.map(\.code))
            var added = 0, unchanged = 0
            for area in rows {
                if area.level != .township, !known.contains(area.parent) {
                    throw StoreError.invalid("\(area.code): its township \(area.parent) is not known; import it first")
                }
                if let shipped = policyAreas[area.code], shipped == area { unchanged += 1; continue }
                if let row = try Row.fetchOne(db, sql: "SELECT level, parent, name_zh FROM area WHERE code = ?", arguments: [area.code]),
                   (row["level"] as String) == area.level.rawValue, (row["parent"] as String) == area.parent, (row["name_zh"] as String) == area.nameZh {
                    unchanged += 1
                    continue
                }
                try db.execute(sql: "INSERT OR REPLACE INTO area(code, level, parent, name_zh, district, imported_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [area.code, area.level.rawValue, area.parent, area.nameZh, district, at])
                added += 1
            }
            try audit(actor.event(.importAreas, subject: district, details: [
                "rows": String(rows.count), "added": String(added), "unchanged": String(unchanged), "csv_sha256": hash,
            ]), at: at, in: db)
            return AreasImportReply(added: added, unchanged: unchanged)
        }
    }

    /// The areas of `district` (or every district): the shipped townships and the imported rows.
    public func areas(district: String?) async throws(StoreError) -> [AreaView] {
        var counties: [String: String] = [:]
        for office in policies.units.districtOffices {
            if let county = office.countyCode, let centre = office.centre { counties[county] = centre.rawValue }
        }
        if let district { _ = try districtOffice(district) }
        let shipped = policies.areas.filter { district == nil || counties[$0.countyCode] == district }
        let imported = try await read { db in
            try Row.fetchAll(db, sql: "SELECT code, level, parent, name_zh FROM area WHERE (? IS NULL OR district = ?) ORDER BY code",
                             arguments: [district, district]).compactMap { row -> Area? in
                AreaLevel(rawValue: row["level"]).map { Area(code: row["code"], level: $0, parent: row["parent"], nameZh: row["name_zh"]) }
            }
        }
        var byCode: [String: AreaView] = [:]
        for area in shipped { byCode[area.code] = AreaView(area: area, source: "policy") }
        for area in imported { byCode[area.code] = AreaView(area: area, source: "import") }
        return byCode.values.sorted { $0.area.code < $1.area.code }
    }

    /// Coverage per district (S-3.1): areas per level, those with an active informant, the uncovered
    /// ones, active informants by source role. Counts and codes only: no name anywhere.
    public func coverage(district: String?) async throws(StoreError) -> CoverageReply {
        let offices = policies.units.districtOffices.filter { district == nil || $0.centre?.rawValue == district }
        if let district, offices.isEmpty { throw .notFound("district \(district)") }
        let byCounty = Dictionary(grouping: try await areas(district: district).map(\.area), by: \.countyCode)
        let centres = offices.compactMap { $0.centre?.rawValue }
        // Areas with an active informant come from `informant_cover` and counts by role from
        // `informant_role_tally` (both kept by triggers): two indexed reads for one district or all of them,
        // whatever the number of informants.
        let (coveredByDistrict, rolesByDistrict) = try await read { db in
            let marks = centres.map { _ in "?" }.joined(separator: ",")
            var covered: [String: Set<String>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT district, code FROM informant_cover WHERE district IN (\(marks)) AND n > 0",
                                        arguments: StatementArguments(centres)) {
                covered[row["district"] as String, default: []].insert(row["code"])
            }
            var roles: [String: [String: Int]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT district, source_role, n FROM informant_role_tally WHERE district IN (\(marks)) AND n > 0",
                                        arguments: StatementArguments(centres)) {
                roles[row["district"] as String, default: [:]][row["source_role"] as String] = row["n"]
            }
            return (covered, roles)
        }
        var result: [DistrictCoverage] = []
        for office in offices {
            guard let centre = office.centre?.rawValue, let county = office.countyCode else { continue }
            let areas = byCounty[county] ?? []
            let coveredCodes = coveredByDistrict[centre] ?? []
            let roles = rolesByDistrict[centre] ?? [:]
            var levels: [AreaLevel: (areas: Int, covered: Int)] = [:]
            var uncovered: [Area] = []
            for area in areas {
                let isCovered = coveredCodes.contains(area.code)
                levels[area.level, default: (0, 0)].areas += 1
                if isCovered { levels[area.level, default: (0, 0)].covered += 1 } else { uncovered.append(area) }
            }
            let named = policies.centres.centre(CentreID(centre))
            result.append(DistrictCoverage(district: centre, nameZh: named?.districtName(.zh) ?? centre, nameEn: named?.districtName(.en) ?? centre,
                                           unit: office.id, areas: areas.count, covered: areas.count - uncovered.count,
                                           levels: AreaLevel.allCases.map { LevelCoverage(level: $0, areas: levels[$0]?.areas ?? 0, covered: levels[$0]?.covered ?? 0) },
                                           uncovered: uncovered, activeInformants: roles.values.reduce(0, +), bySourceRole: roles))
        }
        return CoverageReply(districts: result)
    }
}
