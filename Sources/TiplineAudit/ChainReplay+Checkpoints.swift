import Foundation
import GRDB
import Sealing
import TiplineCore
import TiplineStore

extension ChainReplay {
    /// Checkpoints outside the database against the chain: each line well-formed and signed by the
    /// server key, in order, and naming an entry that still exists with the same hash. A checkpoint
    /// beyond the last entry means the log was truncated or rolled back; a hash that differs means
    /// the log was rewritten before the checkpoint.
    mutating func checkCheckpoints(_ reader: CheckpointReader, in db: Database) {
        guard reader.present, !reader.lines.isEmpty else {
            if entries > 0 {
                checkpoints.fail(seq: nil, subject: "checkpoints.log", "no checkpoint vouches for the log")
            }
            return
        }
        var previous: AuditCheckpoint?
        var last: AuditCheckpoint?
        var clockNoted = false
        let statement = try? db.makeStatement(sql: "SELECT hash FROM audit_entry WHERE seq = ?")
        for line in reader.lines {
            checkpoints.checked += 1
            let place = "checkpoints.log:\(line.number)"
            guard let checkpoint = line.checkpoint else {
                checkpoints.fail(seq: nil, subject: place, "not a checkpoint line")
                continue
            }
            if !checkpoint.isValid(under: keys.server) {
                checkpoints.fail(seq: checkpoint.seq, subject: place, "the checkpoint is not signed by the server key")
                continue
            }
            if let previous, checkpoint.seq < previous.seq {
                checkpoints.fail(seq: checkpoint.seq, subject: place, "a checkpoint names an earlier entry than the one before it (the file was edited, or the log rolled back between them)")
            } else if let previous, checkpoint.at < previous.at, !clockNoted {
                // A clock stepped back (NTP) is not tampering; say so without failing.
                clockNoted = true
                notes.append("checkpoint times go back at \(place)")
            }
            previous = checkpoint
            last = checkpoint
            if checkpoint.seq > lastSeq {
                checkpoints.fail(seq: checkpoint.seq, subject: place,
                                 "the log ends at #\(lastSeq), but a checkpoint vouches for #\(checkpoint.seq): entries were removed (truncated or rolled back)")
                continue
            }
            let stored: [UInt8]
            if checkpoint.seq == 0 {
                stored = Array(AuditLog.genesisHash)
            } else if let statement, let data = try? Data.fetchOne(statement, arguments: [checkpoint.seq]) {
                stored = Array(data)
            } else {
                checkpoints.fail(seq: checkpoint.seq, subject: place, "the entry the checkpoint names is missing")
                continue
            }
            if Hex.encode(stored) != checkpoint.hash {
                checkpoints.fail(seq: checkpoint.seq, subject: place, "entry #\(checkpoint.seq) is not the one the checkpoint vouched for (the log was rewritten)")
            }
        }
        if let last, last.seq < lastSeq {
            notes.append("\(lastSeq - last.seq) entries after the last checkpoint (#\(last.seq)); they are vouched for by the chain and signatures only")
        }
    }
}
