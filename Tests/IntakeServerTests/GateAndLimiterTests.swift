import Foundation
import Testing
@testable import IntakeServer

@Suite("KDF gate and rate limiter (rule 5: bound every queue)")
struct GateAndLimiterTests {
    @Test("The gate runs at most `concurrency` at once, queues at most `queue`, refuses the rest at once")
    func gate() async throws {
        let gate = KDFGate(concurrency: 2, queueLimit: 3)
        let started = ManagedCounter()
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    do {
                        _ = try await gate.run { started.increment(); Thread.sleep(forTimeInterval: 0.2); return 1 }
                        return true
                    } catch is KDFGate.Full {
                        return false
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 5)   // 2 running + 3 queued
        #expect(results.filter { !$0 }.count == 5)  // refused at once → 503
        #expect(started.value == 5)
        #expect(started.maximum <= 2)
        #expect(await gate.rejected == 5)
        let occupancy = await gate.occupancy
        #expect(occupancy.running == 0 && occupancy.waiting == 0)
        await gate.shutdown()
    }

    @Test("Rate limits per client tag; the tag is an HMAC, counters reset with the hourly key")
    func limiter() async {
        let clock = ManualClock(now: 1_780_000_000 - 1_780_000_000 % 3600)
        let limiter = RateLimiter(submissionsPerHour: 3, followupsPerMinute: 2, maxClients: 2, time: { clock.now })
        for _ in 0..<3 { #expect(await limiter.check(.submission, address: "192.0.2.1") == .allowed) }
        guard case .limited(let retry) = await limiter.check(.submission, address: "192.0.2.1") else {
            Issue.record("the fourth submission was allowed"); return
        }
        #expect(retry > 0 && retry <= 3600)
        #expect(await limiter.check(.submission, address: "192.0.2.2") == .allowed)
        // The table is bounded: a third client is let in by forgetting the least recent one (issue 11 #3).
        #expect(await limiter.check(.submission, address: "192.0.2.3") == .allowed)
        #expect(await limiter.tracked.submissions == 2)
        #expect(await limiter.check(.followup, address: "192.0.2.1") == .allowed)
        #expect(await limiter.check(.followup, address: "192.0.2.1") == .allowed)
        if case .allowed = await limiter.check(.followup, address: "192.0.2.1") { Issue.record("third follow-up in a minute allowed") }
        clock.now += 3600
        #expect(await limiter.check(.submission, address: "192.0.2.1") == .allowed)
    }
}

final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var value = 0
    private(set) var maximum = 0
    func increment() {
        lock.withLock {
            value += 1
            current += 1
            maximum = max(maximum, current)
        }
        Thread.sleep(forTimeInterval: 0.1)
        lock.withLock { current -= 1 }
    }
}

final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var _now: Int64
    init(now: Int64) { _now = now }
    var now: Int64 {
        get { lock.withLock { _now } }
        set { lock.withLock { _now = newValue } }
    }
}
