import TiplineCore
/// One tip's history as replayed from the audit entries: where it is routed now, every centre it
/// was ever routed to, its copies, the wraps it must have, pending identity wraps and its status.
/// Masks keep it small and allocation-free for the common tip that is never re-routed.
struct TipTrack {
    var receivedSeq: Int64
    /// The centre the intake routed it to.
    let initialCentre: Int
    var centre: Int
    /// Centres after the first, in order, for tips that were re-routed.
    var laterRoutes: [UInt8] = []
    var routed: UInt32
    var copies: UInt32
    var wraps: UInt64
    var pendingIdentity: UInt32 = 0
    var status: UInt8 = 0
    var hasIdentity: Bool
    var identityDestroyed = false
    var contentDestroyed = false
    var seenInTable = false
    /// Clear columns as the entries set them (issue 11, item 4): urgency (tip.received, tip.urgency),
    /// assignee (tip.assign), duplicate_of as a reference (tip.status), enforcement unit, outcome and
    /// resolution (tip.status).
    var urgency = ""
    var assignee: String?
    var duplicateOf: String?
    var enforcementUnit: String?
    var outcome: String?
    var resolution: String?
    /// When an auditor marked it as their canary (`tip.canary`, the entry's time); nil: a real tip.
    var canaryAt: Int64?
    /// How it came (`tip.received`'s `channel`, absent: `web`) and whether the triage officer's
    /// `tip.record` entry followed its intake entry (every recorded tip needs one; a web tip none).
    var channel = TipChannel.web
    var recordedSeq: Int64?
    /// Wraps added after intake, with the hash and actor their entry recorded (`wrap_hashes`).
    var laterWraps: [LaterWrap] = []

    /// A wrap a `tip.route` or `tip.identity-wrap` entry added.
    struct LaterWrap {
        /// `class:keyid`
        let key: String
        let hash: String
        let actor: String
        let seq: Int64
    }

    /// Statuses by index (`status`).
    static let statuses = ["received", "triaged", "rejected", "verifying", "verified", "unfounded", "closed"]
    static func statusIndex(_ name: String) -> UInt8? { statuses.firstIndex(of: name).map(UInt8.init) }

    func visible(to centre: Int, city: Int) -> Bool {
        centre == city || centre == self.centre || copies & (1 << UInt32(centre)) != 0
    }
}
