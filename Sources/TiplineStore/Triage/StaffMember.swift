public import Foundation
public import GRDB
public import TiplineCore

/// An enrolled staff key (table `staff`).
public struct StaffMember: Sendable, Codable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "staff"

    public var keyID: String
    public var name: String
    public var role: String
    public var centre: String
    /// The network unit (issue 14); nil for keys enrolled before units existed: the unit running `centre`.
    public var unit: String?
    public var publicKey: Data
    public var enrolledAt: Int64
    public var enrolledBy: String
    public var revokedAt: Int64?
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

    public var staffRole: StaffRole? { StaffRole(rawValue: role) }
    public var centreID: CentreID { CentreID(centre) }
    public var isActive: Bool { revokedAt == nil }

    /// Whether the key was enrolled and not yet revoked at `time`.
    public func wasValid(at time: Int64) -> Bool {
        enrolledAt <= time && (revokedAt.map { time < $0 } ?? true)
    }
}

/// An authenticated staff request: who, and the exact signed bytes (kept with the audit entry).
public struct StaffActor: Sendable {
    public let member: StaffMember
    public let request: Data
    public let signature: Data

    public init(member: StaffMember, request: Data, signature: Data) {
        self.member = member
        self.request = request
        self.signature = signature
    }

    /// An audit event for this actor's action.
    func event(_ action: StaffAction, subject: String, details: [String: String] = [:]) -> AuditEvent {
        var all = details
        all["role"] = member.role
        all["centre"] = member.centre
        return AuditEvent(actor: member.keyID, action: action.rawValue, subject: subject, details: all,
                          request: request, requestSignature: signature)
    }
}
