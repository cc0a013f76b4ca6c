import ArgumentParser
import Foundation
import GRDB
import IntakeServer
import Sealing
import TiplineCore
import TiplineDeployment
import TiplineStore
import TiplineTestSupport

/// `tipline-bench seed`: fills a deployment's store with many tips, sealed for real with the
/// deployment's public keys, spread over three years, the centres, statuses and urgencies.
///
/// Shortcuts, so that 10^6 tips take minutes rather than a day (documented in Benchmarks/README.md):
/// - receipts are derived with scrypt N=2, r=1, p=1 instead of the policy's parameters (the
///   receipts are thrown away; their lookup keys are as unique and as long as real ones);
/// - many tips go into one write transaction (`SQLiteTipStore.insert(_:submissionHash:signer:in:)`,
///   the same body the server runs per tip, so each tip still gets its reference, proof and audit entry);
/// - the later triage history (status, acted/closed times) is written straight into the tip row,
///   without the audit entries a real status change would add — so `audit verify` rightly reports
///   those tips; `--without-history` leaves every tip `received`, and such a store verifies.
struct SeedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed", abstract: "Seed a deployment's store with sealed tips (for triage-at-scale timing).")

    @OptionGroup var target: DeploymentOption
    @Option(help: "How many tips.") var tips = 1_000_000
    @Option(help: "Tips per write transaction.") var batch = 2_000
    @Option(help: "Random seed (same seed, same distribution).") var seed: UInt64 = 7
    @Option(help: "Spread received times over this many days before now.") var days = 3 * 365
    @Flag(help: "Leave every tip 'received' (no triage history written around the audit log): the store passes `audit verify`.")
    var withoutHistory = false

    func run() async throws {
        let deployment = try Deployment.open(at: target.url)
        let passphrase = try Passphrase.obtain(purpose: "the server keys", demo: deployment.config.demo)
        let secrets = try ServerSecrets.load(deployment, passphrase: passphrase)
        let signer = AuditSigner(key: secrets.signingKey)
        let database = try AppDatabase(path: deployment.layout.database.path)
        let policies = deployment.policies
        var details = policies.hashes
        details["combined"] = policies.combinedHash
        let now = Int64(Date().timeIntervalSince1970)
        try database.recordPoliciesIfChanged(details, combined: policies.combinedHash, signer: signer, at: now)
        let direct = try database.directConnection()
        let existing = try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip") ?? 0 }

        let sealer = try Sealer(deployment: deployment)
        let plan = SeedPlan(policies: policies, seed: seed, total: tips, now: now, days: days)
        let total = tips
        let batchSize = batch
        let writeHistory = !withoutHistory
        let start = monotonicNanos()
        var pending: Task<[SeededTip], any Error>? = Task.detached { try sealer.seal(plan.tips(0, min(batchSize, total))) }
        var done = 0
        var lastReport = start
        while let current = pending {
            let sealed = try await current.value
            let next = done + sealed.count
            pending = next < total
                ? Task.detached { try sealer.seal(plan.tips(next, min(next + batchSize, total))) } : nil
            try await direct.write { db in
                for item in sealed {
                    var tip = item.tip
                    var stored: StoredTip?
                    while stored == nil {
                        do {
                            stored = try SQLiteTipStore.insert(tip, submissionHash: tip.submissionHash, signer: signer, in: db)
                        } catch let error as StoreError where error == .receiptLocatorInUse {
                            tip = try sealer.sealOne(item.plan).tip  // a receipt whose locator is taken: a new receipt
                        }
                    }
                    guard let stored else { continue }
                    if writeHistory, let history = item.history {
                        try db.execute(sql: """
                            UPDATE tip SET status = ?, status_changed_at = ?, acted_at = ?, acted_on_time = ?,
                              closed_at = ?, resolution = ? WHERE id = ?
                            """, arguments: [history.status.rawValue, history.changedAt, history.actedAt, history.onTime,
                                             history.closedAt, history.resolution, stored.id])
                    }
                }
            }
            done = next
            let nowNanos = monotonicNanos()
            if nowNanos - lastReport > 10_000_000_000 || done == total {
                lastReport = nowNanos
                let rate = Double(done) / (Double(nowNanos - start) / 1e9)
                FileHandle.standardError.write(Data("seeded \(done)/\(total) (\(format(rate, 0)) tips/s)\n".utf8))
            }
        }
        let seconds = Double(monotonicNanos() - start) / 1e9
        try await direct.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        let count = try await database.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM tip") ?? 0 }
        let size = (try? FileManager.default.attributesOfItem(atPath: deployment.layout.database.path)[.size] as? Int) ?? 0
        print("seeded=\(count - existing)")
        print("tips=\(count)")
        print("seed_seconds=\(format(seconds, 1))")
        print("seed_tips_per_s=\(format(Double(total) / seconds, 0))")
        print("db_bytes=\(size)")
    }
}

/// A sealed tip and the triage history to give it.
struct SeededTip: Sendable {
    let tip: NewTip
    let history: History?
    let plan: PlannedTip

    struct History: Sendable {
        let status: TipStatus
        let changedAt: Int64
        let actedAt: Int64?
        let onTime: Int?
        let closedAt: Int64?
        let resolution: String?
    }
}

/// One tip's plan: what the reporter sent and what triage did with it (deterministic per index).
struct PlannedTip: Sendable {
    let submission: ValidatedTip
    let receivedAt: Int64
    let urgency: Urgency
    let history: SeededTip.History?
}

/// The distribution (documented in Benchmarks/README.md): categories and districts weighted like a
/// city's caseload, 2 % raised to major, statuses by age (new tips open, old tips mostly closed).
struct SeedPlan: Sendable {
    let policies: PolicySet
    let seed: UInt64
    let total: Int
    let now: Int64
    let days: Int

