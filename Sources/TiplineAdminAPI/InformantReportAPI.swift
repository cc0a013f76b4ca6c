public import Foundation
public import Sealing
public import TiplineCore

// The informant channel (issue 15, docs/NETWORK.md "The informant channel"): reports an informant
// filed through `/informant`, sealed by the server at intake to the district office and the city
// office; replies sealed on the handler's machine to the informant's key and the district office.

/// A report's clear fields: who (by pseudonym), what kind, when, and what became of it.
public struct InformantReportSummary: Sendable, Codable, Equatable {
    public let reference: String
    public let pseudonym: String
    public let district: String
    public let kind: InformantReportKind
    /// China time, ISO 8601.
    public let receivedAt: String
    public let photos: Int
    public let replies: Int
    /// The item written from it (`info new --from-report`), if any.
    public let item: String?
    /// The tip made from it (`info to-tip`), if any.
    public let tip: String?

    public init(reference: String, pseudonym: String, district: String, kind: InformantReportKind, receivedAt: String, photos: Int,
                replies: Int, item: String?, tip: String?) {
        self.reference = reference
        self.pseudonym = pseudonym
        self.district = district
        self.kind = kind
        self.receivedAt = receivedAt
        self.photos = photos
        self.replies = replies
        self.item = item
        self.tip = tip
    }
    enum CodingKeys: String, CodingKey {
        case reference, pseudonym, district, kind, photos, replies, item, tip
        case receivedAt = "received_at"
    }
}

/// One reply to an informant, sealed to the informant's key and the district office's content key.
public struct InformantReplyView: Sendable, Codable, Equatable {
    public let at: String
    public let by: String
    public let envelope: Envelope
    public init(at: String, by: String, envelope: Envelope) {
        self.at = at
        self.by = by
        self.envelope = envelope
    }
}

/// A report released to a reader (after its `informant.report-read` entry): the sealed content, the
/// sealed photos, the replies, and the informant's public key for sealing a reply.
public struct InformantReportDetail: Sendable, Codable, Equatable {
    public let report: InformantReportSummary
    public let envelope: Envelope
    public let photos: [Envelope]
    public let replies: [InformantReplyView]
    /// The informant's X25519 public key (hex).
    public let informantPublicKey: String
    public init(report: InformantReportSummary, envelope: Envelope, photos: [Envelope], replies: [InformantReplyView], informantPublicKey: String) {
        self.report = report
        self.envelope = envelope
        self.photos = photos
        self.replies = replies
        self.informantPublicKey = informantPublicKey
    }
    enum CodingKeys: String, CodingKey {
        case report, envelope, photos, replies
        case informantPublicKey = "informant_public_key"
    }
}

/// `info reply`: one field `reply`, sealed to the informant's key and the district office's content key.
public struct InformantReplyBody: StrictBody, Sendable, Equatable {
    public let envelope: Envelope
    public init(envelope: Envelope) { self.envelope = envelope }
    public enum CodingKeys: String, CodingKey, CaseIterable { case envelope }
}
