import Foundation

/// What a criterion of the yearly assessment measures (S-3.5, S-3.6, S-6.3; docs/NETWORK.md
/// "Assessment"). Every measure is a non-negative integer computed by the server from the store for
/// one unit and one calendar year (China time); `manual` has no measure, only adjustments.
public enum AssessmentMeasure: String, Sendable, Equatable, CaseIterable, Codable {
    /// Items the unit submitted in the year (of `kind` when given).
    case itemsSubmitted = "items.submitted"
    /// Items submitted in the year adopted at `level` (as `info adoption --year`).
    case itemsAdopted = "items.adopted"
    /// Items submitted in the year after their timeliness limit (S-4.1, information.yaml).
    case itemsLate = "items.late"
    /// Zero reports filed for periods of the year (S-4.3).
    case zeroReports = "zero-reports"
    /// Months of the year begun by the computation with neither a submitted item nor a zero report
    /// (for the month, its quarter or the year).
    case silentMonths = "months.silent"
    /// 1 when a district office submitted no research item in the year (S-3.6), else 0.
    case researchOwed = "research.owed"
    /// Calls (约稿) due in the year naming the unit that it answered with a submitted item.
    case callsAnswered = "calls.answered"
    /// Calls due in the year (by the computation) naming the unit that it did not answer.
    case callsMissed = "calls.missed"
    /// Ledger completeness (S-5.4), whole percent: of the (ledger the unit keeps × quarter begun) slots,
    /// those with records or a zero report.
    case booksComplete = "books.complete"
    /// Informant coverage (S-3.1), whole percent of the district's areas with an active informant, as it stands.
    case informantCoverage = "informants.coverage"
    /// 1 when the unit has 1–2 active liaisons as it stands (S-3.2), else 0.
    case liaisonsInPost = "liaisons.in-post"
    /// Active liaisons of the unit who attended a training dated in the year (S-6.2).
    case liaisonsTrained = "liaisons.trained"
    /// The unit's reporting centre: whole percent of tips received in the year acted on in time, of those
    /// acted on or overdue (100 when none).
    case tipsOnTime = "tips.on-time"
    /// The unit's reporting centre: tips received in the year acted on late, or not acted on past their due time.
    case tipsOverdue = "tips.overdue"
    /// Points entered by the assessor with a reason (`assess adjust`), nothing computed.
    case manual
}

/// One criterion: `points` for every `per` of the measure, capped by `min`/`max`, for the units of `appliesTo`.
public struct AssessmentCriterion: Sendable, Equatable {
    /// The criterion's id.
    public let id: String
    /// Its name in Chinese.
    public let nameZh: String
    /// Its name in English.
    public let nameEn: String
    /// What it measures.
    public let measure: AssessmentMeasure
    /// `items.submitted`: one kind only (information.yaml), nil for every kind.
    public let kind: String?
    /// `items.adopted`: the adoption level counted.
    public let level: AdoptionLevel?
    /// Points per `per` of the measure (negative for a deduction).
    public let points: Int
    /// How much of the measure earns `points` once (at least 1).
    public let per: Int
    /// The least points the criterion gives; nil for no floor.
    public let min: Int?
    /// The most points the criterion gives; nil for no cap.
    public let max: Int?
    /// The kinds of unit assessed on it.
    public let appliesTo: Set<UnitKind>

    /// A criterion; by default `points` per unit of the measure, uncapped.
    public init(id: String, nameZh: String, nameEn: String, measure: AssessmentMeasure, kind: String? = nil, level: AdoptionLevel? = nil,
                points: Int, per: Int = 1, min: Int? = nil, max: Int? = nil, appliesTo: Set<UnitKind>) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.measure = measure
        self.kind = kind
        self.level = level
        self.points = points
        self.per = per
        self.min = min
        self.max = max
        self.appliesTo = appliesTo
    }

    /// The computed points for a measure value: ⌊value ÷ per⌋ × points, then the caps. Integers only.
    public func points(for value: Int) -> Int {
        var result = (value / per) * points
        if let min { result = Swift.max(result, min) }
        if let max { result = Swift.min(result, max) }
        return result
    }
}

/// Who the notice (通报) names: the commended and the criticised.
public struct AssessmentNoticeRule: Sendable, Equatable {
    /// At most this many of the best ranked units are commended…
    public let commendTop: Int
    /// …and only those with at least this total.
    public let commendMin: Int
    /// Units whose total is below this are criticised.
    public let criticiseBelow: Int

    /// The units the notice names, in rank order: commended (rank ≤ `commendTop`, ties included, and
    /// total ≥ `commendMin`) and criticised (total < `criticiseBelow`).
    public func named(_ totals: [AssessmentTotal]) -> (commended: [String], criticised: [String]) {
        (totals.filter { $0.rank <= commendTop && $0.total >= commendMin }.map(\.unit), totals.filter { $0.total < criticiseBelow }.map(\.unit))
    }
}

