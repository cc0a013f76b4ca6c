import Foundation
import Sealing
import TiplineCore

// Request bodies of the admin API: synthesized decoding, unknown keys refused (`StrictBody`).

struct ReasonBody: StrictBody {
    static let allowedKeys: Set<String> = ["reason"]
    let reason: String
}

struct AssignBody: StrictBody {
    static let allowedKeys: Set<String> = ["to"]
    let to: String
}

struct UrgencyBody: StrictBody {
    static let allowedKeys: Set<String> = ["urgency", "reason"]
    let urgency: Urgency
    let reason: String
}

struct DuplicateBody: StrictBody {
    static let allowedKeys: Set<String> = ["of", "reason"]
    let of: String
    /// Why it is a duplicate: required (the earlier reporter alone then counts for a reward).
    let reason: String
}

struct EnvelopeBody: StrictBody {
    static let allowedKeys: Set<String> = ["envelope"]
    let envelope: Envelope
}

/// `route`: the new centre, a reason, and the wraps the CLI made (serialized, base64).
struct RouteBody: StrictBody {
    static let allowedKeys: Set<String> = ["to", "reason", "content_wrap", "identity_wrap"]
    let to: String
    let reason: String
    /// Absent when the new centre already has a content wrap (wraps are append-only).
    let contentWrap: Data?
    let identityWrap: Data?
    enum CodingKeys: String, CodingKey {
        case to, reason
        case contentWrap = "content_wrap"
        case identityWrap = "identity_wrap"
    }
}

struct IdentityWrapBody: StrictBody {
    static let allowedKeys: Set<String> = ["centre", "wrap"]
    let centre: String
    let wrap: Data
}

struct ProposeBody: StrictBody {
    static let allowedKeys: Set<String> = ["amount_fen", "idempotency_key"]
    let amountFen: Int64
    let idempotencyKey: String
    enum CodingKeys: String, CodingKey {
        case amountFen = "amount_fen"
        case idempotencyKey = "idempotency_key"
    }
}

struct KeyBody: StrictBody {
    static let allowedKeys: Set<String> = ["idempotency_key"]
    let idempotencyKey: String
    enum CodingKeys: String, CodingKey { case idempotencyKey = "idempotency_key" }
}

struct FundBody: StrictBody {
    static let allowedKeys: Set<String> = ["amount_fen", "memo", "idempotency_key"]
    let amountFen: Int64
    let memo: String
    let idempotencyKey: String
    enum CodingKeys: String, CodingKey {
        case memo
        case amountFen = "amount_fen"
        case idempotencyKey = "idempotency_key"
    }
}

struct RedeemBody: StrictBody {
    static let allowedKeys: Set<String> = ["code", "idempotency_key"]
    let code: String
    let idempotencyKey: String
    enum CodingKeys: String, CodingKey {
        case code
        case idempotencyKey = "idempotency_key"
    }
}
