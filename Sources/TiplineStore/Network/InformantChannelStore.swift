public import Foundation
import GRDB
public import Sealing
public import TiplineCore

/// What the public informant page (`/informant`, issue 15) needs from storage: find an informant by
/// the locator of their code, file a report, show the informant their reports and replies. SQLite
/// implements it (`SQLiteInformantChannel`); the seam mirrors `TipStore`.
public protocol InformantChannelStore: Sendable {
    /// The code records whose locator hash is `locatorHash` (6 digits: at 10^5 informants a few share
    /// one), at most 4, newest code first.
    func informantCodes(locatorHash: [UInt8]) async throws(StoreError) -> [StoredInformantCode]
    /// Stores a report (sealed at intake) with its photos and the server's `informant.report` entry in
    /// one transaction; returns its reference after the commit.
    func fileReport(_ report: NewInformantReport) async throws(StoreError) -> String
    /// The informant's latest reports (newest first) with the replies sealed to them.
    func reports(of pseudonym: String, limit: Int) async throws(StoreError) -> [InformantPageReport]
    /// The informant's remuneration vouchers (issue 17), newest first, still sealed to their key.
    func vouchers(of pseudonym: String, limit: Int) async throws(StoreError) -> [InformantPageVoucher]
}

/// A remuneration voucher as the informant's page shows it: the report it pays for, the amount,
/// the claim deadline, and the code sealed to the informant's key.
public struct InformantPageVoucher: Sendable {
    /// The informant's report the adopted item came from.
    public let report: String
    /// The voucher's amount in fen.
    public let amountFen: Int64
    /// Unix seconds (UTC) after which the voucher can no longer be claimed.
    public let expiresAt: Int64
    /// The voucher code, sealed to the informant's own key (JSON envelope).
    public let envelope: Data
}

/// An informant's code record as the page checks it.
public struct StoredInformantCode: Sendable {
    /// The informant's pseudonym (`NM-0007`).
    public let pseudonym: String
    /// The informant's envelope record id.
    public let uid: String
    /// The district office the informant belongs to.
    public let district: String
    /// The informant's standing; only `active` informants may file reports.
    public let status: InformantStatus
    /// The informant's own scrypt salt for the code.
    public let salt: [UInt8]
    /// The scrypt parameters the code was derived with.
    public let parameters: Scrypt.Parameters
    /// The code's verifier (first 32 bytes of scrypt output), compared in constant time.
    public let verifier: [UInt8]
    /// The informant's own X25519 public key, which replies and vouchers are sealed to.
    public let publicKey: [UInt8]
    /// The informant's X25519 private key, sealed under the key derived from the code.
    public let sealedKey: [UInt8]
    /// The informant's areas (12-digit codes) with their names when imported.
    public let areas: [(code: String, name: String?)]
}

/// A report ready to store: sealed content and photos (`InformantReportContent`, one envelope per photo).
public struct NewInformantReport: Sendable {
    /// The informant's pseudonym.
    public let pseudonym: String
    /// The report's envelope record id.
    public let uid: String
    /// A case lead or a dynamic.
    public let kind: InformantReportKind
    /// The sealed `InformantReportContent`.
    public let envelope: Envelope
    /// The sealed photos, one envelope each, metadata already stripped.
    public let photos: [Envelope]
    /// Unix seconds (UTC) when the report arrived.
    public let receivedAt: Int64
    /// A report ready to store.
    public init(pseudonym: String, uid: String, kind: InformantReportKind, envelope: Envelope, photos: [Envelope], receivedAt: Int64) {
        self.pseudonym = pseudonym
        self.uid = uid
        self.kind = kind
        self.envelope = envelope
        self.photos = photos
        self.receivedAt = receivedAt
    }
}

/// One of the informant's reports as their page shows it; replies still sealed.
public struct InformantPageReport: Sendable {
    /// The report's reference (`IR-2026-000001`).
    public let reference: String
    /// A case lead or a dynamic.
    public let kind: InformantReportKind
    /// Unix seconds (UTC) when the report arrived.
    public let receivedAt: Int64
    /// How many photos came with it.
    public let photos: Int
    /// Whether the report has become an information item.
    public let becameItem: Bool
    /// Whether the report has become a tip.
    public let becameTip: Bool
    /// The handlers' replies, oldest first: Unix seconds (UTC) and the sealed reply.
    public let replies: [(at: Int64, envelope: Data)]
}

/// The SQLite implementation of `InformantChannelStore`.
public struct SQLiteInformantChannel: InformantChannelStore {
    /// The triage store's database.
    public let database: AppDatabase
    /// The server key that signs the `informant.report` audit entries.
    public let signer: AuditSigner

    /// A channel over `database` that signs with `signer`.
    public init(database: AppDatabase, signer: AuditSigner) {
        self.database = database
        self.signer = signer
    }