/// `Policies/assessment.yaml`: the city's criteria (三(五) "考核办法另行制定", S-3.5, S-6.3).
public struct AssessmentPolicy: Sendable, Equatable {
    /// The criteria, in file order.
    public let criteria: [AssessmentCriterion]
    /// Who the notice commends and criticises.
    public let notice: AssessmentNoticeRule
    /// The largest |points| of one adjustment.
    public let maxAdjustment: Int

    /// The criterion with id `id`, if defined.
    public func criterion(_ id: String) -> AssessmentCriterion? { criteria.first { $0.id == id } }

    /// The criteria that apply to a kind of unit, in file order.
    public func criteria(for kind: UnitKind) -> [AssessmentCriterion] { criteria.filter { $0.appliesTo.contains(kind) } }

    /// Parses the file; kinds are checked against information.yaml.
    public static func parse(file: String, text: String, information: InformationPolicy) throws(PolicyError) -> AssessmentPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "criteria", "notice", "max_adjustment"])
        var criteria: [AssessmentCriterion] = []
        let nodeKinds: Set<UnitKind> = [.districtOffice, .memberUnit, .detachment]
        for node in try doc.array("criteria") {
            try node.onlyKeys(["id", "name_zh", "name_en", "measure", "kind", "level", "points", "per", "min", "max", "applies_to"])
            let id = try node.string("id")
            guard UnitsPolicy.isWellFormedID(id), id.count <= 40 else { throw node.child("id").error("ids are lowercase letters, digits and '-' (at most 40)") }
            guard let measure = AssessmentMeasure(rawValue: try node.string("measure")) else {
                throw node.child("measure").error("one of \(AssessmentMeasure.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let kind = try node.optionalString("kind")
            if let kind {
                guard measure == .itemsSubmitted else { throw node.child("kind").error("only items.submitted names a kind") }
                guard information.kind(kind) != nil else { throw node.child("kind").error("not a kind of information.yaml") }
            }
            var level: AdoptionLevel?
            if let text = try node.optionalString("level") {
                guard measure == .itemsAdopted else { throw node.child("level").error("only items.adopted names a level") }
                guard let parsed = AdoptionLevel(rawValue: text) else {
                    throw node.child("level").error("one of \(AdoptionLevel.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                level = parsed
            } else if measure == .itemsAdopted {
                throw node.child("level").error("items.adopted names a level")
            }
            let points = measure == .manual && !node.has("points") ? 0 : try node.int("points", in: -1000...1000)
            let per = node.has("per") ? try node.int("per", in: 1...100_000) : 1
            let min = node.has("min") ? try node.int("min", in: -10_000...10_000) : nil
            let max = node.has("max") ? try node.int("max", in: -10_000...10_000) : nil
            if let min, let max, min > max { throw node.child("min").error("min is at most max") }
            var applies: Set<UnitKind> = nodeKinds
            if node.has("applies_to") {
                applies = []
                for entry in try node.array("applies_to") {
                    guard let kind = UnitKind(rawValue: try entry.asString()), nodeKinds.contains(kind) else {
                        throw entry.error("one of district-office, member-unit, detachment")
                    }
                    applies.insert(kind)
                }
                guard !applies.isEmpty else { throw node.child("applies_to").error("at least one kind of unit") }
            }
            if [.researchOwed, .informantCoverage].contains(measure), applies != [.districtOffice] {
                throw node.child("applies_to").error("\(measure.rawValue) applies to district offices only: [district-office]")
            }
            criteria.append(AssessmentCriterion(id: id, nameZh: try node.string("name_zh"), nameEn: try node.string("name_en"), measure: measure,
                                                kind: kind, level: level, points: points, per: per, min: min, max: max, appliesTo: applies))
        }
        guard !criteria.isEmpty, criteria.count <= 60 else { throw doc.child("criteria").error("1–60 criteria") }
        guard Set(criteria.map(\.id)).count == criteria.count else { throw doc.child("criteria").error("duplicate criterion id") }
        let notice = try doc.mapping("notice")
        try notice.onlyKeys(["commend_top", "commend_min", "criticise_below"])
        let rule = AssessmentNoticeRule(commendTop: try notice.int("commend_top", in: 0...100), commendMin: try notice.int("commend_min", in: -100_000...100_000),
                                        criticiseBelow: try notice.int("criticise_below", in: -100_000...100_000))
        guard rule.criticiseBelow <= rule.commendMin else { throw notice.child("criticise_below").error("at most commend_min") }
        let maxAdjustment = doc.has("max_adjustment") ? try doc.int("max_adjustment", in: 1...10_000) : 100
        return AssessmentPolicy(criteria: criteria, notice: rule, maxAdjustment: maxAdjustment)
    }
}
