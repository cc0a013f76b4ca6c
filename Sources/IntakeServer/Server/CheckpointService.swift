import Foundation
import Logging
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
    let database: AppDatabase
    let signer: AuditSigner
    let file: URL
    let time: any TimeSource
    let interval: Duration
    let logger: Logger

    func run() async throws {
        var last = CheckpointLog.last(in: file).map { ($0.seq, $0.hash) }
        last = write(unlessAt: last)
        while !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break  // shutting down
            }
            last = write(unlessAt: last)
        }
        // The final checkpoint, written even when nothing changed: it records when the server stopped.
        _ = write(unlessAt: nil)
    }

    /// Writes a checkpoint of the current head unless the head is still `previous`; returns the head written.
    private func write(unlessAt previous: (Int64, String)?) -> (Int64, String)? {
        do {
            let head = try database.writer.read { db in try AuditLog.head(in: db) }
            let seq = head?.seq ?? 0
            let hash = head?.hash ?? AuditLog.genesisHash
            let hashHex = Hex.encode(hash)
            if let previous, previous.0 == seq, previous.1 == hashHex { return previous }
            let checkpoint = try AuditCheckpoint.make(seq: seq, hash: hash, at: time.now(), signer: signer)
            try CheckpointLog.append(checkpoint, to: file)
            return (seq, hashHex)
        } catch {
            logger.error("audit checkpoint failed", metadata: ["cause": "\(error)"])
            return previous
        }
    }
}
