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
    let store: TriageStore
    let ledger: Ledger
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
            // Vouchers past their claim window go back to the fund (rewards issue).
            do {
                let now = time.now()
                let expired = try ledger.expire(now: now, idempotencyKey: IdempotencyKey.generate())
                for reward in expired.rewards {
                    // The posting's seq, so `audit verify` can match ledger and audit (issue 11, item 10).
                    let entry = expired.entries.first { $0.kind == .expire && $0.rewardID == reward.id }
                    try await store.recordServerEvent(.vouchersExpired, subject: reward.reference,
                                                      details: ["amount_fen": String(reward.amount.rawValue),
                                                                "voucher_hash": reward.voucherHash ?? "",
                                                                "ledger_entry": entry.map { String($0.seq) } ?? ""], at: now)
                }
                // Informants' remuneration vouchers that lapsed (issue 17): the entry names the item, never the informant.
                for entry in expired.entries where entry.kind == .paymentExpire {
                    try await store.recordServerEvent(.vouchersExpired, subject: entry.memo,
                                                      details: ["amount_fen": String(entry.total.rawValue), "payment": "1",
                                                                "ledger_entry": String(entry.seq)], at: now)
                }
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
