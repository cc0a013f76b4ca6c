public import GRDB
public import TiplineStore

extension AppDatabase {
    /// A connection of its own to the database file, as a restore tool — or someone holding the disk —
    /// has: tests tamper with rows and benchmarks seed them through it. The server's stores never use
    /// one; they write through their intent methods (issue 12, item 9).
    public func directConnection() throws -> DatabasePool {
        try DatabasePool(path: path, configuration: AppDatabase.configuration())
    }
}
