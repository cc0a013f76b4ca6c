public import Foundation
public import Sealing
public import TiplineCore

// Request bodies of the admin API (docs/ADMIN-API.md): the CLI encodes them, the server decodes
// them with unknown and repeated keys refused (`StrictBody`). Keys come from `CodingKeys`.

public struct ReasonBody: StrictBody {
    public let reason: String

    /// A body with these fields.
    public init(reason: String) {
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case reason }
}

public struct AssignBody: StrictBody {
    public let to: String

    /// A body with these fields.
    public init(to: String) {
        self.to = to
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case to }
}

public struct UrgencyBody: StrictBody {
    public let urgency: Urgency
    public let reason: String

    /// A body with these fields.
    public init(urgency: Urgency, reason: String) {
        self.urgency = urgency
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case urgency, reason }
}

public struct DuplicateBody: StrictBody {
    public let of: String
    /// Why it is a duplicate: required (the earlier reporter alone then counts for a reward).
    public let reason: String

    /// A body with these fields.
    public init(of: String, reason: String) {
        self.of = of
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case of, reason }
}

public struct EnvelopeBody: StrictBody {
    public let envelope: Envelope

    /// A body with these fields.
    public init(envelope: Envelope) {
        self.envelope = envelope
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case envelope }
}

/// `route`: the new centre, a reason, and the wraps the CLI made (serialized, base64).
public struct RouteBody: StrictBody {
    public let to: String
    public let reason: String
    /// Absent when the new centre already has a content wrap (wraps are append-only).
    public let contentWrap: Data?
    public let identityWrap: Data?
    public enum CodingKeys: String, CodingKey, CaseIterable {
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
    public let centre: String
    public let wrap: Data

    /// A body with these fields.
    public init(centre: String, wrap: Data) {
        self.centre = centre
        self.wrap = wrap
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case centre, wrap }
}

public struct ProposeBody: StrictBody {
    public let amountFen: Int64
    public let idempotencyKey: String
    public enum CodingKeys: String, CodingKey, CaseIterable {
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
    public let idempotencyKey: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case idempotencyKey = "idempotency_key" }

    /// A body with these fields.
    public init(idempotencyKey: String) {
        self.idempotencyKey = idempotencyKey
    }
}

public struct FundBody: StrictBody {
    public let amountFen: Int64
    public let memo: String
    public let idempotencyKey: String
    public enum CodingKeys: String, CodingKey, CaseIterable {
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

/// `ledger decline REF [--reason …]`: the reason, if given, is shown to the reporter on follow-up
/// (and kept in clear in the audit entry, so it must hold no personal data).
public struct DeclineBody: StrictBody {
    public let idempotencyKey: String
    public let reason: String?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case reason
        case idempotencyKey = "idempotency_key"
    }

    /// A body with these fields.
    public init(idempotencyKey: String, reason: String?) {
        self.idempotencyKey = idempotencyKey
        self.reason = reason
    }
}

/// `ledger voucher CODE`: look a voucher up before paying it (issue 13, item 9). The code travels
/// in the body, never in a URL, and the lookup stores nothing.
public struct VoucherLookupBody: StrictBody {
    public let code: String
    public enum CodingKeys: String, CodingKey, CaseIterable { case code }

    /// A body with this field.
    public init(code: String) { self.code = code }
}

public struct RedeemBody: StrictBody {
    public let code: String
    public let idempotencyKey: String
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case code
        case idempotencyKey = "idempotency_key"
    }

    /// A body with these fields.
    public init(code: String, idempotencyKey: String) {
        self.code = code
        self.idempotencyKey = idempotencyKey
    }
}
