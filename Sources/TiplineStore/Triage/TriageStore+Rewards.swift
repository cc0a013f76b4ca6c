import Foundation
import GRDB
public import Sealing
public import TiplineCore

extension TriageStore {
    /// What the reward ledger needs to know about a tip: its public facts only.
    public struct RewardFacts: Sendable {
        /// The tip's reference.
        public let reference: String
        /// The centre the tip is routed to.
        public let centre: String
        /// The `TipStatus` raw value.
        public let status: String
        /// The reference of the tip this one duplicates, if marked a duplicate.
        public let duplicateOf: String?
        /// Whether the reporter asked to be considered for a reward.
        public let wantsReward: Bool
        /// The verified outcome (figures in fen), once the tip was verified.
        public let outcome: VerifiedOutcome?
        /// The tip's reporter X25519 public key, which a voucher is sealed to.
        public let reporterPublicKey: [UInt8]
    }

    /// The tip's facts for a reward decision, if the actor's centre sees the tip.
    public func rewardFacts(_ reference: String, for member: StaffMember) async throws(StoreError) -> RewardFacts {
        try await read { db in
            let tip = try visibleTip(reference, to: member, in: db)
            let duplicate = try tip.duplicateOf.flatMap { try String.fetchOne(db, sql: "SELECT reference FROM tip WHERE id = ?", arguments: [$0]) }
            return RewardFacts(
                reference: tip.reference, centre: tip.centre.rawValue, status: tip.status.rawValue, duplicateOf: duplicate, wantsReward: tip.wantsReward,
                outcome: tip.outcome,
                reporterPublicKey: Array(tip.reporterPublicKey))
        }
    }

    /// Throws `.notFound` unless `member`'s centre sees the tip (the same answer as a missing tip).
    public func requireVisible(_ reference: String, to member: StaffMember) async throws(StoreError) {
        try await read { db in _ = try visibleTip(reference, to: member, in: db) }
    }

    /// Which of `references` `member`'s centre sees now: the city all, a district those routed or copied to it.
    public func visibleReferences(_ references: [String], to member: StaffMember) async throws(StoreError) -> Set<String> {
        if member.centre == city { return Set(references) }
        return try await read { db in
            var visible: Set<String> = []
            var start = 0
            while start < references.count {
                let chunk = Array(references[start..<min(start + 500, references.count)])
                start += chunk.count
                let marks = databaseQuestionMarks(count: chunk.count)
                visible.formUnion(try String.fetchAll(db, sql: """
                    SELECT reference FROM tip WHERE reference IN (\(marks)) AND (centre = ? OR EXISTS
                      (SELECT 1 FROM tip_copy c WHERE c.tip_id = tip.id AND c.centre = ?))
                    """, arguments: StatementArguments(chunk + [member.centre.rawValue, member.centre.rawValue])))
            }
            return visible
        }
    }

    /// The stored hash of audit entry `seq`, nil when there is none (for auditors pulling checkpoints).
    public func auditHash(at seq: Int64) async throws(StoreError) -> [UInt8]? {
        try await read { db in try Data.fetchOne(db, sql: "SELECT hash FROM audit_entry WHERE seq = ?", arguments: [seq]).map(Array.init) }
    }

    /// Records a staff action on the reward ledger in the audit log (the ledger keeps its own chain too).
    public func recordLedgerAction(_ action: StaffAction, subject: String, details: [String: String], by actor: StaffActor, at: Int64) async throws(StoreError) {
        _ = try await write { db in
            try audit(actor.event(action, subject: subject, details: details), at: at, in: db)
        }
    }

    /// Stores an approved reward's voucher, sealed to the reporter key, with its audit entry.
    /// Idempotent: a retried approval finds the voucher already stored and records nothing twice.
    public func storeVoucher(_ reference: String, envelope: Envelope, amountFen: Int64, expiresAt: Int64,
                             details: [String: String], by actor: StaffActor, at: Int64) async throws(StoreError) {
        try await write { db in
            let tip = try visibleTip(reference, to: actor.member, in: db)
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_voucher WHERE tip_id = ?", arguments: [tip.id]) == 0 else { return }
            let reporterKeyID = String(Hashing.sha256Hex(Array(tip.reporterPublicKey)).prefix(32))
            guard envelope.wraps.map(\.recipientKeyID) == [reporterKeyID], envelope.fields.map(\.name) == ["voucher"] else {
                throw StoreError.conflict("a voucher must be sealed to the reporter key alone")
            }
            let data = try JSONEncoder().encode(envelope)
            try db.execute(sql: "INSERT INTO tip_voucher(tip_id, uid, envelope, amount_fen, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [tip.id, envelope.recordID, data, amountFen, at, expiresAt])
            var all = details
            all["voucher_envelope_hash"] = Hashing.sha256Hex(Array(data))
            try audit(actor.event(.approveReward, subject: reference, details: all), at: at, in: db)
        }
    }
}

extension TriageStore {
    /// Records something the server did on its own (a timer), signed by the server key.
    public func recordServerEvent(_ action: ServerAction, subject: String, details: [String: String], at: Int64) async throws(StoreError) {
        _ = try await write { db in
            try audit(AuditEvent(server: action, subject: subject, details: details), at: at, in: db)
        }
    }
}
