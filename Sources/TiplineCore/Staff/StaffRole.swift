/// The roles a staff key can hold at one centre (ARCHITECTURE "Who uses it").
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case triage
    case identityHolder = "identity-holder"
    case supervisor
    case accountant
    case auditor
    case admin
}

/// What a staff request does, for the permission table and the audit's authority check.
public enum StaffAction: String, Sendable, Codable, CaseIterable {
    case readQueue = "tips.queue"
    case readTip = "tips.show"
    case changeStatus = "tip.status"
    case assign = "tip.assign"
    case note = "tip.note"
    case reply = "tip.reply"
    case changeUrgency = "tip.urgency"
    case route = "tip.route"
    case wrapIdentity = "tip.identity-wrap"
    case unseal = "tip.unseal"
    case readStats = "stats"
    case enrolStaff = "staff.enrol"
    case revokeStaff = "staff.revoke"
    case listStaff = "staff.list"
    case proposeReward = "reward.propose"
    case approveReward = "reward.approve"
    case fundRewards = "ledger.fund"
    case redeemVoucher = "ledger.redeem"
    case expireVouchers = "ledger.expire"
    case readLedger = "ledger.read"
    case exportAudit = "audit.export"
    case readMetrics = "metrics"

    /// The roles allowed to do this. Least privilege: the administrator manages staff, not tips;
    /// only identity holders open identities; accountants never see tips.
    public var allowedRoles: Set<StaffRole> {
        switch self {
        case .readQueue: [.triage, .supervisor, .identityHolder]
        case .readTip, .changeStatus, .assign, .note, .reply, .changeUrgency, .route: [.triage, .supervisor]
        case .wrapIdentity, .unseal: [.identityHolder]
        case .readStats: [.triage, .supervisor, .identityHolder, .auditor]
        case .enrolStaff, .revokeStaff: [.admin]
        case .listStaff: [.admin, .auditor, .supervisor]
        case .proposeReward: [.triage, .supervisor]
        case .approveReward: [.supervisor]
        case .fundRewards, .redeemVoucher, .expireVouchers: [.accountant]
        case .readLedger: [.accountant, .auditor, .supervisor]
        case .exportAudit: [.auditor]
        case .readMetrics: [.auditor, .admin]
        }
    }

    public func allows(_ role: StaffRole) -> Bool { allowedRoles.contains(role) }
}
