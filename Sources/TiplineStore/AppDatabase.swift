public import Foundation
public import GRDB

/// The Tipline database: one SQLite file in WAL mode, migrated on open.
///
/// Pragmas are part of the threat model: `secure_delete` overwrites deleted content (crypto-
/// shredded wraps must not linger in free pages), `synchronous=FULL` makes a commit durable
/// before a receipt is shown, `trusted_schema=OFF` stops schema-embedded functions, and
/// statement arguments never reach error messages (`publicStatementArguments` stays false).
public struct AppDatabase: Sendable {
    /// The underlying pool; readers run concurrently with the single writer.
    public let writer: DatabasePool
    /// The database file's path.
    public let path: String

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, readOnly: Bool = false) throws(StoreError) {
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
        do {
            writer = try DatabasePool(path: path, configuration: config)
            self.path = path
            if !readOnly {
                // GRDB sets synchronous=NORMAL for WAL after prepareDatabase; FULL must come after.
                try writer.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA synchronous = FULL")
                    try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
                }
                try Self.migrator.migrate(writer)
            }
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
