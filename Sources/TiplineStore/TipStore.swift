public import Foundation
public import Sealing
public import TiplineCore

/// What the intake server needs from storage. SQLite implements it; the protocol keeps the door
/// open for a PostgreSQL backend (ARCHITECTURE "Storage").
public protocol TipStore: Sendable {
    /// Stores a sealed tip, its audit entry and its reference atomically; returns after the commit.
    /// (SQLite: concurrent tips share a transaction, each in its own savepoint — docs/STORAGE.md.)
    func insert(_ tip: NewTip) async throws(StoreError) -> StoredTip
    /// The receipt record of the located-receipt tip (scheme 2) whose locator hash is `locatorHash`.
    func receipt(locatorHash: [UInt8]) async throws(StoreError) -> StoredReceipt?
    /// The follow-up view of a tip whose receipt was checked (`receipt(locatorHash:)` then the verifier).
    func followup(tipID: Int64) async throws(StoreError) -> FollowupView?
    /// The legacy tip (scheme 1 only) whose receipt lookup key is `lookupKey`, for follow-up.
    func followup(lookupKey: [UInt8]) async throws(StoreError) -> FollowupView?
    /// The distinct scrypt parameters of legacy tips (at most a few; usually one, or none).
    func legacyReceiptParameters() async throws(StoreError) -> [Scrypt.Parameters]
    /// Adds a reporter's sealed message to a tip's thread (with its audit entry).
    func addReporterMessage(tipID: Int64, uid: String, envelope: Data, at: Int64) async throws(StoreError)
    /// Adds files a reporter sent after submitting, each sealed on its own (`uid`, envelope), with one
    /// audit entry per file in the same transaction. Refused (`.conflict`, nothing written) when the
    /// tip's intake evidence and added files would exceed `maxFiles`, or its content was destroyed.
    /// Returns the tip's file count after the write.
    func addReporterEvidence(tipID: Int64, files: [(uid: String, envelope: Data)], maxFiles: Int, at: Int64) async throws(StoreError) -> Int
    /// Number of stored tips.
    func tipCount() async throws(StoreError) -> Int
}

/// A located receipt's record as stored with its tip.
public struct StoredReceipt: Sendable {
    public let tipID: Int64
    public let record: ReceiptRecord

    public init(tipID: Int64, record: ReceiptRecord) {
        self.tipID = tipID
        self.record = record
    }
}

/// What follow-up shows: the public status and the sealed thread (opened with the receipt).
public struct FollowupView: Sendable {
    public let tipID: Int64
    public let uid: String
    public let reference: TipReference
    public let receivedAt: Int64
    public let status: TipStatus
    public let wantsReward: Bool
    public let reporterKeySealed: [UInt8]
    /// Centres holding a content wrap of the tip: a reporter's message is sealed to them too.
    public let contentCentres: [String]
    public let messages: [StoredMessage]
    /// The reward voucher sealed to the reporter key, if a reward was approved.
    public let voucher: StoredVoucher?
    /// The centre handling the tip now (its routed centre).
    public var centre: String = ""
    /// What a closed tip was before it was closed (`verified`, `unfounded`, `rejected`), if recorded.
    public var resolution: TipStatus?
    /// Files: sent with the tip, and added by the reporter since.
    public var intakeEvidence = 0
    public var addedEvidence = 0
    /// Whether retention destroyed the tip's content (nothing can be added then).
    public var contentDestroyed = false
    /// The reason of the latest reward decline, written for the reporter (`ledger decline --reason`).
    public var rewardDeclineReason: String?
}

/// A voucher as stored: sealed to the reporter key.
public struct StoredVoucher: Sendable {
    public let envelope: Data
    public let amountFen: Int64
    public let expiresAt: Int64
}

/// One sealed message of a thread.
public struct StoredMessage: Sendable {
    public let uid: String
    public let author: String
    public let createdAt: Int64
    public let envelope: Data
}
