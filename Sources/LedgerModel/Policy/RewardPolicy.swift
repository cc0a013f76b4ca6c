public import TiplineCore

/// The reward rules (S-3.4; national 扫黄打非 reward rules of 2018), as in `Policies/rewards.yaml`.
///
/// Read from the deployment's `rewards.yaml` by `RewardPolicy.parse(file:text:)` with the other
/// policies (file and line in every error); there is no compiled-in copy (the tests keep one as a
/// fixture and check it equals the shipped file).
/// Amounts are integer fen and shares are basis points (1 bp = 0.01 %): no floating point.
public struct RewardPolicy: Sendable, Equatable, Codable {
    /// A fixed band of amounts.
    public struct Band: Sendable, Equatable, Codable {
        /// The smallest reward of the band.
        public var minFen: Int64
        /// The largest reward of the band.
        public var maxFen: Int64

        /// A band from `minFen` to `maxFen`, both included.
        public init(minFen: Int64, maxFen: Int64) {
            self.minFen = minFen
            self.maxFen = maxFen
        }

        enum CodingKeys: String, CodingKey {
            case minFen = "min_fen"
            case maxFen = "max_fen"
        }
    }

    /// A ceiling that is a share of an established amount.
    public struct Share: Sendable, Equatable, Codable {
        /// The share in basis points (200 = 2 %).
        public var maxBasisPoints: Int64

        /// A share of `maxBasisPoints` basis points.
        public init(maxBasisPoints: Int64) { self.maxBasisPoints = maxBasisPoints }

        enum CodingKeys: String, CodingKey { case maxBasisPoints = "max_basis_points" }
    }

    /// A fixed ceiling.
    public struct Cap: Sendable, Equatable, Codable {
        /// The ceiling.
        public var maxFen: Int64

        /// A ceiling of `maxFen`.
        public init(maxFen: Int64) { self.maxFen = maxFen }

        enum CodingKeys: String, CodingKey { case maxFen = "max_fen" }
    }

    /// Who may propose and approve; how many different people must act.
    public struct Approval: Sendable, Equatable, Codable {
        /// The number of different people a reward needs (this ledger supports exactly 2).
        public var distinctPeople: Int
        /// Roles that may propose a reward.
        public var proposerRoles: [StaffRole]
        /// Roles that may approve (or decline) a proposal.
        public var approverRoles: [StaffRole]

        /// An approval rule.
        public init(distinctPeople: Int, proposerRoles: [StaffRole], approverRoles: [StaffRole]) {
            self.distinctPeople = distinctPeople
            self.proposerRoles = proposerRoles
            self.approverRoles = approverRoles
        }

        enum CodingKeys: String, CodingKey {
            case distinctPeople = "distinct_people"
            case proposerRoles = "proposer_roles"
            case approverRoles = "approver_roles"
        }
    }

    /// The tiers of the policy.
    public struct Tiers: Sendable, Equatable, Codable {
        /// Leads ending in an administrative penalty.
        public var administrative: Band
        /// Leads ending in a criminal case.
        public var criminal: Band
        /// Illegal publishing with a known turnover: ceiling as a share of the turnover.
        public var illegalPublishingTurnover: Share
        /// Equipment leads: ceiling as a share of fines and confiscations.
        public var equipmentLead: Share
        /// Online content harming minors: a fixed ceiling.
        public var harmsMinorsOnline: Cap

        /// The tiers.
        public init(administrative: Band, criminal: Band, illegalPublishingTurnover: Share,
                    equipmentLead: Share, harmsMinorsOnline: Cap) {
            self.administrative = administrative
            self.criminal = criminal
            self.illegalPublishingTurnover = illegalPublishingTurnover
            self.equipmentLead = equipmentLead
            self.harmsMinorsOnline = harmsMinorsOnline
        }

        enum CodingKeys: String, CodingKey {
            case administrative, criminal
            case illegalPublishingTurnover = "illegal_publishing_turnover"
            case equipmentLead = "equipment_lead"
            case harmsMinorsOnline = "harms_minors_online"
        }
    }

    /// The schema version (1).
    public var version: Int
    /// How long a voucher can be redeemed after approval, in seconds.
    public var claimWindowSeconds: Int64
    /// The ceiling of any single reward.
    public var maxSingleRewardFen: Int64
    /// The approval rule.
    public var approval: Approval
    /// The tiers.
    public var tiers: Tiers

    /// A policy; call `validated()` before use (the ledger does so on open).
    public init(version: Int = 1, claimWindowSeconds: Int64, maxSingleRewardFen: Int64,
                approval: Approval, tiers: Tiers) {
        self.version = version
        self.claimWindowSeconds = claimWindowSeconds
        self.maxSingleRewardFen = maxSingleRewardFen
        self.approval = approval
        self.tiers = tiers
    }

    enum CodingKeys: String, CodingKey {
        case version, approval, tiers
        case claimWindowSeconds = "claim_window_seconds"
        case maxSingleRewardFen = "max_single_reward_fen"
    }

