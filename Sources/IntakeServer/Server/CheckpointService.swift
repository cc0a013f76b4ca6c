import Accounting
import LedgerModel
import Foundation
import Logging
import Sealing
import ServiceLifecycle
import TiplineCore
import TiplineStore

/// Signs the audit chain's head at intervals and on graceful shutdown, and appends it to the
/// checkpoint file outside the database (`data/checkpoints.log`, docs/AUDIT.md). `audit verify`
/// compares the database's chain with these lines: a log truncated or rolled back below a
/// checkpoint, or rewritten before one, no longer matches.
///
/// It sits first in the service list so that the service group stops it last: its final
/// checkpoint is written after both listeners have stopped, and so covers every entry.
struct CheckpointService: Service {
    let maker: CheckpointMaker
    let interval: Duration
    let logger: Logger

    init(database: AppDatabase, signer: AuditSigner, file: URL, time: any TimeSource, ledger: (any RewardLedger)? = nil,
         interval: Duration, logger: Logger) {
        maker = CheckpointMaker(database: database, signer: signer, file: file, time: time, ledger: ledger)
        self.interval = interval
        self.logger = logger
    }

    var file: URL { maker.file }

    func run() async throws {
        var last = CheckpointLog.last(in: file).map { ($0.seq, $0.hash + ($0.ledger.map { ":\($0.seq):\($0.hash)" } ?? "")) }
        last = await write(unlessAt: last)
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break  // shutting down
            }
            last = await write(unlessAt: last)
        }
        // The final checkpoint, written even when nothing changed: it records when the server stopped.
        _ = await write(unlessAt: nil)
    }

    /// Writes a checkpoint of the current head unless the head is still `previous`; returns the head written.
    private func write(unlessAt previous: (Int64, String)?) async -> (Int64, String)? {
        do {
            let heads = try await maker.heads()
            let key = heads.key
            if let previous, previous.0 == key.0, previous.1 == key.1 { return previous }
            _ = try maker.append(heads)
            return key
        } catch {
            logger.error("audit checkpoint failed", metadata: ["cause": "\(error)"])
            return previous
        }
    }
}

/// Makes and appends checkpoints: the audit chain's head and the reward ledger's head, signed
/// together (issue 11: the ledger's head is in every checkpoint). Used by the timer and by
/// `GET /admin/v1/audit/checkpoint` (auditors pull a fresh one to keep on their own machine).
struct CheckpointMaker: Sendable {
    let database: AppDatabase
    let signer: AuditSigner
    let file: URL
    let time: any TimeSource
    let ledger: (any RewardLedger)?

    struct Heads {
        let seq: Int64
        let hash: [UInt8]
        let ledger: (seq: Int64, hash: String)?
        /// What "unchanged" compares: the audit head and the ledger head together.
        var key: (Int64, String) { (seq, Hex.encode(hash) + (ledger.map { ":\($0.seq):\($0.hash)" } ?? "")) }
    }

    func heads() async throws -> Heads {
        let head = try await database.auditHead()
        var ledgerHead: (seq: Int64, hash: String)?
        if let ledger {
            let head = try await ledger.head()
            ledgerHead = (head.seq, head.hash)
        }
        return Heads(seq: head?.seq ?? 0, hash: head?.hash ?? Array(AuditLog.genesisHash), ledger: ledgerHead)
    }

    /// Signs `heads` now and appends the checkpoint to the file; returns it.
    func append(_ heads: Heads) throws -> AuditCheckpoint {
        let checkpoint = try AuditCheckpoint.make(seq: heads.seq, hash: heads.hash, at: time.now(), signer: signer, ledger: heads.ledger)
        try CheckpointLog.append(checkpoint, to: file)
        return checkpoint
    }
}