    /// Up to 4 code records whose locator hash is `locatorHash`, newest code first.
    public func informantCodes(locatorHash: [UInt8]) async throws(StoreError) -> [StoredInformantCode] {
        do {
            return try await database.writer.read { db -> [StoredInformantCode] in
                try Row.fetchAll(db, sql: """
                    SELECT pseudonym, uid, district, status, code_salt, code_n, code_r, code_p, code_verifier, public_key, sealed_key
                    FROM informant WHERE code_locator_hash = ? ORDER BY code_issued_at DESC LIMIT 4
                    """, arguments: [Data(locatorHash)]).map { row in
                let pseudonym: String = row["pseudonym"]
                let areas = try Row.fetchAll(db, sql: """
                    SELECT a.code, r.name_zh AS name FROM informant_area a LEFT JOIN area r ON r.code = a.code WHERE a.pseudonym = ? ORDER BY a.code
                    """, arguments: [pseudonym]).map { (code: $0["code"] as String, name: $0["name"] as String?) }
                return StoredInformantCode(
                    pseudonym: pseudonym, uid: row["uid"], district: row["district"], status: InformantStatus(rawValue: row["status"]) ?? .suspended,
                    salt: Array(row["code_salt"] as Data),
                    parameters: Scrypt.Parameters(n: UInt64(row["code_n"] as Int64), r: UInt32(row["code_r"] as Int64), p: UInt32(row["code_p"] as Int64)),
                    verifier: Array(row["code_verifier"] as Data), publicKey: Array(row["public_key"] as Data), sealedKey: Array(row["sealed_key"] as Data),
                    areas: areas)
                }
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Stores the report with its photos and its `informant.report` entry in one transaction.
    /// Allocates the next `IR-<year>-<serial>` reference (China year); throws `notFound` unless the informant is active.
    public func fileReport(_ report: NewInformantReport) async throws(StoreError) -> String {
        let signer = self.signer
        let envelopeBytes = report.envelope.jsonRepresentation()
        let envelopeHash = Hashing.sha256Hex(envelopeBytes)
        let photoBytes = report.photos.map { $0.jsonRepresentation() }
        let year = CivilTime.chinaYear(report.receivedAt)
        do {
            return try await database.writer.write { db -> String in
                guard let district = try String.fetchOne(db, sql: "SELECT district FROM informant WHERE pseudonym = ? AND status = 'active'",
                                                         arguments: [report.pseudonym]) else { throw StoreError.notFound("informant") }
                let serial = (try Int.fetchOne(db, sql: "SELECT max(serial) FROM informant_report WHERE year = ?", arguments: [year]) ?? 0) + 1
                let reference = "IR-\(year)-\(String(format: "%06d", serial))"
                try db.execute(sql: """
                    INSERT INTO informant_report(reference, year, serial, uid, pseudonym, district, kind, received_at, envelope, envelope_sha256, photos)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [reference, year, serial, report.uid, report.pseudonym, district, report.kind.rawValue, report.receivedAt,
                                     Data(envelopeBytes), envelopeHash, photoBytes.count])
                let id = db.lastInsertedRowID
                for (n, bytes) in photoBytes.enumerated() {
                    try db.execute(sql: "INSERT INTO informant_report_photo(report_id, n, envelope) VALUES (?, ?, ?)", arguments: [id, n, Data(bytes)])
                }
                try AuditLog.append(AuditEvent(server: .informantReport, subject: reference, details: [
                    "pseudonym": report.pseudonym, "district": district, "kind": report.kind.rawValue, "uid": report.uid,
                    "envelope_sha256": envelopeHash, "wraps": report.envelope.wraps.map(\.recipientKeyID).sorted().joined(separator: ","),
                    "photos": photoBytes.map { Hashing.sha256Hex($0) }.joined(separator: ","),
                ]), at: report.receivedAt, signer: signer, in: db)
                return reference
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The informant's latest `limit` reports, newest first, each with its sealed replies.
    public func reports(of pseudonym: String, limit: Int) async throws(StoreError) -> [InformantPageReport] {
        do {
            return try await database.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM informant_report WHERE pseudonym = ? ORDER BY id DESC LIMIT ?", arguments: [pseudonym, limit]).map { row in
                    let replies = try Row.fetchAll(db, sql: "SELECT created_at, envelope FROM informant_reply WHERE report_id = ? ORDER BY id",
                                                   arguments: [row["id"] as Int64]).map { (at: $0["created_at"] as Int64, envelope: $0["envelope"] as Data) }
                    return InformantPageReport(reference: row["reference"], kind: InformantReportKind(rawValue: row["kind"]) ?? .dynamic,
                                               receivedAt: row["received_at"], photos: row["photos"], becameItem: (row["item_ref"] as String?) != nil,
                                               becameTip: (row["tip_ref"] as String?) != nil, replies: replies)
                }
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// The informant's latest `limit` remuneration vouchers, newest payment first.
    public func vouchers(of pseudonym: String, limit: Int) async throws(StoreError) -> [InformantPageVoucher] {
        do {
            return try await database.writer.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT v.amount_fen, v.expires_at, v.envelope, COALESCE(r.reference, '') AS report
                    FROM informant_voucher v LEFT JOIN informant_report r ON r.item_ref = v.item_ref AND r.pseudonym = v.pseudonym
                    WHERE v.pseudonym = ? ORDER BY v.payment_id DESC LIMIT ?
                    """, arguments: [pseudonym, limit]).map {
                    InformantPageVoucher(report: $0["report"], amountFen: $0["amount_fen"], expiresAt: $0["expires_at"], envelope: $0["envelope"])
                }
            }
        } catch {
            throw StoreError.wrap(error)
        }
    }
}
