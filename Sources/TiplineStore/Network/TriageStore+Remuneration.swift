import Foundation
import GRDB
public import Sealing
public import TiplineCore
import LedgerModel

/// An adoption remuneration can pay for, as the server needs it (issue 17, S-3.4): who is paid
/// and, for an informant, the pseudonym and public key the voucher is sealed to. The city's
/// staff see only `PendingRemuneration` (no pseudonym).
public struct PayableAdoption: Sendable {
    /// The item's reference.
    public let item: String
    /// The id of the unit that wrote the item.
    public let unit: String
    /// The adoption level.
    public let level: AdoptionLevel
    /// The adoption date, `YYYY-MM-DD`.
    public let onDate: String
    /// How many pictures the item has.
    public let pictures: Int
    /// The byline's authors (empty for a unit-only byline).
    public let authors: [String]
    /// The informant behind an item made from their report, with their district and public key.
    public let informant: (pseudonym: String, district: String, publicKey: [UInt8])?

    /// What the payment records as covered: one adoption at one level.
    public var cover: String { PaymentRequest.adoptionCover(item: item, level: level.rawValue) }
}

extension TriageStore {
    /// Every adoption of `item` (or of every item adopted in China-time `year`), oldest first, at most `limit`.
    public func payableAdoptions(item: String?, year: Int?, limit: Int) async throws(StoreError) -> [PayableAdoption] {
        try await read { db in
            var sql = """
                SELECT i.reference, i.unit, i.authors, a.level, a.on_date,
                       (SELECT count(*) FROM info_item_picture p WHERE p.item_id = i.id) AS pictures,
                       r.pseudonym, n.district, n.public_key
                FROM info_adoption a JOIN info_item i ON i.id = a.item_id
                LEFT JOIN informant_report r ON r.item_ref = i.reference
                LEFT JOIN informant n ON n.pseudonym = r.pseudonym
                """
            var arguments: StatementArguments = []
            if let item {
                sql += " WHERE i.reference = ?"
                arguments += [item]
            } else if let year {
                sql += " WHERE a.on_date >= ? AND a.on_date < ?"
                arguments += [String(format: "%04d-01-01", year), String(format: "%04d-01-01", year + 1)]
            }
            sql += " ORDER BY a.on_date, i.reference, a.level LIMIT ?"
            arguments += [max(1, min(limit, 5_000))]
            return try Row.fetchAll(db, sql: sql, arguments: arguments).compactMap { row -> PayableAdoption? in
                guard let level = AdoptionLevel(rawValue: row["level"]) else { return nil }
                let authors: String = row["authors"]
                let pseudonym: String? = row["pseudonym"]
                let publicKey: Data? = row["public_key"]
                return PayableAdoption(
                    item: row["reference"], unit: row["unit"], level: level, onDate: row["on_date"], pictures: row["pictures"],
                    authors: authors.isEmpty ? [] : authors.split(separator: ",").map(String.init),
                    informant: pseudonym.flatMap { p in publicKey.map { (p, row["district"] as String? ?? "", Array($0)) } })
            }
        }
    }

    /// What informant `pseudonym` was paid (vouchers issued) in `[from, to)`, for the per-person cap
    /// the ledger cannot check (it never learns who an informant is).
    /// (`excluding`: a payment not to count, so that a retried approval is not refused by its own voucher.)
    public func informantRemuneration(_ pseudonym: String, from: Int64, to: Int64, excluding: Int64?) async throws(StoreError) -> Int64 {
        try await read { db in
            try Int64.fetchOne(db, sql: """
                SELECT COALESCE(SUM(amount_fen), 0) FROM informant_voucher
                WHERE pseudonym = ? AND created_at >= ? AND created_at < ? AND payment_id IS NOT ?
                """, arguments: [pseudonym, from, to, excluding]) ?? 0
        }
    }

    /// Stores an informant's remuneration voucher (sealed to the informant's key alone) with the
    /// approval's audit entry, in one transaction. A retried approval finds it stored and records nothing twice.
    public func storeInformantVoucher(paymentID: Int64, item: String, pseudonym: String, envelope: Envelope, amountFen: Int64,
                                      expiresAt: Int64, details: [String: String], by actor: StaffActor,
                                      at: Int64) async throws(StoreError) {
        try await write { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM informant_voucher WHERE payment_id = ?", arguments: [paymentID]) == 0 else {
                return
            }
            guard let key = try Data.fetchOne(db, sql: "SELECT public_key FROM informant WHERE pseudonym = ?", arguments: [pseudonym]) else {
                throw StoreError.notFound("the informant")
            }
            let keyID = String(Hashing.sha256Hex(Array(key)).prefix(32))
            guard envelope.wraps.map(\.recipientKeyID) == [keyID], envelope.fields.map(\.name) == ["voucher"] else {
                throw StoreError.conflict("a voucher must be sealed to the informant's key alone")
            }
            let data = try JSONEncoder().encode(envelope)
            try db.execute(sql: """
                INSERT INTO informant_voucher(payment_id, pseudonym, item_ref, amount_fen, created_at, expires_at, envelope)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, arguments: [paymentID, pseudonym, item, amountFen, at, expiresAt, data])
            var all = details
            all["voucher_envelope_hash"] = Hashing.sha256Hex(Array(data))
            try audit(actor.event(.approvePayment, subject: item, details: all), at: at, in: db)
        }
    }
}
