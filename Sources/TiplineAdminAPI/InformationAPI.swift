public import Foundation
public import Sealing
public import TiplineCore

// Information items (issue 15, docs/NETWORK.md "Information items"): bodies and replies. The
// title, body and facts travel sealed to the writing unit and the city office; the clear fields
// come from the author's signed statement.

/// `info new`: the signed statement, its signature, the sealed content and what is not in the statement.
public struct NewItemBody: StrictBody, Sendable, Equatable {
    /// `ItemStatement.text`.
    public let statement: String
    /// Ed25519 signature of the statement by the caller's staff key.
    public let signature: Data
    /// One field `content` (JSON: title, body, facts), sealed to the unit's and the city office's content keys.
    public let envelope: Envelope
    public let aspects: [String]
    /// Required with a unit-only byline.
    public let unitOnlyReason: String?
    /// The author's attestation (四(四)); a classified item is refused.
    public let classified: Bool
    /// The call (约稿/专题调研) the item answers, if any.
    public let call: String?
    /// The informant report (`IR-…`) the item is written from: the byline is then the unit only.
    public let fromReport: String?
    /// How many pictures follow (`POST info/items/:ref/pictures`, each its own envelope): the item is
    /// submitted only when all have arrived. Their SHA-256s are in the signed content (`ItemContent.pictures`).
    public let pictures: Int?

    public init(statement: String, signature: Data, envelope: Envelope, aspects: [String], unitOnlyReason: String?, classified: Bool,
                call: String? = nil, fromReport: String? = nil, pictures: Int? = nil) {
        self.call = call
        self.fromReport = fromReport
        self.pictures = pictures
        self.statement = statement
        self.signature = signature
        self.envelope = envelope
        self.aspects = aspects
        self.unitOnlyReason = unitOnlyReason
        self.classified = classified
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case statement, signature, envelope, aspects, classified, call
        case unitOnlyReason = "unit_only_reason"
        case fromReport = "from_report"
        case pictures
    }
}

/// `POST info/items/:ref/pictures`: one picture of a draft, stripped of metadata on the writer's
/// machine, one field `picture`, record id `<uid>.<n>` (n from 0), sealed like the content.
public struct ItemPictureBody: StrictBody, Sendable, Equatable {
    public let envelope: Envelope
    public init(envelope: Envelope) { self.envelope = envelope }
    public enum CodingKeys: String, CodingKey, CaseIterable { case envelope }

    /// At most this many pictures per item.
    public static let maxPictures = 5
    /// The field name of a picture.
    public static let fieldName = "picture"
    /// The record id of picture `index` of the item `uid`.
    public static func recordID(uid: String, index: Int) -> String { "\(uid).\(index)" }
}

/// `info call new`: the city office asks units for research or a summary by a date (S-3.6, 三(六)).
public struct CallBody: StrictBody, Sendable, Equatable {
    public let topic: String
    /// `research` or `summary`.
    public let kind: String
    /// `YYYY-MM-DD` (China): due by the end of that day.
    public let dueOn: String
    /// Unit ids; empty: every node.
    public let units: [String]
    public init(topic: String, kind: String, dueOn: String, units: [String]) {
        self.topic = topic
        self.kind = kind
        self.dueOn = dueOn
        self.units = units
    }
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case topic, kind, units
        case dueOn = "due_on"
    }
}

/// A call with who answered (a submitted item naming it) and who has not.
public struct CallView: Sendable, Codable, Equatable {
    public let id: String
    public let topic: String
    public let kind: String
    public let dueOn: String
    public let units: [String]
    public let answered: [String]
    public let unanswered: [String]
    public init(id: String, topic: String, kind: String, dueOn: String, units: [String], answered: [String], unanswered: [String]) {
        self.id = id
        self.topic = topic
        self.kind = kind
        self.dueOn = dueOn
        self.units = units
        self.answered = answered
        self.unanswered = unanswered
    }
    enum CodingKeys: String, CodingKey {
        case id, topic, kind, units, answered, unanswered
        case dueOn = "due_on"
    }
}

/// `GET info/research-duty?year=`: district offices' research items in a year (each owes at least one, S-3.6).
public struct ResearchDutyReply: Sendable, Codable, Equatable {
    public let year: Int
    /// District office → research items submitted that year.
    public let submitted: [String: Int]
    /// District offices with none.
    public let owing: [String]
    public init(year: Int, submitted: [String: Int], owing: [String]) {
        self.year = year
        self.submitted = submitted
        self.owing = owing
    }
}

