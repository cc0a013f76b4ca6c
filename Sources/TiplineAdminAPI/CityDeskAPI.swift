public import Foundation
public import Sealing
public import TiplineCore

// The city desk (issue 16, S-2.1, docs/NETWORK.md "The city desk"): edited versions of items,
// adoption records and their statistics, and the bulletins (快报/简报) built from items, scanned
// for personal data and sealed to every receiving unit on the editor's machine.

/// `info edit`: an editor's version of an item, sealed like the original, with the editor's signed statement.
public struct EditItemBody: StrictBody, Sendable, Equatable {
    /// `ItemEditStatement.text`.
    public let statement: String
    public let signature: Data
    /// One field `content` (`ItemContent` JSON), record id `<uid>.v<version>`, wrapped like the item.
    public let envelope: Envelope
    public let reason: String
    public init(statement: String, signature: Data, envelope: Envelope, reason: String) {
        self.statement = statement
        self.signature = signature
        self.envelope = envelope
        self.reason = reason
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case statement, signature, envelope, reason }
}

/// One edited version of an item as a reader gets it.
public struct ItemVersionView: Sendable, Codable, Equatable {
    public let version: Int
    public let statement: String
    public let signature: Data
    public let editorName: String
    /// The editor's Ed25519 public key (hex) as enrolled.
    public let editorPublicKey: String
    public let envelope: Envelope
    public let reason: String
    public let at: String
    public init(version: Int, statement: String, signature: Data, editorName: String, editorPublicKey: String, envelope: Envelope,
                reason: String, at: String) {
        self.version = version
        self.statement = statement
        self.signature = signature
        self.editorName = editorName
        self.editorPublicKey = editorPublicKey
        self.envelope = envelope
        self.reason = reason
        self.at = at
    }
    enum CodingKeys: String, CodingKey {
        case version, statement, signature, envelope, reason, at
        case editorName = "editor_name", editorPublicKey = "editor_public_key"
    }
}

/// `info adopt`: an adoption record of an item.
public struct AdoptBody: StrictBody, Sendable, Equatable {
    public let level: AdoptionLevel
    /// `YYYY-MM-DD` (China).
    public let on: String
    /// The bulletin issue, the provincial document number, the instruction's reference…
    public let ref: String?
    public init(level: AdoptionLevel, on: String, ref: String?) {
        self.level = level
        self.on = on
        self.ref = ref
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case level, on, ref }
}

/// One adoption record.
public struct AdoptionView: Sendable, Codable, Equatable {
    public let item: String
    public let level: AdoptionLevel
    public let on: String
    public let ref: String?
    public init(item: String, level: AdoptionLevel, on: String, ref: String?) {
        self.item = item
        self.level = level
        self.on = on
        self.ref = ref
    }
}

/// A row of the adoption statistics (`info adoption`, `info feedback`): items submitted in the
/// period by the group, late ones, adoptions per level, items adopted at any level, zero reports.
public struct AdoptionRow: Sendable, Codable, Equatable {
    /// A unit id, an author's name (`（单位署名）` for unit-only bylines) or a kind.
    public let key: String
    public let submitted: Int
    public let late: Int
    public let adopted: [String: Int]
    public let adoptedItems: Int
    public let zeroReports: Int
    public init(key: String, submitted: Int, late: Int, adopted: [String: Int], adoptedItems: Int, zeroReports: Int) {
        self.key = key
        self.submitted = submitted
        self.late = late
        self.adopted = adopted
        self.adoptedItems = adoptedItems
        self.zeroReports = zeroReports
    }
    /// Adopted items per thousand submitted (integer, no floating point).
    public var ratePermille: Int { submitted == 0 ? 0 : adoptedItems * 1000 / submitted }
    enum CodingKeys: String, CodingKey {
        case key, submitted, late, adopted
        case adoptedItems = "adopted_items", zeroReports = "zero_reports"
    }
}

/// `GET info/adoption?period=&by=`.
public struct AdoptionReply: Sendable, Codable, Equatable {
    public let period: String
    /// `unit`, `author` or `kind`.
    public let by: String
    public let rows: [AdoptionRow]
    public init(period: String, by: String, rows: [AdoptionRow]) {
        self.period = period
        self.by = by
        self.rows = rows
    }
}

/// `bulletin new`.
public struct NewBulletinBody: StrictBody, Sendable, Equatable {
    public let type: BulletinType
    public init(type: BulletinType) { self.type = type }
    public enum CodingKeys: String, CodingKey, CaseIterable { case type }
}

/// `bulletin add`: an item into a draft issue, at its latest version (or `version`).
public struct BulletinItemBody: StrictBody, Sendable, Equatable {
    public let item: String
    public let version: Int?
    public init(item: String, version: Int?) {
        self.item = item
        self.version = version
    }
    public enum CodingKeys: String, CodingKey, CaseIterable { case item, version }
}

/// `bulletin publish`: the rendered document sealed to every receiving unit (and the city office).
public struct PublishBulletinBody: StrictBody, Sendable, Equatable {
    /// One field `document` (the HTML), record id = the issue id.
    public let envelope: Envelope
    /// SHA-256 (hex) of the HTML as rendered and scanned.
    public let documentSHA256: String
    public init(envelope: Envelope, documentSHA256: String) {
        self.envelope = envelope
        self.documentSHA256 = documentSHA256
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case envelope
        case documentSHA256 = "document_sha256"
    }
}

/// An issue of a bulletin.
public struct BulletinView: Sendable, Codable, Equatable {
    public struct Entry: Sendable, Codable, Equatable {
        public let item: String
        public let version: Int
        public init(item: String, version: Int) {
            self.item = item
            self.version = version
        }
    }
    /// `KB-2026-12`.
    public let id: String
    public let type: BulletinType
    public let year: Int
    public let number: Int
    public let state: String
    public let createdAt: String
    public let publishedAt: String?
    public let items: [Entry]
    /// The receiving units (units.yaml `receives_bulletins`).
    public let recipients: [String]
    public let documentSHA256: String?
    public init(id: String, type: BulletinType, year: Int, number: Int, state: String, createdAt: String, publishedAt: String?,
                items: [Entry], recipients: [String], documentSHA256: String?) {
        self.id = id
        self.type = type
        self.year = year
        self.number = number
        self.state = state
        self.createdAt = createdAt
        self.publishedAt = publishedAt
        self.items = items
        self.recipients = recipients
        self.documentSHA256 = documentSHA256
    }
    enum CodingKeys: String, CodingKey {
        case id, type, year, number, state, items, recipients
        case createdAt = "created_at", publishedAt = "published_at", documentSHA256 = "document_sha256"
    }

    /// The field name of the sealed document.
    public static let documentField = "document"
}

/// `GET bulletins/:id/document`: the sealed document for a receiving unit (after a `bulletin.read` entry).
public struct BulletinDocument: Sendable, Codable, Equatable {
    public let bulletin: BulletinView
    public let envelope: Envelope
    public init(bulletin: BulletinView, envelope: Envelope) {
        self.bulletin = bulletin
        self.envelope = envelope
    }
}
