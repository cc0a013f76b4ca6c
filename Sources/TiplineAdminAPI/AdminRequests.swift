public import Foundation
public import Sealing
public import TiplineCore

// Request bodies of the admin API (docs/ADMIN-API.md): the CLI encodes them, the server decodes
// them with unknown and repeated keys refused (`StrictBody`). Keys come from `CodingKeys`.

public struct ReasonBody: StrictBody {
    public static let allowedKeys: Set<String> = ["reason"]
    public let reason: String

    /// A body with these fields.
    public init(reason: String) {
        self.reason = reason
    }
}

public struct AssignBody: StrictBody {
    public static let allowedKeys: Set<String> = ["to"]
    public let to: String

    /// A body with these fields.
    public init(to: String) {
        self.to = to
    }
}

public struct UrgencyBody: StrictBody {
    public static let allowedKeys: Set<String> = ["urgency", "reason"]
    public let urgency: Urgency
    public let reason: String

    /// A body with these fields.
    public init(urgency: Urgency, reason: String) {
        self.urgency = urgency
        self.reason = reason
    }
}

public struct DuplicateBody: StrictBody {
    public static let allowedKeys: Set<String> = ["of", "reason"]
    public let of: String
    /// Why it is a duplicate: required (the earlier reporter alone then counts for a reward).
    public let reason: String

    /// A body with these fields.
    public init(of: String, reason: String) {
        self.of = of
        self.reason = reason
    }
}

public struct EnvelopeBody: StrictBody {
    public static let allowedKeys: Set<String> = ["envelope"]
    public let envelope: Envelope

    /// A body with these fields.
    public init(envelope: Envelope) {
        self.envelope = envelope
    }
}

/// `route`: the new centre, a reason, and the wraps the CLI made (serialized, base64).
public struct RouteBody: StrictBody {
    public static let allowedKeys: Set<String> = ["to", "reason", "content_wrap", "identity_wrap"]
    public let to: String
    public let reason: String
    /// Absent when the new centre already has a content wrap (wraps are append-only).
    public let contentWrap: Data?
    public let identityWrap: Data?
    enum CodingKeys: String, CodingKey {
        case to, reason
        case contentWrap = "content_wrap"
        case identityWrap = "identity_wrap"
    }

    /// A body with these fields.
    public init(to: String, reason: String, contentWrap: Data? = nil, identityWrap: Data? = nil) {
        self.to = to
        self.reason = reason
        self.contentWrap = contentWrap
        self.identityWrap = identityWrap
    }
}

public struct IdentityWrapBody: StrictBody {
    public static let allowedKeys: Set<String> = ["centre", "wrap"]
    public let centre: String
    public let wrap: Data

    /// A body with these fields.
    public init(centre: String, wrap: Data) {
        self.centre = centre
        self.wrap = wrap
    }
}

public struct ProposeBody: StrictBody {
    public static let allowedKeys: Set<String> = ["amount_fen", "idempotency_key"]
    public let amountFen: Int64
    public let idempotencyKey: String
    enum CodingKeys: String, CodingKey {
        case amountFen = "amount_fen"
        case idempotencyKey = "idempotency_key"
    }

    /// A body with these fields.
    public init(amountFen: Int64, idempotencyKey: String) {
        self.amountFen = amountFen
        self.idempotencyKey = idempotencyKey
    }
}

public struct KeyBody: StrictBody {
    public static let allowedKeys: Set<String> = ["idempotency_key"]
    public let idempotencyKey: String
    enum CodingKeys: String, CodingKey { case idempotencyKey = "idempotency_key" }

    /// A body with these fields.
    public init(idempotencyKey: String) {
        self.idempotencyKey = idempotencyKey
    }
}

public struct FundBody: StrictBody {
    public static let allowedKeys: Set<String> = ["amount_fen", "memo", "idempotency_key"]
    public let amountFen: Int64
    public let memo: String
    public let idempotencyKey: String
    enum CodingKeys: String, CodingKey {
        case memo
        case amountFen = "amount_fen"
        case idempotencyKey = "idempotency_key"
    }

    /// A body with these fields.
    public init(amountFen: Int64, memo: String, idempotencyKey: String) {
        self.amountFen = amountFen
        self.memo = memo
        self.idempotencyKey = idempotencyKey
    }
}

public struct RedeemBody: StrictBody {
    public static let allowedKeys: Set<String> = ["code", "idempotency_key"]
    public let code: String
    public let idempotencyKey: String
    enum CodingKeys: String, CodingKey {
        case code
        case idempotencyKey = "idempotency_key"
    }

    /// A body with these fields.
    public init(code: String, idempotencyKey: String) {
        self.code = code
        self.idempotencyKey = idempotencyKey
    }
}
