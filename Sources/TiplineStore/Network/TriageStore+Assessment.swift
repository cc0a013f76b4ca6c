import Foundation
import GRDB
import Sealing
import TiplineCore
public import TiplineAdminAPI

/// The yearly assessment (issue 17, S-3.5, S-3.6, S-6.3; docs/NETWORK.md "Assessment"): every measure
/// computed here from the store's own tables for one calendar year (China time), scored by
/// `AssessmentScoring` under `assessment.yaml`; adjustments with reasons; the freeze stores the rows
/// and their hash with the `assess.freeze` entry in one transaction. Counts only: no item text, no
/// informant, no tip content is read.
extension TriageStore {
    /// The units assessed: every node of the network (units.yaml), in file order.
    var assessedUnits: [NetworkUnit] { policies.units.units.filter(\.isNode) }

    /// The SHA-256 of the assessment.yaml in force.
    var assessmentPolicySHA256: String { policies.hashes["assessment.yaml"] ?? "" }

    /// The year's results: the frozen rows when the year is frozen, else the draft computed now.
    public func assessment(year: Int, at: Int64) async throws(StoreError) -> AssessmentReply {
        guard AssessmentScoring.isValidYear(year) else { throw .invalid("year is 2016–2100") }
        let coverage = try await coverage(district: nil)
        let names = try await staffNames()
        return try await read { db in
            let adjustments = try Self.adjustmentViews(year: year, names: names, in: db)
            if let frozen = try Self.frozenResults(year: year, in: db) {
                return self.reply(year: year, state: "frozen", asOf: frozen.at, frozenBy: names[frozen.by] ?? frozen.by, rows: frozen.rows,
                                  totals: frozen.totals, policySHA256: frozen.policySHA256, adjustments: adjustments)
            }
            let (rows, totals) = try self.draft(year: year, at: at, coverage: coverage, in: db)
            return self.reply(year: year, state: "draft", asOf: at, frozenBy: nil, rows: rows, totals: totals,
                              policySHA256: self.assessmentPolicySHA256, adjustments: adjustments)
        }
    }

    /// A frozen year's ranking; not found before the freeze.
    public func frozenRanking(year: Int) async throws(StoreError) -> FrozenRanking {
        guard AssessmentScoring.isValidYear(year) else { throw .invalid("year is 2016–2100") }
        let names = try await staffNames()
        let frozen = try await read { db in try Self.frozenResults(year: year, in: db) }
        guard let frozen else { throw .notFound("frozen assessment \(year)") }
        return FrozenRanking(year: year, frozenAt: ISO8601.chinaString(fromSeconds: frozen.at), frozenBy: names[frozen.by] ?? frozen.by,
                             resultsSHA256: frozen.hash, units: frozen.totals.map {
                                 FrozenRanking.Entry(unit: $0.unit, nameZh: policies.units.unit($0.unit)?.nameZh ?? $0.unit, rank: $0.rank, total: $0.total)
                             })
    }

