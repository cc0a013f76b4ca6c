/// The verification status of a tip (S-5.1; ARCHITECTURE "Verification status").
public enum TipStatus: String, Sendable, Codable, CaseIterable {
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

    public func canMove(to next: TipStatus) -> Bool { successors.contains(next) }

    /// The coarse status a reporter sees.
    public var publicStatus: PublicStatus {
        switch self {
        case .received, .triaged: .accepted
        case .verifying: .verifying
        case .verified, .unfounded, .rejected, .closed: .concluded
        }
    }
}

/// The coarse status shown to reporters: 受理 / 核查中 / 已办结.
public enum PublicStatus: String, Sendable, Codable, CaseIterable {
    case accepted, verifying, concluded

    public func label(_ language: Language) -> String {
        switch (self, language) {
        case (.accepted, .zh): "已受理"
        case (.verifying, .zh): "核查中"
        case (.concluded, .zh): "已办结"
        case (.accepted, .en): "Accepted"
        case (.verifying, .en): "Being verified"
        case (.concluded, .en): "Concluded"
        }
    }
}
