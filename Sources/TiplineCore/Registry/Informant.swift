public import Foundation

/// Where an informant comes from (S-3.1: the original's list of who is recruited).
public enum InformantSourceRole: String, Sendable, Codable, CaseIterable {
    /// 综治协管员
    case publicOrderAuxiliary = "public-order-auxiliary"
    /// 社区图书室管理员
    case communityLibrarian = "community-librarian"
    /// 农家书屋管理员
    case ruralLibraryKeeper = "rural-library-keeper"
    /// 网格管理员
    case gridWorker = "grid-worker"
    /// 其他
    case other

    /// The label in Chinese or English.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .publicOrderAuxiliary: return "综治协管员"
        case .communityLibrarian: return "社区图书室管理员"
        case .ruralLibraryKeeper: return "农家书屋管理员"
        case .gridWorker: return "网格管理员"
        case .other: return "其他"
        }
    }

    /// A role as typed: its wire name or its Chinese label.
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let match = Self(rawValue: trimmed.lowercased()) ?? Self.allCases.first(where: { $0.label(.zh) == trimmed }) else { return nil }
        self = match
    }
}

/// An informant's standing.
public enum InformantStatus: String, Sendable, Codable, CaseIterable {
    /// Active and suspended may alternate; retired is final.
    case active, suspended, retired

    /// The label in Chinese or English.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .active: return "在用"
        case .suspended: return "暂停"
        case .retired: return "已退出"
        }
    }

    /// Whether a change from `self` to `next` is allowed: active ⇄ suspended, either → retired; retired is final.
    public func allows(_ next: InformantStatus) -> Bool {
        switch (self, next) {
        case (.active, .suspended), (.suspended, .active), (.active, .retired), (.suspended, .retired): true
        default: false
        }
    }
}

/// An informant's pseudonym: the district's prefix and a four-digit serial (`NM-0007`). The only
/// name the system shows for an informant.
public struct Pseudonym: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The pseudonym as shown (`NM-0007`).
    public let rawValue: String

    /// A pseudonym as typed: any case, full-width, unpadded (`nm-7` → `NM-0007`); nil if it is not one.
    public init?(_ text: String) {
        let normalized = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespaces).uppercased()
            .replacingOccurrences(of: "－", with: "-").replacingOccurrences(of: "—", with: "-")
        // As people type it: any case, full-width, unpadded (`nm-7` → `NM-0007`).
        guard let match = normalized.wholeMatch(of: /([A-Z]{2,3})-([0-9]{1,6})/), let serial = Int(match.2), serial > 0 else { return nil }
        self.init(prefix: String(match.1), serial: serial)
    }

    /// The pseudonym for `serial` in the district with `prefix`.
    public init(prefix: String, serial: Int) {
        rawValue = "\(prefix)-\(String(repeating: "0", count: max(0, 4 - String(serial).count)))\(serial)"
    }

    /// The district's prefix (`NM`).
    public var prefix: String { String(rawValue.prefix { $0 != "-" }) }
    public var description: String { rawValue }
}

/// A calendar date as the network's records keep them (`2026-11-30`, China's civil calendar).
public enum CivilDate {
    /// Whether `text` is a real `YYYY-MM-DD` date between 2000 and 2100.
    public static func isValid(_ text: String) -> Bool {
        guard text.range(of: "^20[0-9]{2}-[0-9]{2}-[0-9]{2}$", options: .regularExpression) != nil else { return false }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let components = DateComponents(year: parts[0], month: parts[1], day: parts[2])
        guard let date = calendar.date(from: components) else { return false }
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        return back.year == parts[0] && back.month == parts[1] && back.day == parts[2]
    }

    /// Today in China (UTC+8) at `seconds` since 1970.
    public static func today(at seconds: Int64) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
