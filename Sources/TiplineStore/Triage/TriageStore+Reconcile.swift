import Foundation
import GRDB
public import Sealing
import TiplineCore

/// A ledger posting that has no audit entry yet (issue 12 item 11), as start-up reconciliation records it.
public struct UnrecordedPosting: Sendable {
    /// The journal entry's sequence number in the ledger.
    public let seq: Int64
    /// The journal kind (`fund`, `approve`, `payment-approve`, …).
    public let kind: String
    /// The entry's total in fen.
    public let totalFen: Int64
    /// The posting's memo: a tip reference, an item, or a top-up's memo.
    public let memo: String
    /// The staff key id that signed the request behind it (or `system`).
    public let actor: String
    /// For an approval: the voucher as the ledger kept it, for the reporter (`tip`) or the informant (`pseudonym`).
    public let voucher: Voucher?

    /// A voucher the ledger sealed at approval, to be copied to the triage store.
    public struct Voucher: Sendable {
        /// The voucher code, sealed to the reporter's or the informant's key.
        public let envelope: Envelope
        /// Unix seconds (UTC) after which the voucher can no longer be claimed.
        public let expiresAt: Int64
        /// The tip reference, for a reporter's reward.
        public let tip: String?
        /// The informant's pseudonym and the payment id, for an informant's remuneration.
        public let informant: (pseudonym: String, paymentID: Int64)?
        /// A voucher for a tip or an informant.
        public init(envelope: Envelope, expiresAt: Int64, tip: String?, informant: (pseudonym: String, paymentID: Int64)?) {
            self.envelope = envelope
            self.expiresAt = expiresAt
            self.tip = tip
            self.informant = informant
        }
    }

    /// A posting as read from the ledger.
    public init(seq: Int64, kind: String, totalFen: Int64, memo: String, actor: String, voucher: Voucher?) {
        self.seq = seq
        self.kind = kind
        self.totalFen = totalFen
        self.memo = memo
        self.actor = actor
        self.voucher = voucher
    }
}

extension TriageStore {
    /// The ledger postings named by the latest `limit` audit entries that name any (newest first).
    public func recentLedgerClaims(limit: Int) async throws(StoreError) -> Set<Int64> {
        try await read { db in
            let marks = LedgerClaimingAction.names.map { _ in "?" }.joined(separator: ",")
            let rows = try String.fetchAll(db, sql: """
                SELECT details FROM audit_entry WHERE action IN (\(marks)) ORDER BY seq DESC LIMIT ?
                """, arguments: StatementArguments(LedgerClaimingAction.names + [String(limit)]))
            var claimed: Set<Int64> = []
            for text in rows {
                guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
                for key in ["ledger_entry", "ledger_entries"] {
                    for part in ((object[key] as? String) ?? "").split(separator: ",") {
                        if let seq = Int64(part) { claimed.insert(seq) }
                    }
                }
            }
            return claimed
        }
    }

    /// Records a posting the ledger committed without its audit entry: the server's `ledger.reconciled`
    /// entry and, for an approval, the voucher copy for the reporter or the informant, in one transaction.
    public func recordReconciliation(_ posting: UnrecordedPosting, at: Int64) async throws(StoreError) {
        try await write { db in
            var details = ["ledger_entry": String(posting.seq), "kind": posting.kind, "amount_fen": String(posting.totalFen),
                           "actor": posting.actor]
            let subject = posting.kind == "fund" ? "ledger" : posting.memo
            if let voucher = posting.voucher {
                let data = try JSONEncoder().encode(voucher.envelope)
                if let reference = voucher.tip,
                   let tipID = try Int64.fetchOne(db, sql: "SELECT id FROM tip WHERE reference = ?", arguments: [reference]),
                   try Int.fetchOne(db, sql: "SELECT count(*) FROM tip_voucher WHERE tip_id = ?", arguments: [tipID]) == 0 {
                    try db.execute(sql: "INSERT INTO tip_voucher(tip_id, uid, envelope, amount_fen, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [tipID, voucher.envelope.recordID, data, posting.totalFen, at, voucher.expiresAt])
                    details["voucher_envelope_hash"] = Hashing.sha256Hex(Array(data))
                }
                if let informant = voucher.informant,
                   try Int.fetchOne(db, sql: "SELECT count(*) FROM informant_voucher WHERE payment_id = ?", arguments: [informant.paymentID]) == 0 {
                    try db.execute(sql: """
                        INSERT INTO informant_voucher(payment_id, pseudonym, item_ref, amount_fen, created_at, expires_at, envelope)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [informant.paymentID, informant.pseudonym, posting.memo, posting.totalFen, at, voucher.expiresAt, data])
                    details["voucher_envelope_hash"] = Hashing.sha256Hex(Array(data))
                    details["payment_id"] = String(informant.paymentID)
                }
            }
            try audit(AuditEvent(server: .ledgerReconciled, subject: subject, details: details), at: at, in: db)
        }
    }
}
