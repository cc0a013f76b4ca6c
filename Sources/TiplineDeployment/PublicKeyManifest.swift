public import Foundation
public import Sealing
public import TiplineCore

/// `public/keys.json`: every public key of the deployment with its id (first 16 bytes of SHA-256).
public struct PublicKeyManifest: Sendable, Codable, Equatable {
    /// One public key as written: key id and the raw key in hex.
    public struct Key: Sendable, Codable, Equatable {
        /// The key id: the first 16 bytes of the key's SHA-256, in hex.
        public var keyID: String
        /// The raw public key in hex.
        public var publicKey: String
        /// For a centre key made by `keys rotate`: the audit entry that registered it (absent for keys
        /// made at `init`, so a manifest that never rotated keeps its fingerprint).
        public var sinceSeq: Int64?
        /// When it was registered (UTC seconds), with `sinceSeq`.
        public var since: Int64?
        enum CodingKeys: String, CodingKey {
            case keyID = "key_id"
            case publicKey = "public_key"
            case sinceSeq = "since_seq"
            case since
        }
        /// A key entry (`sinceSeq` and `since` for a key registered by `keys rotate`).
        public init(keyID: String, publicKey: String, sinceSeq: Int64? = nil, since: Int64? = nil) {
            self.keyID = keyID
            self.publicKey = publicKey
            self.sinceSeq = sinceSeq
            self.since = since
        }
    }

    /// The two X25519 keys of a centre.
    public struct CentreKeys: Sendable, Codable, Equatable {
        /// The centre's id.
        public var centre: String
        /// The centre's current content key: new tips' content, messages and notes are wrapped to it.
        public var content: Key
        /// The centre's current identity key: new reporters' identities are wrapped to it.
        public var identity: Key
        /// Keys this centre used before (`keys rotate`), oldest first; absent when it never rotated.
        public var former: [FormerKey]?

        /// A centre's keys (`former` for a centre whose keys were rotated).
        public init(centre: String, content: Key, identity: Key, former: [FormerKey]? = nil) {
            self.centre = centre
            self.content = content
            self.identity = identity
            self.former = former
        }

        /// The current key of `keyClass`.
        public func current(_ keyClass: KeyClass) -> Key { keyClass == .content ? content : identity }
    }

    /// A centre key that a rotation superseded (docs/ENVELOPE.md §14): no new record is sealed to it;
    /// old records keep their wraps for it until holders re-wrap them; once `retired`, the server
    /// accepts no wrap for it at all.
    public struct FormerKey: Sendable, Codable, Equatable {
        public var keyClass: KeyClass
        public var key: Key
        /// The key that replaced it, and the `keys.rotate` entry that did (time in UTC seconds).
        public var supersededBy: String
        public var supersededSeq: Int64
        public var supersededAt: Int64
        /// The `keys.retire` entry that retired it, if any.
        public var retiredSeq: Int64?
        public var retiredAt: Int64?
        enum CodingKeys: String, CodingKey {
            case keyClass = "key_class"
            case key
            case supersededBy = "superseded_by"
            case supersededSeq = "superseded_seq"
            case supersededAt = "superseded_at"
            case retiredSeq = "retired_seq"
            case retiredAt = "retired_at"
        }
        public init(keyClass: KeyClass, key: Key, supersededBy: String, supersededSeq: Int64, supersededAt: Int64,
                    retiredSeq: Int64? = nil, retiredAt: Int64? = nil) {
            self.keyClass = keyClass
            self.key = key
            self.supersededBy = supersededBy
            self.supersededSeq = supersededSeq
            self.supersededAt = supersededAt
            self.retiredSeq = retiredSeq
            self.retiredAt = retiredAt
        }
        /// `superseded` (re-wrapping may still read it) or `retired`.
        public var state: String { retiredSeq == nil ? "superseded" : "retired" }
    }

    /// A staff member's Ed25519 key as enrolled at init (the first administrator).
    public struct StaffKey: Sendable, Codable, Equatable {
        /// The staff member's display name.
        public var name: String
        /// The `StaffRole` raw value.
        public var role: String
        /// The centre the key acts for.
        public var centre: String
        /// The staff member's Ed25519 public key.
        public var key: Key
    }

    /// The X25519 keys of a network unit (issue 14): its content key (items, informant reports,
    /// ledgers, bulletins sent to it) and, for a district office, its registry key (informant identities).
    public struct UnitKeys: Sendable, Codable, Equatable {
        /// The unit's id.
        public var unit: String
        /// The unit's content key.
        public var content: Key
        /// The district office's registry key; nil for other units.
        public var registry: Key?
    }

    /// Each centre's content and identity keys.
    public var centres: [CentreKeys]
    /// Network units' keys; nil in a deployment made before the network existed (it then has no network).
    public var units: [UnitKeys]?
    /// The intake host's Ed25519 key: signs audit entries, checkpoints and proofs of report.
    public var server: Key
    /// The staff keys enrolled at init (the first administrator).
    public var staff: [StaffKey]

    /// The X25519 public key of `centre` for `keyClass`, parsed.
    public func centreKey(_ centre: CentreID, _ keyClass: KeyClass) throws -> X25519PublicKey? {
        guard let entry = centres.first(where: { $0.centre == centre.rawValue }) else { return nil }
        let key = keyClass == .content ? entry.content : entry.identity
        guard let raw = Hex.decode(key.publicKey) else { return nil }
        return try X25519PublicKey(rawRepresentation: raw)
    }

    /// Content and identity key ids by centre.
    public var centreKeyIDs: [CentreID: (content: String, identity: String)] {
        var keys: [CentreID: (content: String, identity: String)] = [:]
        for entry in centres { keys[CentreID(entry.centre)] = (entry.content.keyID, entry.identity.keyID) }
        return keys
    }

    /// Content and registry key ids by unit (empty for a deployment made before the network).
    public var unitKeyIDs: [String: (content: String, registry: String?)] {
        var keys: [String: (content: String, registry: String?)] = [:]
        for entry in units ?? [] { keys[entry.unit] = (entry.content.keyID, entry.registry?.keyID) }
        return keys
    }

    /// The X25519 content key of `unit`, or its registry key, parsed.
    public func unitKey(_ unit: String, registry: Bool = false) throws -> X25519PublicKey? {
        guard let entry = units?.first(where: { $0.unit == unit }), let key = registry ? entry.registry : entry.content,
              let raw = Hex.decode(key.publicKey) else { return nil }
        return try X25519PublicKey(rawRepresentation: raw)
    }

    /// SHA-256 (lowercase hex) of the manifest's canonical JSON (sorted keys, no whitespace): what
    /// staff pin when they reach the server without a copy of public/keys.json. Independent of the
    /// file's formatting.
    public var fingerprint: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Hashing.sha256Hex(Array((try? encoder.encode(self)) ?? Data()))
    }

    /// A fingerprint as typed: lowercase, without ':' or spaces.
    public static func normalizedFingerprint(_ text: String) -> String {
        String(text.lowercased().filter { $0 != ":" && $0 != " " })
    }

    /// Reads a keys.json file.
    public static func load(from url: URL) throws(DeploymentError) -> PublicKeyManifest {
        try JSONFiles.decode(PublicKeyManifest.self, from: url)
    }

    /// The server's Ed25519 public key, parsed; throws when it is malformed.
    public func serverPublicKey() throws -> Ed25519PublicKey {
        guard let raw = Hex.decode(server.publicKey) else { throw DeploymentError.malformed("keys.json server key") }
        return try Ed25519PublicKey(rawRepresentation: raw)
    }
}