    /// Records an adjustment: a node, a criterion that applies to it, non-zero points within the policy's
    /// bound, a one-line reason; refused once the year is frozen (S-3.5: published results never change).
    public func adjustAssessment(_ body: AdjustAssessmentBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> AssessmentAdjustmentView {
        let policy = policies.assessment
        guard AssessmentScoring.isValidYear(body.year) else { throw .invalid("year is 2016–2100") }
        guard let unit = policies.units.unit(body.unit), unit.isNode else { throw .invalid("\(Self.safeID(body.unit)) is not a unit assessed (a node of units.yaml)") }
        guard let criterion = policy.criterion(body.criterion) else { throw .invalid("\(Self.safeID(body.criterion)) is not a criterion of assessment.yaml") }
        guard criterion.appliesTo.contains(unit.kind) else { throw .invalid("\(criterion.id) does not apply to \(unit.id) (\(unit.kind.rawValue))") }
        guard body.points != 0, abs(body.points) <= policy.maxAdjustment else { throw .invalid("points are non-zero and at most \(policy.maxAdjustment) either way") }
        guard let reason = ReasonText.clean(body.reason), reason.count <= 200 else { throw .invalid("a reason of one line, at most 200 characters, is required") }
        let name = actor.member.name
        return try await write { db in
            if try Self.isFrozen(year: body.year, in: db) { throw StoreError.conflict("the \(body.year) assessment is frozen: it never changes") }
            try db.execute(sql: """
                INSERT INTO assessment_adjustment(year, unit, criterion, points, reason, recorded_at, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [body.year, unit.id, criterion.id, body.points, reason, at, actor.member.keyID])
            try audit(actor.event(.adjustAssessment, subject: unit.id, details: [
                "year": String(body.year), "criterion": criterion.id, "points": String(body.points), "reason": reason,
            ]), at: at, in: db)
            return AssessmentAdjustmentView(unit: unit.id, criterion: criterion.id, points: body.points, reason: reason,
                                            at: ISO8601.chinaString(fromSeconds: at), by: name)
        }
    }

    /// Freezes a year: the draft computed now must hash to the one the assessor reviewed (the body's);
    /// every row and total is stored with that hash and the `assess.freeze` entry, in one transaction.
    public func freezeAssessment(_ body: FreezeAssessmentBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> FrozenRanking {
        guard AssessmentScoring.isValidYear(body.year) else { throw .invalid("year is 2016–2100") }
        guard body.resultsSHA256.utf8.count == 64, Hex.decode(body.resultsSHA256) != nil else { throw .invalid("results_sha256 is 64 hex digits") }
        let coverage = try await coverage(district: nil)
        let policySHA256 = assessmentPolicySHA256
        try await write { db in
            if try Self.isFrozen(year: body.year, in: db) { throw StoreError.conflict("the \(body.year) assessment is already frozen: it never changes") }
            let (rows, totals) = try self.draft(year: body.year, at: at, coverage: coverage, in: db)
            let hash = AssessmentScoring.resultsSHA256(year: body.year, totals: totals, rows: rows)
            guard hash == body.resultsSHA256.lowercased() else {
                throw StoreError.conflict("the draft changed since you reviewed it (data or adjustments came in): compute it again and freeze that")
            }
            for row in rows {
                try db.execute(sql: "INSERT INTO assessment_result(year, unit, criterion, measure, computed, adjusted) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [body.year, row.unit, row.criterion, row.measure, row.computed, row.adjusted])
            }
            for total in totals {
                try db.execute(sql: "INSERT INTO assessment_total(year, unit, rank, total) VALUES (?, ?, ?, ?)",
                               arguments: [body.year, total.unit, total.rank, total.total])
            }
            try db.execute(sql: "INSERT INTO assessment_freeze(year, frozen_at, frozen_by, results_sha256, policy_sha256) VALUES (?, ?, ?, ?, ?)",
                           arguments: [body.year, at, actor.member.keyID, hash, policySHA256])
            try audit(actor.event(.freezeAssessment, subject: String(body.year), details: [
                "year": String(body.year), "results_sha256": hash, "policy_sha256": policySHA256,
                "units": String(totals.count), "ranking": AssessmentScoring.rankingDetail(totals),
            ]), at: at, in: db)
        }
        return try await frozenRanking(year: body.year)
    }

    // MARK: Reading

    static func isFrozen(year: Int, in db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT 1 FROM assessment_freeze WHERE year = ?", arguments: [year]) ?? false
    }

    /// A frozen year's stored rows (criteria in policy order when the policy still names them), totals in rank order.
    static func frozenResults(year: Int, in db: Database) throws
        -> (at: Int64, by: String, hash: String, policySHA256: String, rows: [AssessmentScoreRow], totals: [AssessmentTotal])? {
        guard let freeze = try Row.fetchOne(db, sql: "SELECT * FROM assessment_freeze WHERE year = ?", arguments: [year]) else { return nil }
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM assessment_result WHERE year = ? ORDER BY unit, criterion", arguments: [year]).map {
            AssessmentScoreRow(unit: $0["unit"], criterion: $0["criterion"], measure: $0["measure"], computed: $0["computed"], adjusted: $0["adjusted"])
        }
        let totals = try Row.fetchAll(db, sql: "SELECT * FROM assessment_total WHERE year = ? ORDER BY rank, unit", arguments: [year]).map {
            AssessmentTotal(unit: $0["unit"], rank: $0["rank"], total: $0["total"])
        }
        return (freeze["frozen_at"], freeze["frozen_by"], freeze["results_sha256"], freeze["policy_sha256"], rows, totals)
    }

    static func adjustmentViews(year: Int, names: [String: String], in db: Database) throws -> [AssessmentAdjustmentView] {
        try Row.fetchAll(db, sql: "SELECT * FROM assessment_adjustment WHERE year = ? ORDER BY id", arguments: [year]).map {
            AssessmentAdjustmentView(unit: $0["unit"], criterion: $0["criterion"], points: $0["points"], reason: $0["reason"],
                                     at: ISO8601.chinaString(fromSeconds: $0["recorded_at"]), by: names[$0["recorded_by"] as String] ?? $0["recorded_by"])
        }
    }

    func reply(year: Int, state: String, asOf: Int64, frozenBy: String?, rows: [AssessmentScoreRow], totals: [AssessmentTotal],
               policySHA256: String, adjustments: [AssessmentAdjustmentView]) -> AssessmentReply {
        let order = Dictionary(uniqueKeysWithValues: policies.assessment.criteria.enumerated().map { ($1.id, $0) })
        let byUnit = Dictionary(grouping: rows, by: \.unit)
        let units = totals.map { total in
            let unit = policies.units.unit(total.unit)
            return AssessmentUnitResult(unit: total.unit, nameZh: unit?.nameZh ?? total.unit, nameEn: unit?.nameEn ?? total.unit, kind: unit?.kind ?? .memberUnit,
                                        rank: total.rank, total: total.total,
                                        scores: (byUnit[total.unit] ?? []).sorted { (order[$0.criterion] ?? .max, $0.criterion) < (order[$1.criterion] ?? .max, $1.criterion) })
        }
        let named = policies.assessment.notice.named(totals)
        return AssessmentReply(year: year, state: state, asOf: ISO8601.chinaString(fromSeconds: asOf), frozenBy: frozenBy,
                               resultsSHA256: AssessmentScoring.resultsSHA256(year: year, totals: totals, rows: rows), policySHA256: policySHA256,
                               units: units, adjustments: adjustments,
                               criteria: policies.assessment.criteria.map { AssessmentCriterionView(id: $0.id, nameZh: $0.nameZh, nameEn: $0.nameEn, measure: $0.measure) },
                               commended: named.commended, criticised: named.criticised)
    }

    /// An id echoed in an error: only when well formed (never arbitrary input).
    static func safeID(_ text: String) -> String { UnitsPolicy.isWellFormedID(text) && text.count <= 40 ? text : "the value given" }

    // MARK: The draft

    /// The draft: every measure from the store, scored, with the year's adjustments.
    func draft(year: Int, at: Int64, coverage: CoverageReply, in db: Database) throws -> (rows: [AssessmentScoreRow], totals: [AssessmentTotal]) {
        let measures = try assessmentMeasures(year: year, at: at, coverage: coverage, in: db)
        let adjustments = try Row.fetchAll(db, sql: "SELECT unit, criterion, points FROM assessment_adjustment WHERE year = ?", arguments: [year]).map {
            (unit: $0["unit"] as String, criterion: $0["criterion"] as String, points: $0["points"] as Int)
        }
        return AssessmentScoring.score(policy: policies.assessment, units: assessedUnits, measures: measures, adjustments: adjustments)
    }

    /// `measures[unit][criterion]` for every computed criterion (the measure definitions of assessment.yaml).
    func assessmentMeasures(year: Int, at: Int64, coverage: CoverageReply, in db: Database) throws -> [String: [String: Int]] {
        let (start, end) = CivilTime.chinaYearBounds(year)
        let prefix = String(format: "%04d", year)
        // The months begun by `at` (all twelve once the year is over), and the quarters they fall in.
        let monthsBegun = at >= end ? 12 : at < start ? 0 : Int(CivilTime.iso8601China(at).dropFirst(5).prefix(2)) ?? 12
        let months = (0..<monthsBegun).map { String(format: "%04d-%02d", year, $0 + 1) }
        let quarters = (0..<(monthsBegun + 2) / 3).map { "\(prefix)-Q\($0 + 1)" }
        let today = CivilDate.today(at: min(at, end - 1))

        // Items submitted in the year: per kind, late, the months with one; adoptions per level.
        var kinds: [String: [String: Int]] = [:], late: [String: Int] = [:], active: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT unit, kind, late, submitted_at FROM info_item WHERE submitted_at >= ? AND submitted_at < ?",
                                    arguments: [start, end]) {
            let unit: String = row["unit"]
            kinds[unit, default: [:]][row["kind"] as String, default: 0] += 1
            if (row["late"] as Bool?) == true { late[unit, default: 0] += 1 }
            active[unit, default: []].insert(String(CivilTime.iso8601China(row["submitted_at"]).prefix(7)))
        }
        var adopted: [String: [String: Int]] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT i.unit, a.level, count(*) AS n FROM info_adoption a JOIN info_item i ON i.id = a.item_id
            WHERE i.submitted_at >= ? AND i.submitted_at < ? GROUP BY i.unit, a.level
            """, arguments: [start, end]) {
            adopted[row["unit"] as String, default: [:]][row["level"] as String] = row["n"]
        }
        // Zero reports for periods of the year, and the months they cover.
        var zeroCount: [String: Int] = [:], zeroMonths: [String: Set<String>] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT unit, period FROM info_zero_report WHERE period LIKE ?", arguments: ["\(prefix)%"]) {
            guard let period = ReportingPeriod(row["period"] as String), period.months.first?.hasPrefix(prefix) == true else { continue }
            zeroCount[row["unit"] as String, default: 0] += 1
            zeroMonths[row["unit"] as String, default: []].formUnion(period.months)
        }
        // Calls due in the year: answered by a submitted item, or missed once past due.
        var answered: [String: Int] = [:], missed: [String: Int] = [:]
        let nodeIDs = assessedUnits.map(\.id)
        for call in try Row.fetchAll(db, sql: "SELECT id, due_on, units FROM info_call WHERE due_on LIKE ?", arguments: ["\(prefix)-%"]) {
            let listed: String = call["units"]
            let named = listed.isEmpty ? nodeIDs : listed.split(separator: ",").map(String.init)
            let done = Set(try String.fetchAll(db, sql: "SELECT DISTINCT unit FROM info_item WHERE call_id = ? AND submitted_at IS NOT NULL",
                                               arguments: [call["id"] as String]))
            for unit in named {
                if done.contains(unit) { answered[unit, default: 0] += 1 } else if (call["due_on"] as String) < today { missed[unit, default: 0] += 1 }
            }
        }
        // Ledgers: per (ledger kept × quarter begun), records or a zero report.
        let ledgers = policies.ledgers.ledgers.filter(\.isWritable)
        var records: [String: [String: Int]] = [:]  // "ledger|quarter" → unit → n
        for ledger in ledgers {
            for quarter in quarters {
                guard let period = ReportingPeriod(quarter) else { continue }
                records["\(ledger.id)|\(quarter)"] = try Self.recordCounts(ledger: ledger, period: period, in: db)
            }
        }
        var bookZero = Set<String>()  // "ledger|unit|month"
        for row in try Row.fetchAll(db, sql: "SELECT book, unit, period FROM book_zero_report WHERE period LIKE ?", arguments: ["\(prefix)%"]) {
            guard let period = ReportingPeriod(row["period"] as String) else { continue }
            for month in period.months { bookZero.insert("\(row["book"] as String)|\(row["unit"] as String)|\(month)") }
        }
        // Liaisons in post and trained in the year.
        let liaisons = try StaffMember.filter(StaffMember.Columns.role == StaffRole.liaison && StaffMember.Columns.revokedAt == nil).fetchAll(db)
        let trained = Set(try String.fetchAll(db, sql: """
            SELECT DISTINCT a.key_id FROM training_attendee a JOIN training t ON t.id = a.training_id WHERE t.date LIKE ?
            """, arguments: ["\(prefix)-%"]))
        var inPost: [String: Int] = [:], trainedCount: [String: Int] = [:]
        for member in liaisons {
            let unit = self.unit(of: member).id
            inPost[unit, default: 0] += 1
            if trained.contains(member.keyID) { trainedCount[unit, default: 0] += 1 }
        }
        // Tips received in the year by each centre (auditors' canaries left out).
        var tips: [String: (onTime: Int, late: Int)] = [:]
        for row in try Row.fetchAll(db, sql: """
            SELECT centre,
              sum(CASE WHEN acted_at IS NOT NULL AND acted_on_time = 1 THEN 1 ELSE 0 END) AS on_time,
              sum(CASE WHEN (acted_at IS NOT NULL AND coalesce(acted_on_time, 0) = 0) OR (acted_at IS NULL AND due_at < ?) THEN 1 ELSE 0 END) AS late
            FROM tip INDEXED BY tip_received WHERE received_at >= ? AND received_at < ? AND canary_at IS NULL GROUP BY centre
            """, arguments: [min(at, end), start, end]) {
            tips[row["centre"] as String] = (row["on_time"], row["late"])
        }
        let coverageByUnit = Dictionary(coverage.districts.map { ($0.unit, $0) }, uniquingKeysWith: { first, _ in first })

        var result: [String: [String: Int]] = [:]
        for unit in assessedUnits {
            var values: [String: Int] = [:]
            for criterion in policies.assessment.criteria(for: unit.kind) {
                let value: Int
                switch criterion.measure {
                case .itemsSubmitted:
                    value = criterion.kind.map { kinds[unit.id]?[$0] ?? 0 } ?? (kinds[unit.id]?.values.reduce(0, +) ?? 0)
                case .itemsAdopted: value = criterion.level.map { adopted[unit.id]?[$0.rawValue] ?? 0 } ?? 0
                case .itemsLate: value = late[unit.id] ?? 0
                case .zeroReports: value = zeroCount[unit.id] ?? 0
                case .silentMonths:
                    value = months.filter { !(active[unit.id]?.contains($0) ?? false) && !(zeroMonths[unit.id]?.contains($0) ?? false) }.count
                case .researchOwed: value = (kinds[unit.id]?["research"] ?? 0) == 0 ? 1 : 0
                case .callsAnswered: value = answered[unit.id] ?? 0
                case .callsMissed: value = missed[unit.id] ?? 0
                case .booksComplete:
                    let kept = ledgers.filter { $0.keptBy.contains(unit.kind) }
                    var slots = 0, complete = 0
                    for ledger in kept {
                        for quarter in quarters {
                            slots += 1
                            let quarterMonths = ReportingPeriod(quarter)?.months ?? []
                            if (records["\(ledger.id)|\(quarter)"]?[unit.id] ?? 0) > 0
                                || quarterMonths.contains(where: { bookZero.contains("\(ledger.id)|\(unit.id)|\($0)") }) {
                                complete += 1
                            }
                        }
                    }
                    value = slots == 0 ? 100 : complete * 100 / slots
                case .informantCoverage:
                    let district = coverageByUnit[unit.id]
                    value = (district?.areas ?? 0) == 0 ? 0 : (district!.covered * 100 / district!.areas)
                case .liaisonsInPost: value = (1...2).contains(inPost[unit.id] ?? 0) ? 1 : 0
                case .liaisonsTrained: value = trainedCount[unit.id] ?? 0
                case .tipsOnTime:
                    let counts = unit.centre.flatMap { tips[$0.rawValue] } ?? (0, 0)
                    value = counts.onTime + counts.late == 0 ? 100 : counts.onTime * 100 / (counts.onTime + counts.late)
                case .tipsOverdue: value = unit.centre.flatMap { tips[$0.rawValue]?.late } ?? 0
                case .manual: continue
                }
                values[criterion.id] = value
            }
            result[unit.id] = values
        }
        return result
    }
}
