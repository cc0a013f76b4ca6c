/// One notification of `tipline-admin watch` (issue 13, item 7), streamed by `GET /admin/v1/events`
/// as server-sent events. Content-free by construction: a kind, a tip reference, a centre, an
/// urgency and a time — never a word of a tip, an identity or a reason.
public struct StaffEvent: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A new tip for the centre (a major one reaches the centre and the city at once, S-4.1).
        case newTip = "tip.new"
        /// A tip was re-routed to the centre.
        case routedTip = "tip.routed"
        /// An open tip's next action falls due soon (the last quarter of its tier's time).
        case dueSoon = "tip.due-soon"
        /// A re-routing left an identity wrap for the centre's identity holders to add.
        case identityWrapPending = "identity.wrap-pending"
        /// A reward waits for a supervisor's approval.
        case rewardAwaitingApproval = "reward.awaiting-approval"
    }

    public let kind: Kind
    public let reference: String
    public let centre: String
    public let urgency: String?
    /// When it happened (UTC seconds; the CLI shows China time).
    public let at: Int64
    /// For due-soon: the due time.
    public let dueAt: Int64?

    enum CodingKeys: String, CodingKey {
        case kind, reference, centre, urgency, at
        case dueAt = "due_at"
    }

    public init(kind: Kind, reference: String, centre: String, urgency: String?, at: Int64, dueAt: Int64? = nil) {
        self.kind = kind
        self.reference = reference
        self.centre = centre
        self.urgency = urgency
        self.at = at
        self.dueAt = dueAt
    }
}
