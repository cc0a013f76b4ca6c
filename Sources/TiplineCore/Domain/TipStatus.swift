/// The verification status of a tip (S-5.1; ARCHITECTURE "Verification status").
public enum TipStatus: String, Sendable, Codable, CaseIterable {
    /// The S-5.1 states; `successors` gives the moves allowed from each.
    case received, triaged, rejected, verifying, verified, unfounded, closed

    /// The statuses a tip may move to from this one.
    public var successors: Set<TipStatus> {
        switch self {
        case .received: [.triaged, .rejected]
        case .triaged: [.verifying]
        case .verifying: [.verified, .unfounded]
        case .verified, .unfounded, .rejected: [.closed]
        case .closed: []
        }
    }

    /// Whether the S-5.1 state machine allows a move from this status to `next`.
    public func canMove(to next: TipStatus) -> Bool { successors.contains(next) }

    /// What the reporter is told (issue 13 item 10): received and triaged are both 已受理 (triage is the
    /// centre's internal step); every other status is shown as it is.
    public var publicStatus: PublicStatus {
        switch self {
        case .received, .triaged: .accepted
        case .verifying: .verifying
        case .verified: .verified
        case .unfounded: .unfounded
        case .rejected: .rejected
        case .closed: .concluded
        }
    }
}

/// The status shown to reporters: 已受理 / 核查中 / 查证属实 / 未查实 / 不予受理 / 已办结, each with a
/// one-sentence explanation. A view of `TipStatus`, not a second status: `TipStatus.publicStatus` maps
/// one onto the other. "查证属实" is the policy's word for a verified lead (S-5.1).
public enum PublicStatus: String, Sendable, Codable, CaseIterable {
    /// What the reporter is shown; `label(_:)` and `explanation(_:)` give the words.
    case accepted, verifying, verified, unfounded, rejected, concluded

    /// The status's label in Chinese or English.
    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.accepted, .zh): "已受理"
        case (.verifying, .zh): "核查中"
        case (.verified, .zh): "查证属实"
        case (.unfounded, .zh): "未查实"
        case (.rejected, .zh): "不予受理"
        case (.concluded, .zh): "已办结"
        case (.accepted, .en): "Accepted"
        case (.verifying, .en): "Being verified"
        case (.verified, .en): "Verified"
        case (.unfounded, .en): "Not substantiated"
        case (.rejected, .en): "Not taken up"
        case (.concluded, .en): "Concluded"
        }
    }

    /// One sentence saying what happened and what comes next.
    public func explanation(_ language: Language) -> String {
        switch (self, language) {
        case (.accepted, .zh): "举报中心已收到您的举报，正在审查内容并安排核查。"
        case (.verifying, .zh): "执法人员正在对您举报的情况进行调查核实。"
        case (.verified, .zh): "经核查，您举报的情况属实，已依法处理或正在处理。"
        case (.unfounded, .zh): "经核查，未能证实您举报的情况；如有新的线索，欢迎补充。"
        case (.rejected, .zh): "您举报的内容不属于\"扫黄打非\"举报受理范围，或信息不足以开展核查。"
        case (.concluded, .zh): "本举报已办理完毕，感谢您的举报。"
        case (.accepted, .en): "The reporting centre has your tip and is reviewing it before verification."
        case (.verifying, .en): "Enforcement officers are investigating what you reported."
        case (.verified, .en): "What you reported was found to be true and has been or is being dealt with under the law."
        case (.unfounded, .en): "What you reported could not be substantiated; new information is welcome."
        case (.rejected, .en): "Your tip is outside the scope of this tip-line, or has too little information to verify."
        case (.concluded, .en): "Your tip has been dealt with and the case is closed. Thank you."
        }
    }
}
