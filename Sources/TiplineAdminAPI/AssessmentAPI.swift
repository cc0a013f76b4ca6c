public import TiplineCore

// The yearly assessment (issue 17, S-3.5, S-3.6, S-6.3; docs/NETWORK.md "Assessment"): the draft
// computed from the data, the assessor's adjustments with reasons, the freeze (its results hash signed
// by the assessor's request) and the frozen ranking other features (unit subsidies) build on. Points are
// integers everywhere.

/// One unit's results: its rank, total and points per criterion (criteria in policy order).
public struct AssessmentUnitResult: Sendable, Codable, Equatable {
    public let unit: String
    public let nameZh: String
    public let nameEn: String
    public let kind: UnitKind
    public let rank: Int
    public let total: Int
    public let scores: [AssessmentScoreRow]
    public init(unit: String, nameZh: String, nameEn: String, kind: UnitKind, rank: Int, total: Int, scores: [AssessmentScoreRow]) {
        self.unit = unit
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.kind = kind
        self.rank = rank
        self.total = total
        self.scores = scores
    }
    enum CodingKeys: String, CodingKey {
        case unit, kind, rank, total, scores
        case nameZh = "name_zh", nameEn = "name_en"
    }
}

/// One adjustment as recorded.
public struct AssessmentAdjustmentView: Sendable, Codable, Equatable {
    public let unit: String
    public let criterion: String
    public let points: Int
    public let reason: String
    /// China time.
    public let at: String
    /// The assessor's name.
    public let by: String
    public init(unit: String, criterion: String, points: Int, reason: String, at: String, by: String) {
        self.unit = unit
        self.criterion = criterion
        self.points = points
        self.reason = reason
        self.at = at
        self.by = by
    }
}

/// A criterion as tables and notices head it.
public struct AssessmentCriterionView: Sendable, Codable, Equatable {
    public let id: String
    public let nameZh: String
    public let nameEn: String
    public let measure: AssessmentMeasure
    public init(id: String, nameZh: String, nameEn: String, measure: AssessmentMeasure) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.measure = measure
    }
    enum CodingKeys: String, CodingKey {
        case id, measure
        case nameZh = "name_zh", nameEn = "name_en"
    }
}

/// `GET assessment/:year`: the frozen results when the year is frozen, else the draft computed now.
public struct AssessmentReply: Sendable, Codable, Equatable {
    public let year: Int
    /// `draft` or `frozen`.
    public let state: String
    /// When the draft was computed, or the freeze (China time).
    public let asOf: String
    /// The assessor who froze it (name), when frozen.
    public let frozenBy: String?
    /// SHA-256 (hex) of `AssessmentScoring.canonicalText`: a freeze request names the draft's.
    public let resultsSHA256: String
    /// SHA-256 of the assessment.yaml the results were computed under.
    public let policySHA256: String
    /// Units in rank order.
    public let units: [AssessmentUnitResult]
    public let adjustments: [AssessmentAdjustmentView]
    /// The criteria of assessment.yaml, in order.
    public let criteria: [AssessmentCriterionView]
    /// Units the notice commends and criticises (assessment.yaml `notice`), in rank order.
    public let commended: [String]
    public let criticised: [String]
    public init(year: Int, state: String, asOf: String, frozenBy: String?, resultsSHA256: String, policySHA256: String,
                units: [AssessmentUnitResult], adjustments: [AssessmentAdjustmentView], criteria: [AssessmentCriterionView],
                commended: [String], criticised: [String]) {
        self.year = year
        self.state = state
        self.asOf = asOf
        self.frozenBy = frozenBy
        self.resultsSHA256 = resultsSHA256
        self.policySHA256 = policySHA256
        self.units = units
        self.adjustments = adjustments
        self.criteria = criteria
        self.commended = commended
        self.criticised = criticised
    }
    enum CodingKeys: String, CodingKey {
        case year, state, units, adjustments, criteria, commended, criticised
        case asOf = "as_of", frozenBy = "frozen_by", resultsSHA256 = "results_sha256", policySHA256 = "policy_sha256"
    }
}

/// `assess adjust`: points added to (or, negative, taken from) a unit's criterion, with a reason.
public struct AdjustAssessmentBody: StrictBody, Sendable, Equatable {
    public let year: Int
    public let unit: String
    public let criterion: String
    public let points: Int
    /// One line, at most 200 characters.
    public let reason: String
    public init(year: Int, unit: String, criterion: String, points: Int, reason: String) {
        self.year = year
        self.unit = unit
        self.criterion = criterion
        self.points = points
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case year, unit, criterion, points, reason }
}

/// `assess freeze`: the year and the hash of the draft the assessor reviewed; refused when the draft
/// computed at the freeze differs (the data moved on), so the signed request covers exactly what is stored.
public struct FreezeAssessmentBody: StrictBody, Sendable, Equatable {
    public let year: Int
    public let resultsSHA256: String
    public init(year: Int, resultsSHA256: String) {
        self.year = year
        self.resultsSHA256 = resultsSHA256
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case year
        case resultsSHA256 = "results_sha256"
    }
}

/// `GET assessment/:year/frozen`: a frozen year's ranking — what unit subsidies and the published
/// results build on. 404 until the year is frozen.
public struct FrozenRanking: Sendable, Codable, Equatable {
    /// One unit's place.
    public struct Entry: Sendable, Codable, Equatable {
        public let unit: String
        public let nameZh: String
        public let rank: Int
        /// Integer points.
        public let total: Int
        public init(unit: String, nameZh: String, rank: Int, total: Int) {
            self.unit = unit
            self.nameZh = nameZh
            self.rank = rank
            self.total = total
        }
        enum CodingKeys: String, CodingKey {
            case unit, rank, total
            case nameZh = "name_zh"
        }
    }
    public let year: Int
    /// China time.
    public let frozenAt: String
    public let frozenBy: String
    public let resultsSHA256: String
    /// In rank order.
    public let units: [Entry]
    public init(year: Int, frozenAt: String, frozenBy: String, resultsSHA256: String, units: [Entry]) {
        self.year = year
        self.frozenAt = frozenAt
        self.frozenBy = frozenBy
        self.resultsSHA256 = resultsSHA256
        self.units = units
    }
    enum CodingKeys: String, CodingKey {
        case year, units
        case frozenAt = "frozen_at", frozenBy = "frozen_by", resultsSHA256 = "results_sha256"
    }
}
