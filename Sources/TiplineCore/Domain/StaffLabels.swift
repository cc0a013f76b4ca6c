import Foundation

/// The names staff read for the domain's states and roles (zh-CN first; the English names are
/// the wire names, so `--lang en` output stays what scripts already parse).

extension TipStatus {
    /// 已接收 / 已受理 / 不予受理 / 核查中 / 查证属实 / 未查实 / 已办结 (S-5.1 verification states).
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .received: return "已接收"
        case .triaged: return "已受理"
        case .rejected: return "不予受理"
        case .verifying: return "核查中"
        case .verified: return "查证属实"
        case .unfounded: return "未查实"
        case .closed: return "已办结"
        }
    }

    /// The status a staff member typed: its wire name or its Chinese label.
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = TipStatus(rawValue: trimmed) ?? TipStatus.allCases.first(where: { $0.label(.zh) == trimmed }) else { return nil }
        self = match
    }
}

extension Urgency {
    /// The tier's name when no policy is at hand (the policy's `label_zh`/`label_en` win: `TimelinessPolicy`).
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .major: return "重大"
        case .important: return "重要"
        case .routine: return "一般"
        }
    }

    /// The urgency a staff member typed: its wire name or its Chinese name.
    public init?(typed text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let match = Urgency(rawValue: trimmed) ?? Urgency.allCases.first(where: { $0.label(.zh) == trimmed }) else { return nil }
        self = match
    }
}

extension StaffRole {
    /// 受理员 / 身份保管人 / 主管 / 会计 / 审计员 / 管理员.
    public func label(_ language: Language) -> String {
        guard language == .zh else { return rawValue }
        switch self {
        case .triage: return "受理员"
        case .identityHolder: return "身份保管人"
        case .supervisor: return "主管"
        case .accountant: return "会计"
        case .auditor: return "审计员"
        case .admin: return "管理员"
        }
    }
}
