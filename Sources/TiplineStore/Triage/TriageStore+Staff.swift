import Foundation
import GRDB
import Sealing
public import TiplineCore
public import TiplineAdminAPI

extension TriageStore {
    /// Enrols the deployment's first administrator (from `public/keys.json`) if no staff exist yet.
    public func bootstrapAdministrator(name: String, centre: String, publicKey: [UInt8], at: Int64) async throws(StoreError) {
        if let problem = Ed25519PointCheck.problem(publicKey) { throw .conflict("the first administrator's key is refused: \(problem)") }
        let keyID = Hashing.sha256Hex(publicKey).prefix(32)
        try await write { db in
            guard try StaffMember.fetchCount(db) == 0 else { return }
            try StaffMember(keyID: String(keyID), name: name, role: .admin, centre: CentreID(centre),
                            publicKey: Data(publicKey), enrolledAt: at, enrolledBy: "server").insert(db)
            try audit(AuditEvent(server: .staffBootstrap, subject: String(keyID),
                                 details: ["name": name, "role": "admin", "centre": centre]), at: at, in: db)
        }
    }

    /// The staff member with `keyID`, revoked or not.
    public func staffMember(_ keyID: String) async throws(StoreError) -> StaffMember? {
        try await read { db in try StaffMember.fetchOne(db, key: keyID) }
    }

    /// Every enrolled key, revoked ones included, in enrolment order.
    public func listStaff() async throws(StoreError) -> [StaffMember] {
        try await read { db in try StaffMember.order(StaffMember.Columns.enrolledAt, StaffMember.Columns.keyID).fetchAll(db) }
    }

