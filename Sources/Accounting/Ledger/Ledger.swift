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
///
/// The SQLite (GRDB) implementation of `RewardLedger`: the server holds it as `any RewardLedger`.
/// Every command and query is `async` and runs on GRDB's own connections (`DatabasePool`'s async
/// `read`/`write`), never blocking a thread of Swift's cooperative pool; opening (migrations,
/// pragmas) is synchronous and happens once at start-up.
public struct Ledger: RewardLedger {
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

    /// The remuneration and subsidy rules (`RewardLedger`): `payments`.
    public var remunerationPolicy: RemunerationPolicy? { payments }

    /// The pragmas as they are on the writer connection (tests read them back).
    public func pragmas() async throws(LedgerError) -> [String: String] {
        do {
            return try await pool.writeWithoutTransaction { db in
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
    public func balance() async throws(LedgerError) -> LedgerBalances {
        try await read { db in try Self.balances(db) }
    }

    /// The journal in order, from entry `from` (1-based), at most `limit` entries (nil: all).
    public func journal(from: Int64, limit: Int?) async throws(LedgerError) -> [JournalEntry] {
        try await read { db in
            var request = EntryRecord.filter(EntryRecord.Columns.seq >= from).order(EntryRecord.Columns.seq)
            if let limit { request = request.limit(limit) }
            return try request.fetchAll(db).map { try Self.entry($0, db) }
        }
    }

    /// The chain head, to be recorded outside the ledger (see `verify(signers:checkpoint:)`).
    public func head() async throws(LedgerError) -> LedgerHead {
        try await read { db in try Self.head(db) }
    }

    /// The most recent reward for `reference`, if any.
    public func reward(reference: String) async throws(LedgerError) -> Reward? {
        try await read { db in
            guard let id = try ProposalRecord.select(ProposalRecord.Columns.id, as: Int64.self)
                .filter(ProposalRecord.Columns.reference == reference).order(ProposalRecord.Columns.id.desc)
                .fetchOne(db) else { return nil }
            return try Self.reward(id: id, db)
        }
    }

    /// All rewards, oldest first; only those in `status` unless it is nil.
    public func rewards(status: Reward.Status?) async throws(LedgerError) -> [Reward] {
        try await read { db in
            let ids = try ProposalRecord.select(ProposalRecord.Columns.id, as: Int64.self).order(ProposalRecord.Columns.id).fetchAll(db)
            return try ids.map { try Self.reward(id: $0, db) }.filter { status == nil || $0.status == status }
        }
    }

    // MARK: - Transactions

    static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// The last entry's sequence number and hash, read as raw columns so that a head can be taken
    /// even of a file whose rows no longer decode.
    static func head(_ db: Database) throws -> LedgerHead {
        guard let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal_entry ORDER BY seq DESC LIMIT 1") else {
            return LedgerHead(seq: 0, hash: Hex.encode(genesisHash))
        }
        let hash: Data = last["hash"]
        return LedgerHead(seq: last["seq"], hash: Hex.encode(hash))
    }

    /// Runs `body` in a read transaction on a reader connection, off the cooperative thread pool
    /// (GRDB's async access: the calling task is suspended, not blocked).
    func read<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(LedgerError) -> T {
        do {
            return try await pool.read(body)
        } catch {
            throw Self.mapError(error)
        }
    }

    /// Runs `body` in one write transaction (a command's one transaction), off the cooperative
    /// thread pool; the transaction commits if `body` returns and rolls back if it throws.
    func write<T: Sendable>(_ body: @Sendable (Database) throws -> T) async throws(LedgerError) -> T {
        do {
            return try await pool.write(body)
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
