import ArgumentParser
import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore

/// `tipline-bench insert`: durable inserts per second through `SQLiteTipStore.insert` (what the
/// server calls after sealing), with `--connections` concurrent callers, for a given `--max-batch`
/// (1 = one write transaction per tip, as before group commit). Tips are sealed beforehand, so only
/// the store is timed. Uses a scratch database next to the deployment's, removed afterwards.
struct InsertCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insert", abstract: "Time concurrent durable inserts through SQLiteTipStore (group commit on/off).")

    @OptionGroup var target: DeploymentOption
    @Option(help: "Tips to insert.") var tips = 2_000
    @Option(help: "Concurrent callers.") var connections = 64
    @Option(help: "Tips per transaction at most (1 = a transaction per tip).") var maxBatch = 128

    func run() async throws {
        let deployment = try Deployment.open(at: target.url)
        let passphrase = try Passphrase.obtain(purpose: "the server keys", demo: deployment.config.demo)
        let secrets = try ServerSecrets.load(deployment, passphrase: passphrase)
        let path = deployment.layout.dataDir.appendingPathComponent("insert-bench-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        try FileManager.default.createDirectory(at: deployment.layout.dataDir, withIntermediateDirectories: true)
        let database = try AppDatabase(path: path)
        let store = SQLiteTipStore(database: database, signer: AuditSigner(key: secrets.signingKey), maxBatch: maxBatch)
        let plan = SeedPlan(policies: deployment.policies, seed: 3, total: tips, now: Int64(Date().timeIntervalSince1970), days: 1)
        let sealed = try Sealer(deployment: deployment).seal(plan.tips(0, tips)).map(\.tip)
        let cursor = ManagedCounter()
        let start = monotonicNanos()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask {
                    while true {
                        let i = cursor.next()
                        guard i < sealed.count else { return }
                        _ = try await store.insert(sealed[i])
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        print("max_batch=\(maxBatch) connections=\(connections) tips=\(tips) seconds=\(format(seconds, 2)) durable_tips_per_s=\(format(Double(tips) / seconds, 0))")
    }
}
