import Foundation
public import GRDB

/// The Tipline database: one SQLite file in WAL mode, migrated on open.
///
/// Pragmas are part of the threat model: `secure_delete` overwrites deleted content (crypto-
/// shredded wraps must not linger in free pages), `synchronous=FULL` makes a commit durable
/// before a receipt is shown, `trusted_schema=OFF` stops schema-embedded functions, and
/// statement arguments never reach error messages (`publicStatementArguments` stays false).
public struct AppDatabase: Sendable {
    /// The connections (a pool on the file; any `DatabaseWriter` in a test). Only this module's stores
    /// use it, through their intent methods: nothing outside TiplineStore writes SQL (issue 12, item 9).
    let writer: any DatabaseWriter
    /// The database file's path (`:memory:` for an in-memory database).
    public let path: String

    /// Read-only access to the rows, for tests, benchmarks and tools that inspect them (GRDB's
    /// `AppDatabase` pattern). Changes go through the stores' intent methods only.
    public var reader: any DatabaseReader { writer }

    /// The connection configuration every Tipline database uses: foreign keys on, statement arguments
    /// kept out of error messages, a 10 s busy timeout and the pragmas above.
    public static func configuration(readOnly: Bool = false) -> Configuration {
        var config = Configuration()
        config.readonly = readOnly
        config.foreignKeysEnabled = true
        config.publicStatementArguments = false
        config.label = "tipline"
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA trusted_schema = OFF")
            // Temporary data — including the savepoint journals of group commit, which hold copies of
            // the pages a batch changes — stays in memory: no temporary files on disk, and no file I/O
            // inside the single writer's transaction.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
        }
        return config
    }

    /// Opens (creating if needed) and migrates the database at `path`: a WAL pool whose readers run
    /// concurrently with the single writer.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: Self.configuration(readOnly: readOnly))
        } catch let error as DatabaseError {
            throw StoreError.unavailable("SQLite error \(error.resultCode.rawValue)")
        } catch {
            throw StoreError.unavailable("cannot open the database")
        }
        try self.init(pool, path: path, migrate: !readOnly)
    }

    /// A Tipline database over `writer` (made with `configuration()`; an in-memory `DatabaseQueue`
    /// in a test), migrated unless `migrate` is false.
    public init(_ writer: any DatabaseWriter, path: String = ":memory:", migrate: Bool = true) throws(StoreError) {
        self.writer = writer
        self.path = path
        guard migrate else { return }
        do {
            // GRDB sets synchronous=NORMAL for WAL after prepareDatabase; FULL must come after.
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
            try Self.migrator.migrate(writer)
        } catch let error as DatabaseError {
            throw StoreError.unavailable("SQLite error \(error.resultCode.rawValue)")
        } catch {
            throw StoreError.unavailable("cannot open the database")
        }
    }

    /// The pragmas as they are on the writer connection (tests read them back).
    public func pragmas() throws -> [String: String] {
        try writer.writeWithoutTransaction { db in
            var result: [String: String] = [:]
            for name in ["journal_mode", "synchronous", "secure_delete", "foreign_keys", "trusted_schema", "temp_store"] {
                result[name] = try String.fetchOne(db, sql: "PRAGMA \(name)")
            }
            return result
        }
    }

    /// The audit chain's head (its last entry's position and hash), nil for an empty chain.
    public func auditHead() async throws(StoreError) -> (seq: Int64, hash: [UInt8])? {
        do {
            return try await writer.read { db in try AuditLog.head(in: db) }.map { ($0.seq, Array($0.hash)) }
        } catch {
            throw StoreError.wrap(error)
        }
    }

    /// Closes the connections (a stopped server's tests reopen the file).
    public func close() throws(StoreError) {
        do { try writer.close() } catch { throw StoreError.wrap(error) }
    }
}

extension StoreError {
    /// Maps any thrown error to a store error without leaking statement arguments.
    static func wrap(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            return .database("SQLite error \(error.resultCode.rawValue) (\(error.extendedResultCode.rawValue))")
        }
        return .database(String(describing: type(of: error)))
    }
}
