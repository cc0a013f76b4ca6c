/// The rule of the reward policy that sets a reward's ceiling; reports group rewards by it.
public enum RewardTier: String, Sendable, Codable, CaseIterable, Comparable {
    /// The lead ended in an administrative penalty (¥1,000–5,000 in the standard policy).
    case administrative
    /// The lead ended in a criminal case (¥5,000–10,000 in the standard policy).
    case criminal
    /// Illegal publishing with a known turnover: up to a share of the turnover (2 %).
    case illegalPublishingTurnover = "illegal-publishing-turnover"
    /// A lead to production equipment: up to a share of fines and confiscations (10 %).
    case equipmentLead = "equipment-lead"
    /// Online content harming minors: up to its own cap (¥50,000).
    case harmsMinorsOnline = "harms-minors-online"

    /// Orders tiers as declared, so reports list them in a stable order.
    public static func < (lhs: RewardTier, rhs: RewardTier) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
