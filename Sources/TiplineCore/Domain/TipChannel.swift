import Foundation

/// How a tip reached the network (issue 15, "Tips that do not come over the web"): the public form or
/// JSON API (`web`), or a triage officer's record of a call, a letter, a visit or an e-mail
/// (`tipline-admin tips record --channel …`). Kept in clear in `tip.channel` (v12-channel), shown in
/// the queues and counted in the statistics; the same list is the column's CHECK.
public enum TipChannel: String, Sendable, Codable, CaseIterable, Hashable {
    /// The public web form or the JSON API.
    case web
    /// A phone call a triage officer recorded.
    case phone
    /// A letter a triage officer recorded.
    case letter
    /// A visit a triage officer recorded.
    case visit
    /// An e-mail a triage officer recorded.
    case email
    /// A report an informant filed through `/informant`, turned into a tip by the district's handler
    /// (`tipline-admin info to-tip`): the pseudonym is linked through the report, no identity.
    case informant

    /// The channels a triage officer records by hand (`tips record --channel`).
    public static let recorded: [TipChannel] = [.phone, .letter, .visit, .email]

    /// 网上 / 电话 / 来信 / 来访 / 电子邮件 (zh); the wire name otherwise.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .web: return "网上"
        case .phone: return "电话"
        case .letter: return "来信"
        case .visit: return "来访"
        case .email: return "电子邮件"
        case .informant: return "信息员"
        }
    }

    /// The channel a staff member typed: its wire name or its Chinese label.
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = TipChannel(rawValue: trimmed) ?? TipChannel.allCases.first(where: { $0.label(.zh) == trimmed }) else { return nil }
        self = match
    }
}
