import Accounting
import LedgerModel
import Logging
import ServiceLifecycle
import TiplineCore
import TiplineStore

/// Applies `retention.yaml` on a timer (and once at start): crypto-shreds identities, then content,
/// of closed tips past their periods, and lapses reward vouchers past their claim window.
/// Each destruction or lapse is an audit entry.
struct RetentionService: Service {
    let store: any RetentionStore & RewardRecordStore & AuditTrailStore
    let ledger: any RewardLedger
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
            // Vouchers past their claim window go back to their fund (rewards issue; informants' remuneration, issue 17).
            do {
                try await RewardDesk(ledger: ledger, store: store).expire(idempotencyKey: IdempotencyKey.generate(), by: nil, at: time.now())
            } catch {
                logger.error("voucher expiry failed", metadata: ["cause": "\(error)"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
        } while !Task.isShuttingDownGracefully
    }
}
