/// Audit action names the verifier knows beyond the staff requests (which `AuditedRequest`, in the
/// admin API contract, matches against their routes).
enum RequestRoutes {
    /// Actions the server records on its own (no staff request).
    static let serverActions: Set<String> = [
        "tip.received", "message.reporter", "policies.loaded", "staff.bootstrap",
        "retention.identity-destroyed", "retention.content-destroyed", "ledger.expire",
        "receipts.legacy-parameters",
    ]
}
