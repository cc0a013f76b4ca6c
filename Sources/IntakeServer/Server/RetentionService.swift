import Logging
import ServiceLifecycle
import TiplineCore
import TiplineStore

/// Applies `retention.yaml` on a timer (and once at start): crypto-shreds identities, then content,
/// of closed tips past their periods. Each destruction is an audit entry.
struct RetentionService: Service {
    let store: TriageStore
    let time: any TimeSource
    let interval: Duration
    let logger: Logger

    func run() async throws {
        repeat {
            do {
                let result = try await store.applyRetention(at: time.now())
                if !result.identitiesShredded.isEmpty || !result.contentsShredded.isEmpty {
                    logger.notice("retention applied", metadata: ["identities": "\(result.identitiesShredded.count)",
                                                                  "contents": "\(result.contentsShredded.count)"])
                }
            } catch {
                logger.error("retention pass failed", metadata: ["cause": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
        } while !Task.isShuttingDownGracefully
    }
}
