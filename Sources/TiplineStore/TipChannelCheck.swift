import GRDB

/// The CHECK of `tip.channel` (v12-channel added the column with the five channels of its time).
/// A new channel widens it in place: SQLite cannot alter a CHECK, and rebuilding the tip table (its
/// rows, indexes, triggers and the tallies that hang on them) to widen one is far riskier than
/// editing its schema text. Widening a CHECK is one of the edits SQLite documents as safe through
/// `writable_schema` ("ALTER TABLE", section 7: no stored row can violate a wider constraint); the
/// schema version is bumped so every connection reloads it, and the result is checked.
enum TipChannelCheck {
    static let v12 = "CHECK (channel IN ('web', 'phone', 'letter', 'visit', 'email'))"
    static let v16 = "CHECK (channel IN ('web', 'phone', 'letter', 'visit', 'email', 'informant'))"

    static func widen(_ db: Database) throws {
        guard let sql = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'tip'"),
              sql.contains(v12) else {
            throw DatabaseError(message: "tip.channel's CHECK is not the one v12-channel made; the informant channel cannot be added")
        }
        let version = try Int.fetchOne(db, sql: "PRAGMA schema_version") ?? 0
        try db.execute(sql: "PRAGMA writable_schema = ON")
        try db.execute(sql: "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'tip'",
                       arguments: [sql.replacingOccurrences(of: v12, with: v16)])
        try db.execute(sql: "PRAGMA schema_version = \(version + 1)")
        try db.execute(sql: "PRAGMA writable_schema = OFF")
        guard try String.fetchOne(db, sql: "PRAGMA quick_check") == "ok" else {
            throw DatabaseError(message: "the database does not pass quick_check after widening tip.channel")
        }
    }
}
