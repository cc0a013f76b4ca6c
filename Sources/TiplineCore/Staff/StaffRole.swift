/// The roles a staff key can hold at one centre (ARCHITECTURE "Who uses it").
public enum StaffRole: String, Sendable, Codable, CaseIterable {
    case triage
    case identityHolder = "identity-holder"
    case supervisor
    case accountant
    case auditor
    case admin

    /// Roles that open identities, approve money or manage staff: enrolling one takes the approval
    /// of two different administrators (issue 11, staff governance).
    public var needsSecondApproval: Bool {
        switch self {
        case .identityHolder, .supervisor, .accountant, .admin: true
        case .triage, .auditor: false
        }
    }
}

/// What a staff request does, for the permission table and the audit's authority check.
public enum StaffAction: String, Sendable, Codable, CaseIterable {
    case readQueue = "tips.queue"
    case readTip = "tips.show"
    /// The audit entry of a release of a tip's sealed content to a staff member (`tips show`).
    case readContent = "tip.read"
    case changeStatus = "tip.status"
    case assign = "tip.assign"
    case note = "tip.note"
    case reply = "tip.reply"
    case changeUrgency = "tip.urgency"
    case route = "tip.route"
    case wrapIdentity = "tip.identity-wrap"
    case unseal = "tip.unseal"
    /// An auditor marks the canary tip they planted (`tipline-audit canary`, proven by its receipt): it
    /// leaves the queues and statistics (issue 13, item 9).
    case markCanary = "tip.canary"
    case readStats = "stats"
    case enrolStaff = "staff.enrol"
    /// The first of the two approvals a privileged role's enrolment needs.
    case enrolPending = "staff.enrol-pending"
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
    /// Content-free notifications for the caller's centre and role (`tipline-admin watch`).
    case watchEvents = "events.watch"

    /// The roles allowed to do this. Least privilege: the administrator manages staff, not tips;
    /// only identity holders open identities; accountants never see tips.
    public var allowedRoles: Set<StaffRole> {
        switch self {
        case .readQueue: [.triage, .supervisor, .identityHolder]
        case .readTip, .readContent, .changeStatus, .assign, .note, .reply, .changeUrgency, .route: [.triage, .supervisor]
        case .wrapIdentity, .unseal: [.identityHolder]
        case .readStats: [.triage, .supervisor, .identityHolder, .auditor]
        case .enrolStaff, .enrolPending, .revokeStaff: [.admin]
        // The staff directory (names, roles, centres; no secrets): every role reads colleagues by name (issue 13, item 5).
        case .listStaff: Set(StaffRole.allCases)
        case .proposeReward: [.triage, .supervisor]
        case .approveReward: [.supervisor]
        case .fundRewards, .redeemVoucher, .expireVouchers: [.accountant]
        case .readLedger: [.accountant, .auditor, .supervisor]
        case .exportAudit, .markCanary: [.auditor]
        case .readMetrics: [.auditor, .admin]
        case .watchEvents: Set(StaffRole.allCases)
        }
    }

    public func allows(_ role: StaffRole) -> Bool { allowedRoles.contains(role) }
}
