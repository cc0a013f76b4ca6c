import Sealing
import TiplineCore

/// The staff keys as the audit entries themselves tell it: bootstrapped, enrolled (with key, role and
/// centre) and revoked — never from the `staff` table, which an attacker with the database could edit.
struct StaffHistory {
    struct Member {
        let key: Ed25519PublicKey
        let role: StaffRole?
        let roleName: String
        let centre: String
        let enrolledSeq: Int64
        let enrolledAt: Int64
        let enrolledBy: String
        var revokedSeq: Int64?
        var revokedAt: Int64?
        var revokedBy: String?
        /// The network unit the enrolment recorded (`staff_unit`, issue 14); nil for older entries.
        var unit: String? = nil
    }

    private(set) var members: [String: Member] = [:]
    /// Key ids in enrolment order (for the export).
    private(set) var order: [String] = []

    subscript(keyID: String) -> Member? { members[keyID] }

    mutating func enrol(keyID: String, _ member: Member) {
        if members[keyID] == nil { order.append(keyID) }
        members[keyID] = member
    }

    mutating func revoke(keyID: String, seq: Int64, at: Int64, by: String) {
        members[keyID]?.revokedSeq = seq
        members[keyID]?.revokedAt = at
        members[keyID]?.revokedBy = by
    }

    var isEmpty: Bool { members.isEmpty }

    /// How many keys of `role` are enrolled and not revoked.
    func activeCount(_ role: StaffRole) -> Int {
        members.values.reduce(0) { $0 + ($1.role == role && $1.revokedSeq == nil ? 1 : 0) }
    }
}
