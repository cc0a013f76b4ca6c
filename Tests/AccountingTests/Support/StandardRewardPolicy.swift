import LedgerModel

extension RewardPolicy {
    /// Test fixture: the policy in the shipped `Policies/rewards.yaml`: ¥1,000–5,000 administrative, ¥5,000–10,000
    /// criminal, 2 % of turnover, 10 % of fines and confiscations for equipment leads, ¥50,000
    /// for online content harming minors, ¥600,000 for any single reward, a 60-day claim window.
    static let standard = RewardPolicy(
        version: 1,
        claimWindowSeconds: 60 * 86_400,
        maxSingleRewardFen: 60_000_000,
        approval: Approval(distinctPeople: 2, proposerRoles: [.triage, .supervisor], approverRoles: [.supervisor]),
        tiers: Tiers(
            administrative: Band(minFen: 100_000, maxFen: 500_000),
            criminal: Band(minFen: 500_000, maxFen: 1_000_000),
            illegalPublishingTurnover: Share(maxBasisPoints: 200),
            equipmentLead: Share(maxBasisPoints: 1_000),
            harmsMinorsOnline: Cap(maxFen: 5_000_000)))

}
