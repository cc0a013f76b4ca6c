public import Foundation
public import GRDB
public import TiplineCore

/// An enrolled staff key (table `staff`).
public struct StaffMember: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    /// The SQLite table, `staff`.
    public static let databaseTableName = "staff"

    /// The key's id (32 hex digits).
    public var keyID: String
    /// The staff member's display name as enrolled.
    public var name: String
    /// The staff member's role.
    public var role: StaffRole
    /// The centre whose tips the key may act on.
    public var centre: CentreID
    /// The network unit (issue 14); nil for keys enrolled before units existed: the unit running `centre`.
    public var unit: String?
    /// The Ed25519 public key that verifies the member's signed requests (32 bytes).
    public var publicKey: Data
    /// Unix seconds (UTC) when the key was enrolled.
    public var enrolledAt: Int64
    /// Key id of the admin who enrolled the key, or `server` for the first one.
    public var enrolledBy: String
    /// Unix seconds (UTC) when the key was revoked; nil while active.
    public var revokedAt: Int64?
    /// Key id of the admin who revoked the key.
    public var revokedBy: String?

    enum CodingKeys: String, CodingKey {
        case name, role, centre, unit
        case keyID = "key_id"
        case publicKey = "public_key"
        case enrolledAt = "enrolled_at"
        case enrolledBy = "enrolled_by"
        case revokedAt = "revoked_at"
        case revokedBy = "revoked_by"
    }

    /// The table's columns, for the query interface.
    public enum Columns {
        /// `key_id`.
        public static let keyID = Column(CodingKeys.keyID)
        /// `role`.
        public static let role = Column(CodingKeys.role)
        /// `enrolled_at`.
        public static let enrolledAt = Column(CodingKeys.enrolledAt)
        /// `revoked_at`.
        public static let revokedAt = Column(CodingKeys.revokedAt)
    }

    /// Whether the key has not been revoked.
    public var isActive: Bool { revokedAt == nil }

    /// Whether the key was enrolled and not yet revoked at `time`.
    public func wasValid(at time: Int64) -> Bool {
        enrolledAt <= time && (revokedAt.map { time < $0 } ?? true)
    }
}

/// An authenticated staff request: who, and the exact signed bytes (kept with the audit entry).
public struct StaffActor: Sendable {
    /// The enrolled key that signed the request.
    public let member: StaffMember
    /// The recorded signed request (message line, newline, redacted body), kept with the audit entry.
    public let request: Data
    /// The member's Ed25519 signature over the request's message.
    public let signature: Data

    /// An actor whose signature was already checked.
    public init(member: StaffMember, request: Data, signature: Data) {
        self.member = member
        self.request = request
        self.signature = signature
    }

    /// An audit event for this actor's action.
    func event(_ action: StaffAction, subject: String, details: [String: String] = [:]) -> AuditEvent {
        var all = details
        all["role"] = member.role.rawValue
        all["centre"] = member.centre.rawValue
        return AuditEvent(actor: member.keyID, action: action.rawValue, subject: subject, details: all,
                          request: request, requestSignature: signature)
    }
}
