public import Foundation
public import TiplineDeployment
public import TiplineCore

/// What `audit verify` reads: the public part of a deployment (key manifest and policies) and its
/// data (the SQLite database and the checkpoint file), possibly from a copy elsewhere.
public struct AuditSources: Sendable {
    /// The Tipline database (`data/tipline.sqlite`); its `-wal` beside it is read too, never written.
    public var database: URL
    /// The checkpoint file (`data/checkpoints.log`); nil when there is none.
    public var checkpointLog: URL?
    /// `public/keys.json`.
    public var manifest: PublicKeyManifest
    /// The city centre's id (`centres.yaml`): it sees every tip.
    public var city: String
    /// Every centre id of `centres.yaml`.
    public var centres: [String]
    /// `security.yaml` `checkpoint.interval_seconds`.
    public var checkpointIntervalSeconds: Int
    /// SHA-256 (hex) of each policy file, by name.
    public var policyHashes: [String: String]
    /// The deployment opened, when the sources came from one.
    public var deployment: Deployment?
    /// The network's units (`units.yaml`, issue 14): the verifier checks who may keep which unit's
    /// records and open which district's informants. Nil: those checks that need it are skipped.
    public var units: UnitsPolicy?
    /// The ledgers (`ledgers.yaml`, issue 16): which ledgers are written, their record-id prefixes. Nil:
    /// the checks that need them are skipped.
    public var ledgers: BooksPolicy?
    /// The reward ledger (`data/ledger.sqlite`), cross-checked against the `ledger.*`/`reward.*`
    /// entries; nil when there is none (then those entries fail the `ledger` check).
    public var ledgerDatabase: URL?

    /// Sources from a deployment directory. `dataFiles` overrides `data/`: each is recognised by
    /// its content (an SQLite database, else a checkpoint file).
    public static func deployment(at root: URL, dataFiles: [URL] = []) throws(AuditError) -> AuditSources {
        let deployment: Deployment
        do {
            deployment = try Deployment.open(at: root)
        } catch {
            throw .input("\(error)")
        }
        var database = deployment.layout.database
        var checkpoints: URL? = deployment.layout.checkpointFile
        if !dataFiles.isEmpty {
            var found: URL?
            checkpoints = nil
            for file in dataFiles {
                guard let handle = try? FileHandle(forReadingFrom: file) else { throw .input("cannot read \(file.path)") }
                let head = (try? handle.read(upToCount: 16)) ?? Data()
                try? handle.close()
                if head == Data("SQLite format 3\0".utf8) {
                    guard found == nil else { throw .input("--data names two databases") }
                    found = file
                } else {
                    guard checkpoints == nil else { throw .input("--data names two checkpoint files") }
                    checkpoints = file
                }
            }
            guard let found else { throw .input("--data names no SQLite database") }
            database = found
        }
        guard FileManager.default.fileExists(atPath: database.path) else { throw .input("no database at \(database.path)") }
        if let file = checkpoints, !FileManager.default.fileExists(atPath: file.path) { checkpoints = nil }
        let policies = deployment.policies
        var sources = AuditSources(database: database, checkpointLog: checkpoints, manifest: deployment.manifest,
                                   city: policies.centres.city.id.rawValue, centres: policies.centres.all.map(\.id.rawValue),
                                   checkpointIntervalSeconds: policies.security.checkpointIntervalSeconds,
                                   policyHashes: policies.hashes, deployment: deployment)
        sources.units = policies.units
        sources.ledgers = policies.ledgers
        // The ledger beside the database given (data/ledger.sqlite, or next to a --data copy).
        let ledger = database.deletingLastPathComponent().appendingPathComponent("ledger.sqlite")
        sources.ledgerDatabase = FileManager.default.fileExists(atPath: ledger.path) ? ledger : nil
        return sources
    }

    /// Sources given piece by piece (tests, other tools).
    public init(database: URL, checkpointLog: URL?, manifest: PublicKeyManifest, city: String, centres: [String],
                checkpointIntervalSeconds: Int, policyHashes: [String: String] = [:], deployment: Deployment? = nil) {
        self.database = database
        self.checkpointLog = checkpointLog
        self.manifest = manifest
        self.city = city
        self.centres = centres
        self.checkpointIntervalSeconds = checkpointIntervalSeconds
        self.policyHashes = policyHashes
        self.deployment = deployment
    }
}