    static let categories: [(String, Int)] = [("online", 40), ("illegal-av", 20), ("illegal-publication", 15),
                                               ("other", 15), ("cross-border", 10)]
    static let districts: [(String, Int)] = [("nanming", 18), ("yunyan", 18), ("guanshanhu", 12), ("huaxi", 10),
                                              ("baiyun", 8), ("wudang", 6), ("qingzhen", 6), ("kaiyang", 4),
                                              ("xifeng", 4), ("xiuwen", 4), ("unknown", 10)]

    func tips(_ from: Int, _ to: Int) -> [PlannedTip] { (from..<to).map(tip) }

    func tip(_ index: Int) -> PlannedTip {
        var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        let category = Self.pick(Self.categories, &rng)
        let district = Self.pick(Self.districts, &rng)
        // Chronological: index 0 is the oldest.
        let span = Int64(days) * 86_400
        let receivedAt = now - span + Int64(Double(span) * Double(index) / Double(max(total, 1))) + Int64(rng.next() % 60)
        let defaultUrgency = policies.categories.category(CategoryID(category))?.defaultUrgency ?? .routine
        let urgency: Urgency = rng.next() % 100 < 2 ? .major : defaultUrgency
        var reporter: ReporterSubmission?
        if rng.next() % 100 < 30 {
            reporter = ReporterSubmission(values: ["name": "举报人\(index)", "phone": "139\(String(format: "%08d", index % 100_000_000))"])
        }
        let raw = TipSubmission(
            category: category, district: district, location: "某区某路 \(index % 900) 号",
            description: "种子线索 \(index)：某店铺出售非法出版物和音像制品，夜间营业，另有网络销售渠道。",
            reporter: reporter, wantsReward: rng.next() % 100 < 25)
        // Validated like the API does; the plan only builds valid tips.
        let submission = try! raw.validate(policies: policies)
        let due = policies.timeliness.dueSeconds(urgency)
        return PlannedTip(submission: submission, receivedAt: receivedAt, urgency: urgency,
                          history: history(age: now - receivedAt, receivedAt: receivedAt, due: due, &rng))
    }

    private func history(age: Int64, receivedAt: Int64, due: Int64, _ rng: inout SeededGenerator) -> SeededTip.History? {
        let roll = Int(rng.next() % 1000)
        let status: TipStatus
        switch age {
        case ..<(7 * 86_400):
            status = roll < 400 ? .received : roll < 700 ? .triaged : roll < 850 ? .verifying : roll < 950 ? .rejected : .closed
        case ..<(60 * 86_400):
            status = roll < 20 ? .received : roll < 170 ? .triaged : roll < 420 ? .verifying : roll < 500 ? .rejected
                : roll < 550 ? .unfounded : roll < 600 ? .verified : .closed
        default:
            status = roll < 2 ? .triaged : roll < 10 ? .verifying : roll < 15 ? .verified : roll < 20 ? .unfounded
                : roll < 25 ? .rejected : .closed
        }
        if status == .received { return nil }
        // First action: mostly within the tier, sometimes late.
        let actedAt = receivedAt + Int64(Double(due) * Double(rng.next() % 1500) / 1000)
        let changedAt = min(now, actedAt + Int64(rng.next() % UInt64(max(1, min(age, 30 * 86_400)))))
        let resolution: String? = switch status {
        case .verified, .unfounded, .rejected: status.rawValue
        case .closed: ["verified", "unfounded", "rejected"][Int(rng.next() % 3)]
        default: nil
        }
        return SeededTip.History(status: status, changedAt: changedAt, actedAt: min(actedAt, now),
                                 onTime: actedAt <= receivedAt + due ? 1 : 0,
                                 closedAt: status == .closed ? changedAt : nil, resolution: resolution)
    }

    static func pick(_ weighted: [(String, Int)], _ rng: inout SeededGenerator) -> String {
        let total = weighted.reduce(0) { $0 + $1.1 }
        var roll = Int(rng.next() % UInt64(total))
        for (value, weight) in weighted {
            if roll < weight { return value }
            roll -= weight
        }
        return weighted[0].0
    }
}

/// Seals planned tips with the intake's own `TipSealer`, on all cores.
struct Sealer: Sendable {
    let sealer: TipSealer
    /// The seeding shortcut: receipts derived with the cheapest valid scrypt, not the policy's (each
    /// tip records its parameters, so the seeded receipts would still open).
    static let seedKDF = Scrypt.Parameters(n: 2, r: 1, p: 1)

    init(deployment: Deployment) throws {
        sealer = try TipSealer(deployment: deployment)
    }

    func seal(_ planned: [PlannedTip]) throws -> [SeededTip] {
        let slots = Slots<SeededTip>(count: planned.count)
        DispatchQueue.concurrentPerform(iterations: ProcessInfo.processInfo.activeProcessorCount) { worker in
            let workers = ProcessInfo.processInfo.activeProcessorCount
            for index in stride(from: worker, to: planned.count, by: workers) {
                slots.set(index, Result { try sealOne(planned[index]) })
            }
        }
        return try slots.values()
    }

    func sealOne(_ plan: PlannedTip) throws -> SeededTip {
        let keys = try ReceiptKeys.issue(for: Receipt.generate(), parameters: Self.seedKDF)
        let tip = try sealer.seal(plan.submission, keys: keys, receivedAt: plan.receivedAt, urgency: plan.urgency)
        return SeededTip(tip: tip, history: plan.history, plan: plan)
    }
}

/// Results written from several threads, one index each.
final class Slots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<T, any Error>?]
    init(count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<T, any Error>) { lock.withLock { items[index] = value } }
    func values() throws -> [T] { try lock.withLock { try items.map { try $0!.get() } } }
}
