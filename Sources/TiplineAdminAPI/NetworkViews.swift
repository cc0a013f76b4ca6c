public import Foundation
public import Sealing
public import TiplineCore

// Replies of the network registry (issue 14). Nothing here is secret: informants appear by
// pseudonym only; their identities travel sealed (`InformantIdentityRelease`).

/// A unit with its liaison count (`network units`).
public struct UnitSummary: Sendable, Codable, Equatable {
    public let unit: NetworkUnit
    public let activeLiaisons: Int
    public init(unit: NetworkUnit, activeLiaisons: Int) {
        self.unit = unit
        self.activeLiaisons = activeLiaisons
    }
    enum CodingKeys: String, CodingKey {
        case unit
        case activeLiaisons = "active_liaisons"
    }
}

/// A unit's responsibility record for a year, as last set.
public struct UnitLeadersRecord: Sendable, Codable, Equatable {
    public let year: Int
    public let main: ResponsiblePerson
    public let deputy: ResponsiblePerson
    public let officer: ResponsiblePerson
    /// ISO 8601 with offset (China time).
    public let setAt: String
    public let setBy: String
    public init(year: Int, main: ResponsiblePerson, deputy: ResponsiblePerson, officer: ResponsiblePerson, setAt: String, setBy: String) {
        self.year = year
        self.main = main
        self.deputy = deputy
        self.officer = officer
        self.setAt = setAt
        self.setBy = setBy
    }
    enum CodingKeys: String, CodingKey {
        case year, main, deputy, officer
        case setAt = "set_at", setBy = "set_by"
    }
}

/// A unit's self-check for a year.
public struct UnitSelfCheckRecord: Sendable, Codable, Equatable {
    public let year: Int
    public let staffInPlace: Bool
    public let fundsInPlace: Bool
    public let supportInPlace: Bool
    public let note: String?
    public let checkedAt: String
    public let checkedBy: String
    public init(year: Int, staffInPlace: Bool, fundsInPlace: Bool, supportInPlace: Bool, note: String?, checkedAt: String, checkedBy: String) {
        self.year = year
        self.staffInPlace = staffInPlace
        self.fundsInPlace = fundsInPlace
        self.supportInPlace = supportInPlace
        self.note = note
        self.checkedAt = checkedAt
        self.checkedBy = checkedBy
    }
    enum CodingKeys: String, CodingKey {
        case year, note
        case staffInPlace = "staff_in_place", fundsInPlace = "funds_in_place", supportInPlace = "support_in_place"
        case checkedAt = "checked_at", checkedBy = "checked_by"
    }
}

/// A liaison officer (S-3.2): who, which unit, appointment, qualification, trainings attended.
public struct LiaisonView: Sendable, Codable, Equatable {
    public let keyID: String
    public let name: String
    public let unit: String
    public let active: Bool
    public let appointedOn: String?
    public let qualification: String?
    public let trainings: Int
    public init(keyID: String, name: String, unit: String, active: Bool, appointedOn: String?, qualification: String?, trainings: Int) {
        self.keyID = keyID
        self.name = name
        self.unit = unit
        self.active = active
        self.appointedOn = appointedOn
        self.qualification = qualification
        self.trainings = trainings
    }
    enum CodingKeys: String, CodingKey {
        case name, unit, active, qualification, trainings
        case keyID = "key_id", appointedOn = "appointed_on"
    }
}

/// A training session.
public struct TrainingView: Sendable, Codable, Equatable {
    public let id: Int64
    public let unit: String
    public let date: String
    public let topic: String
    public let attendees: [String]
    public init(id: Int64, unit: String, date: String, topic: String, attendees: [String]) {
        self.id = id
        self.unit = unit
        self.date = date
        self.topic = topic
        self.attendees = attendees
    }
}

