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
    /// The fund topped up: `fund` (rewards, the default), `info-fund` or `subsidy-fund` (issue 17).
    public let account: String?
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case memo, account
        case amountFen = "amount_fen"
        case idempotencyKey = "idempotency_key"
    }

    /// A body with these fields.
    public init(amountFen: Int64, memo: String, idempotencyKey: String, account: String? = nil) {
        self.amountFen = amountFen
        self.memo = memo
        self.idempotencyKey = idempotencyKey
        self.account = account
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

/// `POST tips/{ref}/canary` (`tipline-audit canary`, issue 13 item 9): the auditor proves they planted
/// the tip by presenting its receipt. The receipt travels in the body only, never in a URL, and is
/// never stored: the stored request keeps `receipt` as one SHA-256 (`RedactedRequestBody`: not a
/// clear field). It is an object with a fresh 128-bit `salt` beside the digits so that this hash —
/// and the body hash in the signed message — cannot be reversed by trying the 10^12 secrets of a
/// receipt whose locator is known (a plain SHA-256 of the digits could be).
public struct CanaryBody: StrictBody {
    public let receipt: SaltedReceipt
    public enum CodingKeys: String, CodingKey, CaseIterable { case receipt }

    /// A body with these fields.
    public init(receipt: SaltedReceipt) { self.receipt = receipt }

    /// A receipt with a random salt (hex of 16 random bytes), hashed together when the request is stored.
    public struct SaltedReceipt: Codable, Sendable {
        /// The receipt as the reporter got it (spaces allowed; `Receipt(normalizing:)`).
        public let digits: String
        /// 32 lowercase hex characters (16 random bytes).
        public let salt: String
        public enum CodingKeys: String, CodingKey, CaseIterable { case digits, salt }

        /// The receipt `digits` with a fresh random salt.
        public init(digits: String) {
            self.digits = digits
            self.salt = Hex.encode(SecureRandom.bytes(16))
        }

        public init(digits: String, salt: String) {
            self.digits = digits
            self.salt = salt
        }

        /// Refuses any key but `digits` and `salt` (the outer body's keys are checked by `StrictBody`).
        public init(from decoder: any Decoder) throws {
            let any = try decoder.container(keyedBy: AnyKey.self)
            if any.allKeys.contains(where: { CodingKeys(rawValue: $0.stringValue) == nil }) {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown field in receipt"))
            }
            let container = try decoder.container(keyedBy: CodingKeys.self)
            digits = try container.decode(String.self, forKey: .digits)
            salt = try container.decode(String.self, forKey: .salt)
        }

        /// Whether the salt is 32 lowercase hex characters.
        public var hasValidSalt: Bool {
            salt.utf8.count == 32 && salt.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
        }

        private struct AnyKey: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}

/// The answer of `POST tips/{ref}/canary`.
public struct CanaryReply: Codable, Sendable {
    public let reference: String
    /// When it was marked (ISO 8601, UTC).
    public let canaryAt: String
    public enum CodingKeys: String, CodingKey { case reference, canaryAt = "canary_at" }
    public init(reference: String, canaryAt: String) {
        self.reference = reference
        self.canaryAt = canaryAt
    }
}
