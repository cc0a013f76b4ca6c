public import Foundation
public import Sealing
public import TiplineCore

// The tip views of the admin API (docs/ADMIN-API.md): what the server sends and the CLI reads.
// Clear metadata and ciphertext only; the CLI opens the sealed parts locally.

/// A tip in a queue listing: only clear columns.
public struct TipSummary: Sendable, Codable, Equatable {
    public let reference: String
    public let receivedAt: Int64
    public let category: String
    public let district: String
    public let centre: String
    public let urgency: Urgency
    public let status: TipStatus
    public let dueAt: Int64?
    public let assignedTo: String?
    public let hasIdentity: Bool
    public let evidenceCount: Int
    public let wantsReward: Bool
    public let duplicateOf: String?
    /// How the tip came: the web, or a call, letter, visit or e-mail a triage officer recorded (issue 15).
    public let channel: TipChannel

    enum CodingKeys: String, CodingKey {
        case reference, category, district, centre, urgency, status, channel
        case receivedAt = "received_at"
        case dueAt = "due_at"
        case assignedTo = "assigned_to"
        case hasIdentity = "has_identity"
        case evidenceCount = "evidence_count"
        case wantsReward = "wants_reward"
        case duplicateOf = "duplicate_of"
    }

    /// Builds the value as the server sends it.
    public init(reference: String, receivedAt: Int64, category: String, district: String, centre: String, urgency: Urgency,
                status: TipStatus, dueAt: Int64?, assignedTo: String?, hasIdentity: Bool, evidenceCount: Int,
                wantsReward: Bool, duplicateOf: String?, channel: TipChannel = .web) {
        self.channel = channel
        self.reference = reference
        self.receivedAt = receivedAt
        self.category = category
        self.district = district
        self.centre = centre
        self.urgency = urgency
        self.status = status
        self.dueAt = dueAt
        self.assignedTo = assignedTo
        self.hasIdentity = hasIdentity
        self.evidenceCount = evidenceCount
        self.wantsReward = wantsReward
        self.duplicateOf = duplicateOf
    }
}

/// One sealed blob as served to the CLI (base64 in JSON).
public struct SealedBlob: Sendable, Codable, Equatable {
    public let name: String
    public let keyClass: KeyClass
    public let sealed: Data
    enum CodingKeys: String, CodingKey {
        case name, sealed
        case keyClass = "key_class"
    }

    /// Builds the value as the server sends it.
    public init(name: String, keyClass: KeyClass, sealed: Data) {
        self.name = name
        self.keyClass = keyClass
        self.sealed = sealed
    }
}

/// A wrap as served: which key, for which centre.
public struct WrapBlob: Sendable, Codable, Equatable {
    public let keyClass: KeyClass
    public let recipientKeyID: String
    public let centre: String
    public let sealed: Data
    /// Who added the wrap: `server` at intake, else the staff key id of the audited action (v5).
    public var addedBy: String? = nil
    enum CodingKeys: String, CodingKey {
        case centre, sealed
        case keyClass = "key_class"
        case recipientKeyID = "recipient_key_id"
        case addedBy = "added_by"
    }

    /// Builds the value as the server sends it.
    public init(keyClass: KeyClass, recipientKeyID: String, centre: String, sealed: Data, addedBy: String? = nil) {
        self.keyClass = keyClass
        self.recipientKeyID = recipientKeyID
        self.centre = centre
        self.sealed = sealed
        self.addedBy = addedBy
    }
}

/// A sealed message or note as served.
public struct ThreadItem: Sendable, Codable, Equatable {
    public let uid: String
    public let author: String
    public let authorKeyID: String?
    public let createdAt: Int64
    public let envelope: Data
    enum CodingKeys: String, CodingKey {
        case uid, author, envelope
        case authorKeyID = "author_key_id"
        case createdAt = "created_at"
    }

    /// Builds the value as the server sends it.
    public init(uid: String, author: String, authorKeyID: String?, createdAt: Int64, envelope: Data) {
        self.uid = uid
        self.author = author
        self.authorKeyID = authorKeyID
        self.createdAt = createdAt
        self.envelope = envelope
    }
}

