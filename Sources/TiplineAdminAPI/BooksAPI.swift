import Foundation
public import Sealing
public import TiplineCore

// The seven ledgers (issue 16, S-5.4; docs/NETWORK.md "The seven ledgers"): bodies and replies. A
// record's values travel sealed to the owning unit's and the city office's content keys; the personal
// names of individual operators in a second envelope sealed to the city's identity key (and a district
// office's registry key). The server keeps only what listing and completeness need in clear: ledger,
// unit, record id, version, the record's date (dated ledgers) and when and by whom it was written.

/// `books add` (a new record) and `books edit` (its next version).
public struct RecordBody: StrictBody, Sendable, Equatable {
    /// The value of the ledger's `dated_by` field (`YYYY-MM-DD`), for a dated ledger; nil for a register.
    public let recordDate: String?
    /// One field `record` (`BookContent` JSON), sealed to the unit's and the city office's content keys.
    public let envelope: Envelope
    /// One field `names` (`BookNames` JSON), sealed to the city's identity key (and a district office's
    /// registry key); nil: no names (a new record) or the previous version's names kept (`keep_names`).
    public let names: Envelope?
    /// An edit keeps the previous version's sealed names as they are (the writer cannot read them).
    public let keepNames: Bool
    /// An edit: the version it was made from. A record changed meanwhile refuses it (409), nothing lost.
    public let baseVersion: Int?

    public init(recordDate: String?, envelope: Envelope, names: Envelope?, keepNames: Bool = false, baseVersion: Int? = nil) {
        self.recordDate = recordDate
        self.envelope = envelope
        self.names = names
        self.keepNames = keepNames
        self.baseVersion = baseVersion
    }

    public enum CodingKeys: String, CodingKey, CaseIterable {
        case envelope, names
        case recordDate = "record_date", keepNames = "keep_names", baseVersion = "base_version"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        recordDate = try c.decodeIfPresent(String.self, forKey: .recordDate)
        envelope = try c.decode(Envelope.self, forKey: .envelope)
        // Absent, never `null`: the stored request keeps `names` as a hash, and a hashed `null` would read as names sent.
        if c.contains(.names), try c.decodeNil(forKey: .names) {
            throw DecodingError.dataCorruptedError(forKey: .names, in: c, debugDescription: "names is an envelope or absent, never null")
        }
        names = try c.decodeIfPresent(Envelope.self, forKey: .names)
        keepNames = try c.decodeIfPresent(Bool.self, forKey: .keepNames) ?? false
        baseVersion = try c.decodeIfPresent(Int.self, forKey: .baseVersion)
    }
}

/// `books list|show|export`: which records to release (one `books.read` audit entry per release).
public struct OpenRecordsBody: StrictBody, Sendable, Equatable {
    /// One unit (the city office: any; others: their own, the default).
    public let unit: String?
    /// `2026-11`, `2026-Q2` or `2026`: a dated ledger's records dated in it, a register as at its end.
    public let period: String?
    /// One record (with `versions`: every version of it).
    public let record: String?
    public let versions: Bool
    /// At most this many records (1–`maxLimit`; an export asks page by page with `after`).
    public let limit: Int
    /// The largest page of one release: its `books.read` entry names every record released, so a page
    /// stays small enough for one audit entry (≈ 15 KB of record ids).
    public static let maxLimit = 1000
    /// Records after this one in id order (the next page of an export).
    public let after: String?

    public init(unit: String? = nil, period: String? = nil, record: String? = nil, versions: Bool = false, limit: Int = AdminPage.defaultSize,
                after: String? = nil) {
        self.unit = unit
        self.period = period
        self.record = record
        self.versions = versions
        self.limit = limit
        self.after = after
    }

    public enum CodingKeys: String, CodingKey, CaseIterable { case unit, period, record, versions, limit, after }
}

/// One version of a ledger record as released: clear metadata and the sealed values.
public struct RecordVersionView: Sendable, Codable, Equatable {
    public let record: String
    public let book: String
    public let unit: String
    public let version: Int
    /// The record's date (dated ledgers), `YYYY-MM-DD`.
    public let recordDate: String?
    /// When the record was first written, and this version (RFC 3339, China time).
    public let createdAt: String
    public let writtenAt: String
    /// The staff name of this version's writer.
    public let writtenBy: String
    /// The newest version of the record (a listing shows only the newest; `versions` shows all).
    public let latest: Int
    public let envelope: Envelope
    /// Whether the version has sealed names (released only through `book-records/{id}/names`).
    public let hasNames: Bool