    /// Returns the policy if it is consistent, else `.invalidPolicy` naming the first fault.
    public func validated() throws(LedgerError) -> RewardPolicy {
        func fail(_ what: String) -> LedgerError { .invalidPolicy(what) }
        guard version == 1 else { throw fail("version must be 1") }
        guard claimWindowSeconds >= 86_400, claimWindowSeconds <= 10 * 366 * 86_400 else {
            throw fail("claim_window_seconds must be between one day and ten years")
        }
        guard maxSingleRewardFen > 0 else { throw fail("max_single_reward_fen must be positive") }
        guard approval.distinctPeople == 2 else { throw fail("approval.distinct_people must be 2") }
        guard !approval.proposerRoles.isEmpty, !approval.approverRoles.isEmpty else {
            throw fail("approval roles must not be empty")
        }
        // The one permission table (TiplineCore's `StaffAction`) bounds what this file may grant: a
        // policy can narrow who proposes or approves, never widen it (accountants pay; they never
        // propose or approve).
        guard approval.proposerRoles.allSatisfy(StaffAction.proposeReward.allows) else {
            throw fail("approval.proposer_roles may only name roles allowed to propose rewards ("
                       + StaffAction.proposeReward.allowedRoles.map(\.rawValue).sorted().joined(separator: ", ") + ")")
        }
        guard approval.approverRoles.allSatisfy(StaffAction.approveReward.allows) else {
            throw fail("approval.approver_roles may only name roles allowed to approve rewards ("
                       + StaffAction.approveReward.allowedRoles.map(\.rawValue).sorted().joined(separator: ", ") + ")")
        }
        for (name, band) in [("administrative", tiers.administrative), ("criminal", tiers.criminal)] {
            guard band.minFen > 0, band.minFen <= band.maxFen, band.maxFen <= maxSingleRewardFen else {
                throw fail("tiers.\(name) needs 0 < min_fen <= max_fen <= max_single_reward_fen")
            }
        }
        for (name, share) in [("illegal_publishing_turnover", tiers.illegalPublishingTurnover),
                              ("equipment_lead", tiers.equipmentLead)] {
            guard (1...10_000).contains(share.maxBasisPoints) else {
                throw fail("tiers.\(name).max_basis_points must be between 1 and 10000")
            }
        }
        guard tiers.harmsMinorsOnline.maxFen > 0 else { throw fail("tiers.harms_minors_online.max_fen must be positive") }
        return self
    }

    /// The amounts allowed for `outcome`.
    ///
    /// The floor is the band of the outcome's kind. The ceiling is the largest of: the band's
    /// maximum; the turnover share (when a turnover is known); the fines-and-confiscations share
    /// (for equipment leads with known fines); the minors cap (for online content harming minors).
    /// Then the single-reward cap applies. Shares round down to whole fen.
    public func allowedRange(for outcome: RewardBasis) throws(LedgerError) -> RewardRange {
        if let turnover = outcome.turnoverFen, turnover.rawValue < 0 {
            throw .invalidArgument("turnover must not be negative")
        }
        if let fines = outcome.finesAndConfiscationsFen, fines.rawValue < 0 {
            throw .invalidArgument("fines and confiscations must not be negative")
        }
        let band = outcome.kind == .administrative ? tiers.administrative : tiers.criminal
        var tier: RewardTier = outcome.kind == .administrative ? .administrative : .criminal
        var ceiling = band.maxFen
        if let turnover = outcome.turnoverFen {
            let share = Self.share(of: turnover.rawValue, basisPoints: tiers.illegalPublishingTurnover.maxBasisPoints)
            if share > ceiling { ceiling = share; tier = .illegalPublishingTurnover }
        }
        if outcome.equipmentLead, let fines = outcome.finesAndConfiscationsFen {
            let share = Self.share(of: fines.rawValue, basisPoints: tiers.equipmentLead.maxBasisPoints)
            if share > ceiling { ceiling = share; tier = .equipmentLead }
        }
        if outcome.harmsMinorsOnline, tiers.harmsMinorsOnline.maxFen > ceiling {
            ceiling = tiers.harmsMinorsOnline.maxFen
            tier = .harmsMinorsOnline
        }
        let capped = ceiling > maxSingleRewardFen
        if capped { ceiling = maxSingleRewardFen }
        return RewardRange(tier: tier, minimum: Fen(min(band.minFen, ceiling)), maximum: Fen(ceiling), capped: capped)
    }

    /// `amount × basisPoints / 10 000`, rounded down, without overflow for any non-negative
    /// amount and `basisPoints <= 10 000`.
    static func share(of amount: Int64, basisPoints: Int64) -> Int64 {
        amount / 10_000 * basisPoints + amount % 10_000 * basisPoints / 10_000
    }

    /// A stable text form of the whole policy, hashed into every proposal so an auditor can
    /// tell which rules priced it.
    public var canonicalText: String {
        let a = approval
        let t = tiers
        return [
            "version=\(version)", "claim_window_seconds=\(claimWindowSeconds)",
            "max_single_reward_fen=\(maxSingleRewardFen)",
            "approval.distinct_people=\(a.distinctPeople)",
            "approval.proposer_roles=\(a.proposerRoles.map(\.rawValue).joined(separator: ","))",
            "approval.approver_roles=\(a.approverRoles.map(\.rawValue).joined(separator: ","))",
            "tiers.administrative=\(t.administrative.minFen)-\(t.administrative.maxFen)",
            "tiers.criminal=\(t.criminal.minFen)-\(t.criminal.maxFen)",
            "tiers.illegal_publishing_turnover.max_basis_points=\(t.illegalPublishingTurnover.maxBasisPoints)",
            "tiers.equipment_lead.max_basis_points=\(t.equipmentLead.maxBasisPoints)",
            "tiers.harms_minors_online.max_fen=\(t.harmsMinorsOnline.maxFen)",
        ].joined(separator: "\n")
    }
}
