public import Foundation

/// What an informant reports through `/informant` (issue 15, S-4.4): a case lead or a dynamic.
public enum InformantReportKind: String, Sendable, Codable, CaseIterable {
    /// 案件线索: becomes a tip (`info to-tip`) or a case item.
    case caseLead = "case-lead"
    /// 动态信息: becomes an information item (`info new --from-report`).
    case dynamic

    /// The label in Chinese or English.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue == "case-lead" ? "case lead" : "dynamic" }
        switch self {
        case .caseLead: return "案件线索"
        case .dynamic: return "动态信息"
        }
    }
}

/// The sealed content of an informant's report: sealed by the server at intake to the district
/// office's and the city office's content keys (the server keeps no plaintext), opened by their
/// handlers, liaisons and editors on their own machines.
public struct InformantReportContent: Sendable, Codable, Equatable {
    /// A case lead or a dynamic.
    public let kind: InformantReportKind
    /// The 12-digit statistical code of the area (one of the informant's own areas).
    public let area: String
    /// When it happened, as the informant typed it (optional).
    public let occurredAt: String?
    /// What the informant wrote.
    public let text: String

    /// A report's content.
    public init(kind: InformantReportKind, area: String, occurredAt: String?, text: String) {
        self.kind = kind
        self.area = area
        self.occurredAt = occurredAt
        self.text = text
    }
    enum CodingKeys: String, CodingKey {
        case kind, area, text
        case occurredAt = "occurred_at"
    }

    /// The sealed field's bytes: sorted-key JSON.
    public func canonicalJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    /// The name of the envelope field that holds it.
    public static let fieldName = "report"
    /// The name of the envelope field of a reply (`info reply`) and of a photo.
    public static let replyFieldName = "reply"
    /// The name of the envelope field of a photo.
    public static let photoFieldName = "photo"

    /// At most this many characters of text (the reporter's message limit applies too).
    public static let maxTextScalars = 5000
    /// At most this many photos with a report.
    public static let maxPhotos = 5

    /// Whether `reference` has the form of a report reference (`IR-2026-000001`).
    public static func isReference(_ reference: String) -> Bool {
        reference.wholeMatch(of: /IR-20[0-9]{2}-[0-9]{6}/) != nil
    }
}
