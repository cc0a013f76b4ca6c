import Foundation
import GRDB
import Sealing
public import TiplineCore

extension TriageStore {
    /// Enrols the deployment's first administrator (from `public/keys.json`) if no staff exist yet.
    public func bootstrapAdministrator(name: String, centre: String, publicKey: [UInt8], at: Int64) async throws(StoreError) {
        let keyID = Hashing.sha256Hex(publicKey).prefix(32)
        try await write { db in
            guard try StaffMember.fetchCount(db) == 0 else { return }
            try StaffMember(keyID: String(keyID), name: name, role: StaffRole.admin.rawValue, centre: centre,
                            publicKey: Data(publicKey), enrolledAt: at, enrolledBy: "server").insert(db)
            try audit(AuditEvent(actor: "server", action: "staff.bootstrap", subject: String(keyID),
                                 details: ["name": name, "role": "admin", "centre": centre]), at: at, in: db)
        }
    }

    /// The staff member with `keyID`, revoked or not.
    public func staffMember(_ keyID: String) async throws(StoreError) -> StaffMember? {
        try await read { db in try StaffMember.fetchOne(db, key: keyID) }
    }

    public func listStaff() async throws(StoreError) -> [StaffMember] {
        try await read { db in try StaffMember.order(Column("enrolled_at"), Column("key_id")).fetchAll(db) }
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

    /// Approves an enrolment request (administrator only; the caller checked the role).
    public func enrol(_ request: EnrolmentRequest, by actor: StaffActor, at: Int64) async throws(StoreError) -> StaffMember {
        guard let key = request.verifiedKey() else { throw .conflict("the enrolment request's proof does not verify") }
        guard EnrolmentRequest.isValidName(request.name) else { throw .conflict("names are lowercase letters, digits, '.', '_' or '-'") }
        guard policies.centres.centre(CentreID(request.centre)) != nil else { throw .conflict("no such centre") }
        let member = StaffMember(keyID: key.keyID, name: request.name, role: request.role.rawValue, centre: request.centre,
                                 publicKey: Data(key.rawRepresentation), enrolledAt: at, enrolledBy: actor.member.keyID)
        return try await write { db in
            guard try StaffMember.fetchOne(db, key: member.keyID) == nil else { throw StoreError.conflict("this key is already enrolled") }
            try member.insert(db)
            try audit(actor.event(.enrolStaff, subject: member.keyID, details: [
                "name": member.name, "staff_role": member.role, "staff_centre": member.centre,
                "public_key": Hex.encode(member.publicKey),
            ]), at: at, in: db)
            return member
        }
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
            try audit(actor.event(.revokeStaff, subject: keyID, details: ["reason": reason]), at: at, in: db)
        }
    }
}