/// A node whose liaisons are not 1–2 (`network liaisons --check`).
public struct LiaisonGap: Sendable, Codable, Equatable {
    public let unit: String
    public let activeLiaisons: Int
    public init(unit: String, activeLiaisons: Int) {
        self.unit = unit
        self.activeLiaisons = activeLiaisons
    }
    enum CodingKeys: String, CodingKey {
        case unit
        case activeLiaisons = "active_liaisons"
    }
}

/// `GET network/liaisons`.
public struct LiaisonsReply: Sendable, Codable, Equatable {
    public let liaisons: [LiaisonView]
    /// Every node (district offices, member units, the detachment) with 0 or more than 2 active liaisons.
    public let gaps: [LiaisonGap]
    public init(liaisons: [LiaisonView], gaps: [LiaisonGap]) {
        self.liaisons = liaisons
        self.gaps = gaps
    }
}

/// `GET network/units/:unit`.
public struct UnitDetail: Sendable, Codable, Equatable {
    public let unit: NetworkUnit
    public let leaders: [UnitLeadersRecord]
    public let selfChecks: [UnitSelfCheckRecord]
    public let liaisons: [LiaisonView]
    public let trainings: [TrainingView]
    public init(unit: NetworkUnit, leaders: [UnitLeadersRecord], selfChecks: [UnitSelfCheckRecord], liaisons: [LiaisonView],
                trainings: [TrainingView]) {
        self.unit = unit
        self.leaders = leaders
        self.selfChecks = selfChecks
        self.liaisons = liaisons
        self.trainings = trainings
    }
    enum CodingKeys: String, CodingKey {
        case unit, leaders, liaisons, trainings
        case selfChecks = "self_checks"
    }
}

/// An area with where it came from (`policy`: areas.csv; `import`: a district's import).
public struct AreaView: Sendable, Codable, Equatable {
    public let area: Area
    public let source: String
    public init(area: Area, source: String) {
        self.area = area
        self.source = source
    }
}

/// `POST network/areas/import`.
public struct AreasImportReply: Sendable, Codable, Equatable {
    public let added: Int
    public let unchanged: Int
    public init(added: Int, unchanged: Int) {
        self.added = added
        self.unchanged = unchanged
    }
}

/// An informant as the district sees it: pseudonym, areas, role, status, dates. Never a name.
public struct InformantView: Sendable, Codable, Equatable {
    public let pseudonym: String
    /// The record id its sealed identity and code key are bound to (not secret).
    public let uid: String
    public let district: String
    public let areas: [String]
    public let sourceRole: InformantSourceRole
    public let status: InformantStatus
    public let registeredAt: String
    public let statusChangedAt: String?
    public let reviewDue: String
    public let codeIssuedAt: String
    public init(pseudonym: String, uid: String, district: String, areas: [String], sourceRole: InformantSourceRole, status: InformantStatus,
                registeredAt: String, statusChangedAt: String?, reviewDue: String, codeIssuedAt: String) {
        self.pseudonym = pseudonym
        self.uid = uid
        self.district = district
        self.areas = areas
        self.sourceRole = sourceRole
        self.status = status
        self.registeredAt = registeredAt
        self.statusChangedAt = statusChangedAt
        self.reviewDue = reviewDue
        self.codeIssuedAt = codeIssuedAt
    }
    enum CodingKeys: String, CodingKey {
        case pseudonym, uid, district, areas, status
        case sourceRole = "source_role", registeredAt = "registered_at", statusChangedAt = "status_changed_at"
        case reviewDue = "review_due", codeIssuedAt = "code_issued_at"
    }
}

/// One periodic review.
public struct InformantReviewView: Sendable, Codable, Equatable {
    public let reviewedAt: String
    public let reviewedBy: String
    public let outcome: String
    public let nextDue: String
    public init(reviewedAt: String, reviewedBy: String, outcome: String, nextDue: String) {
        self.reviewedAt = reviewedAt
        self.reviewedBy = reviewedBy
        self.outcome = outcome
        self.nextDue = nextDue
    }
    enum CodingKeys: String, CodingKey {
        case outcome
        case reviewedAt = "reviewed_at", reviewedBy = "reviewed_by", nextDue = "next_due"
    }
}

