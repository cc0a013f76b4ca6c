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

extension RemunerationPolicy {
    /// Test fixture: the policy in the shipped `Policies/remuneration.yaml`: ¥50/¥100/¥100/¥300/¥500/¥500 a text
    /// and ¥20/¥30/¥30/¥50/¥100/¥100 a picture per level, ¥1,000 per item, ¥5,000 per person a year,
    /// a 180-day claim window; subsidies ¥30,000/¥20,000/¥10,000 to the top three units.
    static let standard = RemunerationPolicy(
        version: 1, claimWindowSeconds: 180 * 86_400,
        rates: [.kuaibao: Rate(textFen: 5_000, pictureFen: 2_000), .jianbao: Rate(textFen: 10_000, pictureFen: 3_000),
                .provinceForwarded: Rate(textFen: 10_000, pictureFen: 3_000), .provinceAdopted: Rate(textFen: 30_000, pictureFen: 5_000),
                .national: Rate(textFen: 50_000, pictureFen: 10_000), .leaderInstruction: Rate(textFen: 50_000, pictureFen: 10_000)],
        perItemFen: 100_000, perPersonYearFen: 500_000,
        remunerationApproval: Approval(proposerRoles: [.editor], approverRoles: [.accountant]),
        subsidyGrantsFen: [3_000_000, 2_000_000, 1_000_000],
        subsidyApproval: Approval(proposerRoles: [.assessor], approverRoles: [.accountant]))
}
