import Foundation
import GRDB
import Sealing
public import TiplineCore
public import TiplineAdminAPI

/// Informants (issue 14, S-2.2, S-3.1, S-4.4): known by pseudonym; the true identity is sealed on the
/// handler's machine to the district's registry key and the city's identity key. Only the district's
/// handler opens it (with a reason), or a city identity holder with a reason and a second city
/// holder's approval; the audit entry is written before the sealed identity is released.
extension TriageStore {
    /// Checks that `member` (a handler) works for the district office of `district`.
    func requireHandler(of district: String, _ member: StaffMember) throws(StoreError) {
        guard ownDistrict(of: member)?.rawValue == district, member.role == .handler else {
            throw .notFound("informant")  // like a missing record: another district's informants are not listed
        }
    }

    /// The key ids an informant identity must be wrapped for: the district office's registry key and the city's identity key.
    public func informantIdentityKeys(district: String) throws(StoreError) -> Set<String> {
        let office = try districtOffice(district)
        guard let registry = unitKeys[office.id]?.registry else { throw .conflict("this deployment has no registry key for \(office.id)") }
        guard let city = centreKeys[city]?.identity else { throw .conflict("no identity key for the city centre") }
        return [registry, city]
    }

    /// Registers an informant; the server assigns the pseudonym (district prefix + next serial).
    public func registerInformant(_ body: InformantRegistration, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView {
        try requireHandler(of: body.district, actor.member)
        let office = try districtOffice(body.district)
        guard let prefix = office.informantPrefix, let county = office.countyCode else { throw .conflict("the district office has no informant prefix") }
        guard InformantRegistration.isValidUID(body.uid) else { throw .invalid("uid is inf- and 32 hex digits") }
        guard CivilDate.isValid(body.reviewDue) else { throw .invalid("review_due is a date YYYY-MM-DD") }
        guard (1...50).contains(body.areas.count), Set(body.areas).count == body.areas.count else { throw .invalid("1–50 different area codes") }
        if let stray = body.areas.first(where: { !$0.hasPrefix(county) }) { throw .invalid("area \(stray) is not in \(body.district)") }
        try checkIdentityEnvelope(body.identity, uid: body.uid, district: body.district)
        try checkCodeRecord(body.code)
        let known = Set(try await areas(district: body.district).map(\.area.code))
        if let unknown = body.areas.first(where: { !known.contains($0) }) { throw .invalid("area \(unknown) is not known; import it first") }
        let identityBytes = body.identity.jsonRepresentation()
        let identityHash = Hashing.sha256Hex(identityBytes)
        let wrapKeys = body.identity.wraps.map(\.recipientKeyID).sorted().joined(separator: ",")
        return try await write { db in
            let serial = (try Int.fetchOne(db, sql: "SELECT max(serial) FROM informant WHERE district = ?", arguments: [body.district]) ?? 0) + 1
            let pseudonym = Pseudonym(prefix: prefix, serial: serial)
            try db.execute(sql: """
                INSERT INTO informant(pseudonym, uid, district, serial, source_role, status, registered_at, registered_by, review_due,
                  identity, identity_sha256, code_locator_hash, code_salt, code_n, code_r, code_p, code_verifier, public_key, sealed_key, code_issued_at)
                VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StatementArguments([pseudonym.rawValue, body.uid, body.district, serial, body.sourceRole.rawValue, at,
                                                    actor.member.keyID, body.reviewDue, Data(identityBytes), identityHash]
                                                   + Self.codeArguments(body.code) + [at]))
            for code in body.areas {
                try db.execute(sql: "INSERT INTO informant_area(code, pseudonym) VALUES (?, ?)", arguments: [code, pseudonym.rawValue])
            }
            try audit(actor.event(.registerInformant, subject: pseudonym.rawValue, details: [
                "district": body.district, "uid": body.uid, "areas": body.areas.sorted().joined(separator: ","),
                "source_role": body.sourceRole.rawValue, "review_due": body.reviewDue, "identity_sha256": identityHash,
                "identity_wraps": wrapKeys, "code_digest": body.code.digest,
            ]), at: at, in: db)
            return try Self.informantView(pseudonym.rawValue, in: db)!
        }
    }

    /// The identity envelope must be bound to `uid`, carry one sealed field `identity`, a key commitment,
    /// and exactly one wrap for each of the district's registry key and the city's identity key.
    func checkIdentityEnvelope(_ envelope: Envelope, uid: String, district: String) throws(StoreError) {
        guard envelope.recordID == uid else { throw .invalid("the identity is sealed to another record id") }
        guard envelope.fields.count == 1, envelope.fields[0].name == "identity" else { throw .invalid("the identity envelope holds one field, identity") }
        guard envelope.keyCommitment != nil else { throw .invalid("the identity envelope has no key commitment") }
        let expected = try informantIdentityKeys(district: district)
        let wraps = envelope.wraps.map(\.recipientKeyID)
        guard wraps.count == expected.count, Set(wraps) == expected else {
            throw .invalid("the identity is wrapped for exactly the district's registry key and the city's identity key")
        }
        guard envelope.jsonRepresentation().count <= 16_384 else { throw .invalid("the identity envelope is larger than 16 KiB") }
    }

    func checkCodeRecord(_ code: InformantCodeRecord) throws(StoreError) {
        guard let locator = Hex.decode(code.locatorHash), locator.count == 32, let verifier = Hex.decode(code.verifier), verifier.count == 32,
              let key = Hex.decode(code.publicKey), key.count == 32, code.salt.count == 16, code.sealedKey.count == 12 + 32 + 16 else {
            throw .invalid("the code record is malformed")
        }
        guard ReceiptRecord.acceptsStored(Scrypt.Parameters(n: code.n, r: code.r, p: code.p)),
              code.n >= UInt64(SecurityPolicy.receiptKDFMinimumN) else { throw .invalid("the code's KDF parameters are refused") }
    }

    static func codeArguments(_ code: InformantCodeRecord) -> [(any DatabaseValueConvertible)?] {
        [Data(Hex.decode(code.locatorHash) ?? []), code.salt, Int64(code.n), Int64(code.r), Int64(code.p),
         Data(Hex.decode(code.verifier) ?? []), Data(Hex.decode(code.publicKey) ?? []), code.sealedKey]
    }

    static func informantView(_ pseudonym: String, in db: Database) throws -> InformantView? {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT pseudonym, uid, district, source_role, status, registered_at, status_changed_at, review_due, code_issued_at FROM informant WHERE pseudonym = ?
            """, arguments: [pseudonym]) else { return nil }
        return try informantView(row, in: db)
    }

    static func informantView(_ row: Row, in db: Database) throws -> InformantView {
        let pseudonym: String = row["pseudonym"]
        let areas = try String.fetchAll(db, sql: "SELECT code FROM informant_area WHERE pseudonym = ? ORDER BY code", arguments: [pseudonym])
        return informantView(row, areas: areas)
    }

    static func informantView(_ row: Row, areas: [String]) -> InformantView {
        let pseudonym: String = row["pseudonym"]
        return InformantView(pseudonym: pseudonym, uid: row["uid"], district: row["district"], areas: areas,
                             sourceRole: InformantSourceRole(rawValue: row["source_role"]) ?? .other,
                             status: InformantStatus(rawValue: row["status"]) ?? .suspended,
                             registeredAt: ISO8601.chinaString(fromSeconds: row["registered_at"]),
                             statusChangedAt: (row["status_changed_at"] as Int64?).map { ISO8601.chinaString(fromSeconds: $0) },
                             reviewDue: row["review_due"], codeIssuedAt: ISO8601.chinaString(fromSeconds: row["code_issued_at"]))
    }

    /// The handler's district's informants (by status; `overdueOn`: those whose review is due before that date).
    public func informants(for member: StaffMember, status: InformantStatus?, overdueOn: String?, limit: Int) async throws(StoreError) -> [InformantView] {
        guard let district = ownDistrict(of: member)?.rawValue else { throw .forbidden("informants are listed by their district office's handlers") }
        return try await read { db in
            // Built per filter so each shape reads its index: (district, serial), (district, status, serial),
            // or the partial (district, review_due, serial) for the overdue list, most overdue first.
            var sql = "SELECT pseudonym, uid, district, source_role, status, registered_at, status_changed_at, review_due, code_issued_at FROM informant WHERE district = ?"
            var arguments: [(any DatabaseValueConvertible)?] = [district]
            if let status { sql += " AND status = ?"; arguments.append(status.rawValue) }
            if let overdueOn {
                sql += " AND status != 'retired' AND review_due < ? ORDER BY review_due, serial"
                arguments.append(overdueOn)
            } else {
                sql += " ORDER BY serial"
            }
            sql += " LIMIT ?"
            arguments.append(limit)
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
            let areas = try Self.areaCodes(of: rows.map { $0["pseudonym"] as String }, in: db)
            return rows.map { Self.informantView($0, areas: areas[$0["pseudonym"] as String] ?? []) }
        }
    }

    /// The covered area codes of `pseudonyms`, in one query.
    static func areaCodes(of pseudonyms: [String], in db: Database) throws -> [String: [String]] {
        guard !pseudonyms.isEmpty else { return [:] }
        var result: [String: [String]] = [:]
        for chunk in stride(from: 0, to: pseudonyms.count, by: 500).map({ Array(pseudonyms[$0..<min($0 + 500, pseudonyms.count)]) }) {
            let marks = chunk.map { _ in "?" }.joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT pseudonym, code FROM informant_area WHERE pseudonym IN (\(marks)) ORDER BY code",
                                        arguments: StatementArguments(chunk)) {
                result[row["pseudonym"] as String, default: []].append(row["code"])
            }
        }
        return result
    }

    /// One informant with its reviews and who opened its identity (from the audit log).
    public func informantDetail(_ pseudonym: String, for member: StaffMember) async throws(StoreError) -> InformantDetail {
        let names = try await staffNames()
        return try await read { db in
            guard let view = try Self.informantView(pseudonym, in: db) else { throw StoreError.notFound("informant") }
            try requireHandler(of: view.district, member)
            let reviews = try Row.fetchAll(db, sql: "SELECT * FROM informant_review WHERE pseudonym = ? ORDER BY id", arguments: [pseudonym]).map { row in
                InformantReviewView(reviewedAt: ISO8601.chinaString(fromSeconds: row["reviewed_at"]),
                                    reviewedBy: names[row["reviewed_by"] as String] ?? row["reviewed_by"], outcome: row["outcome"], nextDue: row["next_due"])
            }
            let openings = try AuditEntry.filter(AuditColumn.subject.column == pseudonym && AuditColumn.action.column == StaffAction.unsealInformant.rawValue)
                .order(AuditColumn.seq.column).fetchAll(db).map { entry in
                    let details = (try? JSONDecoder().decode([String: String].self, from: Data(entry.details.utf8))) ?? [:]
                    return InformantOpening(at: ISO8601.chinaString(fromSeconds: entry.at), by: names[entry.actor] ?? entry.actor,
                                            reason: details["reason"] ?? "", approvedBy: details["approved_by"].map { names[$0] ?? $0 })
                }
            return InformantDetail(informant: view, reviews: reviews, openings: openings)
        }
    }

    /// Suspends, retires or reinstates an informant, with a reason.
    public func changeInformant(_ pseudonym: String, _ body: InformantStatusBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView {
        guard let reason = ReasonText.clean(body.reason) else { throw .invalid("a reason is required") }
        return try await write { db in
            guard let view = try Self.informantView(pseudonym, in: db) else { throw StoreError.notFound("informant") }
            try requireHandler(of: view.district, actor.member)
            guard view.status.allows(body.to) else { throw StoreError.conflict("an informant who is \(view.status.rawValue) cannot become \(body.to.rawValue)") }
            try db.execute(sql: "UPDATE informant SET status = ?, status_changed_at = ? WHERE pseudonym = ?", arguments: [body.to.rawValue, at, pseudonym])
            try audit(actor.event(.changeInformant, subject: pseudonym, details: ["from": view.status.rawValue, "to": body.to.rawValue, "reason": reason]),
                      at: at, in: db)
            return try Self.informantView(pseudonym, in: db)!
        }
    }

    /// Records a periodic review and the next due date.
    public func reviewInformant(_ pseudonym: String, _ body: InformantReviewBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView {
        guard let outcome = ReasonText.clean(body.outcome), outcome.count <= 500 else { throw .invalid("an outcome of at most 500 characters") }
        guard CivilDate.isValid(body.nextDue), body.nextDue > CivilDate.today(at: at) else { throw .invalid("next_due is a date YYYY-MM-DD after today") }
        return try await write { db in
            guard let view = try Self.informantView(pseudonym, in: db) else { throw StoreError.notFound("informant") }
            try requireHandler(of: view.district, actor.member)
            guard view.status != .retired else { throw StoreError.conflict("the informant is retired") }
            try db.execute(sql: "INSERT INTO informant_review(pseudonym, reviewed_at, reviewed_by, outcome, next_due) VALUES (?, ?, ?, ?, ?)",
                           arguments: [pseudonym, at, actor.member.keyID, outcome, body.nextDue])
            try db.execute(sql: "UPDATE informant SET review_due = ? WHERE pseudonym = ?", arguments: [body.nextDue, pseudonym])
            try audit(actor.event(.reviewInformant, subject: pseudonym, details: ["outcome": outcome, "next_due": body.nextDue]), at: at, in: db)
            return try Self.informantView(pseudonym, in: db)!
        }
    }

    /// Replaces the informant's code record: the old code stops working at once.
    public func reissueInformantCode(_ pseudonym: String, _ body: InformantCodeBody, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantView {
        guard let reason = ReasonText.clean(body.reason) else { throw .invalid("a reason is required") }
        try checkCodeRecord(body.code)
        return try await write { db in
            guard let view = try Self.informantView(pseudonym, in: db) else { throw StoreError.notFound("informant") }
            try requireHandler(of: view.district, actor.member)
            guard view.status != .retired else { throw StoreError.conflict("the informant is retired") }
            try db.execute(sql: """
                UPDATE informant SET code_locator_hash = ?, code_salt = ?, code_n = ?, code_r = ?, code_p = ?, code_verifier = ?, public_key = ?,
                  sealed_key = ?, code_issued_at = ? WHERE pseudonym = ?
                """, arguments: StatementArguments(Self.codeArguments(body.code) + [at, pseudonym]))
            try audit(actor.event(.reissueInformantCode, subject: pseudonym, details: ["code_digest": body.code.digest, "reason": reason]), at: at, in: db)
            return try Self.informantView(pseudonym, in: db)!
        }
    }

    /// A city identity holder asks to open an informant's identity; a second city holder must approve.
    public func requestInformantUnseal(_ pseudonym: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> UnsealRequestReply {
        guard actor.member.centre == city else { throw .forbidden("only the city's identity holders open informant identities beyond the district") }
        guard let reason = ReasonText.clean(reason) else { throw .invalid("a reason is required") }
        let id = "ur-" + Hex.encode(SecureRandom.bytes(8))
        return try await write { db in
            guard try Self.informantView(pseudonym, in: db) != nil else { throw StoreError.notFound("informant") }
            try db.execute(sql: "INSERT INTO informant_unseal_request(id, pseudonym, requested_by, requested_at, reason) VALUES (?, ?, ?, ?, ?)",
                           arguments: [id, pseudonym, actor.member.keyID, at, reason])
            try audit(actor.event(.requestInformantUnseal, subject: pseudonym, details: ["request": id, "reason": reason]), at: at, in: db)
            return UnsealRequestReply(request: id, pseudonym: pseudonym)
        }
    }

    /// A second, different city identity holder approves a pending request.
    public func approveInformantUnseal(_ pseudonym: String, _ body: UnsealApprovalBody, by actor: StaffActor, at: Int64) async throws(StoreError) {
        guard actor.member.centre == city else { throw .forbidden("only the city's identity holders approve") }
        guard let reason = ReasonText.clean(body.reason) else { throw .invalid("a reason is required") }
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM informant_unseal_request WHERE id = ? AND pseudonym = ?",
                                             arguments: [body.request, pseudonym]) else { throw StoreError.notFound("unseal request") }
            let requester: String = row["requested_by"]
            guard requester != actor.member.keyID else {
                throw StoreError.conflict("需要另一位市级身份保管人批准 / a second, different city identity holder must approve")
            }
            guard (row["approved_by"] as String?) == nil else { throw StoreError.conflict("the request is already approved") }
            guard at - (row["requested_at"] as Int64) <= Self.unsealRequestLifetime else { throw StoreError.conflict("the request has lapsed (24 h); ask again") }
            try db.execute(sql: "UPDATE informant_unseal_request SET approved_by = ?, approved_at = ? WHERE id = ?",
                           arguments: [actor.member.keyID, at, body.request])
            try audit(actor.event(.approveInformantUnseal, subject: pseudonym, details: [
                "request": body.request, "requested_by": requester, "reason": reason,
            ]), at: at, in: db)
        }
    }

    /// How long a city holder's request stays open for approval and use.
    static let unsealRequestLifetime: Int64 = 24 * 3600

    /// Releases an informant's sealed identity after writing its audit entry: to the district's handler
    /// with a reason; to a city identity holder with a reason and an approved, unused request of theirs.
    public func unsealInformant(_ pseudonym: String, reason: String, by actor: StaffActor, at: Int64) async throws(StoreError) -> InformantIdentityRelease {
        guard let reason = ReasonText.clean(reason) else { throw .invalid("a reason is required") }
        let member = actor.member
        return try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT district, identity, identity_sha256 FROM informant WHERE pseudonym = ?",
                                             arguments: [pseudonym]) else { throw StoreError.notFound("informant") }
            var details = ["reason": reason, "identity_sha256": row["identity_sha256"] as String]
            switch member.role {
            case .handler:
                try requireHandler(of: row["district"], member)
                details["via"] = "district-handler"
            case .identityHolder:
                guard member.centre == city else { throw StoreError.forbidden("only the city's identity holders open informant identities beyond the district") }
                guard let request = try Row.fetchOne(db, sql: """
                    SELECT id, approved_by FROM informant_unseal_request
                    WHERE pseudonym = ? AND requested_by = ? AND approved_by IS NOT NULL AND used_at IS NULL AND requested_at >= ?
                    ORDER BY requested_at DESC LIMIT 1
                    """, arguments: [pseudonym, member.keyID, at - Self.unsealRequestLifetime]) else {
                    throw StoreError.forbidden("需要另一位市级身份保管人批准：先 `network informant request-unseal`，再由另一位批准 / a second city identity holder's approval is needed first")
                }
                try db.execute(sql: "UPDATE informant_unseal_request SET used_at = ? WHERE id = ?", arguments: [at, request["id"] as String])
                details["via"] = "city-two-person"
                details["request"] = request["id"] as String
                details["approved_by"] = request["approved_by"] as String
            default:
                throw StoreError.forbidden("only the district's handler or the city's identity holders open informant identities")
            }
            // The audit entry first (rule 8), in the same transaction as the release.
            try audit(actor.event(.unsealInformant, subject: pseudonym, details: details), at: at, in: db)
            let envelope: Envelope
            do {
                envelope = try Envelope(json: Array(row["identity"] as Data))
            } catch {
                throw StoreError.database("stored identity envelope is malformed")
            }
            return InformantIdentityRelease(pseudonym: pseudonym, identity: envelope)
        }
    }
}
