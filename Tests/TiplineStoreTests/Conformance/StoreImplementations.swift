import Foundation
import GRDB
import Testing
import TiplineCore
import TiplineStore

/// What a conformance test gets from one implementation: the tip store and the centres' store over
/// one database.
struct StoresUnderTest: Sendable {
    /// The intake side (`TipStore`).
    let tips: any TipStore
    /// The centres' side: every store protocol the admin API uses (`CentreStore`).
    let centre: any CentreStore
    /// Keeps a file-backed database's directory until the test is done with it.
    let keepAlive: TemporaryDirectory?
}

/// A directory removed when the last reference goes.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("tipline-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// One implementation of the store protocols (issue 12, item 10). Every test in the conformance
/// suite runs once per entry of `all`: a new backend (PostgreSQL next) is one more entry here, and
/// is done when the suite passes for it.
struct StoreImplementation: Sendable, CustomTestStringConvertible {
    /// How the test report names it.
    let name: String
    /// Fresh, empty stores applying `policies`, whose audit entries `signer` signs.
    let make: @Sendable (_ policies: PolicySet, _ signer: AuditSigner) throws -> StoresUnderTest

    var testDescription: String { name }

    /// Every implementation the suite runs against.
    static let all: [StoreImplementation] = [sqliteFile, sqliteInMemory]

    /// Production's: a WAL pool on a file.
    static let sqliteFile = StoreImplementation(name: "SQLite file (WAL pool)") { policies, signer in
        let directory = try TemporaryDirectory()
        let database = try AppDatabase(path: directory.url.appendingPathComponent("tipline.sqlite").path)
        return stores(database, policies: policies, signer: signer, keepAlive: directory)
    }

    /// The same schema over one in-memory connection (`AppDatabase` takes any `DatabaseWriter`).
    static let sqliteInMemory = StoreImplementation(name: "SQLite in memory (queue)") { policies, signer in
        let database = try AppDatabase(try DatabaseQueue(configuration: AppDatabase.configuration()))
        return stores(database, policies: policies, signer: signer, keepAlive: nil)
    }

    private static func stores(_ database: AppDatabase, policies: PolicySet, signer: AuditSigner,
                               keepAlive: TemporaryDirectory?) -> StoresUnderTest {
        StoresUnderTest(tips: SQLiteTipStore(database: database, signer: signer),
                        centre: TriageStore(database: database, signer: signer, policies: policies, centreKeys: [:]),
                        keepAlive: keepAlive)
    }
}