    /// Records a request nonce; false if it was already used (a replay). Old nonces are pruned.
    public func recordNonce(keyID: String, nonce: String, at: Int64) async throws(StoreError) -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM request_nonce WHERE seen_at < ?",
                           arguments: [at - 2 * AdminRequestSignature.allowedSkewSeconds - 60])
            try db.execute(sql: "INSERT OR IGNORE INTO request_nonce(key_id, nonce, seen_at) VALUES (?, ?, ?)",
                           arguments: [keyID, nonce, at])
            return db.changesCount == 1
        }
    }

    /// What an approval did.
    public enum EnrolmentResult: Sendable {
        /// The key is enrolled.
        case enrolled(StaffMember)
        /// The first of two approvals is recorded (a privileged role); a different administrator completes it.
        case pending(StaffMember)
    }

    /// Approves an enrolment request (administrator only; the caller checked the role).
    ///
    /// A privileged role (`StaffRole.needsSecondApproval`) takes two administrators: the first
    /// approval is kept as pending (`staff.enrol-pending`), a different administrator's approval of
    /// the same request completes it (`staff.enrol`, with `first_approver`). The one exception is a
    /// deployment's sole active administrator enrolling a second administrator (`approval` =
    /// `sole-admin`): without it no deployment could ever have two.
    public func enrol(_ request: EnrolmentRequest, by actor: StaffActor, at: Int64) async throws(StoreError) -> EnrolmentResult {
        if let raw = Hex.decode(request.publicKey), let problem = Ed25519PointCheck.problem(raw) {
            throw .conflict("the enrolment's public key is refused: \(problem)")
        }
        guard let key = request.verifiedKey() else { throw .conflict("the enrolment request's proof does not verify") }
        guard EnrolmentRequest.isValidName(request.name) else { throw .conflict("names are lowercase letters, digits, '.', '_' or '-'") }
        guard policies.centres.centre(CentreID(request.centre)) != nil else { throw .conflict("no such centre") }
        let unit = try unitForEnrolment(request)
        let member = StaffMember(keyID: key.keyID, name: request.name, role: request.role, centre: CentreID(request.centre), unit: unit.id,
                                 publicKey: Data(key.rawRepresentation), enrolledAt: at, enrolledBy: actor.member.keyID)
        let requestHash = request.approvalHash
        return try await write { db in
            guard try StaffMember.fetchOne(db, key: member.keyID) == nil else { throw StoreError.conflict("this key is already enrolled") }
            var details = [
                "name": member.name, "staff_role": member.role.rawValue, "staff_centre": member.centre.rawValue,
                "public_key": Hex.encode(member.publicKey), "staff_unit": unit.id,
            ]
            if request.role.needsSecondApproval {
                let admins = try Int.fetchOne(db, sql: "SELECT count(*) FROM staff WHERE role = 'admin' AND revoked_at IS NULL") ?? 0
                if request.role == .admin, admins <= 1 {
                    details["approval"] = "sole-admin"
                } else if let pending = try Row.fetchOne(db, sql: "SELECT first_approver, request_hash FROM staff_pending WHERE key_id = ?",
                                                          arguments: [member.keyID]) {
                    let first: String = pending["first_approver"]
                    guard first != actor.member.keyID else {
                        throw StoreError.conflict("需要另一位管理员批准 / a second, different administrator must approve this enrolment")
                    }
                    guard (pending["request_hash"] as String) == requestHash else {
                        throw StoreError.conflict("this enrolment request differs from the one first approved")
                    }
                    try db.execute(sql: "DELETE FROM staff_pending WHERE key_id = ?", arguments: [member.keyID])
                    details["approval"] = "second"
                    details["first_approver"] = first
                } else {
                    try db.execute(sql: """
                        INSERT INTO staff_pending(key_id, request_hash, name, role, centre, first_approver, approved_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [member.keyID, requestHash, member.name, member.role, member.centre, actor.member.keyID, at])
                    details["approval"] = "first"
                    try audit(actor.event(.enrolPending, subject: member.keyID, details: details), at: at, in: db)
                    return .pending(member)
                }
            }
            try member.insert(db)
            try audit(actor.event(.enrolStaff, subject: member.keyID, details: details), at: at, in: db)
            return .enrolled(member)
        }
    }

    /// The unit an enrolment names (or, when it names none, the unit running its centre), checked
    /// against the role: a liaison belongs to a node, a handler to a district office, an editor or an
    /// assessor to the city office (NETWORK.md "Nodes and people").
    func unitForEnrolment(_ request: EnrolmentRequest) throws(StoreError) -> NetworkUnit {
        let units = policies.units
        let unit: NetworkUnit
        if let id = request.unit {
            guard let named = units.unit(id) else { throw .conflict("no such unit \(id) in units.yaml") }
            unit = named
        } else if request.role.unitKinds == nil {
            unit = units.runner(of: CentreID(request.centre)) ?? units.cityOffice
        } else {
            throw .conflict("a \(request.role.rawValue) names a unit (--unit)")
        }
        if let kinds = request.role.unitKinds, !kinds.contains(unit.kind) {
            throw .conflict("a \(request.role.rawValue) belongs to a unit of kind \(kinds.map(\.rawValue).sorted().joined(separator: " or ")), not \(unit.kind.rawValue)")
        }
        return unit
    }

    /// The unit of a staff member: as enrolled, or for a key enrolled before units, the unit running its centre.
    public func unit(of member: StaffMember) -> NetworkUnit {
        let units = policies.units
        return member.unit.flatMap(units.unit) ?? units.runner(of: member.centre) ?? units.cityOffice
    }

    /// Revokes a staff key; its past signatures stay verifiable.
    public func revoke(keyID: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) {
        guard let reason = ReasonText.clean(reason) else { throw .conflict("a reason is required") }
        try await write { db in
            guard var member = try StaffMember.fetchOne(db, key: keyID) else { throw StoreError.notFound("staff key") }
            guard member.isActive else { throw StoreError.conflict("already revoked") }
            guard member.keyID != actor.member.keyID else { throw StoreError.conflict("an administrator cannot revoke their own key") }
            member.revokedAt = at
            member.revokedBy = actor.member.keyID
            try member.update(db)
            // A revoked administrator's first approvals lapse with their key.
            try db.execute(sql: "DELETE FROM staff_pending WHERE first_approver = ?", arguments: [keyID])
            try audit(actor.event(.revokeStaff, subject: keyID, details: ["reason": reason]), at: at, in: db)
        }
    }
}
