/// The stable id of a reporting centre (`city`, `nanming`, …).
public struct CentreID: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The id as written in `centres.yaml`.
    public let rawValue: String
    /// An id from its text; not checked (see `isWellFormed`).
    public init(rawValue: String) { self.rawValue = rawValue }
    /// An id from its text; not checked (see `isWellFormed`).
    public init(_ rawValue: String) { self.rawValue = rawValue }
    /// An id from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { rawValue }
    public static func < (lhs: CentreID, rhs: CentreID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Ids are short lowercase ASCII so they are safe in file names, AAD strings and metric labels.
    public static func isWellFormed(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 32
            && text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}

/// A reporting centre (举报中心) of the network (S-2.1, S-2.2).
public struct Centre: Sendable, Equatable, Identifiable {
    /// The centre's stable id.
    public let id: CentreID
    /// The centre's name in Chinese.
    public let nameZh: String
    /// The centre's name in English.
    public let nameEn: String
    /// The district or county the centre serves (`nil` for the city centre).
    public let districtZh: String?
    /// The district's name in English (`nil` for the city centre).
    public let districtEn: String?
    /// Whether this is the city centre, which sees every tip.
    public let isCity: Bool
    /// The centre's public address (zh, en), shown to reporters; nil when the policy gives none.
    public let addressZh: String?
    /// The centre's public address in English.
    public let addressEn: String?

    /// A centre as the policy defines it.
    public init(id: CentreID, nameZh: String, nameEn: String, districtZh: String?, districtEn: String?, isCity: Bool,
                addressZh: String? = nil, addressEn: String? = nil) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.districtZh = districtZh
        self.districtEn = districtEn
        self.isCity = isCity
        self.addressZh = addressZh
        self.addressEn = addressEn
    }

    /// The public address in the requested language, if the policy gives one.
    public func address(_ language: Language) -> String? { language == .zh ? addressZh : addressEn }

    /// The centre's name in the requested language.
    public func name(_ language: Language) -> String { language == .zh ? nameZh : nameEn }

    /// The district's name in the requested language (the centre's name for the city).
    public func districtName(_ language: Language) -> String {
        (language == .zh ? districtZh : districtEn) ?? name(language)
    }
}

/// The district a reporter named: a district centre, or not known.
public enum TipDistrict: Sendable, Hashable {
    /// A district whose centre the reporter chose.
    case known(CentreID)
    /// The reporter did not know the district.
    case unknown

    /// The token the API and the database use for an unknown district.
    public static let unknownToken = "unknown"

    /// The centre id, or `unknown`: how the API and the database write it.
    public var token: String {
        switch self {
        case .known(let id): id.rawValue
        case .unknown: Self.unknownToken
        }
    }
}

/// The two languages of the UI and the CLI.
public enum Language: String, Sendable, CaseIterable, Codable {
    /// Chinese (`zh`) and English (`en`).
    case zh, en
}
