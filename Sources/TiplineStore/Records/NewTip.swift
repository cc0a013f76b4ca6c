import Foundation
public import Sealing
public import TiplineCore

/// A sealed tip ready to be stored: everything was encrypted before the write transaction,
/// so the transaction itself does only cheap work (allocate the reference, insert, sign).
public struct NewTip: Sendable {
    /// The envelope record id (random, 32 hex chars); binds every ciphertext to this tip.
    public var uid: String
    public var receivedAt: Int64
    public var category: CategoryID
    public var district: TipDistrict
    public var routing: RoutingDecision
    public var urgency: Urgency
    public var dueAt: Int64
    public var wantsReward: Bool
    public var hasIdentity: Bool
    public var receiptLookup: [UInt8]
    public var reporterPublicKey: [UInt8]
    public var reporterKeySealed: [UInt8]
    public var envelope: Envelope
    /// Which centre each wrap's recipient key belongs to, by key id.
    public var wrapCentres: [String: CentreID]
    /// Sealed evidence blobs in submission order.
    public var evidence: [[UInt8]]

    public init(uid: String, receivedAt: Int64, category: CategoryID, district: TipDistrict, routing: RoutingDecision,
                urgency: Urgency, dueAt: Int64, wantsReward: Bool, hasIdentity: Bool, receiptLookup: [UInt8],
                reporterPublicKey: [UInt8], reporterKeySealed: [UInt8], envelope: Envelope,
                wrapCentres: [String: CentreID], evidence: [[UInt8]]) {
        self.uid = uid
        self.receivedAt = receivedAt
        self.category = category
        self.district = district
        self.routing = routing
        self.urgency = urgency
        self.dueAt = dueAt
        self.wantsReward = wantsReward
        self.hasIdentity = hasIdentity
        self.receiptLookup = receiptLookup
        self.reporterPublicKey = reporterPublicKey
        self.reporterKeySealed = reporterKeySealed
        self.envelope = envelope
        self.wrapCentres = wrapCentres
        self.evidence = evidence
    }

    /// SHA-256 over the sealed submission (every sealed field, wrap and evidence blob, in a fixed
    /// order): what the proof of report signs. Anyone holding the ciphertext can recompute it.
    public var submissionHash: [UInt8] {
        var hasher = SHA256Hasher()
        hasher.update(Array("tipline:v1:submission:\(uid)".utf8))
        for field in envelope.fields.sorted(by: { $0.name < $1.name }) {
            hasher.update(Array("\nfield:\(field.name):\(field.keyClass.rawValue):".utf8))
            hasher.update(field.serialized())
        }
        for wrap in envelope.wraps.sorted(by: { ($0.keyClass.rawValue, $0.recipientKeyID) < ($1.keyClass.rawValue, $1.recipientKeyID) }) {
            hasher.update(Array("\nwrap:\(wrap.keyClass.rawValue):\(wrap.recipientKeyID):".utf8))
            hasher.update(wrap.serialized())
        }
        for (index, blob) in evidence.enumerated() {
            hasher.update(Array("\nevidence:\(index):".utf8))
            hasher.update(blob)
        }
        return hasher.finalize()
    }
}

/// What the reporter gets back once the tip is durably stored.
public struct StoredTip: Sendable, Equatable {
    public let id: Int64
    public let reference: TipReference
    public let receivedAt: Int64
    public let submissionHash: [UInt8]
    /// The server's Ed25519 signature over `ProofOfReport.message(...)`.
    public let proof: [UInt8]
}

/// The proof of report: a signature anyone can check against the server's public key.
public enum ProofOfReport {
    /// The signed message: `tipline:v1:proof:<reference>:<received-at-iso8601>:<submission-hash-hex>`.
    public static func message(reference: TipReference, receivedAt: Int64, submissionHash: [UInt8]) -> [UInt8] {
        let time = ISO8601.string(fromSeconds: receivedAt)
        let hex = Hex.encode(submissionHash)
        return Array("tipline:v1:proof:\(reference.rawValue):\(time):\(hex)".utf8)
    }
}

/// UTC ISO-8601 with seconds, the one time format of the API and the audit log.
public enum ISO8601 {
    public static func string(fromSeconds seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
