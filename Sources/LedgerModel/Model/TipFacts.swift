/// What the tip store says about a tip, passed in by the caller with a proposal.
///
/// The ledger cannot read the tip store (it has its own database and no identity fields); the
/// server looks the tip up and hands over these facts.
public struct TipFacts: Sendable, Equatable, Hashable {
    /// The tip's verification status, as TiplineCore spells it (`verified`, `closed`, …).
    public var status: String
    /// The public reference of the earlier tip this one duplicates, if any.
    public var duplicateOf: String?
    /// Whether the reporter asked for a reward.
    public var wantsReward: Bool

    /// Facts about one tip.
    public init(status: String, duplicateOf: String? = nil, wantsReward: Bool) {
        self.status = status
        self.duplicateOf = duplicateOf
        self.wantsReward = wantsReward
    }
}
