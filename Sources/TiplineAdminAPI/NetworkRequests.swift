public import Foundation
public import Sealing
public import TiplineCore

// Request bodies of the network registry (issue 14, docs/NETWORK.md). Strict like every admin body.

/// One responsible person of a unit's record: name and title are not secret (S-6.1).
public struct ResponsiblePerson: Sendable, Codable, Equatable {
    public let name: String
    public let title: String
    public init(name: String, title: String) {
        self.name = name
        self.title = title
    }
}

/// `network unit set-leaders`: 主要领导 / 分管领导 / 具体负责人 for one year.
public struct UnitLeadersBody: StrictBody, Sendable, Equatable {
    public let year: Int
    public let main: ResponsiblePerson
    public let deputy: ResponsiblePerson
    public let officer: ResponsiblePerson
    public init(year: Int, main: ResponsiblePerson, deputy: ResponsiblePerson, officer: ResponsiblePerson) {
        self.year = year
        self.main = main
        self.deputy = deputy
        self.officer = officer
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case year, main, deputy, officer }
}

/// `network unit self-check`: the annual "in place" check (staff, funds, support — S-6.1).
public struct UnitSelfCheckBody: StrictBody, Sendable, Equatable {
    public let year: Int
    public let staffInPlace: Bool
    public let fundsInPlace: Bool
    public let supportInPlace: Bool
    public let note: String?
    public init(year: Int, staffInPlace: Bool, fundsInPlace: Bool, supportInPlace: Bool, note: String?) {
        self.year = year
        self.staffInPlace = staffInPlace
        self.fundsInPlace = fundsInPlace
        self.supportInPlace = supportInPlace
        self.note = note
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case year, note
        case staffInPlace = "staff_in_place", fundsInPlace = "funds_in_place", supportInPlace = "support_in_place"
    }
}

/// `network liaison record`: a liaison's appointment date and qualification attestation (S-3.2).
public struct LiaisonRecordBody: StrictBody, Sendable, Equatable {
    public let appointedOn: String
    public let qualification: String
    public init(appointedOn: String, qualification: String) {
        self.appointedOn = appointedOn
        self.qualification = qualification
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case qualification
        case appointedOn = "appointed_on"
    }
}

/// `network training add`: one session and who attended (staff names).
public struct TrainingBody: StrictBody, Sendable, Equatable {
    public let unit: String
    public let date: String
    public let topic: String
    public let attendees: [String]
    public init(unit: String, date: String, topic: String, attendees: [String]) {
        self.unit = unit
        self.date = date
        self.topic = topic
        self.attendees = attendees
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case unit, date, topic, attendees }
}

/// `network areas import`: a district's communities and villages as `AreaCSV` text.
public struct AreasImportBody: StrictBody, Sendable, Equatable {
    public let district: String
    public let csv: String
    public init(district: String, csv: String) {
        self.district = district
        self.csv = csv
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case district, csv }
}

/// What the server keeps of an informant code (made on the handler's machine; the code never leaves it).
public struct InformantCodeRecord: Sendable, Codable, Equatable {
    /// SHA-256 of the locator (`InformantCode.locatorHash`), hex.
    public let locatorHash: String
    /// The informant's own 16-byte scrypt salt.
    public let salt: Data
    public let n: UInt64
    public let r: UInt32
    public let p: UInt32
    /// The first 32 bytes of scrypt output, hex.
    public let verifier: String
    /// The informant's X25519 public key, hex: replies and vouchers are sealed to it.
    public let publicKey: String
    /// The informant's X25519 private key sealed (AES-256-GCM, nonce ‖ ciphertext ‖ tag) under the code's key.
    public let sealedKey: Data

    public init(locatorHash: String, salt: Data, n: UInt64, r: UInt32, p: UInt32, verifier: String, publicKey: String, sealedKey: Data) {
        self.locatorHash = locatorHash
        self.salt = salt
        self.n = n
        self.r = r
        self.p = p
        self.verifier = verifier
        self.publicKey = publicKey
        self.sealedKey = sealedKey
    }
    enum CodingKeys: String, CodingKey {
        case salt, n, r, p, verifier
        case locatorHash = "locator_hash", publicKey = "public_key", sealedKey = "sealed_key"
    }

    /// SHA-256 (hex) of what identifies this code record: recorded in the audit entry that set it.
    public var digest: String {
        Hashing.sha256Hex(Array("\(locatorHash)|\(Hex.encode(Array(salt)))|\(n)|\(r)|\(p)|\(verifier)|\(publicKey)|\(Hex.encode(Array(sealedKey)))".utf8))
    }
}

