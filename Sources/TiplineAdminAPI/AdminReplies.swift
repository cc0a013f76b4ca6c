public import TiplineCore

// Answers of the admin API (docs/ADMIN-API.md) that are not tip or ledger views: the server encodes
// them, the CLI decodes them. Booleans are JSON booleans, never "yes"/"no".

/// A change was made; the server's acknowledgement carries nothing the CLI needs (`assign`, `notes`,
/// `replies`, `duplicate`, `identity-wraps`, `staff/…/revoke`). Decodes any JSON object.
public struct Acknowledged: Sendable, Codable, Equatable {
    public init() {}
}

/// `POST tips/:ref/status`: the tip's status now.
public struct StatusReply: Sendable, Codable, Equatable {
    public let status: TipStatus
    public init(status: TipStatus) { self.status = status }
}

/// `POST tips/:ref/route`: where the tip went and whether an identity holder must still add the
/// identity wrap for the new centre.
public struct RouteReply: Sendable, Codable, Equatable {
    public let routedTo: String
    public let identityWrapPending: Bool
    public init(routedTo: String, identityWrapPending: Bool) {
        self.routedTo = routedTo
        self.identityWrapPending = identityWrapPending
    }
    enum CodingKeys: String, CodingKey {
        case routedTo = "routed_to"
        case identityWrapPending = "identity_wrap_pending"
    }
}

/// `POST ledger/fund`: the journal entry the top-up made.
public struct FundReply: Sendable, Codable, Equatable {
    public let ledgerEntry: Int64
    public init(ledgerEntry: Int64) { self.ledgerEntry = ledgerEntry }
    enum CodingKeys: String, CodingKey { case ledgerEntry = "ledger_entry" }
}

/// `POST ledger/expire`: the references whose vouchers lapsed.
public struct ExpireReply: Sendable, Codable, Equatable {
    public let expired: [String]
    public init(expired: [String]) { self.expired = expired }
}

/// `GET ledger/report`: the year's report as CSV.
public struct ReportReply: Sendable, Codable, Equatable {
    /// Rewards by centre and tier.
    public let csv: String
    /// Remuneration and subsidies by scheme, payee type and unit (issue 17); nil from an older server.
    public let paymentsCSV: String?
    public init(csv: String, paymentsCSV: String? = nil) {
        self.csv = csv
        self.paymentsCSV = paymentsCSV
    }
    enum CodingKeys: String, CodingKey {
        case csv
        case paymentsCSV = "payments_csv"
    }
}

/// `GET ledger/verify`: whether every ledger check passed, and the checks' summary.
public struct LedgerCheckReply: Sendable, Codable, Equatable {
    public let passed: Bool
    public let summary: String
    public init(passed: Bool, summary: String) {
        self.passed = passed
        self.summary = summary
    }
}

/// A staff member as the API shows one (`whoami`, `staff`, an enrolment): never a private key.
public struct StaffView: Sendable, Codable, Equatable {
    public let keyID: String
    public let name: String
    public let role: StaffRole
    public let centre: String
    /// The network unit the member belongs to (issue 14).
    public let unit: String?
    /// The raw Ed25519 public key, hex.
    public let publicKey: String
    /// UTC, ISO 8601.
    public let enrolledAt: String
    public let enrolledBy: String
    /// UTC, ISO 8601; nil while the key is valid.
    public let revokedAt: String?
    /// `second-approval` while a privileged enrolment waits for its second administrator.
    public let pending: String?

    public init(keyID: String, name: String, role: StaffRole, centre: String, unit: String? = nil, publicKey: String, enrolledAt: String,
                enrolledBy: String, revokedAt: String?, pending: String? = nil) {
        self.unit = unit
        self.keyID = keyID
        self.name = name
        self.role = role
        self.centre = centre
        self.publicKey = publicKey
        self.enrolledAt = enrolledAt
        self.enrolledBy = enrolledBy
        self.revokedAt = revokedAt
        self.pending = pending
    }

    enum CodingKeys: String, CodingKey {
        case name, role, centre, pending, unit
        case keyID = "key_id"
        case publicKey = "public_key"
        case enrolledAt = "enrolled_at"
        case enrolledBy = "enrolled_by"
        case revokedAt = "revoked_at"
    }
}