/// Everything a triage officer's CLI needs to show a tip: clear metadata and ciphertext that it
/// opens locally with the centre's content key. Identity fields are not included (see unseal).
public struct TipDetail: Sendable, Codable, Equatable {
    public let summary: TipSummary
    public let uid: String
    public let reporterPublicKey: Data
    public let enforcementUnit: String?
    public let outcome: VerifiedOutcome?
    public let resolution: String?
    public let routes: [String]
    public let copies: [String]
    public let contentCentres: [String]
    public let identityFieldNames: [String]
    public let fields: [SealedBlob]
    public let wraps: [WrapBlob]
    /// The caller centre's identity wrap (useless without that centre's identity key; lets an
    /// operator holding both keys re-wrap the identity when re-routing).
    public let identityWraps: [WrapBlob]
    public let evidence: [SealedBlob]
    public let messages: [ThreadItem]
    public let notes: [ThreadItem]
    public let identityShredded: Bool
    public let contentShredded: Bool
    /// The content key's commitment stored at intake (docs/ENVELOPE.md §11): the CLI checks the key
    /// it unwrapped against it. Nil for tips received before v5.
    public var contentKeyCommitment: Data? = nil
    /// The identity key's commitment (for re-wrapping the identity when re-routing).
    public var identityKeyCommitment: Data? = nil
    /// Centres that already have an identity wrap (a re-routing adds none for them).
    public var identityWrapCentres: [String]? = nil
    /// Why the tip is where it is: every routing, the intake's rule first (issue 13, item 6).
    public var routeSteps: [RouteStep]? = nil
    /// Files the reporter added after submitting (each its own envelope with one field, `evidence`,
    /// sealed to the tip's centres: ENVELOPE.md §13.5), oldest first.
    public var addedEvidence: [ThreadItem]? = nil

    enum CodingKeys: String, CodingKey {
        case summary, uid, outcome, resolution, routes, copies, fields, wraps, evidence, messages, notes
        case contentKeyCommitment = "content_key_commitment"
        case identityKeyCommitment = "identity_key_commitment"
        case identityWrapCentres = "identity_wrap_centres"
        case routeSteps = "route_steps"
        case addedEvidence = "added_evidence"
        case reporterPublicKey = "reporter_public_key"
        case identityWraps = "identity_wraps"
        case enforcementUnit = "enforcement_unit"
        case contentCentres = "content_centres"
        case identityFieldNames = "identity_field_names"
        case identityShredded = "identity_shredded"
        case contentShredded = "content_shredded"
    }

    /// Builds the value as the server sends it.
    public init(summary: TipSummary, uid: String, reporterPublicKey: Data, enforcementUnit: String?,
                outcome: VerifiedOutcome?, resolution: String?, routes: [String], copies: [String],
                contentCentres: [String], identityFieldNames: [String], fields: [SealedBlob], wraps: [WrapBlob],
                identityWraps: [WrapBlob], evidence: [SealedBlob], messages: [ThreadItem], notes: [ThreadItem],
                identityShredded: Bool, contentShredded: Bool, contentKeyCommitment: Data? = nil,
                identityKeyCommitment: Data? = nil, identityWrapCentres: [String]? = nil) {
        self.summary = summary
        self.uid = uid
        self.reporterPublicKey = reporterPublicKey
        self.enforcementUnit = enforcementUnit
        self.outcome = outcome
        self.resolution = resolution
        self.routes = routes
        self.copies = copies
        self.contentCentres = contentCentres
        self.identityFieldNames = identityFieldNames
        self.fields = fields
        self.wraps = wraps
        self.identityWraps = identityWraps
        self.evidence = evidence
        self.messages = messages
        self.notes = notes
        self.identityShredded = identityShredded
        self.contentShredded = contentShredded
        self.contentKeyCommitment = contentKeyCommitment
        self.identityKeyCommitment = identityKeyCommitment
        self.identityWrapCentres = identityWrapCentres
    }
}

/// One routing of a tip: to which centre, when, by whom (`server` at intake, else a staff key id)
/// and under which rule (the routing policy's rule at intake, `manual` for a re-routing).
public struct RouteStep: Sendable, Codable, Equatable {
    public let centre: String
    public let at: Int64
    public let by: String
    public let rule: String

    /// Builds the value as the server sends it.
    public init(centre: String, at: Int64, by: String, rule: String) {
        self.centre = centre
        self.at = at
        self.by = by
        self.rule = rule
    }
}

/// What an unseal releases: the identity fields and the caller centre's identity wrap.
public struct UnsealedIdentity: Sendable, Codable, Equatable {
    public let reference: String
    public let uid: String
    public let fields: [SealedBlob]
    public let wraps: [WrapBlob]
    public let auditSeq: Int64
    /// The identity key's commitment stored at intake (nil for tips received before v5).
    public var identityKeyCommitment: Data? = nil
    enum CodingKeys: String, CodingKey {
        case reference, uid, fields, wraps
        case auditSeq = "audit_seq"
        case identityKeyCommitment = "identity_key_commitment"
    }

    /// Builds the value as the server sends it.
    public init(reference: String, uid: String, fields: [SealedBlob], wraps: [WrapBlob], auditSeq: Int64,
                identityKeyCommitment: Data? = nil) {
        self.reference = reference
        self.uid = uid
        self.fields = fields
        self.wraps = wraps
        self.auditSeq = auditSeq
        self.identityKeyCommitment = identityKeyCommitment
    }
}

/// A pending identity wrap (re-routing done by an operator without the identity key).
public struct PendingWrap: Sendable, Codable, Equatable {
    public let reference: String
    public let uid: String
    public let centre: String
    public let requestedAt: Int64
    public let requestedBy: String
    /// The caller centre's identity wrap, to re-wrap for `centre`.
    public let wraps: [WrapBlob]
    /// The identity key's commitment stored at intake (nil for tips received before v5).
    public var identityKeyCommitment: Data? = nil
    enum CodingKeys: String, CodingKey {
        case reference, uid, centre, wraps
        case identityKeyCommitment = "identity_key_commitment"
        case requestedAt = "requested_at"
        case requestedBy = "requested_by"
    }

