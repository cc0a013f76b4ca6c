/// Which signed request each staff action must have been: method and target for a subject
/// (docs/ADMIN-API.md). A recorded request for another path or another subject is not the action.
enum RequestRoutes {
    /// Whether `method target` is a request that performs `action` on `subject` (given its details).
    static func matches(action: String, subject: String, details: [String: String], method: String, target: String) -> Bool {
        if action == "tip.read" { return method == "GET" && target == "/admin/v1/tips/\(subject)" }
        guard method == "POST" else { return false }
        let tip = "/admin/v1/tips/\(subject)/"
        switch action {
        case "tip.status": return target == tip + (details["duplicate_of"] != nil ? "duplicate" : "status")
        case "tip.assign": return target == tip + "assign"
        case "tip.urgency": return target == tip + "urgency"
        case "tip.note": return target == tip + "notes"
        case "tip.reply": return target == tip + "replies"
        case "tip.route": return target == tip + "route"
        case "tip.identity-wrap": return target == tip + "identity-wraps"
        case "tip.unseal": return target == tip + "unseal"
        case "staff.enrol", "staff.enrol-pending": return target == "/admin/v1/staff"
        case "staff.revoke": return target == "/admin/v1/staff/\(subject)/revoke"
        case "reward.propose": return target == "/admin/v1/rewards/\(subject)/propose"
        case "reward.approve":
            return target == "/admin/v1/rewards/\(subject)/" + (details["declined"] == "1" ? "decline" : "approve")
        case "ledger.fund": return target == "/admin/v1/ledger/fund" && subject == "ledger"
        case "ledger.redeem": return target == "/admin/v1/ledger/redeem"  // the subject is the reference the code paid
        case "ledger.expire": return target == "/admin/v1/ledger/expire" && subject == "ledger"
        default: return false
        }
    }

    /// Actions the server records on its own (no staff request).
    static let serverActions: Set<String> = [
        "tip.received", "message.reporter", "policies.loaded", "staff.bootstrap",
        "retention.identity-destroyed", "retention.content-destroyed", "ledger.expire",
        "receipts.legacy-parameters",
    ]
}
