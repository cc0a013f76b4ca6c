public import LedgerModel
import Foundation
import GRDB
import TiplineCore
import Sealing

/// The double-entry reward ledger in its own SQLite file (`ledger.sqlite`).
///
/// It knows a tip's public reference, amounts, who proposed and approved (staff key ids with
/// their signed requests) and voucher hashes — nothing that identifies a reporter. Every command
/// takes the time as `now` (UTC seconds) and an idempotency key, runs in one write transaction,
/// and either posts balanced, hash-chained journal entries or changes nothing.
public struct Ledger: Sendable {
    /// Where the ledger file is.
    public let path: String
    /// The reward policy proposals are priced against.
    public let policy: RewardPolicy
    /// The remuneration and subsidy rules; nil when opened without them (payments are then refused).
    public let payments: RemunerationPolicy?
    let pool: DatabasePool
    let policyDigest: [UInt8]
    let paymentsDigest: [UInt8]

    /// Opens (creating and migrating if needed) the ledger at `path` with `policy`.
    ///
    /// Pragmas: WAL, `synchronous=FULL` (set after GRDB's own WAL set-up, which lowers it),
    /// `secure_delete=ON`, `trusted_schema=OFF`, foreign keys on, statement arguments kept out
    /// of error messages. `readOnly` opens an existing ledger for an auditor (`verify`,
    /// `report`, `journal`, `balance`); every command then fails with `.storage`.
    public init(path: String, policy: RewardPolicy, payments: RemunerationPolicy? = nil,
                readOnly: Bool = false) throws(LedgerError) {
        self.policy = try policy.validated()
        self.policyDigest = Hashing.sha256(Array(policy.canonicalText.utf8))
        self.payments = try payments?.validated()
        self.paymentsDigest = Hashing.sha256(Array((payments?.canonicalText ?? "").utf8))
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.publicStatementArguments = false
        config.label = "tipline-ledger"
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            self.path = path
            if readOnly {
                guard try pool.read({ db in try LedgerMigrations.migrator.hasCompletedMigrations(db) }) else {
                    throw LedgerError.storage("not a ledger of this version")
                }
            } else {
                try pool.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                }
                try LedgerMigrations.migrator.migrate(pool)
            }
        } catch {
            throw Self.mapError(error)
        }
    }

    /// The pragmas as they are on the writer connection (tests read them back).
    public func pragmas() throws(LedgerError) -> [String: String] {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: [String: String] = [:]
                for name in ["journal_mode", "synchronous", "secure_delete", "foreign_keys", "trusted_schema"] {
                    result[name] = try String.fetchOne(db, sql: "PRAGMA \(name)")
                }
                return result
            }
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Current balances, from the running balances the commands keep.
    public func balance() throws(LedgerError) -> LedgerBalances {
        try read { db in try Self.balances(db) }
    }

    /// The journal in order, from entry `from` (1-based), at most `limit` entries.
    public func journal(from: Int64 = 1, limit: Int? = nil) throws(LedgerError) -> [JournalEntry] {
        try read { db in
            let records = try EntryRecord.fetchAll(
                db, sql: "SELECT * FROM journal_entry WHERE seq >= ? ORDER BY seq LIMIT ?",
                arguments: [from, limit.map(Int64.init) ?? -1])
            return try records.map { try Self.entry($0, db) }
        }
    }

    /// The chain head, to be recorded outside the ledger (see `verify(signers:checkpoint:)`).
    public func head() throws(LedgerError) -> LedgerHead {
        try read { db in
            guard let last = try EntryRecord.fetchOne(db, sql: "SELECT * FROM journal_entry ORDER BY seq DESC LIMIT 1") else {
                return LedgerHead(seq: 0, hash: Hex.encode(Self.genesisHash))
            }
            return LedgerHead(seq: last.seq, hash: Hex.encode(last.hash))
        }
    }

    /// The most recent reward for `reference`, if any.
    public func reward(reference: String) throws(LedgerError) -> Reward? {
        try read { db in
            guard let id = try Int64.fetchOne(
                db, sql: "SELECT id FROM reward_proposal WHERE reference = ? ORDER BY id DESC LIMIT 1",
                arguments: [reference]) else { return nil }
            return try Self.reward(id: id, db)
        }
    }

    /// All rewards, oldest first, optionally only those in `status`.
    public func rewards(status: Reward.Status? = nil) throws(LedgerError) -> [Reward] {
        try read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM reward_proposal ORDER BY id")
            return try ids.map { try Self.reward(id: $0, db) }.filter { status == nil || $0.status == status }
        }
    }

    // MARK: - Transactions

    static let genesisHash = [UInt8](repeating: 0, count: 32)

    func read<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.read(body)
        } catch {
            throw Self.mapError(error)
        }
    }

    func write<T>(_ body: (Database) throws -> T) throws(LedgerError) -> T {
        do {
            return try pool.write(body)
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Maps any error to a ledger error without statement arguments or data.
    static func mapError(_ error: any Error) -> LedgerError {
        if let error = error as? LedgerError { return error }
        if let error = error as? DatabaseError {
            return .storage("SQLite error \(error.extendedResultCode.rawValue)" + (error.message.map { ": \($0)" } ?? ""))
        }
        return .storage(String(describing: type(of: error)))
    }
}
