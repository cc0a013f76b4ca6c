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
    /// Row id of the tip the receipt belongs to.
    public let tipID: Int64
    /// What the row keeps of the receipt, to check a presented one against.
    public let record: ReceiptRecord

    /// A receipt record of tip `tipID`.
    public init(tipID: Int64, record: ReceiptRecord) {
        self.tipID = tipID
        self.record = record
    }
}

/// What follow-up shows: the public status and the sealed thread (opened with the receipt).
public struct FollowupView: Sendable {
    /// Row id of the tip.
    public let tipID: Int64
    /// The tip's envelope record id.
    public let uid: String
    /// The tip's public reference.
    public let reference: TipReference
    /// Unix seconds (UTC) when the tip was received.
    public let receivedAt: Int64
    /// The tip's current status.
    public let status: TipStatus
    /// Whether the reporter asked to be considered for a reward.
    public let wantsReward: Bool
    /// The reporter's X25519 private key, sealed under the key derived from the receipt.
    public let reporterKeySealed: [UInt8]
    /// Centres holding a content wrap of the tip: a reporter's message is sealed to them too.
    public let contentCentres: [String]
    /// The thread's sealed messages, oldest first.
    public let messages: [StoredMessage]
    /// The reward voucher sealed to the reporter key, if a reward was approved.
    public let voucher: StoredVoucher?
    /// The centre handling the tip now (its routed centre).
    public var centre: String = ""
    /// What a closed tip was before it was closed (`verified`, `unfounded`, `rejected`), if recorded.
    public var resolution: TipStatus?
    /// Files: sent with the tip, and added by the reporter since.
    public var intakeEvidence = 0
    /// Files the reporter added after submitting.
    public var addedEvidence = 0
    /// Whether retention destroyed the tip's content (nothing can be added then).
    public var contentDestroyed = false
    /// The reason of the latest reward decline, written for the reporter (`ledger decline --reason`).
    public var rewardDeclineReason: String?
}

/// A voucher as stored: sealed to the reporter key.
public struct StoredVoucher: Sendable {
    /// The voucher code sealed to the reporter key (JSON envelope).
    public let envelope: Data
    /// The voucher's amount in fen.
    public let amountFen: Int64
    /// Unix seconds (UTC) after which the voucher can no longer be redeemed.
    public let expiresAt: Int64
}

/// One sealed message of a thread.
public struct StoredMessage: Sendable {
    /// The message's envelope record id.
    public let uid: String
    /// Who wrote it: `reporter` or `centre`.
    public let author: String
    /// Unix seconds (UTC) when the message was stored.
    public let createdAt: Int64
    /// The sealed message (JSON envelope).
    public let envelope: Data
}