/// `info zero-report`: a node with nothing to report in a period (S-4.3).
public struct ZeroReportBody: StrictBody, Sendable, Equatable {
    public let period: String
    public init(period: String) { self.period = period }
    public enum CodingKeys: String, CodingKey, CaseIterable { case period }
}

/// An item as listed: clear fields only.
public struct ItemSummary: Sendable, Codable, Equatable {
    public let reference: String
    public let unit: String
    /// The byline: the unit and its authors, or the unit only.
    public let authors: [String]
    public let unitOnly: Bool
    public let kind: String
    public let subKind: String?
    public let aspects: [String]
    public let timeliness: Timeliness
    public let state: ItemState
    public let eventAt: String
    public let knownAt: String
    public let createdAt: String
    public let submittedAt: String?
    public let dueAt: String?
    public let late: Bool?
    public let firstReport: String?

    public init(reference: String, unit: String, authors: [String], unitOnly: Bool, kind: String, subKind: String?, aspects: [String],
                timeliness: Timeliness, state: ItemState, eventAt: String, knownAt: String, createdAt: String, submittedAt: String?,
                dueAt: String?, late: Bool?, firstReport: String?) {
        self.reference = reference
        self.unit = unit
        self.authors = authors
        self.unitOnly = unitOnly
        self.kind = kind
        self.subKind = subKind
        self.aspects = aspects
        self.timeliness = timeliness
        self.state = state
        self.eventAt = eventAt
        self.knownAt = knownAt
        self.createdAt = createdAt
        self.submittedAt = submittedAt
        self.dueAt = dueAt
        self.late = late
        self.firstReport = firstReport
    }
    enum CodingKeys: String, CodingKey {
        case reference, unit, authors, kind, aspects, timeliness, state, late
        case unitOnly = "unit_only", subKind = "sub_kind", eventAt = "event_at", knownAt = "known_at", createdAt = "created_at"
        case submittedAt = "submitted_at", dueAt = "due_at", firstReport = "first_report"
    }
}

/// `GET info/items/:ref`: the summary, the signed statement and its signer, the sealed content.
/// A `info.read` audit entry is committed before it is returned.
public struct ItemDetail: Sendable, Codable, Equatable {
    public let item: ItemSummary
    public let statement: String
    public let signature: Data
    /// The signer's Ed25519 public key (hex) as enrolled.
    public let signerPublicKey: String
    public let signerName: String
    public let envelope: Envelope
    public let returnReason: String?
    public let unitOnlyReason: String?
    /// The sealed pictures, in order.
    public let pictures: [Envelope]
    /// The city's edited versions (2, 3, …), each signed by its editor; the author's original is the item itself.
    public let versions: [ItemVersionView]

    public init(item: ItemSummary, statement: String, signature: Data, signerPublicKey: String, signerName: String, envelope: Envelope,
                returnReason: String?, unitOnlyReason: String?, pictures: [Envelope] = [], versions: [ItemVersionView] = []) {
        self.pictures = pictures
        self.versions = versions
        self.item = item
        self.statement = statement
        self.signature = signature
        self.signerPublicKey = signerPublicKey
        self.signerName = signerName
        self.envelope = envelope
        self.returnReason = returnReason
        self.unitOnlyReason = unitOnlyReason
    }
    enum CodingKeys: String, CodingKey {
        case item, statement, signature, envelope, pictures, versions
        case signerPublicKey = "signer_public_key", signerName = "signer_name", returnReason = "return_reason"
        case unitOnlyReason = "unit_only_reason"
    }
}

/// `GET info/silent?period=`: nodes that neither submitted an item nor filed a zero report.
public struct SilentReply: Sendable, Codable, Equatable {
    public let period: String
    public let silent: [String]
    public let zeroReports: [String]
    public init(period: String, silent: [String], zeroReports: [String]) {
        self.period = period
        self.silent = silent
        self.zeroReports = zeroReports
    }
    enum CodingKeys: String, CodingKey {
        case period, silent
        case zeroReports = "zero_reports"
    }
}

/// The clear content of an item as sealed: title, body and structured facts (S-4.2).
public struct ItemContent: Sendable, Codable, Equatable {
    public let title: String
    public let body: String
    /// Time, place, persons, items, quantities with units, quotations: free key → text.
    public let facts: [String: String]
    /// SHA-256 (hex) of each picture as stripped, in order; absent without pictures. Signed with the
    /// text (the statement's content hash covers it), so a reader proves every picture is the author's.
    public let pictures: [String]?
    public init(title: String, body: String, facts: [String: String], pictures: [String]? = nil) {
        self.title = title
        self.body = body
        self.facts = facts
        self.pictures = pictures
    }

    /// The canonical bytes sealed and hashed (sorted keys).
    public func canonicalJSON() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