/// `GET network/informants/:pseudonym`.
public struct InformantDetail: Sendable, Codable, Equatable {
    public let informant: InformantView
    public let reviews: [InformantReviewView]
    /// Who opened the identity, when and why (the audit entries; no identity).
    public let openings: [InformantOpening]
    public init(informant: InformantView, reviews: [InformantReviewView], openings: [InformantOpening]) {
        self.informant = informant
        self.reviews = reviews
        self.openings = openings
    }
}

/// One opening of an informant's identity, as the audit log records it.
public struct InformantOpening: Sendable, Codable, Equatable {
    public let at: String
    public let by: String
    public let reason: String
    public let approvedBy: String?
    public init(at: String, by: String, reason: String, approvedBy: String?) {
        self.at = at
        self.by = by
        self.reason = reason
        self.approvedBy = approvedBy
    }
    enum CodingKeys: String, CodingKey {
        case at, by, reason
        case approvedBy = "approved_by"
    }
}

/// `POST network/informants/:pseudonym/unseal`: the sealed identity, released after its audit entry.
public struct InformantIdentityRelease: Sendable, Codable, Equatable {
    public let pseudonym: String
    public let identity: Envelope
    public init(pseudonym: String, identity: Envelope) {
        self.pseudonym = pseudonym
        self.identity = identity
    }
}

/// `POST network/informants/:pseudonym/unseal-requests`: a city holder's request, waiting for a second holder.
public struct UnsealRequestReply: Sendable, Codable, Equatable {
    public let request: String
    public let pseudonym: String
    public init(request: String, pseudonym: String) {
        self.request = request
        self.pseudonym = pseudonym
    }
}

/// Areas of one level in a district and how many have an active informant.
public struct LevelCoverage: Sendable, Codable, Equatable {
    public let level: AreaLevel
    public let areas: Int
    public let covered: Int
    public init(level: AreaLevel, areas: Int, covered: Int) {
        self.level = level
        self.areas = areas
        self.covered = covered
    }
}

/// One district's coverage (S-3.1): counts, the percentage, the uncovered areas, roles. No names.
public struct DistrictCoverage: Sendable, Codable, Equatable {
    public let district: String
    /// The district's name (centres.yaml `district_zh` / `district_en`), for people.
    public let nameZh: String
    public let nameEn: String
    public let unit: String
    public let areas: Int
    public let covered: Int
    /// covered ÷ areas in per mille (integer: 1000 = every area), 0 when there are no areas.
    public let permille: Int
    public let levels: [LevelCoverage]
    public let uncovered: [Area]
    public let activeInformants: Int
    /// Active informants by source role (wire names).
    public let bySourceRole: [String: Int]
    public init(district: String, nameZh: String, nameEn: String, unit: String, areas: Int, covered: Int, levels: [LevelCoverage],
                uncovered: [Area], activeInformants: Int, bySourceRole: [String: Int]) {
        self.district = district
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.unit = unit
        self.areas = areas
        self.covered = covered
        self.permille = areas == 0 ? 0 : covered * 1000 / areas
        self.levels = levels
        self.uncovered = uncovered
        self.activeInformants = activeInformants
        self.bySourceRole = bySourceRole
    }
    enum CodingKeys: String, CodingKey {
        case district, unit, areas, covered, permille, levels, uncovered
        case activeInformants = "active_informants", bySourceRole = "by_source_role"
        case nameZh = "name_zh", nameEn = "name_en"
    }

    /// The name in `language`.
    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }

    /// The percentage with one decimal, as shown (`12.5%`).
    public var percentText: String { "\(permille / 10).\(permille % 10)%" }
}

/// `GET network/coverage`.
public struct CoverageReply: Sendable, Codable, Equatable {
    public let districts: [DistrictCoverage]
    public init(districts: [DistrictCoverage]) { self.districts = districts }
}