/// `network informant add`: the record the handler's machine made. `identity` is sealed there to the
/// district's registry key and the city's identity key; the server never sees the identity in clear.
public struct InformantRegistration: StrictBody, Sendable, Equatable {
    /// The record id the identity envelope is bound to (`inf-` + 32 hex).
    public let uid: String
    /// The district centre (`nanming`).
    public let district: String
    public let areas: [String]
    public let sourceRole: InformantSourceRole
    /// `YYYY-MM-DD`: the first periodic review.
    public let reviewDue: String
    public let identity: Envelope
    public let code: InformantCodeRecord

    public init(uid: String, district: String, areas: [String], sourceRole: InformantSourceRole, reviewDue: String,
                identity: Envelope, code: InformantCodeRecord) {
        self.uid = uid
        self.district = district
        self.areas = areas
        self.sourceRole = sourceRole
        self.reviewDue = reviewDue
        self.identity = identity
        self.code = code
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case uid, district, areas, identity, code
        case sourceRole = "source_role", reviewDue = "review_due"
    }

    /// Well-formed record ids: `inf-` and 32 lowercase hex digits.
    public static func isValidUID(_ uid: String) -> Bool {
        uid.range(of: "^inf-[0-9a-f]{32}$", options: .regularExpression) != nil
    }
}

/// `network informant suspend|retire|reinstate`.
public struct InformantStatusBody: StrictBody, Sendable, Equatable {
    public let to: InformantStatus
    public let reason: String
    public init(to: InformantStatus, reason: String) {
        self.to = to
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case to, reason }
}

/// `network informant review`: what the review found, and the next due date.
public struct InformantReviewBody: StrictBody, Sendable, Equatable {
    public let outcome: String
    public let nextDue: String
    public init(outcome: String, nextDue: String) {
        self.outcome = outcome
        self.nextDue = nextDue
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case outcome
        case nextDue = "next_due"
    }
}

/// `network informant reissue-code`: a new code record; the old one stops working.
public struct InformantCodeBody: StrictBody, Sendable, Equatable {
    public let code: InformantCodeRecord
    public let reason: String
    public init(code: InformantCodeRecord, reason: String) {
        self.code = code
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case code, reason }
}

/// A second city identity holder's approval of another holder's request to open an identity.
public struct UnsealApprovalBody: StrictBody, Sendable, Equatable {
    public let request: String
    public let reason: String
    public init(request: String, reason: String) {
        self.request = request
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case request, reason }
}

extension InformantCodeRecord {
    /// Makes the record of a fresh code on the handler's machine: a new X25519 key for the informant,
    /// sealed under the code's KDF output with a fresh salt. The code itself is returned to be shown
    /// once and never stored.
    public static func issue(parameters: Scrypt.Parameters = .default) throws -> (code: InformantCode, record: InformantCodeRecord, uid: String) {
        let uid = "inf-" + Hex.encode(SecureRandom.bytes(16))
        let (code, record) = try issue(uid: uid, parameters: parameters)
        return (code, record, uid)
    }

    /// A fresh code and record for the informant record `uid` (a reissue keeps the uid).
    public static func issue(uid: String, parameters: Scrypt.Parameters = .default) throws -> (code: InformantCode, record: InformantCodeRecord) {
        let code = InformantCode.generate()
        let salt = SecureRandom.bytes(16)
        let keys = try InformantCodeKeys.derive(code, salt: salt, parameters: parameters)
        let informantKey = X25519PrivateKey.generate()
        var raw = informantKey.rawRepresentation
        defer { SecureWipe.wipe(&raw) }
        let sealed = try AESGCM.sealCombined(raw, key: keys.sealingKey, aad: InformantCode.sealedKeyAAD(uid: uid))
        let record = InformantCodeRecord(locatorHash: Hex.encode(code.locatorHash), salt: Data(salt), n: parameters.n, r: parameters.r,
                                         p: parameters.p, verifier: Hex.encode(keys.verifier),
                                         publicKey: Hex.encode(informantKey.publicKey.rawRepresentation), sealedKey: Data(sealed))
        return (code, record)
    }

    /// The informant's own private key, opened with the code: nil when the code is not this record's.
    public func openInformantKey(with code: InformantCode, uid: String) throws -> X25519PrivateKey? {
        guard Hex.encode(code.locatorHash) == locatorHash, let stored = Hex.decode(verifier) else { return nil }
        let keys = try InformantCodeKeys.derive(code, salt: Array(salt), parameters: Scrypt.Parameters(n: n, r: r, p: p))
        guard keys.matches(stored) else { return nil }
        var raw = try AESGCM.openCombined(Array(sealedKey), key: keys.sealingKey, aad: InformantCode.sealedKeyAAD(uid: uid))
        defer { SecureWipe.wipe(&raw) }
        let key = try X25519PrivateKey(rawRepresentation: raw)
        guard Hex.encode(key.publicKey.rawRepresentation) == publicKey else { return nil }
        return key
    }
}