    public init(record: String, book: String, unit: String, version: Int, recordDate: String?, createdAt: String, writtenAt: String,
                writtenBy: String, latest: Int, envelope: Envelope, hasNames: Bool) {
        self.record = record
        self.book = book
        self.unit = unit
        self.version = version
        self.recordDate = recordDate
        self.createdAt = createdAt
        self.writtenAt = writtenAt
        self.writtenBy = writtenBy
        self.latest = latest
        self.envelope = envelope
        self.hasNames = hasNames
    }

    enum CodingKeys: String, CodingKey {
        case record, book, unit, version, latest, envelope
        case recordDate = "record_date", createdAt = "created_at", writtenAt = "written_at", writtenBy = "written_by", hasNames = "has_names"
    }
}

/// What `books add|edit` answers: the record id and the version written.
public struct RecordWritten: Sendable, Codable, Equatable {
    public let record: String
    public let book: String
    public let unit: String
    public let version: Int

    public init(record: String, book: String, unit: String, version: Int) {
        self.record = record
        self.book = book
        self.unit = unit
        self.version = version
    }
}

/// `books show RECORD --names --reason …`: why the names of individual operators are opened (audited first).
public struct RecordNamesBody: StrictBody, Sendable, Equatable {
    public let reason: String
    public init(reason: String) { self.reason = reason }
    public enum CodingKeys: String, CodingKey, CaseIterable { case reason }
}

/// The sealed names of every version of a record that has them.
public struct RecordNamesReply: Sendable, Codable, Equatable {
    public struct Version: Sendable, Codable, Equatable {
        public let version: Int
        public let names: Envelope
        public init(version: Int, names: Envelope) {
            self.version = version
            self.names = names
        }
    }

    public let record: String
    public let versions: [Version]

    public init(record: String, versions: [Version]) {
        self.record = record
        self.versions = versions
    }
}

/// `books zero-report BOOK --period`: the unit has no records in the ledger for the period.
public struct BookZeroReportBody: StrictBody, Sendable, Equatable {
    public let period: String
    public init(period: String) { self.period = period }
    public enum CodingKeys: String, CodingKey, CaseIterable { case period }
}

/// One row of the tip-lead ledger (举报线索), generated from the tip table: public facts of a tip only,
/// never an identity, never content.
public struct TipLeadRow: Sendable, Codable, Equatable {
    public let reference: String
    /// RFC 3339, China time.
    public let receivedAt: String
    public let channel: TipChannel
    public let category: String
    public let district: String
    public let centre: String
    public let urgency: Urgency
    public let status: TipStatus
    /// verified, unfounded or rejected, once decided.
    public let resolution: String?
    public let enforcementUnit: String?
    /// administrative or criminal (a verified tip's outcome).
    public let outcome: String?
    /// Fines and confiscations in fen (rule 6: integer fen).
    public let finesFen: Int64?
    /// Whether the first action was within the S-4.1 tier; nil while none was taken.
    public let onTime: Bool?
    /// `not-requested`, `requested` or `voucher-issued`.
    public let reward: String

    public init(reference: String, receivedAt: String, channel: TipChannel, category: String, district: String, centre: String, urgency: Urgency,
                status: TipStatus, resolution: String?, enforcementUnit: String?, outcome: String?, finesFen: Int64?, onTime: Bool?, reward: String) {
        self.reference = reference
        self.receivedAt = receivedAt
        self.channel = channel
        self.category = category
        self.district = district
        self.centre = centre
        self.urgency = urgency
        self.status = status
        self.resolution = resolution
        self.enforcementUnit = enforcementUnit
        self.outcome = outcome
        self.finesFen = finesFen
        self.onTime = onTime
        self.reward = reward
    }

    enum CodingKeys: String, CodingKey {
        case reference, channel, category, district, centre, urgency, status, resolution, outcome, reward
        case receivedAt = "received_at", enforcementUnit = "enforcement_unit", finesFen = "fines_fen", onTime = "on_time"
    }
}

/// `GET books/completeness?period=`: per unit and ledger, records, a zero report, or nothing.
public struct CompletenessReply: Sendable, Codable, Equatable {
    public enum State: String, Sendable, Codable { case records, zeroReport = "zero-report", missing }

    public struct Row: Sendable, Codable, Equatable {
        public let unit: String
        public let book: String
        public let state: State
        public let records: Int
        public init(unit: String, book: String, state: State, records: Int) {
            self.unit = unit
            self.book = book
            self.state = state
            self.records = records
        }
    }

    public let period: String
    public let rows: [Row]

    public init(period: String, rows: [Row]) {
        self.period = period
        self.rows = rows
    }
}
