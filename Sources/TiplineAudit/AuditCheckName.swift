/// The checks of `audit verify`, in the order they are reported (docs/AUDIT.md, "Checks").
public enum AuditCheckName: String, Sendable, Codable, CaseIterable, Comparable {
    /// Every entry's hash and link to the previous one; no gap in sequence numbers.
    case chain
    /// Server signatures on entries; staff signatures on the recorded requests, by keys valid at the time.
    case signatures
    /// Each staff action allowed for the actor's role and centre at the time; reasons; two-person rewards.
    case authority
    /// Every tip's wraps, routing, copies and status agree with its audit history.
    case envelopes
    /// The checkpoint file outside the database vouches for the chain.
    case checkpoints
    case ledger

    /// Order of declaration.
    public static func < (lhs: AuditCheckName, rhs: AuditCheckName) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// One line saying what the check proves.
    public var summary: String {
        switch self {
        case .chain: "entry hashes, links and sequence numbers"
        case .signatures: "server signatures; staff request signatures by keys enrolled and not revoked at the time"
        case .authority: "roles, centres, unseal reasons and two-person reward approval"
        case .envelopes: "wraps (bytes against recorded hashes), submission hashes, routing, copies, status and clear columns of every tip against its audit history"
        case .checkpoints: "signed checkpoints outside the database against the chain (and the ledger's head)"
        case .ledger: "every ledger posting has its audit entry and every audit entry its posting, amounts agree"
        }
    }
}
