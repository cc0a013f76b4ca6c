/// The stable id of a case-lead class (`illegal-publication`, `online`, …).
public struct CategoryID: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id as written in `categories.yaml`.
    public let rawValue: String
    /// An id from its text.
    public init(rawValue: String) { self.rawValue = rawValue }
    /// An id from its text.
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// An id from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
}

/// A case-lead class of S-5.1 with its labels.
public struct Category: Sendable, Equatable, Identifiable {
    /// The category's stable id.
    public let id: CategoryID
    /// Its label in Chinese.
    public let labelZh: String
    /// Its label in English.
    public let labelEn: String
    /// The S-4.1 tier a new tip of this class starts in.
    public let defaultUrgency: Urgency

    /// A category as the policy defines it.
    public init(id: CategoryID, labelZh: String, labelEn: String, defaultUrgency: Urgency) {
        self.id = id
        self.labelZh = labelZh
        self.labelEn = labelEn
        self.defaultUrgency = defaultUrgency
    }

    /// The label in the requested language.
    public func label(_ language: Language) -> String { language == .zh ? labelZh : labelEn }
}

/// S-4.1 urgency tiers.
public enum Urgency: String, Sendable, Codable, CaseIterable, Comparable {
    /// The S-4.1 tiers, most urgent first.
    case major, important, routine

    private var rank: Int {
        switch self {
        case .major: 0
        case .important: 1
        case .routine: 2
        }
    }

    /// More urgent sorts first.
    public static func < (lhs: Urgency, rhs: Urgency) -> Bool { lhs.rank < rhs.rank }
}
