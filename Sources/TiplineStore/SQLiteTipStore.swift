public import Foundation
public import GRDB
public import Sealing
import TiplineCore

/// The SQLite implementation of `TipStore`.
public struct SQLiteTipStore: TipStore {
    /// The triage store's database.
    public let database: AppDatabase
    /// The server key that signs the audit entries and proofs of report.
    public let signer: AuditSigner
    /// Group commit of concurrent inserts (see `TipWriteBatcher`).
    let batcher: TipWriteBatcher

    /// `maxBatch`: at most this many tips share one write transaction (1 = a transaction per tip).
    public init(database: AppDatabase, signer: AuditSigner, maxBatch: Int = 128) {
        self.database = database
        self.signer = signer
        self.batcher = TipWriteBatcher(database: database, signer: signer, maxBatch: maxBatch)
    }

    /// Stores the tip with its audit entry; returns after the transaction holding it committed.
    /// Concurrent inserts share a transaction (group commit), each tip in its own savepoint.
    public func insert(_ tip: NewTip) async throws(StoreError) -> StoredTip {
        let digest = tip.digest
        do {
            return try await batcher.insert(tip, digest: digest)
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The body of one tip's insert inside a write transaction (the batcher runs it in a savepoint
    /// per tip; the seeding tool runs many per transaction).
    /// `submissionHash` must be `tip.submissionHash` (kept for the seeding tool; the hashes are recomputed).
    public static func insert(_ tip: NewTip, submissionHash: [UInt8], signer: AuditSigner, in db: Database) throws -> StoredTip {
        try insert(tip, digest: tip.digest, signer: signer, in: db)
    }

    /// The body of one tip's insert with its hashes computed beforehand (`NewTip.digest`).
    public static func insert(_ tip: NewTip, digest: SubmissionDigest, signer: AuditSigner, in db: Database) throws -> StoredTip {
        let submissionHash = digest.submissionHash
        if let locator = tip.receipt.locatorHash,
           try Bool.fetchOne(db.cachedStatement(sql: "SELECT 1 FROM tip WHERE receipt_locator = ?"), arguments: [Data(locator)]) == true {
            // 10^8 locators: rare, but two tips must never share one. Nothing is written yet; the caller
            // issues a new receipt.
            throw StoreError.receiptLocatorInUse
        }
        let year = CivilTime.chinaYear(tip.receivedAt)
        // Atomic within the write transaction: SQLite has one writer, so no two tips share a serial.
        // Statements are prepared once per connection (cachedStatement): this body runs on the single
        // writer for every tip, and preparing its dozen statements cost more than running them.
        let serial = try Int.fetchOne(db.cachedStatement(sql: """
            INSERT INTO reference_counter(year, last_serial) VALUES (?, 1)
            ON CONFLICT(year) DO UPDATE SET last_serial = last_serial + 1
            RETURNING last_serial
            """), arguments: [year]) ?? 1
        let reference = TipReference(year: year, serial: serial)
        let proof = try signer.key.signature(for: ProofOfReport.message(
            reference: reference, receivedAt: tip.receivedAt, submissionHash: submissionHash))

        var record = TipRecord(
            id: nil, uid: tip.uid, reference: reference.rawValue, receivedAt: tip.receivedAt,
            category: tip.category.rawValue, district: tip.district.token, centre: tip.routing.centre,
            urgency: tip.urgency, status: .received, statusChangedAt: tip.receivedAt,
            dueAt: tip.dueAt, wantsReward: tip.wantsReward, hasIdentity: tip.hasIdentity,
            evidenceCount: tip.evidence.count, receiptLookup: Data(tip.receipt.verifier),
            reporterPublicKey: Data(tip.reporterPublicKey), reporterKeySealed: Data(tip.reporterKeySealed),
            submissionHash: Data(submissionHash), proof: Data(proof), routingRule: tip.routing.rule,
            routingPolicyHash: tip.routing.policyHash, duplicateOf: nil, assignedTo: nil, closedAt: nil,
            resolution: nil, enforcementUnit: nil, outcome: nil, identityShreddedAt: nil, contentShreddedAt: nil,
            actedAt: nil, actedOnTime: nil, receiptScheme: tip.receipt.scheme.rawValue,
            receiptLocator: tip.receipt.locatorHash.map { Data($0) }, receiptSalt: tip.receipt.salt.map { Data($0) },
            receiptKDFN: Int64(tip.receipt.parameters.n), receiptKDFR: Int64(tip.receipt.parameters.r),
            receiptKDFP: Int64(tip.receipt.parameters.p),
            contentKeyCommitment: tip.contentKeyCommitment.map { Data($0) },
            identityKeyCommitment: tip.identityKeyCommitment.map { Data($0) })
        record.channel = tip.channel
        try record.insert(db)
        guard let tipID = record.id else { throw StoreError.database("the tip row has no id") }
        try db.cachedStatement(sql: "INSERT INTO tip_route(tip_id, seq, centre, at, actor, rule) VALUES (?, 1, ?, ?, 'server', ?)").execute(
            arguments: [tipID, tip.routing.centre.rawValue, tip.receivedAt, tip.routing.rule])

        for centre in tip.routing.copies {
            try db.cachedStatement(sql: "INSERT INTO tip_copy(tip_id, centre) VALUES (?, ?)").execute(arguments: [tipID, centre.rawValue])
        }
        for field in tip.envelope.fields {
            try db.cachedStatement(sql: "INSERT INTO tip_field(tip_id, name, key_class, sealed) VALUES (?, ?, ?, ?)").execute(
                arguments: [tipID, field.name, field.keyClass.rawValue, Data(field.serialized())])
        }
        for wrap in tip.envelope.wraps {
            guard let centre = tip.wrapCentres[wrap.recipientKeyID] else {
                throw StoreError.conflict("a wrap names a key of no centre")
            }
            try db.cachedStatement(sql: """
                INSERT INTO tip_wrap(tip_id, key_class, recipient_key_id, centre, sealed, added_at, added_by) VALUES (?, ?, ?, ?, ?, ?, 'server')
                """).execute(arguments: [tipID, wrap.keyClass.rawValue, wrap.recipientKeyID, centre.rawValue,
                                 Data(wrap.serialized()), tip.receivedAt])
        }
        for (ordinal, blob) in tip.evidence.enumerated() {
            try db.cachedStatement(sql: "INSERT INTO tip_evidence(tip_id, ordinal, sealed) VALUES (?, ?, ?)").execute(
                arguments: [tipID, ordinal, Data(blob)])
        }

        var details: [String: String] = [
            "category": tip.category.rawValue, "district": tip.district.token,
            "centre": tip.routing.centre.rawValue, "urgency": tip.urgency.rawValue,
            "routing_rule": tip.routing.rule, "routing_policy": tip.routing.policyHash,
            "submission_hash": Hex.encode(submissionHash), "uid": tip.uid,
            "has_identity": tip.hasIdentity ? "1" : "0", "evidence": String(tip.evidence.count),
            // Item 4/2 of issue 11: what `audit verify` checks the tip row and every stored wrap against.
            "reporter_public_key": Hex.encode(tip.reporterPublicKey), "wants_reward": tip.wantsReward ? "1" : "0",
            "content_hash": Hex.encode(digest.contentPart), "identity_hash": Hex.encode(digest.identityPart),
            "wrap_hashes": digest.wrapHashes.joined(separator: ","),
            "recipients": tip.envelope.wraps.map { "\($0.keyClass.rawValue):\($0.recipientKeyID)" }.sorted().joined(separator: ","),
        ]
        if !tip.routing.copies.isEmpty { details["copies"] = tip.routing.copies.map(\.rawValue).joined(separator: ",") }
        // A recorded tip (issue 15) says how it came; the staff `tip.record` entry follows in the same transaction.
        if tip.channel != .web { details["channel"] = tip.channel.rawValue }
        try AuditLog.append(AuditEvent(server: .tipReceived, subject: reference.rawValue, details: details),
                            at: tip.receivedAt, signer: signer, in: db)
        return StoredTip(id: tipID, reference: reference, receivedAt: tip.receivedAt,
                         submissionHash: submissionHash, proof: proof)
    }

    /// The located receipt (scheme 2) whose locator hash is `locatorHash`, with its salt and KDF parameters.
    public func receipt(locatorHash: [UInt8]) async throws(StoreError) -> StoredReceipt? {
        do {
            return try await database.writer.read { db -> StoredReceipt? in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: """
                    SELECT id, receipt_salt, receipt_kdf_n, receipt_kdf_r, receipt_kdf_p, receipt_lookup FROM tip
                    WHERE receipt_locator = ? AND receipt_scheme = 2
                    """), arguments: [Data(locatorHash)]) else { return nil }
                guard let salt = row["receipt_salt"] as Data?, let n = row["receipt_kdf_n"] as Int64?,
                      let r = row["receipt_kdf_r"] as Int64?, let p = row["receipt_kdf_p"] as Int64?,
                      n > 1, r > 0, p > 0, r <= Int64(UInt32.max), p <= Int64(UInt32.max) else {
                    throw StoreError.database("a located receipt row lacks its salt or parameters")
                }
                let record = ReceiptRecord(
                    scheme: .located, locatorHash: locatorHash, salt: Array(salt),
                    parameters: Scrypt.Parameters(n: UInt64(n), r: UInt32(r), p: UInt32(p)),
                    verifier: Array(row["receipt_lookup"] as Data))
                return StoredReceipt(tipID: row["id"], record: record)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The follow-up view of tip `tipID`; nil when no such tip exists.
    public func followup(tipID: Int64) async throws(StoreError) -> FollowupView? {
        try await followup(TipRecord.filter(TipRecord.Columns.id == tipID))
    }

    /// The follow-up view of the legacy (scheme 1) tip whose lookup key is `lookupKey`.
    public func followup(lookupKey: [UInt8]) async throws(StoreError) -> FollowupView? {
        try await followup(TipRecord.filter(TipRecord.Columns.receiptLookup == Data(lookupKey) && TipRecord.Columns.receiptScheme == 1))
    }

    /// The distinct scrypt parameters recorded on legacy tips (at most 4).
    public func legacyReceiptParameters() async throws(StoreError) -> [Scrypt.Parameters] {
        do {
            return try await database.writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT DISTINCT receipt_kdf_n, receipt_kdf_r, receipt_kdf_p FROM tip
                    WHERE receipt_scheme = 1 AND receipt_kdf_n IS NOT NULL ORDER BY 1, 2, 3 LIMIT 4
                    """).compactMap { row -> Scrypt.Parameters? in
                    guard let n = row[0] as Int64?, let r = row[1] as Int64?, let p = row[2] as Int64?,
                          n > 1, r > 0, p > 0, r <= Int64(UInt32.max), p <= Int64(UInt32.max) else { return nil }
                    return Scrypt.Parameters(n: UInt64(n), r: UInt32(r), p: UInt32(p))
                }
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Records, once, the receipt parameters legacy tips (made before `v6-receipts`) were derived
    /// with — `parameters`, the policy in force when the server first starts on the new schema — with
    /// a `receipts.legacy-parameters` audit entry in the same transaction. Returns the tips updated.
    @discardableResult
    public func adoptLegacyReceiptParameters(_ parameters: Scrypt.Parameters, at: Int64) async throws(StoreError) -> Int {
        let signer = self.signer
        do {
            return try await database.writer.write { db in
                try db.execute(sql: """
                    UPDATE tip SET receipt_kdf_n = ?, receipt_kdf_r = ?, receipt_kdf_p = ?
                    WHERE receipt_scheme = 1 AND receipt_kdf_n IS NULL
                    """, arguments: [Int64(parameters.n), Int64(parameters.r), Int64(parameters.p)])
                let changed = db.changesCount
                if changed > 0 {
                    try AuditLog.append(AuditEvent(server: .legacyReceiptParameters, subject: "receipts",
                                                   details: ["tips": String(changed), "n": String(parameters.n),
                                                             "r": String(parameters.r), "p": String(parameters.p)]),
                                        at: at, signer: signer, in: db)
                }
                return changed
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    private func followup(_ request: QueryInterfaceRequest<TipRecord>) async throws(StoreError) -> FollowupView? {
        do {
            return try await database.writer.read { db -> FollowupView? in
                guard let tip = try request.fetchOne(db),
                      let id = tip.id, let reference = TipReference(rawValue: tip.reference) else { return nil }
                let status = tip.status
                let messages = try MessageRecord.filter(MessageRecord.Columns.tipID == id).order(MessageRecord.Columns.id).fetchAll(db)
                let centres = try String.fetchAll(db, sql: "SELECT DISTINCT centre FROM tip_wrap WHERE tip_id = ? AND key_class = 'content' ORDER BY centre", arguments: [id])
                let voucher = try Row.fetchOne(db, sql: "SELECT envelope, amount_fen, expires_at FROM tip_voucher WHERE tip_id = ?", arguments: [id])
                    .map { StoredVoucher(envelope: $0["envelope"], amountFen: $0["amount_fen"], expiresAt: $0["expires_at"]) }
                var view = FollowupView(
                    tipID: id, uid: tip.uid, reference: reference, receivedAt: tip.receivedAt, status: status,
                    wantsReward: tip.wantsReward, reporterKeySealed: Array(tip.reporterKeySealed),
                    contentCentres: centres,
                    messages: messages.map { StoredMessage(uid: $0.uid, author: $0.author, createdAt: $0.createdAt, envelope: $0.envelope) },
                    voucher: voucher)
                view.centre = tip.centre.rawValue
                view.resolution = tip.resolution
                view.intakeEvidence = tip.evidenceCount
                view.addedEvidence = try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_evidence_added WHERE tip_id = ?", arguments: [id]) ?? 0
                view.contentDestroyed = tip.contentShreddedAt != nil
                // The decline is an audit entry (reward.approve, declined=1); its reason, if any, is for the reporter.
                view.rewardDeclineReason = try String.fetchOne(db, sql: """
                    SELECT json_extract(details, '$.reason') FROM audit_entry
                    WHERE subject = ? AND action = ? AND json_extract(details, '$.declined') = '1' ORDER BY seq DESC LIMIT 1
                    """, arguments: [tip.reference, StaffAction.approveReward.rawValue])
                return view
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Adds a reporter's sealed message and its `message.reporter` entry in one transaction.
    public func addReporterMessage(tipID: Int64, uid: String, envelope: Data, at: Int64) async throws(StoreError) {
        let signer = self.signer
        do {
            try await database.writer.write { db in
                guard let reference = try String.fetchOne(db, sql: "SELECT reference FROM tip WHERE id = ?", arguments: [tipID]) else {
                    throw StoreError.notFound("tip")
                }
                var message = MessageRecord(id: nil, uid: uid, tipID: tipID, author: "reporter", createdAt: at, envelope: envelope,
                                            authorKeyID: nil)
                try message.insert(db)
                try AuditLog.append(AuditEvent(server: .reporterMessage, subject: reference,
                                               details: ["message": uid, "envelope_hash": Hex.encode(Hashing.sha256(Array(envelope)))]),
                                    at: at, signer: signer, in: db)
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Adds a reporter's files after submitting, one `evidence.reporter` entry each, in one transaction.
    public func addReporterEvidence(tipID: Int64, files: [(uid: String, envelope: Data)], maxFiles: Int,
                                    at: Int64) async throws(StoreError) -> Int {
        let signer = self.signer
        do {
            return try await database.writer.write { db -> Int in
                guard let row = try Row.fetchOne(db, sql: "SELECT reference, evidence_count, content_shredded_at FROM tip WHERE id = ?",
                                                 arguments: [tipID]) else {
                    throw StoreError.notFound("tip")
                }
                guard (row["content_shredded_at"] as Int64?) == nil else { throw StoreError.conflict("the tip's content was destroyed") }
                let reference: String = row["reference"]
                // Counted inside the write transaction: two concurrent uploads cannot both pass the bound.
                let added = try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_evidence_added WHERE tip_id = ?", arguments: [tipID]) ?? 0
                var count = (row["evidence_count"] as Int) + added
                guard count + files.count <= maxFiles else { throw StoreError.conflict("a tip has at most \(maxFiles) files") }
                for file in files {
                    try db.execute(sql: "INSERT INTO tip_evidence_added(uid, tip_id, created_at, envelope) VALUES (?, ?, ?, ?)",
                                   arguments: [file.uid, tipID, at, file.envelope])
                    count += 1
                    try AuditLog.append(AuditEvent(server: .reporterEvidence, subject: reference, details: [
                        "file": file.uid, "envelope_hash": Hex.encode(Hashing.sha256(Array(file.envelope))), "files": String(count),
                    ]), at: at, signer: signer, in: db)
                }
                return count
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Number of rows in `tip`.
    public func tipCount() async throws(StoreError) -> Int {
        do {
            return try await database.writer.read { db in try TipRecord.fetchCount(db) }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
