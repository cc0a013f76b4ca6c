import Foundation
import Sealing
import TiplineCore

/// Request bodies of the admin API. Unknown keys are refused like on the public API.
struct ReasonBody: Decodable {
    let reason: String
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["reason"])
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }
    enum CodingKeys: String, CodingKey { case reason }
}

struct AssignBody: Decodable {
    let to: String
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["to"])
        to = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .to)
    }
    enum CodingKeys: String, CodingKey { case to }
}

struct UrgencyBody: Decodable {
    let urgency: Urgency
    let reason: String
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["urgency", "reason"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        urgency = try c.decode(Urgency.self, forKey: .urgency)
        reason = try c.decode(String.self, forKey: .reason)
    }
    enum CodingKeys: String, CodingKey { case urgency, reason }
}

struct DuplicateBody: Decodable {
    let of: String
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["of"])
        of = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .of)
    }
    enum CodingKeys: String, CodingKey { case of }
}

struct EnvelopeBody: Decodable {
    let envelope: Envelope
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["envelope"])
        envelope = try decoder.container(keyedBy: CodingKeys.self).decode(Envelope.self, forKey: .envelope)
    }
    enum CodingKeys: String, CodingKey { case envelope }
}

/// `route`: the new centre, a reason, and the wraps the CLI made (serialized, base64).
struct RouteBody: Decodable {
    let to: String
    let reason: String
    let contentWrap: Data
    let identityWrap: Data?
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["to", "reason", "content_wrap", "identity_wrap"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        to = try c.decode(String.self, forKey: .to)
        reason = try c.decode(String.self, forKey: .reason)
        contentWrap = try c.decode(Data.self, forKey: .contentWrap)
        identityWrap = try c.decodeIfPresent(Data.self, forKey: .identityWrap)
    }
    enum CodingKeys: String, CodingKey {
        case to, reason
        case contentWrap = "content_wrap"
        case identityWrap = "identity_wrap"
    }
}

struct IdentityWrapBody: Decodable {
    let centre: String
    let wrap: Data
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["centre", "wrap"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        centre = try c.decode(String.self, forKey: .centre)
        wrap = try c.decode(Data.self, forKey: .wrap)
    }
    enum CodingKeys: String, CodingKey { case centre, wrap }
}

struct RevokeBody: Decodable {
    let reason: String
    init(from decoder: any Decoder) throws {
        try decoder.refuseUnknownKeysPublic(allowed: ["reason"])
        reason = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .reason)
    }
    enum CodingKeys: String, CodingKey { case reason }
}
