/// S-4.1 timeliness: how long each urgency tier allows before the next action is due.
public struct TimelinessPolicy: Sendable, Equatable {
    /// One tier of `timeliness.yaml`.
    public struct Tier: Sendable, Equatable {
        /// The urgency the tier is for.
        public let urgency: Urgency
        /// Seconds allowed from arrival until the tip is due.
        public let dueSeconds: Int64
        /// The tier's label in Chinese.
        public let labelZh: String
        /// The tier's label in English.
        public let labelEn: String
    }

    /// The tiers by urgency.
    public let tiers: [Urgency: Tier]

    /// Seconds allowed for the next action of a tip of this urgency.
    public func dueSeconds(_ urgency: Urgency) -> Int64 { tiers[urgency]?.dueSeconds ?? 604_800 }

    /// A policy of `tiers`.
    public init(tiers: [Urgency: Tier]) { self.tiers = tiers }

    static func parse(file: String, text: String) throws(PolicyError) -> TimelinessPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "tiers"])
        let tiersNode = try doc.mapping("tiers")
        try tiersNode.onlyKeys(Set(Urgency.allCases.map(\.rawValue)))
        var tiers: [Urgency: Tier] = [:]
        for urgency in Urgency.allCases {
            let node = try tiersNode.mapping(urgency.rawValue)
            try node.onlyKeys(["due_seconds", "label_zh", "label_en"])
            tiers[urgency] = Tier(
                urgency: urgency,
                dueSeconds: Int64(try node.int("due_seconds", in: 60...31_536_000)),
                labelZh: try node.string("label_zh"),
                labelEn: try node.string("label_en"))
        }
        if tiers[.major]!.dueSeconds > tiers[.important]!.dueSeconds
            || tiers[.important]!.dueSeconds > tiers[.routine]!.dueSeconds {
            throw tiersNode.error("a more urgent tier cannot allow more time than a less urgent one")
        }
        return TimelinessPolicy(tiers: tiers)
    }
}
