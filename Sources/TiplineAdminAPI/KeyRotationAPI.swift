public import Foundation
public import Sealing
public import TiplineCore

// Centre key rotation (issue 11; Keys/README.md "Rotation", docs/ADMIN-API.md): the bodies and
// answers of `keys rotate`, `keys rewrap` and `keys retire`, defined once here.

/// `POST keys/rotate`: the centre's new X25519 public key (hex of the 32 raw bytes), made on the
/// administrator's workstation. Kept in clear in the stored request (a public key is no secret).
public struct RotateKeyBody: StrictBody, Sendable {
    public let centre: String
    public let keyClass: KeyClass
    public let publicKey: String
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case centre
        case keyClass = "key_class"
        case publicKey = "public_key"
    }

    /// A body with these fields.
    public init(centre: String, keyClass: KeyClass, publicKey: String) {
        self.centre = centre
        self.keyClass = keyClass
        self.publicKey = publicKey
    }
}

/// The answer to a rotation or a retirement: the key set after it and the new keys.json fingerprint
/// (what other workstations re-pin, `keys pin`).
public struct KeyChangeReply: Sendable, Codable, Equatable {
    public let centre: String
    public let keyClass: KeyClass
    /// The new current key (rotation) or the retired key (retirement).
    public let keyID: String
    /// The key a rotation superseded.
    public let superseded: String?
    public let auditSeq: Int64
    public let fingerprint: String
    enum CodingKeys: String, CodingKey {
        case centre, superseded, fingerprint
        case keyClass = "key_class"
        case keyID = "key_id"
        case auditSeq = "audit_seq"
    }

    /// Builds the value as the server sends it.
    public init(centre: String, keyClass: KeyClass, keyID: String, superseded: String?, auditSeq: Int64, fingerprint: String) {
        self.centre = centre
        self.keyClass = keyClass
        self.keyID = keyID
        self.superseded = superseded
        self.auditSeq = auditSeq
        self.fingerprint = fingerprint
    }
}

/// What a re-wrap adds a wrap to: a tip's data key (`tip_wrap`), or a record that carries its own
/// wraps in its envelope — a message or reply, a note, a file a reporter added (content keys only).
public enum RewrapKind: String, Sendable, Codable, CaseIterable {
    case tip, message, note, file

    /// The kinds a key class has: identity keys wrap only tips' identity data keys.
    public static func kinds(of keyClass: KeyClass) -> [RewrapKind] { keyClass == .content ? allCases : [.tip] }
}

/// `GET keys/rewrap?centre=&class=&key=&kind=&limit=&after=`: one record still to re-wrap from `key` (a
/// superseded key of the caller's centre) for the centre's current key: its tip, its record id, the old
/// wrap and the key commitment the new wrap must match. Wraps only, never a field.
public struct RewrapItem: Sendable, Codable, Equatable {
    public let kind: RewrapKind
    /// The tip (for a message, note or file: the tip it belongs to).
    public let reference: String
    /// The envelope's record id: the tip's uid, or the message's, note's or file's.
    public let uid: String
    /// The message's, note's or file's uid as stored (what `RewrapEntry.record` names); nil for a tip.
    public let record: String?
    public let wrap: Data
    public let commitment: Data?
    public init(kind: RewrapKind = .tip, reference: String, uid: String, record: String? = nil, wrap: Data, commitment: Data?) {
        self.kind = kind
        self.reference = reference
        self.uid = uid
        self.record = record
        self.wrap = wrap
        self.commitment = commitment
    }
}

/// What is left to re-wrap from a superseded key, and the page of it.
public struct RewrapPending: Sendable, Codable, Equatable {
    /// Live records of the kind asked for with a wrap for the old key and none for the current key
    /// (destroyed classes excluded).
    public let remaining: Int
    /// Live sealed records `keys rewrap` cannot re-wrap yet (informant identities and ledger names under
    /// the city's identity key) that are wrapped for the old key only: they block retirement.
    public let blocking: Int
    public let items: [RewrapItem]
    public init(remaining: Int, blocking: Int, items: [RewrapItem]) {
        self.remaining = remaining
        self.blocking = blocking
        self.items = items
    }
}

/// One new wrap: what it is for (a tip, or a message, note or file of that tip by its uid) and the
/// serialized wrap (81 bytes, docs/ENVELOPE.md §5).
public struct RewrapEntry: Sendable, Codable, Equatable {
    /// Absent: a tip.
    public let kind: RewrapKind?
    public let reference: String
    /// The message's, note's or file's uid (absent for a tip).
    public let record: String?
    public let wrap: Data
    public init(kind: RewrapKind? = nil, reference: String, record: String? = nil, wrap: Data) {
        self.kind = kind
        self.reference = reference
        self.record = record
        self.wrap = wrap
    }
}

/// `POST keys/rewrap`: one batch. `wraps` is stored only as its SHA-256 (`RedactedRequestBody`); the
/// entry names each tip and the SHA-256 of each wrap it added.
public struct RewrapBody: StrictBody, Sendable {
    public let centre: String
    public let keyClass: KeyClass
    /// The superseded key the wraps were opened with, and the current key they are for.
    public let oldKey: String
    public let newKey: String
    public let wraps: [RewrapEntry]
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case centre, wraps
        case keyClass = "key_class"
        case oldKey = "old_key"
        case newKey = "new_key"
    }

    /// A body with these fields.
    public init(centre: String, keyClass: KeyClass, oldKey: String, newKey: String, wraps: [RewrapEntry]) {
        self.centre = centre
        self.keyClass = keyClass
        self.oldKey = oldKey
        self.newKey = newKey
        self.wraps = wraps
    }

    /// The most wraps one batch may carry.
    public static let maxBatch = 500
}

/// The answer to a batch: wraps added, identical ones already there (a retry), and what is left.
public struct RewrapReply: Sendable, Codable, Equatable {
    public let added: Int
    public let unchanged: Int
    public let auditSeq: Int64?
    public init(added: Int, unchanged: Int, auditSeq: Int64?) {
        self.added = added
        self.unchanged = unchanged
        self.auditSeq = auditSeq
    }
    enum CodingKeys: String, CodingKey {
        case added, unchanged
        case auditSeq = "audit_seq"
    }
}

/// `POST keys/retire`: the superseded key to retire.
public struct RetireKeyBody: StrictBody, Sendable {
    public let centre: String
    public let keyClass: KeyClass
    public let keyID: String
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case centre
        case keyClass = "key_class"
        case keyID = "key_id"
    }

    /// A body with these fields.
    public init(centre: String, keyClass: KeyClass, keyID: String) {
        self.centre = centre
        self.keyClass = keyClass
        self.keyID = keyID
    }
}