    /// Builds the value as the server sends it.
    public init(reference: String, uid: String, centre: String, requestedAt: Int64, requestedBy: String, wraps: [WrapBlob],
                identityKeyCommitment: Data? = nil) {
        self.reference = reference
        self.uid = uid
        self.centre = centre
        self.requestedAt = requestedAt
        self.requestedBy = requestedBy
        self.wraps = wraps
        self.identityKeyCommitment = identityKeyCommitment
    }
}

/// Counts for `stats` (no personal data, no content).
public struct TipStats: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public let key: String
        public let count: Int

        /// Builds the value as the server sends it.
        public init(key: String, count: Int) {
            self.key = key
            self.count = count
        }
    }
    public struct OnTime: Sendable, Codable, Equatable {
        public let urgency: String
        public let acted: Int
        public let onTime: Int
        enum CodingKeys: String, CodingKey {
            case urgency, acted
            case onTime = "on_time"
        }

        /// Builds the value as the server sends it.
        public init(urgency: String, acted: Int, onTime: Int) {
            self.urgency = urgency
            self.acted = acted
            self.onTime = onTime
        }
    }
    public let total: Int
    public let byCentre: [Count]
    public let byStatus: [Count]
    public let byCategory: [Count]
    public let byUrgency: [Count]
    public let overdueByCentre: [Count]
    public let onTime: [OnTime]
    /// Tips by how they came (`web`, `phone`, `letter`, `visit`, `email`; only channels with tips).
    public let byChannel: [Count]
    enum CodingKeys: String, CodingKey {
        case total
        case byChannel = "by_channel"
        case byCentre = "by_centre"
        case byStatus = "by_status"
        case byCategory = "by_category"
        case byUrgency = "by_urgency"
        case overdueByCentre = "overdue_by_centre"
        case onTime = "on_time"
    }

    /// Builds the value as the server sends it.
    public init(total: Int, byCentre: [Count], byStatus: [Count], byCategory: [Count], byUrgency: [Count],
                overdueByCentre: [Count], onTime: [OnTime], byChannel: [Count]) {
        self.byChannel = byChannel
        self.total = total
        self.byCentre = byCentre
        self.byStatus = byStatus
        self.byCategory = byCategory
        self.byUrgency = byUrgency
        self.overdueByCentre = overdueByCentre
        self.onTime = onTime
    }
}


/// `GET stats/period?from=&to=` (issue 16): tips received between two China dates (inclusive), by
/// centre, status, outcome (a closed tip counts as what it was found to be: verified, unfounded or
/// rejected), category, urgency and channel, with the on-time first-action rate per centre.
public struct PeriodStats: Sendable, Codable, Equatable {
    public struct CentreOnTime: Sendable, Codable, Equatable {
        public let centre: String
        public let acted: Int
        public let onTime: Int
        public init(centre: String, acted: Int, onTime: Int) {
            self.centre = centre
            self.acted = acted
            self.onTime = onTime
        }
        enum CodingKeys: String, CodingKey {
            case centre, acted
            case onTime = "on_time"
        }
    }
    public let from: String
    public let to: String
    public let total: Int
    public let byCentre: [TipStats.Count]
    public let byStatus: [TipStats.Count]
    public let byOutcome: [TipStats.Count]
    public let byCategory: [TipStats.Count]
    public let byUrgency: [TipStats.Count]
    public let byChannel: [TipStats.Count]
    public let onTimeByCentre: [CentreOnTime]
    /// Tips found verified (open, or closed as verified) per centre: the results table's 举报查实.
    public let verifiedByCentre: [TipStats.Count]
    public init(from: String, to: String, total: Int, byCentre: [TipStats.Count], byStatus: [TipStats.Count], byOutcome: [TipStats.Count],
                byCategory: [TipStats.Count], byUrgency: [TipStats.Count], byChannel: [TipStats.Count], onTimeByCentre: [CentreOnTime],
                verifiedByCentre: [TipStats.Count] = []) {
        self.verifiedByCentre = verifiedByCentre
        self.from = from
        self.to = to
        self.total = total
        self.byCentre = byCentre
        self.byStatus = byStatus
        self.byOutcome = byOutcome
        self.byCategory = byCategory
        self.byUrgency = byUrgency
        self.byChannel = byChannel
        self.onTimeByCentre = onTimeByCentre
    }
    enum CodingKeys: String, CodingKey {
        case from, to, total
        case byCentre = "by_centre", byStatus = "by_status", byOutcome = "by_outcome", byCategory = "by_category", byUrgency = "by_urgency"
        case byChannel = "by_channel", onTimeByCentre = "on_time_by_centre", verifiedByCentre = "verified_by_centre"
    }
}
