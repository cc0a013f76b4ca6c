/// How long a closed tip keeps its identity and its content (`retention.yaml`).
///
/// After `identityDays` the identity wraps are destroyed (crypto-shredding: the identity can never
/// be opened again); after `contentDays` the content too. Unfounded and rejected tips keep the
/// least: data about the people reported matters as well.
public struct RetentionPolicy: Sendable, Equatable {
    /// How long a closed tip keeps its identity and its content.
    public struct Period: Sendable, Equatable {
        /// Days after closing until the identity is destroyed.
        public let identityDays: Int
        /// Days after closing until the content is destroyed.
        public let contentDays: Int
    }

    /// By the resolution the tip had before it was closed (verified, unfounded, rejected).
    public let periods: [TipStatus: Period]
    /// Seconds between retention passes.
    public let purgeIntervalSeconds: Int
    /// A tip never closed loses its identity this many days after its last action (the last audit
    /// entry about it): `while_open.identity_days_after_last_action`, 730 when the file predates it.
    public let openIdentityDays: Int

    /// A policy; a tip never closed loses its identity 730 days after its last action unless set.
    public init(periods: [TipStatus: Period], purgeIntervalSeconds: Int, openIdentityDays: Int = 730) {
        self.periods = periods
        self.purgeIntervalSeconds = purgeIntervalSeconds
        self.openIdentityDays = openIdentityDays
    }

    /// The period for a tip closed with `resolution`; 30 and 90 days when the policy names none.
    public func period(for resolution: TipStatus) -> Period {
        periods[resolution] ?? Period(identityDays: 30, contentDays: 90)
    }

    static func parse(file: String, text: String) throws(PolicyError) -> RetentionPolicy {
        let doc = try PolicyNode.document(file: file, text: text)
        try doc.onlyKeys(["version", "after_closing", "purge_interval_seconds", "while_open"])
        let after = try doc.mapping("after_closing")
        let resolutions: [TipStatus] = [.verified, .unfounded, .rejected]
        try after.onlyKeys(Set(resolutions.map(\.rawValue)))
        var periods: [TipStatus: Period] = [:]
        for resolution in resolutions {
            let node = try after.mapping(resolution.rawValue)
            try node.onlyKeys(["identity_days", "content_days"])
            let identity = try node.int("identity_days", in: 0...36_500)
            let content = try node.int("content_days", in: 0...36_500)
            guard content >= identity else {
                throw node.child("content_days").error("content cannot be destroyed before the identity")
            }
            periods[resolution] = Period(identityDays: identity, contentDays: content)
        }
        var openIdentityDays = 730
        if doc.has("while_open") {
            let open = try doc.mapping("while_open")
            try open.onlyKeys(["identity_days_after_last_action"])
            openIdentityDays = try open.int("identity_days_after_last_action", in: 1...36_500)
        }
        return RetentionPolicy(periods: periods,
                               purgeIntervalSeconds: try doc.int("purge_interval_seconds", in: 1...86_400),
                               openIdentityDays: openIdentityDays)
    }
}
